// messaging_test: the WhatsApp rules of PRODUCT.md "Conversations" through
// the tenant and conversation cores — the 24-hour window of (channel,
// contact), templates, active conversations, delivery statuses, automation
// messages and the outbound records sends become.
#include <gtest/gtest.h>

#include "actors/outbound.h"
#include "tests/actors/harness.h"

namespace atende {
namespace {

using namespace atende::testing;

constexpr timestamp minute = 60 * 1000;
constexpr timestamp hour = 60 * minute;

class MessagingTest : public ::testing::Test {
protected:
  void SetUp() override {
    configure(sim);
    sim.must(admin_actor, create<channel>{make_channel(
                              "wa-2", "310000000000002", "sales")});
    sim.must(admin_actor,
             create<message_template>{message_template{
               "t-retomada", "wa-main", "retomada", "pt_BR",
               "Oi {{1}}, sobre o {{2}}: podemos continuar?", "approved"}});
    sim.must(admin_actor, create<message_template>{message_template{
                            "t-promo", "wa-main", "promo", "pt_BR",
                            "Promoção para {{1}}", "pending"}});
  }

  /// wrote: the customer writes on `channel` at `at`; returns the
  /// conversation.
  std::string wrote(timestamp at, const std::string& channel = "wa-main") {
    sim.clock = at - 1000;
    return sim
      .must("connector",
            inbound(channel, customer, "w" + std::to_string(++wamids_)))
      .conversation;
  }

  /// send runs a free text send by ana at `at`.
  result<step> send_text(const std::string& conv, timestamp at,
                         std::string key = {}) {
    sim.clock = at - 1000;
    return sim.as("agent:ana",
                  conversation_send{conv, "Bom dia", std::move(key),
                                    std::nullopt, nullptr});
  }

  result<step> start(timestamp at, std::string text,
                     std::optional<template_send> t = std::nullopt,
                     const std::string& channel = "wa-main") {
    sim.clock = at - 1000;
    return sim.as("agent:ana", conversation_start{channel, customer, "", "",
                                                  std::move(text), t});
  }

  static template_send retomada(std::vector<std::string> params = {
                                  "Maria", "pedido 4411"}) {
    return {"retomada", "", std::move(params)};
  }

  /// outbound_id: the message id of the step's message_sent.
  static std::string outbound_id(const step& s) {
    auto* m = s.find<message_sent>();
    return m == nullptr ? std::string{} : m->message_id;
  }

  result<step> status(const std::string& message, const std::string& st,
                      std::string code = {}) {
    std::string title = code.empty() ? "" : "failure";
    return sim.as("connector",
                  message_status_in{"wa-main", message, st, std::move(code),
                                    std::move(title), ""});
  }

  tenant_sim sim;
  std::string customer = "5531988887777";
  int wamids_ = 0;
};

// ---- the 24-hour window ----------------------------------------------------

TEST_F(MessagingTest, FreeTextWorks23h59AfterTheLastInboundAndFails24h01After) {
  const timestamp in = t0 + hour;
  auto conv = wrote(in);
  sim.must("agent:ana", conversation_assign{conv, ""});
  EXPECT_TRUE(send_text(conv, in + 23 * hour + 59 * minute));
  auto late = send_text(conv, in + 24 * hour + minute);
  EXPECT_EQ(code_of(late), errc::window_closed);
  EXPECT_EQ(field_of(late), "text");
}

TEST_F(MessagingTest, OnlyTheCustomersMessagesRefreshTheWindow) {
  const timestamp in = t0 + hour;
  auto conv = wrote(in);
  sim.must("agent:ana", conversation_assign{conv, ""});
  ASSERT_TRUE(send_text(conv, in + 20 * hour));
  EXPECT_EQ(code_of(send_text(conv, in + 25 * hour)), errc::window_closed);
  wrote(in + 26 * hour);
  EXPECT_TRUE(send_text(conv, in + 49 * hour));
}

TEST_F(MessagingTest, ApprovedTemplatesMayBeSentWithTheWindowClosed) {
  auto conv = wrote(t0 + hour);
  sim.must("agent:ana", conversation_assign{conv, ""});
  sim.clock = t0 + 30 * hour;
  auto s = sim.as("agent:ana", conversation_send{conv, "", "", retomada(), nullptr});
  ASSERT_TRUE(s);
  auto* m = s->find<message_sent>();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->kind, "template");
  EXPECT_EQ(m->template_name, "retomada");
  EXPECT_EQ(m->language, "pt_BR");
  EXPECT_EQ(m->text, "Oi Maria, sobre o pedido 4411: podemos continuar?");
}

TEST_F(MessagingTest, ATemplateWithTheWrongNumberOfParamsFails) {
  auto r = start(t0, "", retomada({"Maria"}));
  EXPECT_EQ(code_of(r), errc::template_params_mismatch);
  EXPECT_EQ(field_of(r), "template.params");
  EXPECT_EQ(code_of(start(t0, "", retomada({"a", "b", "c"}))),
            errc::template_params_mismatch);
  EXPECT_TRUE(sim.tenant.open_conversation.empty()); // nothing was opened
}

TEST_F(MessagingTest, ATemplateThatIsNotApprovedFails) {
  auto r = start(t0, "", template_send{"promo", "pt_BR", {"Maria"}});
  EXPECT_EQ(code_of(r), errc::template_not_approved);
  EXPECT_EQ(code_of(start(t0, "", template_send{"nope", "", {}})),
            errc::unknown_reference);
}

TEST_F(MessagingTest, TemplateStatusFromMetaApprovesTheTemplate) {
  auto s = sim.must("connector", template_status_in{"310000000000001", "promo",
                                                    "pt_BR", "approved"});
  ASSERT_NE(s.find<template_updated>(), nullptr);
  EXPECT_EQ(sim.tenant.templates.at("t-promo").status, "approved");
  EXPECT_TRUE(start(t0 + hour, "", template_send{"promo", "", {"Maria"}}));
  // The same status again changes nothing; an unknown template is named.
  EXPECT_TRUE(sim.must("connector", template_status_in{"wa-main", "promo",
                                                       "pt_BR", "approved"})
                .events.empty());
  EXPECT_EQ(code_of(sim.as("connector", template_status_in{"wa-main", "x",
                                                           "pt_BR", "paused"})),
            errc::unknown_reference);
}

TEST_F(MessagingTest, TemplatesAreUniquePerChannelNameAndLanguage) {
  auto r = sim.as(admin_actor, create<message_template>{message_template{
                                 "t-dup", "wa-main", "retomada", "pt_BR", "x",
                                 "approved"}});
  EXPECT_EQ(code_of(r), errc::already_exists);
  EXPECT_TRUE(sim.as(admin_actor, create<message_template>{message_template{
                                    "t-en", "wa-main", "retomada", "en_US",
                                    "Hi {{1}} {{2}}", "approved"}}));
  EXPECT_EQ(code_of(sim.as(admin_actor, create<message_template>{
                                          message_template{"t-x", "nope", "a",
                                                           "pt_BR", "x",
                                                           "approved"}})),
            errc::unknown_reference);
  EXPECT_EQ(code_of(sim.as("agent:ana", create<message_template>{
                                          message_template{"t-y", "wa-main",
                                                           "b", "pt_BR", "x",
                                                           "approved"}})),
            errc::forbidden);
}

// ---- active conversations ----------------------------------------------------

TEST_F(MessagingTest,
       ANewOutboundConversationToAContactWhoWroteToTheSameNumber2hEarlierAllowsFreeText) {
  auto first = wrote(t0);
  sim.must("agent:ana", conversation_assign{first, ""});
  sim.must("agent:ana", conversation_finish{first, "sold", ""});
  auto s = start(t0 + 2 * hour, "Oi Maria, voltando ao seu pedido");
  ASSERT_TRUE(s) << s.error().message;
  auto* o = s->find<conversation_opened>();
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->origin, "active");
  EXPECT_EQ(o->team, "sales");
  auto* a = s->find<conversation_assigned>();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->agent, "ana");
  EXPECT_EQ(a->rule, "start");
  EXPECT_EQ(s->find<message_sent>()->kind, "text");
  EXPECT_NE(s->conversation, first);
  EXPECT_EQ(sim.conversations.at(s->conversation).assignee, "ana");
}

TEST_F(MessagingTest,
       AConversationToAContactWhoWroteToAnotherOfOurNumbersNeedsATemplate) {
  wrote(t0, "wa-2");
  auto r = start(t0 + hour, "Oi Maria");
  EXPECT_EQ(code_of(r), errc::template_required);
  EXPECT_EQ(field_of(r), "template");
  EXPECT_TRUE(start(t0 + hour, "", retomada()));
}

TEST_F(MessagingTest, AnActiveConversationToANewNumberCreatesTheContact) {
  auto s = start(t0, "", retomada());
  ASSERT_TRUE(s);
  auto* k = s->find<contact_created>();
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->value.phone, customer);
  // The other form of the Brazilian mobile is the same contact: a second
  // start conflicts with the open conversation and names it.
  sim.clock += 1000;
  auto again = sim.as("agent:ana",
                      conversation_start{"wa-main", "553188887777", "", "", "",
                                         retomada()});
  ASSERT_EQ(code_of(again), errc::conversation_open);
  EXPECT_EQ(again.error().conversation, s->conversation);
}

TEST_F(MessagingTest, AfterATemplateFreeTextIsLockedUntilTheCustomerReplies) {
  auto s = start(t0, "", retomada());
  ASSERT_TRUE(s);
  auto conv = s->conversation;
  EXPECT_EQ(code_of(send_text(conv, t0 + minute)), errc::window_closed);
  // The agent may retry with another template.
  sim.clock = t0 + 2 * minute;
  EXPECT_TRUE(sim.as("agent:ana",
                     conversation_send{conv, "", "",
                                       template_send{"retomada", "pt_BR",
                                                     {"Maria", "pedido"}}, nullptr}));
  EXPECT_EQ(wrote(t0 + hour), conv);
  EXPECT_TRUE(send_text(conv, t0 + hour + minute));
}

TEST_F(MessagingTest, StartingNeedsAKnownChannelTeamAndContact) {
  sim.clock = t0;
  EXPECT_EQ(code_of(sim.as("agent:ana",
                           conversation_start{"nope", customer, "", "", "x",
                                              std::nullopt})),
            errc::unknown_reference);
  auto team = sim.as("agent:ana", conversation_start{"wa-main", customer, "",
                                                     "nope", "", retomada()});
  EXPECT_EQ(field_of(team), "team");
  auto contact = sim.as("agent:ana", conversation_start{"wa-main", "", "k404",
                                                        "", "", retomada()});
  EXPECT_EQ(field_of(contact), "contact");
  auto s = sim.as("agent:ana", conversation_start{"wa-main", customer, "",
                                                  "support", "", retomada()});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->find<conversation_opened>()->team, "support");
}

TEST_F(MessagingTest, ARetriedSendReturnsTheFirstResultEvenAfterTheWindowClosed) {
  auto conv = wrote(t0);
  sim.must("agent:ana", conversation_assign{conv, ""});
  auto first = send_text(conv, t0 + hour, "key-1");
  ASSERT_TRUE(first);
  auto again = send_text(conv, t0 + 30 * hour, "key-1");
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(again->matched, outbound_id(*first));
}

// ---- delivery statuses ---------------------------------------------------------

TEST_F(MessagingTest, StatusesDeliveredOutOfOrderEndAtTheFurthestState) {
  auto conv = wrote(t0);
  sim.must("agent:ana", conversation_assign{conv, ""});
  auto id = outbound_id(*send_text(conv, t0 + minute));
  EXPECT_EQ(sim.conversations.at(conv).outbound.at(id), "pending");
  ASSERT_NE(status(id, "read").value().find<message_status_changed>(),
            nullptr);
  EXPECT_TRUE(status(id, "delivered").value().events.empty());
  EXPECT_TRUE(status(id, "sent").value().events.empty());
  EXPECT_TRUE(status(id, "failed", "131000").value().events.empty());
  EXPECT_EQ(sim.conversations.at(conv).outbound.at(id), "read");
}

TEST_F(MessagingTest, MetaMaySkipDelivered) {
  auto conv = wrote(t0);
  sim.must("agent:ana", conversation_assign{conv, ""});
  auto id = outbound_id(*send_text(conv, t0 + minute));
  ASSERT_TRUE(status(id, "sent"));
  ASSERT_FALSE(status(id, "read").value().events.empty());
  EXPECT_EQ(sim.conversations.at(conv).outbound.at(id), "read");
}

TEST_F(MessagingTest, AFailedSendIsRecordedWithItsCodeAndNothingFollowsIt) {
  auto conv = wrote(t0);
  sim.must("agent:ana", conversation_assign{conv, ""});
  auto id = outbound_id(*send_text(conv, t0 + minute));
  auto s = status(id, "failed", "131026");
  ASSERT_TRUE(s);
  auto* f = s->find<message_status_changed>();
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->error_code, "131026");
  EXPECT_TRUE(status(id, "delivered").value().events.empty());
  EXPECT_EQ(sim.conversations.at(conv).outbound.at(id), "failed");
  // Any other failure leaves the window open.
  EXPECT_TRUE(send_text(conv, t0 + 2 * minute));
}

TEST_F(MessagingTest, AFailureWith131047ClosesTheWindowUntilTheCustomerWrites) {
  auto conv = wrote(t0);
  sim.must("agent:ana", conversation_assign{conv, ""});
  auto id = outbound_id(*send_text(conv, t0 + minute));
  sim.clock = t0 + 2 * minute;
  ASSERT_TRUE(status(id, "failed", "131047"));
  EXPECT_EQ(code_of(send_text(conv, t0 + 3 * minute)), errc::window_closed);
  wrote(t0 + 4 * minute);
  EXPECT_TRUE(send_text(conv, t0 + 5 * minute));
}

TEST_F(MessagingTest, StatusOfAnUnknownMessageIsNamed) {
  auto r = status("m999", "read");
  EXPECT_EQ(code_of(r), errc::unknown_reference);
  EXPECT_EQ(field_of(r), "data.message_id");
}

// ---- automation messages ---------------------------------------------------------

TEST_F(MessagingTest, AnAutomationMessageLandsInTheContactsOpenConversation) {
  auto conv = wrote(t0);
  auto s = sim.must("connector", automation_message_in{"wa-main", customer,
                                                       "welcome", "Olá!"});
  EXPECT_EQ(s.conversation, conv);
  auto* m = s.find<automation_message_sent>();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->automation, "welcome");
  // Without an open conversation it opens one, origin "automation".
  auto other = sim.must("connector", automation_message_in{
                                       "wa-main", "5511987654321", "nps", "?"});
  ASSERT_NE(other.find<conversation_opened>(), nullptr);
  EXPECT_EQ(other.find<conversation_opened>()->origin, "automation");
}

// ---- restore and outbound records ------------------------------------------------

TEST_F(MessagingTest, WindowsAndOutboundIdsAreRestoredFromConversations) {
  auto a = wrote(t0);
  sim.must("agent:ana", conversation_assign{a, ""});
  auto id = outbound_id(*send_text(a, t0 + minute));
  sim.clock = t0 + 2 * minute;
  ASSERT_TRUE(status(id, "failed", "131047"));
  sim.must("agent:ana", conversation_finish{a, "sold", ""});
  wrote(t0 + hour, "wa-2");

  auto snap = tenant_state_from_json(to_json(sim.tenant));
  ASSERT_TRUE(snap);
  for (const auto& [cid, c] : sim.conversations) {
    auto back = conversation_from_json(to_json(c));
    ASSERT_TRUE(back);
    restore_conversation(*snap, *back);
  }
  EXPECT_EQ(snap->windows, sim.tenant.windows);
  EXPECT_EQ(snap->outbound, sim.tenant.outbound);
  EXPECT_EQ(snap->templates, sim.tenant.templates);
}

TEST_F(MessagingTest, ASendBecomesAMessageSendRecordWithAStableId) {
  auto s = start(t0, "", retomada());
  ASSERT_TRUE(s);
  const event* sent = nullptr;
  for (const auto& e : s->events) {
    if (std::holds_alternative<message_sent>(e.data)) {
      sent = &e;
    }
  }
  ASSERT_NE(sent, nullptr);
  auto r = outbound_record(sim.tenant, *sent);
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)["id"], sent->id());
  EXPECT_EQ((*r)["type"], "message.send");
  const auto& d = (*r)["data"];
  EXPECT_EQ(d["channel"], "wa-main");
  EXPECT_EQ(d["phone_number_id"], "310000000000001");
  EXPECT_EQ(d["to"], customer);
  EXPECT_EQ(d["message_id"], outbound_id(*s));
  EXPECT_EQ(d["template"]["name"], "retomada");
  EXPECT_EQ(d["template"]["language"], "pt_BR");
  EXPECT_EQ(d["template"]["params"],
            nlohmann::json::array({"Maria", "pedido 4411"}));
  // Events that ask no connector to act have none.
  EXPECT_FALSE(outbound_record(sim.tenant, s->events.front()));
}

TEST_F(MessagingTest, ACustomerWhoChangedNumbersKeepsItsContactUnderTheNewOne) {
  auto conv = wrote(1000 * minute);
  const auto contact = sim.tenant.conversations.at(conv).contact;
  auto system = inbound("wa-main", customer, "w-system", "");
  system.kind = "system";
  system.content = {{"system",
                     {{"type", "user_changed_number"},
                      {"body", "User Maria changed from 5531988887777 to "
                               "5531977776666"},
                      {"new_wa_id", "5531977776666"}}}};
  sim.clock = 1001 * minute;
  auto s = sim.must("connector", system);
  const auto* changed = s.find<contact_updated>();
  ASSERT_NE(changed, nullptr);
  EXPECT_EQ(changed->value.id, contact);
  EXPECT_EQ(changed->value.phone, "5531977776666");
  for (const auto& e : s.events) {
    if (std::holds_alternative<contact_updated>(e.data)) {
      EXPECT_EQ(e.actor, "rule:changed_number");
    }
  }
  // The next message from the new number is the same contact's, in the same
  // conversation.
  sim.clock = 1002 * minute;
  auto next = sim.must("connector", inbound("wa-main", "5531977776666", "w-new"));
  EXPECT_EQ(next.conversation, conv);
}

TEST_F(MessagingTest, ANewNumberAnotherContactHasIsLeftToAnAgent) {
  sim.must(admin_actor, upsert("5531977776666", "João"));
  auto conv = wrote(1000 * minute);
  auto system = inbound("wa-main", customer, "w-system", "");
  system.kind = "system";
  system.content = {{"system",
                     {{"type", "customer_changed_number"},
                      {"new_wa_id", "5531977776666"}}}};
  sim.clock = 1001 * minute;
  auto s = sim.must("connector", system);
  EXPECT_EQ(s.find<contact_updated>(), nullptr);
  EXPECT_NE(s.find<message_received>(), nullptr); // the message stays
  EXPECT_EQ(s.conversation, conv);
}

} // namespace
} // namespace atende

// The conversation object and GET /v1/conversations/{id}.
#include <gtest/gtest.h>

#include "tests/projections/builders.h"

namespace atende::testing {
namespace {

using nlohmann::json;

class ConversationView : public ::testing::Test {
protected:
  void SetUp() override {
    h.tenant("boss", "hash-boss")
      .team("sales")
      .team("support")
      .channel("wa", "sales")
      .agent("ana", {"sales"}, "hash-ana")
      .agent("bia", {"support"}, "hash-bia")
      .contact("c1", "Maria", "5531988887777", {"vip", "lead"}, "proposal")
      .reason("done");
    v.apply(h.take());
  }

  history h{"acme"};
  views v;
};

TEST_F(ConversationView, OpenedConversationIsWaitingInItsTeam) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10)).take());
  auto obj = v.conversation_object("acme", "k1");
  ASSERT_TRUE(obj);
  json expected = {
    {"id", "k1"},
    {"contact", {{"id", "c1"}, {"name", "Maria"}, {"phone", "5531988887777"}}},
    {"channel", "wa"},
    {"team", "sales"},
    {"assignee", nullptr},
    {"portfolio", nullptr},
    {"outside_hours", false},
    {"status", "waiting"},
    {"awaiting_customer", false},
    {"send_failed", false},
    {"automation", false},
    {"composer_locked", true},
    {"window_expires_at", nullptr},
    {"tags", {"vip", "lead"}},
    {"stage", "proposal"},
    {"created_at", "2026-11-21T13:00:10.000Z"},
    {"last_activity_at", "2026-11-21T13:00:10.000Z"},
    {"finished_at", nullptr},
    {"reason", nullptr},
    {"description", nullptr},
    {"last_message", nullptr},
  };
  EXPECT_EQ(*obj, expected);
}

TEST_F(ConversationView, InboundMessageOpensTheWindowForADay) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10))
            .receive("k1", "m1", "oi", at_s(10))
            .take());
  auto obj = *v.conversation_object("acme", "k1");
  EXPECT_EQ(obj["window_expires_at"], "2026-11-22T13:00:10.000Z");
  EXPECT_EQ(obj["last_message"],
            (json{{"id", "m1"}, {"direction", "in"}, {"kind", "text"},
                  {"text", "oi"}, {"at", "2026-11-21T13:00:10.000Z"},
                  {"status", "received"}}));
  EXPECT_FALSE(obj["awaiting_customer"]);
}

TEST_F(ConversationView, ConversationObjectShowsPortfolioAndOutsideHours) {
  v.apply(h.portfolio("p1", "ana")
            .open("k1", "c1", "wa", "sales", at_s(10))
            .route("k1", "support", "p1", at_s(20))
            .hold("k1", "p1", true, at_s(30))
            .take());
  auto obj = *v.conversation_object("acme", "k1");
  EXPECT_EQ(obj["portfolio"], "p1");
  EXPECT_EQ(obj["team"], "support");
  EXPECT_EQ(obj["outside_hours"], true);
  // Routing is an activity; holding is not.
  EXPECT_EQ(obj["last_activity_at"], "2026-11-21T13:00:20.000Z");
  auto got = v.conversation(agent_of("acme", "ana"), "k1");
  ASSERT_TRUE(got);
  EXPECT_EQ((*got)["portfolio"], "p1");
  EXPECT_EQ((*got)["outside_hours"], true);

  v.apply(h.hold("k1", "p1", false, at_s(40)).take());
  EXPECT_EQ((*v.conversation_object("acme", "k1"))["outside_hours"], false);
  // Assignment clears the hold and keeps the portfolio; a transfer leaves it.
  v.apply(h.hold("k1", "p1", true, at_s(50)).assign("k1", "ana", at_s(60))
            .take());
  obj = *v.conversation_object("acme", "k1");
  EXPECT_EQ(obj["outside_hours"], false);
  EXPECT_EQ(obj["portfolio"], "p1");
  v.apply(h.transfer("k1", "sales", "", at_s(70)).take());
  EXPECT_EQ((*v.conversation_object("acme", "k1"))["portfolio"], nullptr);
}

TEST_F(ConversationView, OurReplyAwaitsTheCustomerUntilTheyWrite) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10))
            .receive("k1", "m1", "oi", at_s(10))
            .assign("k1", "ana", at_s(20))
            .send("k1", "m2", "ana", "bom dia", at_s(30))
            .take());
  auto obj = *v.conversation_object("acme", "k1");
  EXPECT_EQ(obj["status"], "open");
  EXPECT_EQ(obj["assignee"], "ana");
  EXPECT_TRUE(obj["awaiting_customer"]);
  EXPECT_EQ(obj["last_message"]["direction"], "out");
  EXPECT_EQ(obj["last_message"]["status"], "pending");
  EXPECT_EQ(obj["last_activity_at"], "2026-11-21T13:00:30.000Z");

  v.apply(h.receive("k1", "m3", "obrigado", at_s(40)).take());
  obj = *v.conversation_object("acme", "k1");
  EXPECT_FALSE(obj["awaiting_customer"]);
  EXPECT_EQ(obj["window_expires_at"], "2026-11-22T13:00:40.000Z");
}

TEST_F(ConversationView, DetailListsMessagesOldestFirst) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10))
            .receive("k1", "m1", "oi", at_s(10))
            .assign("k1", "ana", at_s(20))
            .send("k1", "m2", "ana", "bom dia", at_s(30))
            .take());
  auto got = v.conversation(agent_of("acme", "ana"), "k1");
  ASSERT_TRUE(got) << got.error().message;
  const auto& messages = (*got)["messages"];
  ASSERT_EQ(messages.size(), 2U);
  EXPECT_EQ(messages[0]["id"], "m1");
  EXPECT_EQ(messages[0]["direction"], "in");
  EXPECT_EQ(messages[1]["id"], "m2");
  EXPECT_EQ(messages[1]["direction"], "out");
  EXPECT_EQ(messages[1]["text"], "bom dia");
  EXPECT_EQ((*got)["id"], "k1");
}

TEST_F(ConversationView, FinishedConversationKeepsWhoServedIt) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10))
            .assign("k1", "ana", at_s(20))
            .finish("k1", "done", "sold", at_s(90))
            .take());
  auto obj = *v.conversation_object("acme", "k1");
  EXPECT_EQ(obj["status"], "finished");
  EXPECT_EQ(obj["assignee"], "ana");
  EXPECT_EQ(obj["reason"], "done");
  EXPECT_EQ(obj["description"], "sold");
  EXPECT_EQ(obj["finished_at"], "2026-11-21T13:01:30.000Z");
  EXPECT_EQ(obj["last_activity_at"], "2026-11-21T13:01:30.000Z");
}

TEST_F(ConversationView, AgentOutsideTheTeamGetsNotFound) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10)).take());
  auto got = v.conversation(agent_of("acme", "bia"), "k1");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, errc::not_found);
  EXPECT_TRUE(v.conversation(admin_of("acme", "boss"), "k1"));
}

TEST_F(ConversationView, AgentSeesWhatIsAssignedToItOutsideItsTeams) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10))
            .assign("k1", "bia", at_s(20))
            .take());
  EXPECT_TRUE(v.conversation(agent_of("acme", "bia"), "k1"));
}

TEST_F(ConversationView, OtherTenantsConversationIsNotFound) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10)).take());
  history other{"globex"};
  v.apply(other.tenant("boss", "hash-globex").take());
  auto got = v.conversation(admin_of("globex", "boss"), "k1");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, errc::not_found);
  EXPECT_FALSE(v.conversation_object("globex", "k1"));
  auto list = v.conversations(admin_of("globex", "boss"), {});
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->items.items.empty());
  EXPECT_EQ(list->all, 0U);
}

TEST_F(ConversationView, UnknownConversationIsNotFound) {
  auto got = v.conversation(admin_of("acme", "boss"), "nope");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, errc::not_found);
}

TEST_F(ConversationView, RootMayNotReadConversations) {
  principal root{.tenant = {}, .agent = {}, .admin = false, .root = true};
  EXPECT_EQ(v.conversation(root, "k1").error().code, errc::forbidden);
  EXPECT_EQ(v.conversations(root, {}).error().code, errc::forbidden);
  EXPECT_EQ(v.list(root, resource::teams, 25, "").error().code,
            errc::forbidden);
  EXPECT_EQ(v.get(root, resource::teams, "sales").error().code,
            errc::forbidden);
}

TEST_F(ConversationView, ContactCreatedAfterItsConversationShowsUp) {
  v.apply(h.open("k1", "c9", "wa", "sales", at_s(10)).take());
  EXPECT_EQ((*v.conversation_object("acme", "k1"))["contact"]["id"], "c9");
  EXPECT_FALSE(v.get(admin_of("acme", "boss"), resource::contacts, "c9"));
  v.apply(h.contact("c9", "Joana", "5511912345678", {"new"}).take());
  auto obj = *v.conversation_object("acme", "k1");
  EXPECT_EQ(obj["contact"]["name"], "Joana");
  EXPECT_EQ(obj["tags"], json({"new"}));
  EXPECT_TRUE(v.get(admin_of("acme", "boss"), resource::contacts, "c9"));
}

TEST_F(ConversationView, ConversationCountSpansTenants) {
  history other{"globex"};
  v.apply(other.tenant("boss", "hash-globex")
            .open("g1", "x", "wa", "t", at_s(1))
            .take());
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10))
            .open("k2", "c1", "wa", "sales", at_s(11))
            .take());
  EXPECT_EQ(v.conversation_count(), 3U);
}

} // namespace
} // namespace atende::testing

// The WhatsApp messaging rules over real HTTP against `atende serve`: the
// 24-hour window, templates, active conversations, delivery statuses, the
// status lists and the outbound records. Commands are stamped by the server's
// clock; inbound messages carry their source time, so the tests set the
// window's age by the `at` of the customer's messages.
#include <gtest/gtest.h>

#include "events/time.h"
#include "tests/e2e/server_process.h"

namespace atende::test {
namespace {

constexpr timestamp minute = 60 * 1000;
constexpr timestamp hour = 60 * minute;

class MessagingFlow : public ::testing::Test {
protected:
  void SetUp() override { boot(true); }

  void boot(bool configure) {
    srv_ = std::make_unique<server_process>(dir_.path());
    ASSERT_TRUE(srv_->start());
    if (!configure) {
      return;
    }
    admin_ = new_tenant(srv_->port(), "acme");
    ASSERT_FALSE(admin_.empty());
    auto a = as(admin_);
    ASSERT_EQ(a.post("/v1/teams", {{"id", "support"}, {"name", "Support"}})
                .status,
              201);
    add_channel(a, "wa", "1065", "support");
    add_channel(a, "wa2", "2065", "support");
    auto tp = a.post("/v1/templates",
                     {{"id", "retomada"},
                      {"channel", "wa"},
                      {"name", "retomada_atendimento"},
                      {"language", "pt_BR"},
                      {"body", "Oi {{1}}, sobre o {{2}}: podemos continuar?"},
                      {"status", "approved"}});
    ASSERT_EQ(tp.status, 201) << tp.body.dump();
    ASSERT_EQ(a.post("/v1/templates", {{"id", "promo"},
                                       {"channel", "wa"},
                                       {"name", "promo"},
                                       {"language", "pt_BR"},
                                       {"body", "Promo {{1}}"},
                                       {"status", "pending"}})
                .status,
              201);
    ana_ = add_agent(a, "ana", "Ana", "support");
    ASSERT_FALSE(ana_.empty());
  }

  api as(const std::string& token) { return api{srv_->port(), token}; }

  api::reply event(const nlohmann::json& e) {
    return as(admin_).post("/v1/events", e);
  }

  /// wrote: the customer `from` writes to channel `pnid` at `at`; returns
  /// the conversation.
  std::string wrote(const std::string& from, timestamp at,
                    const std::string& pnid = "1065") {
    auto id = "w" + std::to_string(++wamids_);
    auto r = event({{"id", id},
                    {"type", "message.received"},
                    {"tenant", "acme"},
                    {"at", format_time(at)},
                    {"data",
                     {{"channel", pnid},
                      {"from", from},
                      {"message_id", id},
                      {"kind", "text"},
                      {"text", "Oi"}}}});
    EXPECT_EQ(r.status, 202) << r.body.dump();
    return r.body["results"][0].value("conversation", "");
  }

  api::reply status(const std::string& message, const std::string& st,
                    const std::string& code = "") {
    nlohmann::json data{
      {"channel", "1065"}, {"message_id", message}, {"status", st}};
    if (!code.empty()) {
      data["error"] = {{"code", code}, {"title", "failure"}};
    }
    return event({{"id", "st" + std::to_string(++statuses_)},
                  {"type", "message.status"},
                  {"tenant", "acme"},
                  {"at", format_time(now_ms())},
                  {"data", data}});
  }

  api::reply send_text(const std::string& conv, const std::string& text,
                       const std::string& key = "") {
    nlohmann::json body{{"text", text}};
    if (!key.empty()) {
      body["idempotency_key"] = key;
    }
    return as(ana_).post("/v1/conversations/" + conv + "/messages", body);
  }

  api::reply start(const nlohmann::json& body) {
    return as(ana_).post("/v1/conversations", body);
  }

  static nlohmann::json retomada(nlohmann::json params = {"Maria",
                                                          "pedido 4411"}) {
    return {{"name", "retomada_atendimento"}, {"params", std::move(params)}};
  }

  nlohmann::json count_of(const std::string& status) {
    return as(ana_).get("/v1/conversations?view=mine&status=" + status).body;
  }

  static std::string code(const api::reply& r) {
    return r.body["error"].value("code", "");
  }

  temp_dir dir_;
  std::unique_ptr<server_process> srv_;
  std::string admin_, ana_;
  int wamids_ = 0, statuses_ = 0;
};

TEST_F(MessagingFlow, FreeTextWorks23h59AfterTheLastInboundAnd24h01Fails) {
  auto now = now_ms();
  auto fresh = wrote("5531988887777", now - 23 * hour - 59 * minute);
  auto stale = wrote("5511987654321", now - 24 * hour - minute);
  for (const auto& c : {fresh, stale}) {
    ASSERT_EQ(as(ana_).post("/v1/conversations/" + c + "/assign", {}).status,
              200);
  }
  auto ok = send_text(fresh, "Bom dia");
  EXPECT_EQ(ok.status, 201) << ok.body.dump();
  auto late = send_text(stale, "Bom dia");
  EXPECT_EQ(late.status, 422);
  EXPECT_EQ(code(late), "window_closed");
  auto view = as(ana_).get("/v1/conversations/" + stale);
  EXPECT_TRUE(view.body["composer_locked"].get<bool>());
  EXPECT_FALSE(as(ana_).get("/v1/conversations/" + fresh)
                 .body["composer_locked"]
                 .get<bool>());
}

TEST_F(MessagingFlow, ATemplateWithTheWrongNumberOfParamsFails) {
  auto r = start({{"channel", "wa"},
                  {"to", "5531988887777"},
                  {"template", retomada({"Maria"})}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(code(r), "template_params_mismatch");
  EXPECT_EQ(r.body["error"].value("field", ""), "template.params");
}

TEST_F(MessagingFlow, ATemplateThatIsNotApprovedFails) {
  auto r = start({{"channel", "wa"},
                  {"to", "5531988887777"},
                  {"template", {{"name", "promo"}, {"params", {"x"}}}}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(code(r), "template_not_approved");
  // Meta approves it (webhook field message_template_status_update, mapped
  // by the connector to template.status); then it may be sent.
  auto st = event({{"id", "tpl-1"},
                   {"type", "template.status"},
                   {"tenant", "acme"},
                   {"at", format_time(now_ms())},
                   {"data",
                    {{"channel", "1065"},
                     {"name", "promo"},
                     {"language", "pt_BR"},
                     {"status", "approved"}}}});
  ASSERT_EQ(st.body["results"][0]["status"], "accepted") << st.body.dump();
  auto again = start({{"channel", "wa"},
                      {"to", "5531988887777"},
                      {"template", {{"name", "promo"}, {"params", {"x"}}}}});
  EXPECT_EQ(again.status, 201) << again.body.dump();
  EXPECT_EQ(as(admin_).get("/v1/templates/promo").body["status"], "approved");
}

TEST_F(MessagingFlow,
       ANewOutboundConversationToAContactWhoWroteToTheSameNumber2hEarlierAllowsFreeText) {
  auto first = wrote("5531988887777", now_ms() - 2 * hour);
  auto a = as(ana_);
  ASSERT_EQ(a.post("/v1/conversations/" + first + "/assign", {}).status, 200);
  ASSERT_EQ(a.post("/v1/conversations/" + first + "/finish", {}).status, 200);
  auto r = start({{"channel", "wa"},
                  {"to", "5531988887777"},
                  {"text", "Oi Maria, voltando ao seu pedido"}});
  ASSERT_EQ(r.status, 201) << r.body.dump();
  EXPECT_NE(r.body["id"], first);
  EXPECT_EQ(r.body["assignee"], "ana");
  EXPECT_EQ(r.body["status"], "open");
  EXPECT_FALSE(r.body["composer_locked"].get<bool>());
  EXPECT_TRUE(r.body["window_expires_at"].is_string());
  EXPECT_EQ(r.body["last_message"]["text"], "Oi Maria, voltando ao seu pedido");
}

TEST_F(MessagingFlow,
       AConversationToAContactWhoWroteToAnotherOfOurNumbersNeedsATemplate) {
  wrote("5531988887777", now_ms() - hour, "2065");
  auto r = start({{"channel", "wa"}, {"to", "5531988887777"}, {"text", "Oi"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(code(r), "template_required");
  auto t = start({{"channel", "wa"},
                  {"to", "5531988887777"},
                  {"template", retomada()}});
  ASSERT_EQ(t.status, 201) << t.body.dump();
  EXPECT_TRUE(t.body["composer_locked"].get<bool>());
  EXPECT_TRUE(t.body["window_expires_at"].is_null());
  EXPECT_EQ(t.body["last_message"]["text"],
            "Oi Maria, sobre o pedido 4411: podemos continuar?");
  // Free text stays locked until the customer replies.
  const std::string conv = t.body["id"];
  EXPECT_EQ(code(send_text(conv, "Oi?")), "window_closed");
  auto again = start({{"channel", "wa"},
                      {"to", "553188887777"}, // the other form of the number
                      {"template", retomada()}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(code(again), "conversation_open");
  EXPECT_EQ(again.body["error"]["conversation_id"], conv);
  EXPECT_EQ(wrote("5531988887777", now_ms()), conv);
  EXPECT_EQ(send_text(conv, "Que bom que respondeu").status, 201);
}

TEST_F(MessagingFlow, StatusesDeliveredOutOfOrderEndAtTheFurthestState) {
  auto conv = wrote("5531988887777", now_ms() - minute);
  ASSERT_EQ(as(ana_).post("/v1/conversations/" + conv + "/assign", {}).status,
            200);
  auto sent = send_text(conv, "Bom dia");
  ASSERT_EQ(sent.status, 201);
  const std::string id = sent.body["message"]["id"];
  EXPECT_EQ(sent.body["message"]["status"], "pending");
  for (auto st : {"read", "delivered", "sent"}) {
    auto r = status(id, st);
    EXPECT_EQ(r.body["results"][0]["status"], "accepted") << r.body.dump();
  }
  auto view = as(ana_).get("/v1/conversations/" + conv);
  EXPECT_EQ(view.body["messages"].back()["status"], "read");
  EXPECT_EQ(view.body["last_message"]["status"], "read");
}

TEST_F(MessagingFlow, AFailedSendLandsInSendFailedAndLeavesItWhenALaterSendSucceeds) {
  auto conv = wrote("5531988887777", now_ms() - minute);
  ASSERT_EQ(as(ana_).post("/v1/conversations/" + conv + "/assign", {}).status,
            200);
  const std::string first = send_text(conv, "Bom dia").body["message"]["id"];
  EXPECT_EQ(count_of("awaiting_customer")["counts"]["mine"], 1);
  ASSERT_EQ(status(first, "failed", "131026").status, 202);
  auto failed = count_of("send_failed");
  ASSERT_EQ(failed["items"].size(), 1u);
  EXPECT_EQ(failed["items"][0]["id"], conv);
  EXPECT_TRUE(failed["items"][0]["send_failed"].get<bool>());
  EXPECT_EQ(failed["counts"]["mine"], 1);
  EXPECT_EQ(count_of("awaiting_customer")["counts"]["mine"], 0);
  auto msg = as(ana_).get("/v1/conversations/" + conv).body["messages"].back();
  EXPECT_EQ(msg["status"], "failed");
  EXPECT_EQ(msg["error"]["code"], "131026");

  const std::string second =
    send_text(conv, "Tentando de novo").body["message"]["id"];
  ASSERT_EQ(status(second, "delivered").status, 202);
  EXPECT_EQ(count_of("send_failed")["counts"]["mine"], 0);
  EXPECT_EQ(count_of("awaiting_customer")["counts"]["mine"], 1);
}

TEST_F(MessagingFlow, AFailureWith131047ClosesTheWindow) {
  auto conv = wrote("5531988887777", now_ms() - minute);
  ASSERT_EQ(as(ana_).post("/v1/conversations/" + conv + "/assign", {}).status,
            200);
  const std::string id = send_text(conv, "Bom dia").body["message"]["id"];
  ASSERT_EQ(status(id, "failed", "131047").status, 202);
  EXPECT_EQ(code(send_text(conv, "Oi?")), "window_closed");
  EXPECT_TRUE(as(ana_).get("/v1/conversations/" + conv)
                .body["composer_locked"]
                .get<bool>());
}

TEST_F(MessagingFlow, ARetriedSendWithTheSameKeyReturnsTheFirstResult) {
  auto conv = wrote("5531988887777", now_ms() - minute);
  ASSERT_EQ(as(ana_).post("/v1/conversations/" + conv + "/assign", {}).status,
            200);
  auto first = send_text(conv, "Bom dia", "k-1");
  auto again = send_text(conv, "Bom dia", "k-1");
  ASSERT_EQ(first.status, 201);
  EXPECT_EQ(again.body["message"]["id"], first.body["message"]["id"]);
  auto out = as(admin_).get("/v1/outbound");
  ASSERT_EQ(out.status, 200) << out.body.dump();
  EXPECT_EQ(out.body["items"].size(), 1u); // sent once
}

TEST_F(MessagingFlow, EveryAcceptedSendIsAnOutboundRecordThatSurvivesARestart) {
  auto t = start({{"channel", "wa"},
                  {"to", "5531988887777"},
                  {"template", retomada()}});
  ASSERT_EQ(t.status, 201);
  auto out = as(admin_).get("/v1/outbound");
  ASSERT_EQ(out.status, 200) << out.body.dump();
  ASSERT_EQ(out.body["items"].size(), 1u);
  auto rec = out.body["items"][0];
  EXPECT_EQ(rec["type"], "message.send");
  EXPECT_EQ(rec["tenant"], "acme");
  EXPECT_EQ(rec["data"]["to"], "5531988887777");
  EXPECT_EQ(rec["data"]["phone_number_id"], "1065");
  EXPECT_EQ(rec["data"]["message_id"], t.body["last_message"]["id"]);
  EXPECT_EQ(rec["data"]["template"]["name"], "retomada_atendimento");
  EXPECT_EQ(rec["data"]["template"]["language"], "pt_BR");
  EXPECT_EQ(as(ana_).get("/v1/outbound").status, 403);

  srv_->kill9();
  boot(false);
  auto after = as(admin_).get("/v1/outbound");
  ASSERT_EQ(after.body["items"].size(), 1u);
  EXPECT_EQ(after.body["items"][0], rec);
}

TEST_F(MessagingFlow, AutomationMessagesFillTheAutomationList) {
  auto conv = wrote("5531988887777", now_ms() - minute);
  auto r = event({{"id", "auto-1"},
                  {"type", "automation.message"},
                  {"tenant", "acme"},
                  {"at", format_time(now_ms())},
                  {"data",
                   {{"channel", "1065"},
                    {"to", "5531988887777"},
                    {"automation", "nps"},
                    {"text", "De 0 a 10, quanto recomendaria?"}}}});
  ASSERT_EQ(r.body["results"][0]["status"], "accepted") << r.body.dump();
  EXPECT_EQ(r.body["results"][0]["conversation"], conv);
  auto list = as(admin_).get("/v1/conversations?status=automation");
  ASSERT_EQ(list.body["items"].size(), 1u);
  EXPECT_EQ(list.body["items"][0]["id"], conv);
  EXPECT_TRUE(list.body["items"][0]["automation"].get<bool>());
  EXPECT_EQ(list.body["counts"]["all"], 1);
}

TEST_F(MessagingFlow, ContactUpsertFromACrmFeedsTheConversationFilters) {
  auto conv = wrote("5531988887777", now_ms() - minute);
  auto r = event({{"id", "crm-1"},
                  {"type", "contact.upsert"},
                  {"tenant", "acme"},
                  {"at", format_time(now_ms())},
                  {"data",
                   {{"phone", "553188887777"}, // the other form
                    {"name", "Maria Souza"},
                    {"tags", {"vip"}},
                    {"stage", "proposal"},
                    {"departments", {"sales"}}}}});
  ASSERT_EQ(r.body["results"][0]["status"], "accepted") << r.body.dump();
  auto a = as(admin_);
  auto by_tag = a.get("/v1/conversations?tag=vip");
  ASSERT_EQ(by_tag.body["items"].size(), 1u);
  EXPECT_EQ(by_tag.body["items"][0]["id"], conv);
  EXPECT_EQ(by_tag.body["items"][0]["contact"]["name"], "Maria Souza");
  EXPECT_EQ(a.get("/v1/conversations?stage=proposal").body["items"].size(),
            1u);
  EXPECT_EQ(a.get("/v1/conversations?stage=won").body["items"].size(), 0u);
  auto k = a.get("/v1/contacts?phone=553188887777");
  ASSERT_EQ(k.body["items"].size(), 1u);
  EXPECT_EQ(k.body["items"][0]["departments"], nlohmann::json({"sales"}));
}

} // namespace
} // namespace atende::test

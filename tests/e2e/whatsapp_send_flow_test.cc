// atende sending through Meta's Graph API, over real HTTP both ways:
// `atende serve` against the suite's fake Graph API (tests/support/
// fake_graph.h). What an agent sends reaches Meta with the channel's token,
// Meta's wamid is recorded so that its statuses find the message, Meta's
// refusals fail the message with their meaning, busy answers and silence
// are retried, a crash while sending never sends twice without a trace, and
// channels without a token are left to outside connectors.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "events/time.h"
#include "gateways/crypto.h"
#include "tests/e2e/server_process.h"
#include "tests/support/fake_graph.h"

namespace atende::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* token = "EAAG-channel-token-1";
constexpr const char* number = "220000000000001";
constexpr const char* customer = "5511987654321";
constexpr const char* app_secret = "e2e-app-secret";

/// eventually polls `pred` until it holds or ten seconds pass: the sender
/// records Meta's answer in the log shortly after Meta gives it.
template <class Pred>
bool eventually(Pred pred) {
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

class WhatsappSendFlow : public ::testing::Test {
protected:
  void SetUp() override {
    graph_.accept_token(token);
    setenv("ATENDE_WHATSAPP_GRAPH_URL", graph_.url().c_str(), 1);
    setenv("ATENDE_WHATSAPP_RETRY_BASE_MS", "20", 1);
    setenv("ATENDE_WHATSAPP_SEND_TIMEOUT_MS", "1000", 1);
    setenv("ATENDE_WHATSAPP_APP_SECRET", app_secret, 1);
    setenv("ATENDE_SECRET_KEY", std::string(64, '7').c_str(), 1);
    boot();
    admin_ = new_tenant(srv_->port(), "acme");
    ASSERT_FALSE(admin_.empty());
    auto a = as(admin_);
    ASSERT_EQ(a.post("/v1/teams", {{"id", "support"}, {"name", "Support"}})
                .status,
              201);
    add_channel(a, "wa", number, "support");
    auto p = a.call("PATCH", "/v1/channels/wa", {{"access_token", token}});
    ASSERT_EQ(p.status, 200) << p.body.dump();
    add_channel(a, "wa2", "220000000000002", "support");
    ASSERT_EQ(a.post("/v1/templates",
                     {{"id", "retomada"},
                      {"channel", "wa"},
                      {"name", "retomada_atendimento"},
                      {"language", "pt_BR"},
                      {"body", "Oi {{1}}, sobre o {{2}}: podemos continuar?"},
                      {"status", "approved"}})
                .status,
              201);
    ana_ = add_agent(a, "ana", "Ana", "support");
    ASSERT_FALSE(ana_.empty());
  }
  void TearDown() override {
    for (const char* v :
         {"ATENDE_WHATSAPP_GRAPH_URL", "ATENDE_WHATSAPP_RETRY_BASE_MS",
          "ATENDE_WHATSAPP_SEND_TIMEOUT_MS", "ATENDE_WHATSAPP_APP_SECRET",
          "ATENDE_SECRET_KEY"}) {
      unsetenv(v);
    }
  }

  void boot() {
    srv_ = std::make_unique<server_process>(dir_.path());
    ASSERT_TRUE(srv_->start());
  }

  api as(const std::string& t) { return api{srv_->port(), t}; }

  /// wrote: the customer writes to `pnid` a minute ago; returns the
  /// conversation, assigned to Ana.
  std::string wrote(const std::string& from = customer,
                    const std::string& pnid = number) {
    auto id = "wamid.in" + std::to_string(++inbound_);
    auto r = as(admin_).post(
      "/v1/events", {{"id", id},
                     {"type", "message.received"},
                     {"tenant", "acme"},
                     {"at", format_time(now_ms() - 60'000)},
                     {"data",
                      {{"channel", pnid},
                       {"from", from},
                       {"message_id", id},
                       {"kind", "text"},
                       {"text", "Oi, minha caixa chegou amassada"}}}});
    EXPECT_EQ(r.status, 202) << r.body.dump();
    std::string conv = r.body["results"][0].value("conversation", "");
    EXPECT_EQ(as(ana_).post("/v1/conversations/" + conv + "/assign", {}).status,
              200);
    return conv;
  }

  std::string send_text(const std::string& conv, const std::string& text) {
    auto r = as(ana_).post("/v1/conversations/" + conv + "/messages",
                           {{"text", text}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body["message"].value("id", "");
  }

  json message(const std::string& conv, const std::string& id) {
    auto v = as(ana_).get("/v1/conversations/" + conv);
    for (const auto& m : v.body["messages"]) {
      if (m["id"] == id) {
        return m;
      }
    }
    return nullptr;
  }

  /// accepted: the conversation's timeline says Meta accepted the message.
  bool accepted(const std::string& conv, const std::string& id) {
    auto t = as(ana_).get("/v1/conversations/" + conv + "/timeline");
    return t.body.dump().find("WhatsApp accepted message " + id) !=
           std::string::npos;
  }

  /// status_webhook is Meta's webhook of `status` for our message `wamid`.
  static std::string status_webhook(const std::string& wamid,
                                    const std::string& status) {
    json st = {{"id", wamid},
               {"status", status},
               {"timestamp", std::to_string(now_ms() / 1000)},
               {"recipient_id", customer}};
    return json{{"object", "whatsapp_business_account"},
                {"entry",
                 {{{"id", "310000000000001"},
                   {"changes",
                    {{{"field", "messages"},
                      {"value",
                       {{"messaging_product", "whatsapp"},
                        {"metadata",
                         {{"display_phone_number", "551140040000"},
                          {"phone_number_id", number}}},
                        {"statuses", {st}}}}}}}}}}}
      .dump();
  }

  api::raw_reply deliver(const std::string& body,
                         const std::string& secret = app_secret) {
    return deliver_whatsapp(srv_->port(), body, secret);
  }

  json health() { return as(admin_).get("/v1/channels/wa").body["health"]; }

  fake_graph graph_;
  temp_dir dir_;
  std::unique_ptr<server_process> srv_;
  std::string admin_, ana_;
  int inbound_ = 0;
};

TEST_F(WhatsappSendFlow, AnAgentsTextGoesToMetaWithTheChannelsTokenAndMetasStatusesFindIt) {
  auto conv = wrote();
  auto id = send_text(conv, "Sentimos muito, Maria. Vamos enviar outra.");
  ASSERT_TRUE(graph_.wait_sends(1, 10s));
  auto req = graph_.sends().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, std::string{"/v21.0/"} + number + "/messages");
  EXPECT_EQ(req.authorization, std::string{"Bearer "} + token);
  EXPECT_EQ(req.json["to"], customer);
  EXPECT_EQ(req.json["type"], "text");
  EXPECT_EQ(req.json["text"]["body"],
            "Sentimos muito, Maria. Vamos enviar outra.");
  ASSERT_TRUE(eventually([&] { return accepted(conv, id); }));
  EXPECT_EQ(message(conv, id)["status"], "pending");

  // Meta's statuses name the message by its wamid only.
  auto t = as(ana_).get("/v1/conversations/" + conv + "/timeline").body.dump();
  auto at = t.find(" as wamid.");
  ASSERT_NE(at, std::string::npos);
  at += 4;
  auto wamid = t.substr(at, t.find_first_of("\" ", at) - at);
  for (const char* st : {"read", "delivered", "sent"}) {
    auto r = deliver(status_webhook(wamid, st));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body)["applied"], 1) << r.body;
  }
  EXPECT_EQ(message(conv, id)["status"], "read");
  EXPECT_EQ(health()["accepted"], 1);
}

TEST_F(WhatsappSendFlow, ATemplateGoesWithItsParameters) {
  auto r = as(ana_).post(
    "/v1/conversations",
    {{"channel", "wa"},
     {"to", "5531988887777"},
     {"template",
      {{"name", "retomada_atendimento"}, {"params", {"Maria", "pedido 4411"}}}}});
  ASSERT_EQ(r.status, 201) << r.body.dump();
  ASSERT_TRUE(graph_.wait_sends(1, 10s));
  auto req = graph_.sends().at(0).json;
  EXPECT_EQ(req["type"], "template");
  EXPECT_EQ(req["template"]["name"], "retomada_atendimento");
  EXPECT_EQ(req["template"]["language"]["code"], "pt_BR");
  EXPECT_EQ(req["template"]["components"][0]["parameters"][1]["text"],
            "pedido 4411");
}

TEST_F(WhatsappSendFlow, ARefusalFailsTheMessageWithMetasCodeAndItsMeaning) {
  graph_.answer_next(meta_error(131026));
  auto conv = wrote();
  auto id = send_text(conv, "Bom dia");
  ASSERT_TRUE(eventually([&] { return message(conv, id)["status"] == "failed"; }));
  auto m = message(conv, id);
  EXPECT_EQ(m["error"]["code"], "131026");
  EXPECT_NE(m["error"]["title"].get<std::string>().find("undeliverable"),
            std::string::npos)
    << m.dump();
  EXPECT_EQ(graph_.count_sends(), 1u); // not sent again
  EXPECT_EQ(health()["failed"]["131026"], 1);
  EXPECT_EQ(health()["last_error"]["code"], "131026");
}

TEST_F(WhatsappSendFlow, A131047RefusalClosesTheWindow) {
  graph_.answer_next(meta_error(131047));
  auto conv = wrote();
  auto id = send_text(conv, "Bom dia");
  ASSERT_TRUE(eventually([&] { return message(conv, id)["status"] == "failed"; }));
  auto again = as(ana_).post("/v1/conversations/" + conv + "/messages",
                             {{"text", "Oi?"}});
  EXPECT_EQ(again.status, 422);
  EXPECT_EQ(again.body["error"]["code"], "window_closed");
}

TEST_F(WhatsappSendFlow, RateLimitsAndServerErrorsAreRetriedUntilMetaAccepts) {
  graph_.answer_next(meta_error(130429));
  graph_.answer_next(graph_reply{.status = 503, .body = "busy",
                                 .content_type = "text/plain"});
  auto conv = wrote();
  auto id = send_text(conv, "Bom dia");
  ASSERT_TRUE(eventually([&] { return accepted(conv, id); }));
  EXPECT_EQ(graph_.count_sends(), 3u);
  EXPECT_EQ(health()["retried"], 2);
  EXPECT_EQ(health()["accepted"], 1);
  EXPECT_NE(message(conv, id)["status"], "failed");
}

TEST_F(WhatsappSendFlow, ASilentMetaTimesOutAndTheSendIsRepeatedAndCounted) {
  graph_.answer_next(graph_reply{.hang = true});
  auto conv = wrote();
  auto id = send_text(conv, "Bom dia");
  ASSERT_TRUE(eventually([&] { return accepted(conv, id); }));
  EXPECT_EQ(graph_.count_sends(), 2u);
  EXPECT_EQ(health()["timeouts"], 1);
  graph_.release_hung();
}

TEST_F(WhatsappSendFlow, AChannelWithoutATokenLeavesSendingToTheOutbox) {
  auto other = wrote("5531977776666", "220000000000002");
  auto left = send_text(other, "Pelo conector");
  auto conv = wrote();
  auto id = send_text(conv, "Por nós");
  ASSERT_TRUE(eventually([&] { return accepted(conv, id); }));
  for (const auto& s : graph_.sends()) {
    EXPECT_NE(s.json["to"], "5531977776666");
  }
  auto out = as(admin_).get("/v1/outbound");
  ASSERT_EQ(out.status, 200);
  ASSERT_EQ(out.body["items"].size(), 2u);
  EXPECT_FALSE(out.body["items"][0].contains("sent_by")); // the connector's
  EXPECT_EQ(out.body["items"][1]["sent_by"], "atende");
  auto wa2 = as(admin_).get("/v1/channels/wa2").body;
  EXPECT_FALSE(wa2["has_access_token"].get<bool>());
  EXPECT_FALSE(wa2["health"].contains("accepted")) << wa2.dump(); // no sender
  EXPECT_EQ(message(other, left)["status"], "pending");
}

TEST_F(WhatsappSendFlow, SecretsAreWriteOnly) {
  auto a = as(admin_);
  auto ch = a.get("/v1/channels/wa").body;
  EXPECT_TRUE(ch["has_access_token"].get<bool>());
  EXPECT_FALSE(ch["has_app_secret"].get<bool>());
  EXPECT_FALSE(ch.contains("access_token"));
  auto list = a.get("/v1/channels").body.dump();
  EXPECT_EQ(list.find(token), std::string::npos);
  EXPECT_EQ(list.find("sealed:"), std::string::npos);
  auto bad = a.call("PATCH", "/v1/channels/wa", {{"access_token", 42}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.body["error"]["field"], "access_token");
  // Removing the token hands sending back to outside connectors.
  auto off = a.call("PATCH", "/v1/channels/wa", {{"access_token", nullptr}});
  ASSERT_EQ(off.status, 200) << off.body.dump();
  EXPECT_FALSE(off.body["has_access_token"].get<bool>());
}

TEST_F(WhatsappSendFlow, AChannelsOwnAppSecretSignsItsWebhooks) {
  auto a = as(admin_);
  ASSERT_EQ(a.call("PATCH", "/v1/channels/wa", {{"app_secret", "own-secret"}})
              .status,
            200);
  auto body = status_webhook("wamid.unknown", "sent");
  EXPECT_EQ(deliver(body, app_secret).status, 401);
  EXPECT_EQ(deliver(body, "own-secret").status, 200);
  // Errors about the number too.
  std::ifstream in{std::string{ATENDE_SOURCE_DIR} +
                   "/tests/fixtures/whatsapp/value_errors.json"};
  std::stringstream errors;
  errors << in.rdbuf();
  EXPECT_EQ(deliver(errors.str(), app_secret).status, 401);
  EXPECT_EQ(deliver(errors.str(), "own-secret").status, 200);
  EXPECT_EQ(health()["webhook_errors"]["130429"], 1);
}

TEST_F(WhatsappSendFlow, AKillWhileSendingNeverSendsTwiceWithoutATrace) {
  // Meta holds the first request: atende dies with it on its way.
  graph_.answer_next(graph_reply{.hang = true});
  setenv("ATENDE_WHATSAPP_SEND_TIMEOUT_MS", "600000", 1);
  srv_->kill9();
  boot();
  auto conv = wrote();
  auto first = send_text(conv, "Primeira");
  ASSERT_TRUE(graph_.wait_sends(1, 10s));
  srv_->kill9();
  graph_.release_hung();
  boot();
  // The one on its way is failed with a trace, never sent again; a send
  // after the restart goes out once.
  ASSERT_TRUE(eventually([&] { return message(conv, first)["status"] == "failed"; }));
  EXPECT_EQ(message(conv, first)["error"]["code"], "unknown_outcome");
  auto second = send_text(conv, "Segunda");
  ASSERT_TRUE(eventually([&] { return accepted(conv, second); }));
  EXPECT_EQ(graph_.count_sends(), 2u);
}

TEST_F(WhatsappSendFlow, ReplayVerifiesAStoreWhoseMessagesAtendeSent) {
  // Meta refuses "Primeira", whichever of the two sends reaches it first.
  graph_.set_rule([](const graph_request& r) -> std::optional<graph_reply> {
    if (r.json.is_object() && r.json.contains("text") &&
        r.json["text"].value("body", "") == "Primeira") {
      return meta_error(131026);
    }
    return std::nullopt;
  });
  auto conv = wrote();
  auto refused = send_text(conv, "Primeira");
  auto sent = send_text(conv, "Segunda");
  ASSERT_TRUE(eventually([&] {
    return accepted(conv, sent) && message(conv, refused)["status"] == "failed";
  }));
  srv_->kill9();
  auto cmd = std::string{ATENDE_BINARY} + " replay --data " + dir_.path() +
             " --verify > " + dir_.path() + "/verify.txt 2>&1";
  int rc = std::system(cmd.c_str());
  std::ifstream out{dir_.path() + "/verify.txt"};
  std::stringstream text;
  text << out.rdbuf();
  EXPECT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) << text.str();
}

TEST_F(WhatsappSendFlow, ErrorsAboutTheNumberAreShownOnItsChannel) {
  std::ifstream in{std::string{ATENDE_SOURCE_DIR} +
                   "/tests/fixtures/whatsapp/value_errors.json"};
  std::stringstream body;
  body << in.rdbuf();
  auto r = deliver(body.str());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["applied"], 2) << r.body;
  EXPECT_EQ(json::parse(r.body)["unrouted"], 0) << r.body;
  auto h = health();
  EXPECT_EQ(h["webhook_errors"]["130429"], 1) << h.dump();
  EXPECT_EQ(h["webhook_errors"]["131000"], 1);
  EXPECT_EQ(h["last_webhook_error"]["code"], "131000");
  EXPECT_EQ(h["last_webhook_error"]["details"], "Something went wrong.");
  api anyone{srv_->port(), ""};
  auto m = anyone.raw("GET", "/metrics", "", {});
  EXPECT_NE(m.body.find("atende_whatsapp_webhook_errors_total{tenant=\"acme\","
                        "channel=\"wa\",code=\"130429\"} 1"),
            std::string::npos);
}

TEST_F(WhatsappSendFlow, AStatusForAnUnknownWamidIsKeptUnmatched) {
  auto r = deliver(status_webhook("wamid.NOTOURS", "delivered"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["unrouted"], 1) << r.body;
  auto kept = as(root_token).get("/v1/webhooks/whatsapp/unrouted");
  ASSERT_EQ(kept.status, 200);
  EXPECT_NE(kept.body.dump().find("no outbound message with WhatsApp id "
                                  "'wamid.NOTOURS'"),
            std::string::npos)
    << kept.body.dump();
  api anyone{srv_->port(), ""};
  auto m = anyone.raw("GET", "/metrics", "", {});
  EXPECT_NE(m.body.find("atende_whatsapp_unrouted_items_total{type=\"message."
                        "status\"} 1"),
            std::string::npos)
    << m.body;
}

} // namespace
} // namespace atende::test

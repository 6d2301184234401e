// Meta's WhatsApp webhook over real HTTP against `atende serve`: the
// verification handshake, signed payloads from the fixtures becoming
// messages of the tenant whose channel has the number, redeliveries that
// change nothing, refused signatures that record nothing, and what cannot be
// applied kept in the unrouted list for the operator.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "gateways/crypto.h"
#include "tests/e2e/server_process.h"

namespace atende::test {
namespace {

constexpr const char* app_secret = "e2e-app-secret";
constexpr const char* verify_token = "e2e-verify-token";
constexpr const char* our_number = "220000000000001"; // the fixtures'

std::string fixture(const std::string& name) {
  std::ifstream in{std::string{ATENDE_SOURCE_DIR} + "/tests/fixtures/whatsapp/" +
                   name};
  if (!in) {
    in.open(std::string{ATENDE_SOURCE_DIR} + "/../shared/fixtures/whatsapp/" +
            name);
  }
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty()) << name;
  return s.str();
}

class WhatsappWebhookFlow : public ::testing::Test {
protected:
  void SetUp() override {
    setenv("ATENDE_WHATSAPP_APP_SECRET", app_secret, 1);
    setenv("ATENDE_WHATSAPP_VERIFY_TOKEN", verify_token, 1);
    srv_ = std::make_unique<server_process>(dir_.path());
    ASSERT_TRUE(srv_->start());
    admin_ = new_tenant(srv_->port(), "acme");
    ASSERT_FALSE(admin_.empty());
    auto a = as(admin_);
    ASSERT_EQ(a.post("/v1/teams", {{"id", "support"}, {"name", "Support"}})
                  .status,
              201);
    add_channel(a, "wa", our_number, "support");
  }
  void TearDown() override {
    unsetenv("ATENDE_WHATSAPP_APP_SECRET");
    unsetenv("ATENDE_WHATSAPP_VERIFY_TOKEN");
  }

  api as(const std::string& token) { return api{srv_->port(), token}; }

  /// deliver posts `body` as Meta does, signed with `secret`.
  api::raw_reply deliver(const std::string& body,
                         const std::string& secret = app_secret) {
    return deliver_whatsapp(srv_->port(), body, secret);
  }

  /// conversations lists the tenant's conversations (every status).
  nlohmann::json conversations() {
    auto all = nlohmann::json::array();
    for (const char* status : {"open", "finished"}) {
      auto r = as(admin_).get(std::string{"/v1/conversations?status="} + status);
      EXPECT_EQ(r.status, 200) << r.body.dump();
      for (auto& c : r.body["items"]) {
        all.push_back(c);
      }
    }
    return all;
  }

  nlohmann::json messages_of(const std::string& conversation) {
    auto r = as(admin_).get("/v1/conversations/" + conversation);
    EXPECT_EQ(r.status, 200) << r.body.dump();
    return r.body["messages"];
  }

  nlohmann::json unrouted() {
    auto r = api{srv_->port(), root_token}.get("/v1/webhooks/whatsapp/unrouted");
    EXPECT_EQ(r.status, 200) << r.body.dump();
    return r.body["items"];
  }

  temp_dir dir_;
  std::unique_ptr<server_process> srv_;
  std::string admin_;
};

TEST_F(WhatsappWebhookFlow, HandshakeEchoesTheChallengeForTheVerifyToken) {
  api anyone{srv_->port(), ""};
  auto ok = anyone.raw("GET",
                       std::string{"/v1/webhooks/whatsapp?hub.mode=subscribe&"
                                   "hub.challenge=1158201444&hub.verify_token="} +
                           verify_token,
                       "", {});
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "1158201444");
  EXPECT_NE(ok.content_type.find("text/plain"), std::string::npos);
  auto wrong = anyone.raw("GET",
                          "/v1/webhooks/whatsapp?hub.mode=subscribe&"
                          "hub.challenge=1158201444&hub.verify_token=guess",
                          "", {});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(wrong.body.find("1158201444"), std::string::npos);
}

TEST_F(WhatsappWebhookFlow, SignedTextBecomesAMessageAndARedeliveryChangesNothing) {
  auto body = fixture("inbound_text.json");
  auto r = deliver(body);
  ASSERT_EQ(r.status, 200) << r.body;
  auto reply = nlohmann::json::parse(r.body);
  EXPECT_EQ(reply["applied"], 1);
  EXPECT_EQ(reply["unrouted"], 0);
  auto convs = conversations();
  ASSERT_EQ(convs.size(), 1u) << convs.dump();
  EXPECT_EQ(convs[0]["channel"], "wa");
  auto msgs = messages_of(convs[0]["id"]);
  ASSERT_EQ(msgs.size(), 1u) << msgs.dump();
  EXPECT_EQ(msgs[0]["text"], "Oi, meu pedido ainda nao chegou");

  // Meta redelivers the same payload: same answer, nothing new.
  auto again = deliver(body);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(messages_of(convs[0]["id"]).size(), 1u);
  EXPECT_TRUE(unrouted().empty());
}

TEST_F(WhatsappWebhookFlow, WrongOrMissingSignatureIsRefusedAndRecordsNothing) {
  auto body = fixture("inbound_text.json");
  auto wrong = deliver(body, "another-secret");
  EXPECT_EQ(wrong.status, 401) << wrong.body;
  EXPECT_NE(wrong.body.find("X-Hub-Signature-256"), std::string::npos)
      << wrong.body;
  api anyone{srv_->port(), ""};
  auto missing = anyone.raw("POST", "/v1/webhooks/whatsapp", body, {});
  EXPECT_EQ(missing.status, 401) << missing.body;
  // The signature covers the exact bytes: the same JSON re-serialized fails.
  auto reformatted = nlohmann::json::parse(body).dump();
  auto signed_original = anyone.raw(
      "POST", "/v1/webhooks/whatsapp", reformatted,
      {{"X-Hub-Signature-256", "sha256=" + hmac_sha256_hex(app_secret, body)}});
  EXPECT_EQ(signed_original.status, 401);
  EXPECT_TRUE(conversations().empty());
  EXPECT_TRUE(unrouted().empty());
}

TEST_F(WhatsappWebhookFlow, MediaAndInteractiveRepliesOpenTheConversation) {
  for (const char* f : {"image_caption.json", "audio_voice.json",
                        "interactive_button_reply.json"}) {
    auto r = deliver(fixture(f));
    ASSERT_EQ(r.status, 200) << f << ": " << r.body;
    EXPECT_EQ(nlohmann::json::parse(r.body)["applied"], 1)
        << f << r.body << unrouted().dump();
  }
  auto convs = conversations();
  ASSERT_FALSE(convs.empty());
  std::vector<std::string> kinds;
  for (const auto& c : convs) {
    for (const auto& m : messages_of(c["id"])) {
      kinds.push_back(m.value("kind", ""));
    }
  }
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(kinds, (std::vector<std::string>{"audio", "image", "interactive"}));
}

/// replaced is `body` with every `from` replaced by `to`.
std::string replaced(std::string body, const std::string& from,
                     const std::string& to) {
  for (auto pos = body.find(from); pos != std::string::npos;
       pos = body.find(from, pos + to.size())) {
    body.replace(pos, from.size(), to);
  }
  return body;
}

TEST_F(WhatsappWebhookFlow, ContentRepliesAndReactionsAreKeptOnTheMessages) {
  const std::string first = "wamid.TESTINBOUND0001";
  const std::string customer = "5511987654321";
  ASSERT_EQ(deliver(fixture("inbound_text.json")).status, 200);
  // João's fixtures, as Maria's: a reaction to her first message and a reply
  // quoting it.
  auto reaction = replaced(fixture("reaction.json"), "5511976543210", customer);
  reaction = replaced(
    reaction,
    "wamid.HBgNNTUxMTk3NjU0MzIxMAFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDI=", first);
  auto reply = replaced(
    fixture("text_reply_context.json"),
    "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDE=", first);
  for (const auto& body : {reaction, reply, fixture("image_caption.json"),
                           fixture("location.json")}) {
    auto r = deliver(body);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(nlohmann::json::parse(r.body)["applied"], 1) << r.body;
  }
  auto convs = conversations();
  ASSERT_EQ(convs.size(), 1u) << convs.dump();
  auto ms = messages_of(convs[0]["id"]);
  ASSERT_EQ(ms.size(), 4u) << ms.dump(2);
  EXPECT_EQ(ms[0]["reactions"].size(), 1u) << ms[0].dump();
  EXPECT_EQ(ms[0]["reactions"][0]["by"], "customer");
  EXPECT_EQ(ms[0]["reactions"][0]["emoji"], "👍");
  EXPECT_EQ(ms[1]["reply_to"], ms[0]["id"]);
  EXPECT_EQ(ms[2]["kind"], "image");
  EXPECT_FALSE(ms[2]["media"].value("provider_id", "").empty()) << ms[2].dump();
  EXPECT_FALSE(ms[2]["media"].value("caption", "").empty()) << ms[2].dump();
  EXPECT_EQ(ms[3]["kind"], "location");
  EXPECT_TRUE(ms[3]["location"]["latitude"].is_number()) << ms[3].dump();
  // A removal (empty emoji) takes the reaction away.
  auto removal = replaced(
    replaced(fixture("reaction_removed.json"), "5511976543210", customer),
    "wamid.HBgNNTUxMTk3NjU0MzIxMAFQIAERgSM0VCMDAwMDAwMDAwMDAwMDAwMDI=", first);
  ASSERT_EQ(deliver(removal).status, 200);
  EXPECT_FALSE(messages_of(convs[0]["id"])[0].contains("reactions"));
}

TEST_F(WhatsappWebhookFlow, AnUnknownNumberIsKeptForTheOperatorAndStillAnswered200) {
  auto body = fixture("inbound_text.json");
  auto pos = body.find(our_number);
  ASSERT_NE(pos, std::string::npos);
  body.replace(pos, std::string{our_number}.size(), "999999999999999");
  auto r = deliver(body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(nlohmann::json::parse(r.body)["unrouted"], 1);
  EXPECT_TRUE(conversations().empty());
  auto items = unrouted();
  ASSERT_EQ(items.size(), 1u) << items.dump();
  EXPECT_EQ(items[0]["items"][0]["phone_number_id"], "999999999999999");
  EXPECT_NE(items[0]["items"][0]["reason"].get<std::string>().find(
                "999999999999999"),
            std::string::npos);
  EXPECT_EQ(items[0]["payload"], nlohmann::json::parse(body));
  // Only the root token reads it; it survives a restart.
  EXPECT_EQ(as(admin_).get("/v1/webhooks/whatsapp/unrouted").status, 403);
  srv_->kill9();
  srv_ = std::make_unique<server_process>(dir_.path());
  ASSERT_TRUE(srv_->start());
  EXPECT_EQ(unrouted().size(), 1u);
}

TEST_F(WhatsappWebhookFlow, WhatCannotBeAppliedYetIsKeptWithItsReason) {
  // A status of a message atende does not know, and a template update.
  for (const char* f : {"status_delivered.json", "template_status_approved.json"}) {
    auto r = deliver(fixture(f));
    ASSERT_EQ(r.status, 200) << f << ": " << r.body;
    EXPECT_EQ(nlohmann::json::parse(r.body)["unrouted"], 1) << f << r.body;
  }
  auto items = unrouted();
  ASSERT_EQ(items.size(), 2u) << items.dump();
  EXPECT_EQ(items[0]["items"][0]["type"], "template.status");
  EXPECT_EQ(items[1]["items"][0]["type"], "message.status");
  EXPECT_FALSE(items[1]["items"][0]["reason"].get<std::string>().empty());
}

TEST_F(WhatsappWebhookFlow, ATemplateUpdateAppliesToTheChannelsOfItsAccount) {
  auto a = as(admin_);
  // A second number of the same account, and a third of another account.
  add_channel(a, "wa2", "220000000000002", "support");
  add_channel(a, "other", "220000000000003", "support");
  for (auto [id, waba] : {std::pair{"wa", "310000000000001"},
                          std::pair{"wa2", "310000000000001"},
                          std::pair{"other", "399999999999999"}}) {
    auto r = a.call("PATCH", std::string{"/v1/channels/"} + id,
                    {{"waba_id", waba}});
    ASSERT_EQ(r.status, 200) << r.body.dump();
    EXPECT_EQ(r.body["waba_id"], waba);
  }
  for (const char* ch : {"wa", "wa2", "other"}) {
    auto r = a.post("/v1/templates", {{"id", std::string{"t-"} + ch},
                                      {"channel", ch},
                                      {"name", "retomada_atendimento"},
                                      {"language", "pt_BR"},
                                      {"body", "Oi {{1}}"},
                                      {"status", "pending"}});
    ASSERT_EQ(r.status, 201) << r.body.dump();
  }
  auto body = fixture("template_status_approved.json");
  auto r = deliver(body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(nlohmann::json::parse(r.body)["applied"], 2)
      << r.body << unrouted().dump();
  auto status = [&](const char* id) {
    return a.get(std::string{"/v1/templates/"} + id).body.value("status", "");
  };
  EXPECT_EQ(status("t-wa"), "approved");
  EXPECT_EQ(status("t-wa2"), "approved");
  EXPECT_EQ(status("t-other"), "pending");
  EXPECT_TRUE(unrouted().empty());
  // Meta delivers it again: nothing changes.
  r = deliver(body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(unrouted().empty());
}

/// customer_text is Meta's inbound text fixture with wamid `wamid` and body
/// `text`.
std::string customer_text(const std::string& wamid, const std::string& text) {
  auto body = replaced(fixture("inbound_text.json"), "wamid.TESTINBOUND0001",
                       wamid);
  return replaced(body, "Oi, meu pedido ainda nao chegou", text);
}

TEST_F(WhatsappWebhookFlow, EmojiAndRightToLeftTextArriveUnchanged) {
  const std::string text = "مرحبا 👋🏽 שלום — pedido nº 42 ✅";
  auto r = deliver(customer_text("wamid.RTL1", text));
  ASSERT_EQ(r.status, 200) << r.body;
  auto convs = conversations();
  ASSERT_EQ(convs.size(), 1u);
  EXPECT_EQ(messages_of(convs[0]["id"])[0]["text"], text);
  EXPECT_EQ(convs[0]["last_message"]["text"], text);
}

TEST_F(WhatsappWebhookFlow, BadBodiesAreRefusedAndRecordNothing) {
  auto body = fixture("inbound_text.json");
  // Truncated JSON.
  auto r = deliver(body.substr(0, body.size() / 2));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], "malformed")
      << r.body;
  // Another product's webhook.
  r = deliver(replaced(body, "whatsapp_business_account", "page"));
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["field"], "object")
      << r.body;
  EXPECT_TRUE(conversations().empty());
  EXPECT_TRUE(unrouted().empty());
}

TEST_F(WhatsappWebhookFlow, AHugeBodyIs413AndRecordsNothing) {
  srv_ = std::make_unique<server_process>(dir_.path());
  setenv("ATENDE_HTTP_MAX_BODY_BYTES", "65536", 1);
  ASSERT_TRUE(srv_->start());
  unsetenv("ATENDE_HTTP_MAX_BODY_BYTES");
  auto r = deliver(customer_text("wamid.HUGE1", std::string(100'000, 'a')));
  EXPECT_EQ(r.status, 413) << r.body.substr(0, 200);
  EXPECT_TRUE(conversations().empty());
  EXPECT_TRUE(unrouted().empty());
}

TEST_F(WhatsappWebhookFlow, AKillDuringAWebhookBurstLosesNothingAcknowledged) {
  // A poster delivers distinct messages until the server dies under it.
  std::vector<int> acked;
  std::atomic<int> count{0};
  std::thread poster([&] {
    for (int i = 0; i < 2000; ++i) {
      auto r = deliver(customer_text("wamid.BURST" + std::to_string(i),
                                     "burst " + std::to_string(i)));
      if (r.status != 200) {
        return; // the server is gone
      }
      acked.push_back(i);
      count.store(static_cast<int>(acked.size()));
    }
  });
  while (count.load() < 40) {
    std::this_thread::yield();
  }
  srv_->kill9();
  poster.join();
  ASSERT_GE(acked.size(), 40u);
  srv_ = std::make_unique<server_process>(dir_.path());
  ASSERT_TRUE(srv_->start());
  auto texts = [&] {
    std::multiset<std::string> out;
    for (const auto& c : conversations()) {
      for (const auto& m : messages_of(c["id"])) {
        out.insert(m.value("text", ""));
      }
    }
    return out;
  };
  auto after_crash = texts();
  for (int i : acked) {
    EXPECT_EQ(after_crash.count("burst " + std::to_string(i)), 1u) << i;
  }
  // Meta delivers everything again, the acknowledged ones included: each
  // message is there once.
  const int sent = acked.back() + 2; // the one that may have been cut off
  for (int i = 0; i < sent; ++i) {
    auto r = deliver(customer_text("wamid.BURST" + std::to_string(i),
                                   "burst " + std::to_string(i)));
    ASSERT_EQ(r.status, 200) << r.body;
  }
  auto all = texts();
  EXPECT_EQ(all.size(), static_cast<std::size_t>(sent));
  for (int i = 0; i < sent; ++i) {
    EXPECT_EQ(all.count("burst " + std::to_string(i)), 1u) << i;
  }
}

TEST_F(WhatsappWebhookFlow, ABodyNotInMetasFormatIs400NamingTheField) {
  auto body = R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{}}}]}]})";
  auto r = deliver(body);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("entry[0].changes[0].value.metadata.phone_number_id"),
            std::string::npos)
      << r.body;
}

} // namespace
} // namespace atende::test

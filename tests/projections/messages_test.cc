// Messages in the views: delivery statuses and the send_failed list, the
// 24-hour window of a (contact, channel), automation and template messages.
#include <gtest/gtest.h>

#include "tests/projections/builders.h"

namespace atende::testing {
namespace {

using nlohmann::json;
using strings = std::vector<std::string>;

constexpr timestamp hour_ms = 60LL * 60 * 1000;

class Messages : public ::testing::Test {
protected:
  void SetUp() override {
    h.tenant("boss", "hash-boss")
      .team("sales")
      .channel("wa", "sales")
      .channel("ig", "sales")
      .agent("ana", {"sales"})
      .contact("c1", "Maria", "5531988887777")
      .contact("c2", "Jose", "5511988880000")
      .reason("done");
    v.apply(h.take());
  }

  conversation_page query(const std::string& status,
                          const std::string& sort = "recent") {
    auto r = v.conversations(boss, {.status = status, .sort = sort});
    EXPECT_TRUE(r) << r.error().field << ": " << r.error().message;
    return r ? *r : conversation_page{};
  }

  strings list(const std::string& status) { return ids(query(status).items); }

  json object(const std::string& id, timestamp now = 0) {
    auto obj = v.conversation_object("acme", id, now);
    EXPECT_TRUE(obj) << id;
    return obj ? *obj : json{};
  }

  json detail(const std::string& id, timestamp now = 0) {
    auto got = v.conversation(boss, id, now);
    EXPECT_TRUE(got) << id;
    return got ? *got : json{};
  }

  history h{"acme"};
  views v;
  principal boss = admin_of("acme", "boss");
};

TEST_F(Messages, SendFailedLandsInTheListAndLeavesItWhenALaterSendSucceeds) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10))
            .receive("k1", "m1", "oi", at_s(10))
            .assign("k1", "ana", at_s(20))
            .send("k1", "m2", "ana", "bom dia", at_s(30))
            .take());
  EXPECT_EQ(list("awaiting_customer"), strings{"k1"});
  EXPECT_EQ(list("send_failed"), strings{});

  v.apply(h.delivery("k1", "m2", "failed", at_s(40), "131026",
                     "Message undeliverable")
            .take());
  auto failed = query("send_failed");
  EXPECT_EQ(ids(failed.items), strings{"k1"});
  EXPECT_EQ(failed.all, 1U);
  EXPECT_EQ(list("awaiting_customer"), strings{});
  auto obj = object("k1");
  EXPECT_TRUE(obj["send_failed"]);
  EXPECT_FALSE(obj["awaiting_customer"]);

  v.apply(h.send("k1", "m3", "ana", "de novo", at_s(50)).take());
  failed = query("send_failed");
  EXPECT_EQ(ids(failed.items), strings{});
  EXPECT_EQ(failed.all, 0U);
  EXPECT_EQ(list("awaiting_customer"), strings{"k1"});
  obj = object("k1");
  EXPECT_FALSE(obj["send_failed"]);
  EXPECT_TRUE(obj["awaiting_customer"]);
}

TEST_F(Messages, OnlyTheLastOutboundMessageFailingCounts) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10))
            .assign("k1", "ana", at_s(20))
            .send("k1", "m1", "ana", "um", at_s(30))
            .send("k1", "m2", "ana", "dois", at_s(31))
            .delivery("k1", "m1", "failed", at_s(40), "131026", "x")
            .take());
  EXPECT_EQ(list("send_failed"), strings{});
  EXPECT_EQ(list("awaiting_customer"), strings{"k1"});
  // The customer's reply does not undo the failure of our last message.
  v.apply(h.delivery("k1", "m2", "failed", at_s(41), "131026", "x")
            .receive("k1", "m3", "?", at_s(50))
            .take());
  EXPECT_EQ(list("send_failed"), strings{"k1"});
  EXPECT_EQ(list("awaiting_customer"), strings{});
}

TEST_F(Messages, StatusesDoNotReorderTheInbox) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10))
            .assign("k1", "ana", at_s(20))
            .send("k1", "m1", "ana", "oi", at_s(30))
            .open("k2", "c2", "wa", "sales", at_s(40))
            .take());
  ASSERT_EQ(list("open"), (strings{"k2", "k1"}));
  v.apply(h.delivery("k1", "m1", "sent", at_s(50))
            .delivery("k1", "m1", "delivered", at_s(60))
            .delivery("k1", "m1", "read", at_s(70))
            .take());
  EXPECT_EQ(list("open"), (strings{"k2", "k1"}));
  EXPECT_EQ(ids(query("open", "oldest").items), (strings{"k1", "k2"}));
  auto obj = object("k1");
  EXPECT_EQ(obj["last_activity_at"], "2026-11-21T13:00:30.000Z");
  EXPECT_EQ(obj["last_message"]["status"], "read");

  // A failure moves the conversation into send_failed, not up the inbox.
  v.apply(h.send("k1", "m2", "ana", "?", at_s(80))
            .open("k3", "c2", "ig", "sales", at_s(90))
            .delivery("k1", "m2", "failed", at_s(100), "131026", "x")
            .take());
  EXPECT_EQ(list("open"), (strings{"k3", "k1", "k2"}));
  EXPECT_EQ(list("send_failed"), strings{"k1"});
  EXPECT_EQ(object("k1")["last_activity_at"], "2026-11-21T13:01:20.000Z");
}

TEST_F(Messages, WindowIsPerChannelAndContactAcrossConversations) {
  timestamp inbound = at_s(0);
  v.apply(h.open("k1", "c1", "wa", "sales", inbound)
            .receive("k1", "m1", "oi", inbound)
            .finish("k1", "done", "", inbound + 60000)
            .open("k2", "c1", "wa", "sales", inbound + 2 * hour_ms)
            .open("k3", "c1", "ig", "sales", inbound + 2 * hour_ms)
            .take());
  timestamp now = inbound + 2 * hour_ms;

  auto same_channel = object("k2", now);
  EXPECT_EQ(same_channel["window_expires_at"], "2026-11-22T13:00:00.000Z");
  EXPECT_FALSE(same_channel["composer_locked"]);
  auto other_channel = object("k3", now);
  EXPECT_TRUE(other_channel["window_expires_at"].is_null());
  EXPECT_TRUE(other_channel["composer_locked"]);

  // The detail and the list render with the reader's clock too.
  EXPECT_FALSE(detail("k2", now)["composer_locked"]);
  auto page = v.conversations(boss, {}, now);
  ASSERT_TRUE(page);
  for (const auto& item : page->items.items) {
    EXPECT_EQ(item["composer_locked"], item["id"] != "k2") << item["id"];
  }

  // The window closes 24 h after the customer wrote.
  timestamp expiry = inbound + 24 * hour_ms;
  EXPECT_FALSE(object("k2", expiry - 1)["composer_locked"]);
  EXPECT_TRUE(object("k2", expiry)["composer_locked"]);
  EXPECT_EQ(object("k2", expiry)["window_expires_at"],
            "2026-11-22T13:00:00.000Z");
}

TEST_F(Messages, AFailureWith131047LocksTheComposer) {
  timestamp inbound = at_s(0);
  v.apply(h.open("k1", "c1", "wa", "sales", inbound)
            .receive("k1", "m1", "oi", inbound)
            .assign("k1", "ana", inbound + 1000)
            .send("k1", "m2", "ana", "bom dia", inbound + hour_ms)
            .take());
  timestamp now = inbound + 2 * hour_ms;
  EXPECT_FALSE(object("k1", now)["composer_locked"]);

  // Another error code leaves the window open.
  v.apply(h.delivery("k1", "m2", "failed", inbound + hour_ms + 1000, "131026",
                     "Message undeliverable")
            .send("k1", "m3", "ana", "de novo", inbound + hour_ms + 2000)
            .take());
  EXPECT_FALSE(object("k1", now)["composer_locked"]);

  v.apply(h.delivery("k1", "m3", "failed", inbound + hour_ms + 3000, "131047",
                     "Re-engagement message")
            .take());
  auto obj = object("k1", now);
  EXPECT_TRUE(obj["window_expires_at"].is_null());
  EXPECT_TRUE(obj["composer_locked"]);
  // It closes the window of the pair, for every conversation of it.
  v.apply(h.finish("k1", "done", "", now)
            .open("k2", "c1", "wa", "sales", now)
            .take());
  EXPECT_TRUE(object("k2", now)["composer_locked"]);

  // The customer writing again opens it again.
  v.apply(h.receive("k2", "m4", "oi?", now + 1000).take());
  obj = object("k2", now + 2000);
  EXPECT_EQ(obj["window_expires_at"], "2026-11-22T15:00:01.000Z");
  EXPECT_FALSE(obj["composer_locked"]);
}

TEST_F(Messages, AutomationMessagesFillTheAutomationList) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10))
            .open("k2", "c2", "wa", "sales", at_s(11))
            .automation_message("k1", "m1", "welcome", "Olá! Como ajudar?",
                                at_s(20))
            .take());
  auto automated = query("automation");
  EXPECT_EQ(ids(automated.items), strings{"k1"});
  EXPECT_EQ(automated.all, 1U);
  EXPECT_EQ(automated.unassigned, 1U);
  auto obj = object("k1");
  EXPECT_TRUE(obj["automation"]);
  EXPECT_EQ(obj["last_activity_at"], "2026-11-21T13:00:20.000Z");
  EXPECT_EQ(obj["last_message"],
            (json{{"id", "m1"}, {"direction", "out"}, {"kind", "automation"},
                  {"automation", "welcome"}, {"text", "Olá! Como ajudar?"},
                  {"at", "2026-11-21T13:00:20.000Z"}, {"status", "sent"}}));
  EXPECT_FALSE(object("k2")["automation"]);
  // It is an activity: k1 is now the most recent.
  EXPECT_EQ(list("open"), (strings{"k1", "k2"}));

  // Assigned, it stays in the list until it is finished.
  v.apply(h.assign("k1", "ana", at_s(30))
            .receive("k1", "m2", "quero ajuda", at_s(40))
            .take());
  EXPECT_EQ(list("automation"), strings{"k1"});
  v.apply(h.finish("k1", "done", "", at_s(50)).take());
  EXPECT_EQ(list("automation"), strings{});
  EXPECT_EQ(query("automation").all, 0U);
}

TEST_F(Messages, AnAutomationMessageIsTheLastOutboundOne) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10))
            .assign("k1", "ana", at_s(20))
            .send("k1", "m1", "ana", "oi", at_s(30))
            .delivery("k1", "m1", "failed", at_s(31), "131026", "x")
            .take());
  EXPECT_EQ(list("send_failed"), strings{"k1"});
  v.apply(h.automation_message("k1", "m2", "survey", "Nota?", at_s(40))
            .take());
  EXPECT_EQ(list("send_failed"), strings{});
  EXPECT_EQ(list("awaiting_customer"), strings{"k1"});
  v.apply(h.delivery("k1", "m2", "failed", at_s(41), "131026", "x").take());
  EXPECT_EQ(list("send_failed"), strings{"k1"});
}

TEST_F(Messages, MessagesShowTemplateAndError) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10))
            .receive("k1", "m1", "oi", at_s(10))
            .assign("k1", "ana", at_s(20))
            .send_template("k1", "m2", "ana", "promo", "pt_BR",
                           {"Maria", "10%"}, "Oi Maria, 10% hoje", at_s(30))
            .send("k1", "m3", "ana", "e então?", at_s(40))
            .delivery("k1", "m2", "delivered", at_s(41))
            .delivery("k1", "m3", "failed", at_s(42), "131026",
                      "Message undeliverable")
            .take());
  auto got = detail("k1");
  const auto& messages = got["messages"];
  ASSERT_EQ(messages.size(), 3U);
  EXPECT_EQ(messages[0],
            (json{{"id", "m1"}, {"direction", "in"}, {"kind", "text"},
                  {"text", "oi"}, {"at", "2026-11-21T13:00:10.000Z"},
                  {"status", "received"}}));
  EXPECT_EQ(messages[1],
            (json{{"id", "m2"}, {"direction", "out"}, {"kind", "template"},
                  {"text", "Oi Maria, 10% hoje"},
                  {"at", "2026-11-21T13:00:30.000Z"}, {"status", "delivered"},
                  {"template",
                   {{"name", "promo"},
                    {"language", "pt_BR"},
                    {"params", {"Maria", "10%"}}}}}));
  json failed = {{"id", "m3"},
                 {"direction", "out"},
                 {"kind", "text"},
                 {"text", "e então?"},
                 {"at", "2026-11-21T13:00:40.000Z"},
                 {"status", "failed"},
                 {"error",
                  {{"code", "131026"}, {"title", "Message undeliverable"}}}};
  EXPECT_EQ(messages[2], failed);
  EXPECT_EQ(got["last_message"], failed);
}

TEST_F(Messages, ATemplateWithoutParamsShowsAnEmptyList) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10))
            .assign("k1", "ana", at_s(20))
            .send_template("k1", "m1", "ana", "hello", "en", {}, "Hello!",
                           at_s(30))
            .take());
  EXPECT_EQ(object("k1")["last_message"]["template"],
            (json{{"name", "hello"}, {"language", "en"},
                  {"params", json::array()}}));
  EXPECT_EQ(object("k1")["last_message"]["status"], "pending");
}

TEST_F(Messages, StatusOfAnUnknownMessageChangesNothing) {
  v.apply(h.open("k1", "c1", "wa", "sales", at_s(10))
            .assign("k1", "ana", at_s(20))
            .send("k1", "m1", "ana", "oi", at_s(30))
            .delivery("k1", "nope", "failed", at_s(40), "131026", "x")
            .delivery("nope", "m1", "failed", at_s(40), "131026", "x")
            .take());
  EXPECT_EQ(list("send_failed"), strings{});
  EXPECT_EQ(object("k1")["last_message"]["status"], "pending");
}

} // namespace
} // namespace atende::testing

// A message that is more than text in the views: its content (media,
// location, contacts, interactive replies, …) shown as the message's own
// keys, the quoted message resolved to atende's id, and the customer's
// reactions on the message they name.
#include <gtest/gtest.h>

#include "events/json_text.h"
#include "tests/projections/builders.h"

namespace atende::testing {
namespace {

using nlohmann::json;

class MessageContent : public ::testing::Test {
protected:
  void SetUp() override {
    h.tenant("boss", "hash-boss")
      .team("sales")
      .channel("wa", "sales")
      .agent("ana", {"sales"})
      .contact("c1", "Maria", "5531988887777")
      .reason("done");
    v.apply(h.take());
  }

  json messages(const std::string& conv) {
    auto got = v.conversation(boss, conv);
    EXPECT_TRUE(got) << conv;
    return got ? (*got)["messages"] : json::array();
  }

  json last_message(const std::string& conv) {
    auto obj = v.conversation_object("acme", conv);
    EXPECT_TRUE(obj) << conv;
    return obj ? (*obj)["last_message"] : json{};
  }

  history h{"acme"};
  views v;
  principal boss = admin_of("acme", "boss");
};

TEST_F(MessageContent, MediaIsShownWithTheProvidersIdAsProviderId) {
  v.apply(h.open("k1", "c1", "wa", "sales", 10'000)
            .receive_content("k1", "m1", "audio", "",
                             {{"media",
                               {{"id", "1013859600285441"},
                                {"mime_type", "audio/ogg; codecs=opus"},
                                {"sha256", "abc"},
                                {"voice", true}}}},
                             10'000)
            .take());
  auto m = messages("k1")[0];
  EXPECT_EQ(m["kind"], "audio");
  EXPECT_EQ(m["media"],
            (json{{"provider_id", "1013859600285441"},
                  {"mime_type", "audio/ogg; codecs=opus"},
                  {"sha256", "abc"},
                  {"voice", true}}));
  EXPECT_EQ(last_message("k1"), m);
}

TEST_F(MessageContent, LocationContactsAndInteractiveAreTheMessagesOwnKeys) {
  json location{{"latitude", -23.5505}, {"longitude", -46.6333},
                {"name", "Loja Centro"}};
  json contacts = json::array(
    {{{"name", "João"}, {"phones", json::array({{{"phone", "+55 11 9999"}}})}}});
  json interactive{{"type", "button_reply"}, {"id", "yes"}, {"title", "Sim"}};
  v.apply(h.open("k1", "c1", "wa", "sales", 10'000)
            .receive_content("k1", "m1", "location", "",
                             {{"location", location}}, 10'000)
            .receive_content("k1", "m2", "contacts", "",
                             {{"contacts", contacts}}, 11'000)
            .receive_content("k1", "m3", "interactive", "Sim",
                             {{"interactive", interactive},
                              {"forwarded", true}},
                             12'000)
            .take());
  auto ms = messages("k1");
  ASSERT_EQ(ms.size(), 3U);
  EXPECT_EQ(ms[0]["location"], location);
  EXPECT_EQ(ms[1]["contacts"], contacts);
  EXPECT_EQ(ms[2]["interactive"], interactive);
  EXPECT_EQ(ms[2]["forwarded"], true);
  EXPECT_EQ(ms[2]["text"], "Sim");
}

TEST_F(MessageContent, ReplyToIsTheQuotedMessagesIdInAtende) {
  v.apply(h.open("k1", "c1", "wa", "sales", 10'000)
            .receive("k1", "m1", "quero o plano", 10'000)
            .receive_content("k1", "m2", "text", "esse aqui",
                             {{"reply_to", "wamid.m1"}}, 11'000)
            .take());
  auto ms = messages("k1");
  EXPECT_EQ(ms[1]["reply_to"], "m1");
  EXPECT_FALSE(ms[0].contains("reply_to"));
}

TEST_F(MessageContent, ReplyToAMessageAtendeDoesNotKnowIsLeftOut) {
  v.apply(h.open("k1", "c1", "wa", "sales", 10'000)
            .receive_content("k1", "m1", "text", "e isso?",
                             {{"reply_to", "wamid.unknown"}}, 10'000)
            .take());
  auto m = messages("k1")[0];
  EXPECT_FALSE(m.contains("reply_to"));
  EXPECT_EQ(m["text"], "e isso?");
}

TEST_F(MessageContent, ReplyToFindsAMessageOfAnEarlierConversation) {
  v.apply(h.open("k1", "c1", "wa", "sales", 10'000)
            .receive("k1", "m1", "oi", 10'000)
            .finish("k1", "done", "", 20'000)
            .open("k2", "c1", "wa", "sales", 30'000)
            .receive_content("k2", "m2", "text", "sobre aquilo",
                             {{"reply_to", "wamid.m1"}}, 30'000)
            .take());
  EXPECT_EQ(messages("k2")[0]["reply_to"], "m1");
}

TEST_F(MessageContent, ACustomersReactionLandsOnTheMessageItNames) {
  v.apply(h.open("k1", "c1", "wa", "sales", 10'000)
            .receive("k1", "m1", "oi", 10'000)
            .reaction("k1", "m2", "m1", "👍", 11'000)
            .take());
  auto ms = messages("k1");
  ASSERT_EQ(ms.size(), 1U);
  EXPECT_EQ(ms[0]["reactions"],
            json::array({{{"at", "1970-01-01T00:00:11.000Z"},
                          {"by", "customer"},
                          {"emoji", "👍"}}}));
}

TEST_F(MessageContent, ALaterReactionReplacesTheCustomersEarlierOne) {
  v.apply(h.open("k1", "c1", "wa", "sales", 10'000)
            .receive("k1", "m1", "oi", 10'000)
            .reaction("k1", "m2", "m1", "👍", 11'000)
            .reaction("k1", "m3", "m1", "❤️", 12'000)
            .take());
  auto reactions = messages("k1")[0]["reactions"];
  ASSERT_EQ(reactions.size(), 1U);
  EXPECT_EQ(reactions[0]["emoji"], "❤️");
}

TEST_F(MessageContent, AnEmptyEmojiRemovesTheCustomersReaction) {
  v.apply(h.open("k1", "c1", "wa", "sales", 10'000)
            .receive("k1", "m1", "oi", 10'000)
            .reaction("k1", "m2", "m1", "👍", 11'000)
            .reaction("k1", "m3", "m1", "", 12'000)
            .take());
  auto ms = messages("k1");
  ASSERT_EQ(ms.size(), 1U);
  EXPECT_FALSE(ms[0].contains("reactions"));
}

TEST_F(MessageContent, AReactionToAnUnknownMessageStaysAMessageOfItsOwn) {
  v.apply(h.open("k1", "c1", "wa", "sales", 10'000)
            .reaction("k1", "m1", "gone", "😂", 10'000)
            .take());
  auto ms = messages("k1");
  ASSERT_EQ(ms.size(), 1U);
  EXPECT_EQ(ms[0]["kind"], "reaction");
  EXPECT_EQ(ms[0]["reaction"],
            (json{{"message_id", "wamid.gone"}, {"emoji", "😂"}}));
}

TEST_F(MessageContent, AReactionIsTheCustomersActivity) {
  v.apply(h.open("k1", "c1", "wa", "sales", 10'000)
            .receive("k1", "m1", "oi", 10'000)
            .assign("k1", "ana", 11'000)
            .send("k1", "m2", "ana", "posso ajudar?", 12'000)
            .take());
  auto before = v.conversation_object("acme", "k1");
  ASSERT_TRUE(before);
  EXPECT_EQ((*before)["awaiting_customer"], true);
  v.apply(h.reaction("k1", "m3", "m1", "👍", 13'000)
            .take());
  auto after = v.conversation_object("acme", "k1");
  ASSERT_TRUE(after);
  EXPECT_EQ((*after)["awaiting_customer"], false);
  EXPECT_EQ((*after)["last_activity_at"], "1970-01-01T00:00:13.000Z");
  EXPECT_EQ((*after)["last_message"]["id"], "m2");
}

TEST_F(MessageContent, AMessageWithContentRendersAsTextAsItDoesAsAValue) {
  v.apply(h.open("k1", "c1", "wa", "sales", 10'000)
            .receive("k1", "m1", "oi", 10'000)
            .receive_content(
              "k1", "m2", "image", "",
              {{"media", {{"id", "77"}, {"mime_type", "image/jpeg"},
                          {"caption", "olha \"isso\" 🙂"}}},
               {"reply_to", "wamid.m1"},
               {"referral", {{"source_url", "https://fb.me/x"}}},
               {"errors", json::array({{{"code", 131051}}})},
               {"unsupported", {{"type", "poll"}}},
               {"contacts", json::array()}},
              11'000)
            .reaction("k1", "m3", "m2", "🔥", 12'000)
            .take());
  auto values = v.conversations(boss, {.status = "open"}, 0, rendering::json);
  auto text = v.conversations(boss, {.status = "open"}, 0, rendering::text);
  ASSERT_TRUE(values && text);
  ASSERT_EQ(values->items.items.size(), 1U);
  EXPECT_EQ(text->items_text, json_text(values->items.items[0]));
  auto last = values->items.items[0]["last_message"];
  EXPECT_EQ(last["reply_to"], "m1");
  EXPECT_EQ(last["reactions"][0]["emoji"], "🔥");
  EXPECT_EQ(last["media"]["caption"], "olha \"isso\" 🙂");
}


TEST_F(MessageContent, AFailedFetchShowsAsMediaErrorUntilTheMediaIsStored) {
  v.apply(h.open("k1", "c1", "wa", "sales", 10'000)
            .receive_content("k1", "m1", "image", "",
                             {{"media",
                               {{"id", "1013859600285441"},
                                {"mime_type", "image/jpeg"}}}},
                             10'000)
            .add(message_media_changed{"k1", "m1", nullptr, "190",
                                       "invalid token"},
                 11'000, "rule:media")
            .take());
  auto media = messages("k1")[0]["media"];
  EXPECT_EQ(media["error"], (json{{"code", "190"}, {"title", "invalid token"}}));
  EXPECT_FALSE(media.contains("id"));
  const std::string id(64, 'c');
  v.apply(h.add(message_media_changed{"k1", "m1",
                                      {{"id", id},
                                       {"mime_type", "image/jpeg"},
                                       {"size", 2048},
                                       {"sha256", id}},
                                      "", ""},
                12'000, "rule:media")
            .take());
  media = messages("k1")[0]["media"];
  EXPECT_EQ(media["id"], id);
  EXPECT_EQ(media["size"], 2048);
  EXPECT_EQ(media["provider_id"], "1013859600285441");
  EXPECT_FALSE(media.contains("error"));
  // A late error changes nothing once it is stored.
  v.apply(h.add(message_media_changed{"k1", "m1", nullptr, "x", "late"},
                13'000, "rule:media")
            .take());
  EXPECT_FALSE(messages("k1")[0]["media"].contains("error"));
  EXPECT_TRUE(v.sees_media(boss, id));
  EXPECT_FALSE(v.sees_media(admin_of("other", "boss"), id));
}

TEST_F(MessageContent, AnAgentsMediaReplyAndReactionAreShown) {
  const std::string id(64, 'd');
  v.apply(
    h.open("k1", "c1", "wa", "sales", 10'000)
      .receive("k1", "m1", "manda a foto", 10'000)
      .add(message_sent{.conversation = "k1",
                        .message_id = "m2",
                        .agent = "ana",
                        .kind = "image",
                        .text = "",
                        .idempotency_key = {},
                        .content = {{"media",
                                     {{"id", id},
                                      {"mime_type", "image/png"},
                                      {"size", 10},
                                      {"sha256", id},
                                      {"caption", "aqui"}}},
                                    {"reply_to", "m1"},
                                    {"reply_to_provider", "wamid.m1"}}},
           11'000, "agent:ana")
      .add(message_sent{.conversation = "k1",
                        .message_id = "m3",
                        .agent = "ana",
                        .kind = "reaction",
                        .text = "",
                        .idempotency_key = {},
                        .content = {{"reaction",
                                     {{"message_id", "m1"},
                                      {"emoji", "🙏"},
                                      {"provider_id", "wamid.m1"}}}}},
           12'000, "agent:ana")
      .take());
  auto ms = messages("k1");
  ASSERT_EQ(ms.size(), 2U); // the reaction is on m1, not a message
  EXPECT_EQ(ms[0]["reactions"][0]["by"], "ana");
  EXPECT_EQ(ms[0]["reactions"][0]["emoji"], "🙏");
  EXPECT_EQ(ms[1]["kind"], "image");
  EXPECT_EQ(ms[1]["reply_to"], "m1");
  EXPECT_EQ(ms[1]["media"]["id"], id);
  EXPECT_EQ(ms[1]["media"]["caption"], "aqui");
  EXPECT_FALSE(ms[1].contains("reply_to_provider"));
  EXPECT_TRUE(v.sees_media(boss, id));
}

} // namespace
} // namespace atende::testing

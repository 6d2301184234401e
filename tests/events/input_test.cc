#include "events/input.h"

#include <gtest/gtest.h>

#include "tests/events/input_helpers.h"
#include "tests/events/samples.h"

namespace atende {
namespace {

using nlohmann::json;
using testing::command;
using testing::envelope;
using testing::expect_error;
using testing::text_message;

TEST(InputDecode, EveryTypeRoundTrips) {
  auto inputs = testing::sample_inputs();
  ASSERT_EQ(inputs.size(), std::variant_size_v<input_data>);
  for (const auto& in : inputs) {
    auto back = decode_input(encode_input(in), input_scope::any);
    ASSERT_TRUE(back) << in.type() << ": " << back.error().message;
    EXPECT_EQ(*back, in) << in.type() << " " << encode_input(in).dump();
  }
}

TEST(InputDecode, EveryTypeRoundTripsThroughText) {
  for (const auto& in : testing::sample_inputs()) {
    auto back = decode_input_text(encode_input(in).dump(), input_scope::any);
    ASSERT_TRUE(back) << in.type() << ": " << back.error().message;
    EXPECT_EQ(*back, in) << in.type();
  }
}

TEST(InputDecode, SparseInputsRoundTrip) {
  auto inputs = testing::sample_inputs();
  inputs[0].data = message_received_in{
    "wa", "5531988887777", "", "w", "image", "", "https://x/y.jpg", nullptr};
  inputs[1].data = message_status_in{"wa", "m", "read", "", "", ""};
  inputs[4].data = conversation_route_in{"wa", "c", "sales", ""};
  inputs[5].data = contact_upsert_in{"5531988887777", std::nullopt,
                                     std::vector<std::string>{}, "",
                                     std::vector<std::string>{"a", "b"}};
  inputs[17].data = conversation_assign{"cv", ""};
  inputs[18].data = conversation_send{"cv", "hi", "", std::nullopt, nullptr};
  inputs[19].data = conversation_transfer{"cv", "bia", "", ""};
  inputs[20].data = conversation_finish{"cv", "", ""};
  inputs[20].actor = "root";
  for (const auto& in : inputs) {
    auto back = decode_input(encode_input(in), input_scope::any);
    ASSERT_TRUE(back) << in.type() << ": " << back.error().message;
    EXPECT_EQ(*back, in) << in.type() << " " << encode_input(in).dump();
  }
}

TEST(InputDecode, EnvelopeWithoutActorReadsAsConnector) {
  auto in = decode_input(text_message(), input_scope::envelopes);
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->actor, "connector");
  EXPECT_TRUE(in->is_envelope());
  EXPECT_EQ(in->at, 1795266300000);
  auto& m = std::get<message_received_in>(in->data);
  EXPECT_EQ(m.text, "Olá");
  EXPECT_FALSE(encode_input(*in).contains("actor"));
}

TEST(InputDecode, AcceptsOffsetTimes) {
  auto j = text_message();
  j["at"] = "2026-11-21T10:05:00-03:00";
  auto in = decode_input(j, input_scope::any);
  ASSERT_TRUE(in);
  EXPECT_EQ(in->at, 1795266300000);
}

TEST(InputDecode, NotJsonIsMalformedBody) {
  auto in = decode_input_text("{\"id\": ", input_scope::any);
  ASSERT_FALSE(in);
  EXPECT_EQ(in.error().code, errc::malformed);
  EXPECT_EQ(in.error().field, "body");
  EXPECT_EQ(in.error().message, "body: not valid JSON");
  EXPECT_EQ(decode_input_text("", input_scope::any).error().field, "body");
  expect_error(json::array(), errc::malformed, "body");
}

TEST(InputDecode, HeaderFieldsAreNamed) {
  for (const char* key : {"id", "tenant", "at", "type", "data"}) {
    auto j = text_message();
    j.erase(key);
    expect_error(j, errc::malformed, key);
    j[key] = 12;
    expect_error(j, errc::malformed, key);
  }
}

TEST(InputDecode, IdsMustMatchTheIdAlphabet) {
  auto j = text_message();
  j["id"] = "has space";
  expect_error(j, errc::malformed, "id");
  j["id"] = std::string(129, 'a');
  expect_error(j, errc::malformed, "id");
  j["id"] = std::string(128, 'a');
  EXPECT_TRUE(decode_input(j, input_scope::any));
  j["tenant"] = "acme/x";
  expect_error(j, errc::malformed, "tenant");
}

TEST(InputDecode, BadTimeNamesAt) {
  auto j = text_message();
  j["at"] = "2026-02-30T00:00:00Z";
  auto in = decode_input(j, input_scope::any);
  ASSERT_FALSE(in);
  EXPECT_EQ(in.error().message, "at: not an RFC 3339 time");
}

TEST(InputDecode, UnknownTypeIsMalformedNamingType) {
  auto j = text_message();
  j["type"] = "message.reaction";
  expect_error(j, errc::malformed, "type");
}

TEST(InputDecode, CommandsAreNotEnvelopes) {
  auto j = command("conversation.assign", {{"conversation", "cv-1"}});
  EXPECT_TRUE(decode_input(j, input_scope::any));
  expect_error(j, errc::malformed, "type", input_scope::envelopes);
  auto in = decode_input(j, input_scope::envelopes);
  EXPECT_EQ(in.error().message, "type: not an envelope type");
}

TEST(InputDecode, CommandsNeedRootOrAgentActor) {
  auto j = command("conversation.assign", {{"conversation", "cv-1"}});
  j.erase("actor");
  expect_error(j, errc::malformed, "actor");
  j["actor"] = "connector";
  expect_error(j, errc::malformed, "actor");
  j["actor"] = "agent:";
  expect_error(j, errc::malformed, "actor");
  j["actor"] = "root";
  EXPECT_TRUE(decode_input(j, input_scope::any));
}

TEST(InputDecode, EnvelopeActorMustBeAKnownForm) {
  auto j = text_message();
  j["actor"] = "rule:night-shift";
  EXPECT_EQ(decode_input(j, input_scope::any)->actor, "rule:night-shift");
  j["actor"] = "somebody";
  expect_error(j, errc::malformed, "actor");
  j["actor"] = 7;
  expect_error(j, errc::malformed, "actor");
}

TEST(InputDecode, MissingChannelNamesTheField) {
  auto j = text_message();
  j["data"].erase("channel");
  expect_error(j, errc::malformed, "data.channel");
  j["data"]["channel"] = "";
  expect_error(j, errc::malformed, "data.channel");
}

TEST(InputDecode, MessageReceivedRules) {
  auto j = text_message();
  j["data"]["from"] = "+5531988887777";
  expect_error(j, errc::invalid_phone, "data.from");
  j = text_message();
  j["data"].erase("text");
  expect_error(j, errc::malformed, "data.text");
  j["data"]["kind"] = "image";
  EXPECT_TRUE(decode_input(j, input_scope::any));
  j["data"].erase("kind");
  expect_error(j, errc::malformed, "data.kind");
  j = text_message();
  j["data"]["media_url"] = 3;
  expect_error(j, errc::malformed, "data.media_url");
  j = text_message();
  j["data"]["name"] = nullptr;
  EXPECT_TRUE(decode_input(j, input_scope::any));
  j = text_message();
  j["data"] = "text";
  expect_error(j, errc::malformed, "data");
}

TEST(InputDecode, MessageContentGathersTheContentKeys) {
  auto j = text_message();
  j["data"]["kind"] = "image";
  j["data"].erase("text");
  json media{{"id", "1013859600285441"},
             {"mime_type", "image/jpeg"},
             {"sha256", "abc"},
             {"caption", "olha"}};
  j["data"]["media"] = media;
  j["data"]["reply_to"] = "wamid.0";
  j["data"]["referral"] = {{"source_url", "https://fb.me/x"}};
  j["data"]["forwarded"] = true;
  j["data"]["something_else"] = {{"kept", false}};
  auto in = decode_input(j, input_scope::any);
  ASSERT_TRUE(in) << in.error().field << ": " << in.error().message;
  const auto& m = std::get<message_received_in>(in->data);
  EXPECT_EQ(m.content, (json{{"media", media},
                             {"reply_to", "wamid.0"},
                             {"referral", {{"source_url", "https://fb.me/x"}}},
                             {"forwarded", true}}));
  auto text = decode_input_text(j.dump(), input_scope::any);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, *in);
}

TEST(InputDecode, APlainTextHasNoContent) {
  auto in = decode_input(text_message(), input_scope::any);
  ASSERT_TRUE(in);
  EXPECT_TRUE(std::get<message_received_in>(in->data).content.is_null());
}

TEST(InputDecode, MessageContentRules) {
  auto with = [](const char* key, json value) {
    auto j = text_message();
    j["data"][key] = std::move(value);
    return j;
  };
  expect_error(with("media", "x"), errc::malformed, "data.media");
  expect_error(with("media", {{"mime_type", "image/jpeg"}}), errc::malformed,
               "data.media.id");
  expect_error(with("media", {{"id", "1"}}), errc::malformed,
               "data.media.mime_type");
  expect_error(with("media", {{"id", "1"}, {"mime_type", "a"}, {"caption", 2}}),
               errc::malformed, "data.media.caption");
  expect_error(with("location", {{"latitude", "-23.5"}, {"longitude", 1.0}}),
               errc::malformed, "data.location.latitude");
  expect_error(with("location", {{"latitude", -23.5}}), errc::malformed,
               "data.location.longitude");
  expect_error(with("reaction", {{"emoji", "x"}}), errc::malformed,
               "data.reaction.message_id");
  expect_error(with("reaction", {{"message_id", "w"}, {"emoji", 1}}),
               errc::malformed, "data.reaction.emoji");
  expect_error(with("interactive", json::object()), errc::malformed,
               "data.interactive.type");
  expect_error(with("system", {{"body", "x"}}), errc::malformed,
               "data.system.type");
  expect_error(with("reply_to", ""), errc::malformed, "data.reply_to");
  expect_error(with("reply_to", 7), errc::malformed, "data.reply_to");
  expect_error(with("forwarded", "yes"), errc::malformed, "data.forwarded");
  expect_error(with("contacts", json::object()), errc::malformed,
               "data.contacts");
  expect_error(with("errors", "boom"), errc::malformed, "data.errors");
  EXPECT_TRUE(decode_input(with("media", nullptr), input_scope::any));
}

TEST(InputDecode, AReactionNeedsItsReaction) {
  auto j = text_message();
  j["data"]["kind"] = "reaction";
  j["data"].erase("text");
  expect_error(j, errc::malformed, "data.reaction");
  j["data"]["reaction"] = {{"message_id", "wamid.1"}, {"emoji", ""}};
  EXPECT_TRUE(decode_input(j, input_scope::any));
}

TEST(InputDecode, MessageStatusRules) {
  json d{{"channel", "wa"}, {"message_id", "m-1"}, {"status", "read"}};
  EXPECT_TRUE(decode_input(envelope("message.status", d), input_scope::any));
  d["status"] = "seen";
  expect_error(envelope("message.status", d), errc::invalid_value,
               "data.status");
  d["status"] = "failed";
  d["error"] = {{"code", 131047}, {"title", "Re-engagement"}};
  auto in = decode_input(envelope("message.status", d), input_scope::any);
  ASSERT_TRUE(in);
  EXPECT_EQ(std::get<message_status_in>(in->data).error_code, "131047");
  d["error"] = {{"title", "x"}};
  expect_error(envelope("message.status", d), errc::malformed,
               "data.error.code");
  d["error"] = {{"code", true}};
  expect_error(envelope("message.status", d), errc::malformed,
               "data.error.code");
  d["error"] = "boom";
  expect_error(envelope("message.status", d), errc::malformed, "data.error");
  d["error"] = {{"code", "x"}, {"title", 1}};
  expect_error(envelope("message.status", d), errc::malformed,
               "data.error.title");
}

TEST(InputDecode, TemplateStatusRules) {
  json d{{"channel", "wa"},
         {"name", "t"},
         {"language", "pt_BR"},
         {"status", "approved"}};
  EXPECT_TRUE(decode_input(envelope("template.status", d), input_scope::any));
  d["status"] = "APPROVED";
  expect_error(envelope("template.status", d), errc::invalid_value,
               "data.status");
  d.erase("language");
  expect_error(envelope("template.status", d), errc::malformed,
               "data.language");
}

TEST(InputDecode, AutomationMessageRules) {
  json d{{"channel", "wa"},
         {"to", "5531988887777"},
         {"automation", "welcome"},
         {"text", "Oi"}};
  EXPECT_TRUE(
      decode_input(envelope("automation.message", d), input_scope::any));
  d["to"] = "123";
  expect_error(envelope("automation.message", d), errc::invalid_phone,
               "data.to");
  d["to"] = "5531988887777";
  d.erase("automation");
  expect_error(envelope("automation.message", d), errc::malformed,
               "data.automation");
}

TEST(InputDecode, ConversationRouteNeedsTeamOrPortfolio) {
  json d{{"channel", "wa"}, {"contact", "c-1"}};
  expect_error(envelope("conversation.route", d), errc::malformed, "data.team");
  d["portfolio_code"] = "P1";
  EXPECT_TRUE(
      decode_input(envelope("conversation.route", d), input_scope::any));
  d["team"] = 5;
  expect_error(envelope("conversation.route", d), errc::malformed, "data.team");
}

TEST(InputDecode, ContactUpsertRules) {
  json d{{"phone", "5531988887777"}};
  auto in = decode_input(envelope("contact.upsert", d), input_scope::any);
  ASSERT_TRUE(in);
  auto& u = std::get<contact_upsert_in>(in->data);
  EXPECT_FALSE(u.name || u.tags || u.stage || u.departments);
  d["stage"] = nullptr;
  d["tags"] = nullptr;
  in = decode_input(envelope("contact.upsert", d), input_scope::any);
  ASSERT_TRUE(in);
  auto& cleared = std::get<contact_upsert_in>(in->data);
  EXPECT_EQ(cleared.stage, "");
  EXPECT_EQ(cleared.tags, std::vector<std::string>{});
  d["tags"] = {"a", 1};
  expect_error(envelope("contact.upsert", d), errc::malformed, "data.tags");
  d["tags"] = {"a"};
  d["name"] = "";
  expect_error(envelope("contact.upsert", d), errc::invalid_value, "data.name");
  d["phone"] = "55 31 98888 7777";
  expect_error(envelope("contact.upsert", d), errc::invalid_phone,
               "data.phone");
}

TEST(InputType, TheWireTypeIsTheDatasAndDecodesBackToIt) {
  for (const auto& in : testing::sample_inputs()) {
    auto j = encode_input(in);
    EXPECT_EQ(j.at("type").get<std::string>(), in.type());
    auto back = decode_input(j, input_scope::any);
    ASSERT_TRUE(back) << in.type();
    EXPECT_EQ(back->type(), in.type());
    EXPECT_EQ(back->data.index(), in.data.index()) << in.type();
  }
}

TEST(AgentOf, ExtractsTheAgentIdOnlyFromAgentActors) {
  EXPECT_EQ(agent_of("agent:ana"), "ana");
  EXPECT_EQ(agent_of("root"), "");
  EXPECT_EQ(agent_of("connector"), "");
  EXPECT_EQ(agent_of("agentana"), "");
}

TEST(InputDecode, TickComesOnlyFromTheClock) {
  nlohmann::json j{{"id", "tick.1"},
                   {"tenant", "acme"},
                   {"at", "2026-11-21T13:05:00.000Z"},
                   {"type", "tenant.tick"},
                   {"actor", "rule:clock"},
                   {"data", nlohmann::json::object()}};
  auto ok = decode_input(j, input_scope::any);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_TRUE(std::holds_alternative<tenant_tick>(ok->data));
  for (const char* actor : {"agent:ana", "root", "rule:other"}) {
    j["actor"] = actor;
    auto r = decode_input(j, input_scope::any);
    ASSERT_FALSE(r) << actor;
    EXPECT_EQ(r.error().field, "actor");
  }
  j["actor"] = "rule:clock";
  EXPECT_FALSE(decode_input(j, input_scope::envelopes));
}

} // namespace
} // namespace atende

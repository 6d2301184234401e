#include "events/event.h"

#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "events/json.h"
#include "tests/events/samples.h"

namespace atende {
namespace {

using nlohmann::json;

TEST(Event, EveryTypeRoundTripsThroughJson) {
  auto events = testing::sample_events();
  ASSERT_EQ(events.size(), std::variant_size_v<event_data>);
  for (const auto& e : events) {
    auto back = event_from_json(to_json(e));
    ASSERT_TRUE(back) << type_name(e.data) << ": " << back.error().message;
    EXPECT_EQ(*back, e) << type_name(e.data);
  }
}

TEST(Event, EveryTypeRoundTripsThroughJsonText) {
  for (const auto& e : testing::sample_events()) {
    auto back = event_from_json(json::parse(to_json(e).dump()));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, e);
  }
}

TEST(Event, ATemplateMessageRoundTripsWithItsParams) {
  event e{3, "acme", 5, "agent:ana",
          message_sent{"cv-1", "m-3", "ana", "template", "Oi Maria", "",
                       "retomada", "pt_BR", {"Maria", "pedido 4411"}, nullptr}};
  auto j = to_json(e);
  EXPECT_EQ(j["data"]["template_name"], "retomada");
  EXPECT_EQ(j["data"]["params"], json::array({"Maria", "pedido 4411"}));
  auto back = event_from_text(j.dump());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, e);
}

TEST(Event, AMessageSentWrittenBeforeTemplatesReadsAsText) {
  auto j = json::parse(R"({"seq": 2, "id": "acme:2", "tenant": "acme",
    "at": "2026-11-21T13:05:00.000Z", "type": "message.sent",
    "actor": "agent:ana",
    "data": {"conversation": "cv-1", "message_id": "m-2", "agent": "ana",
             "kind": "text", "text": "Bom dia", "idempotency_key": ""}})");
  for (auto back : {event_from_json(j), event_from_text(j.dump())}) {
    ASSERT_TRUE(back) << back.error().message;
    const auto& m = std::get<message_sent>(back->data);
    EXPECT_EQ(m.text, "Bom dia");
    EXPECT_TRUE(m.template_name.empty());
    EXPECT_TRUE(m.params.empty());
  }
}

TEST(Event, AMessageRoundTripsWithItsContent) {
  json content{{"media", {{"id", "77"}, {"mime_type", "image/jpeg"}}},
               {"location", {{"latitude", -23.5505}, {"longitude", -46.6333}}},
               {"reply_to", "wamid.0"}};
  event e{3, "acme", 5, "connector",
          message_received{"cv-1", "m-3", "wamid.3", "image", "", "", "wamid.3",
                           content}};
  auto j = to_json(e);
  EXPECT_EQ(j["data"]["content"], content);
  for (auto back : {event_from_json(j), event_from_text(j.dump())}) {
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, e);
  }
}

TEST(Event, AMessageWithoutContentKeepsItsEarlierForm) {
  event e{2, "acme", 5, "connector",
          message_received{"cv-1", "m-2", "wamid.2", "text", "Oi", "", "wamid.2",
                           nullptr}};
  auto j = to_json(e);
  EXPECT_FALSE(j["data"].contains("content"));
  for (auto back : {event_from_json(j), event_from_text(j.dump())}) {
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_TRUE(std::get<message_received>(back->data).content.is_null());
  }
}

TEST(Event, TypeNamesAreDistinctAndKnown) {
  std::set<std::string_view> names;
  for (const auto& e : testing::sample_events()) {
    auto name = type_name(e.data);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(event_type_index(name), e.data.index());
  }
  EXPECT_FALSE(event_type_index("conversation.exploded"));
}

TEST(Event, JsonFormHasTheDocumentedEnvelope) {
  event e{7, "acme", 1795266300123, "agent:ana",
          conversation_assigned{"cv-1", "ana", "", "take", {"ana"}}};
  json expected = json::parse(R"({
    "seq": 7, "id": "acme:7", "tenant": "acme",
    "at": "2026-11-21T13:05:00.123Z", "type": "conversation.assigned",
    "actor": "agent:ana",
    "data": {"conversation": "cv-1", "agent": "ana", "previous": "",
             "rule": "take", "eligible": ["ana"]}})");
  EXPECT_EQ(to_json(e), expected);
  EXPECT_EQ(e.id(), "acme:7");
}

TEST(Event, SavedRecordDataIsTheRecordJson) {
  event e{1, "acme", 0, "root", channel_created{testing::sample_channel()}};
  EXPECT_EQ(to_json(e)["data"], json(testing::sample_channel()));
}

TEST(Event, TenantCreatedDataHoldsTenantAndAdmin) {
  auto e = testing::sample_events().front();
  auto data = to_json(e)["data"];
  EXPECT_EQ(data["tenant"]["timezone"], "America/Recife");
  EXPECT_EQ(data["admin"]["role"], "admin");
  EXPECT_TRUE(data["admin"]["max_concurrent"].is_null());
}

TEST(Event, ConversationOfNamesTheConversationOrNothing) {
  for (const auto& e : testing::sample_events()) {
    auto i = e.data.index();
    bool about_conversation =
        (i >= 11 && i <= 16) || (i >= 26 && i <= 28) || (i >= 31 && i <= 32) ||
        std::holds_alternative<message_media_changed>(e.data) ||
        std::holds_alternative<note_added>(e.data);
    EXPECT_EQ(conversation_of(e.data), about_conversation ? "cv-1" : "")
        << type_name(e.data);
  }
}

TEST(EventDecode, MissingFieldsAreNamed) {
  auto good = to_json(testing::sample_events()[14]);
  for (const char* key :
       {"seq", "tenant", "id", "at", "actor", "type", "data"}) {
    auto j = good;
    j.erase(key);
    auto e = event_from_json(j);
    ASSERT_FALSE(e) << key;
    EXPECT_EQ(e.error().code, errc::malformed);
    EXPECT_EQ(e.error().field, key);
  }
}

TEST(EventDecode, MissingDataFieldIsNamedWithItsPath) {
  auto j = to_json(testing::sample_events()[14]);
  j["data"].erase("eligible");
  auto e = event_from_json(j);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().field, "data.eligible");
  EXPECT_EQ(e.error().message, "data.eligible: is required");
}

TEST(EventDecode, NestedRecordFieldsAreNamedWithTheirPath) {
  auto j = to_json(testing::sample_events()[0]);
  j["data"]["admin"]["teams"] = "sales";
  auto e = event_from_json(j);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().field, "data.admin.teams");
}

TEST(EventDecode, RejectsUnknownTypeBadTimeAndMismatchedId) {
  auto good = to_json(testing::sample_events()[3]);
  auto j = good;
  j["type"] = "team.exploded";
  EXPECT_EQ(event_from_json(j).error().field, "type");
  j = good;
  j["at"] = "yesterday";
  EXPECT_EQ(event_from_json(j).error().field, "at");
  j = good;
  j["id"] = "other:4";
  EXPECT_EQ(event_from_json(j).error().field, "id");
  j = good;
  j["seq"] = -1;
  EXPECT_EQ(event_from_json(j).error().field, "seq");
  EXPECT_FALSE(event_from_json(json::array()));
}

TEST(EventCompare, DiffersWhenAnyPartDiffers) {
  auto a = testing::sample_events()[14];
  auto b = a;
  EXPECT_EQ(a, b);
  std::get<conversation_assigned>(b.data).eligible.pop_back();
  EXPECT_NE(a, b);
  b = a;
  b.at += 1;
  EXPECT_NE(a, b);
}

} // namespace
} // namespace atende

namespace atende {
namespace {

/// expect_same_event checks event_from_text against event_from_json.
void expect_same_event(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  auto fast = event_from_text(text);
  if (j.is_discarded()) {
    ASSERT_FALSE(fast) << text;
    EXPECT_EQ(fast.error().message, "body: not valid JSON");
    return;
  }
  auto slow = event_from_json(j);
  ASSERT_EQ(slow.has_value(), fast.has_value()) << text;
  if (slow) {
    EXPECT_EQ(*slow, *fast) << text;
  } else {
    EXPECT_EQ(slow.error(), fast.error()) << text;
  }
}

TEST(EventFromText, AgreesWithEventFromJsonOnEverySample) {
  for (const auto& e : testing::sample_events()) {
    auto text = to_json(e).dump();
    expect_same_event(text);
    EXPECT_EQ(event_from_text(text), e);
  }
}

TEST(EventFromText, AgreesOnMutatedEvents) {
  std::vector<nlohmann::json> odd{nullptr,
                                  "",
                                  5,
                                  -1,
                                  2.5,
                                  -0.0,
                                  true,
                                  nlohmann::json::array(),
                                  nlohmann::json::object()};
  for (const auto& e : testing::sample_events()) {
    auto j = to_json(e);
    for (const auto& [key, value] : j.items()) {
      for (const auto& o : odd) {
        auto m = j;
        m[key] = o;
        expect_same_event(m.dump());
      }
    }
    for (const auto& [key, value] : j["data"].items()) {
      auto removed = j;
      removed["data"].erase(key);
      expect_same_event(removed.dump());
      for (const auto& o : odd) {
        auto m = j;
        m["data"][key] = o;
        expect_same_event(m.dump());
      }
    }
  }
  expect_same_event("{");
  expect_same_event("[]");
  expect_same_event(R"({"seq":-0,"id":"a:0","tenant":"a",
    "at":"2026-11-21T13:05:00Z","type":"reason.created","actor":"root",
    "data":{"id":"r","name":"R"}})");
  expect_same_event(R"({"seq":18446744073709551615,"id":"a:0","tenant":"a"})");
}

} // namespace
} // namespace atende

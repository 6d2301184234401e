#include "events/input.h"

#include <gtest/gtest.h>

#include "tests/events/samples.h"

namespace atende {
namespace {

using nlohmann::json;

/// expect_same checks that the fast decoder agrees with decode_input_text on
/// `text`, in both scopes: the same value or the same error.
void expect_same(const std::string& text) {
  for (auto scope : {input_scope::envelopes, input_scope::any}) {
    auto slow = decode_input_text(text, scope);
    auto fast = decode_input_fast(text, scope);
    ASSERT_EQ(slow.has_value(), fast.has_value())
      << text << "\nslow: " << (slow ? "ok" : slow.error().message)
      << "\nfast: " << (fast ? "ok" : fast.error().message);
    if (slow) {
      EXPECT_EQ(*slow, *fast) << text;
    } else {
      EXPECT_EQ(slow.error(), fast.error())
        << text << "\nslow: " << slow.error().message
        << "\nfast: " << fast.error().message;
    }
  }
}

/// Values that each field is replaced with, to provoke every kind of error.
std::vector<json> odd_values() {
  return {nullptr,
          "",
          "x",
          "5531988887777",
          "+55 31",
          7,
          -3,
          1.5,
          true,
          json::array(),
          json::array({"a", "b"}),
          json::array({"a", 1}),
          json::object(),
          {{"code", 1}}};
}

/// mutations: `j` with each top-level and data key removed or replaced.
std::vector<json> mutations(const json& j) {
  std::vector<json> out;
  for (const auto& [key, value] : j.items()) {
    auto removed = j;
    removed.erase(key);
    out.push_back(removed);
    for (const auto& odd : odd_values()) {
      auto changed = j;
      changed[key] = odd;
      out.push_back(changed);
    }
  }
  if (j.contains("data") && j["data"].is_object()) {
    for (const auto& [key, value] : j["data"].items()) {
      auto removed = j;
      removed["data"].erase(key);
      out.push_back(removed);
      for (const auto& odd : odd_values()) {
        auto changed = j;
        changed["data"][key] = odd;
        out.push_back(changed);
      }
    }
  }
  return out;
}

TEST(InputFast, AgreesOnEverySampleType) {
  for (const auto& in : testing::sample_inputs()) {
    expect_same(encode_input(in).dump());
    auto fast = decode_input_fast(encode_input(in).dump(), input_scope::any);
    ASSERT_TRUE(fast) << in.type();
    EXPECT_EQ(*fast, in);
  }
}

TEST(InputFast, AgreesOnEveryMutationOfEverySample) {
  for (const auto& in : testing::sample_inputs()) {
    for (const auto& j : mutations(encode_input(in))) {
      expect_same(j.dump());
    }
  }
}

TEST(InputFast, AgreesOnTheConversationCommandsItDecodes) {
  // assign, transfer and finish are decoded from simdjson too (bulk loads
  // and supervisors send them by the thousand): values and errors alike.
  const std::string head =
    R"({"id":"c","tenant":"acme","at":"2026-11-21T13:05:00Z","actor":"agent:ana",)";
  for (const char* tail : {
         R"("type":"conversation.transfer","data":{"conversation":"c1","agent":"bia"}})",
         R"("type":"conversation.transfer","data":{"conversation":"c1","team":"sales","note":"ok"}})",
         R"("type":"conversation.transfer","data":{"conversation":"c1"}})",
         R"("type":"conversation.transfer","data":{"conversation":"c1","agent":"bia","team":"sales"}})",
         R"("type":"conversation.transfer","data":{"conversation":"c1","agent":"b/a"}})",
         R"("type":"conversation.transfer","data":{"conversation":"c1","agent":"bia","note":7}})",
         R"("type":"conversation.assign","data":{"conversation":"c1"}})",
         R"("type":"conversation.assign","data":{"conversation":"c1","agent":null}})",
         R"("type":"conversation.assign","data":{"conversation":1}})",
         R"("type":"conversation.finish","data":{"conversation":"c1","reason":"sold","description":"ok"}})",
         R"("type":"conversation.finish","data":{"conversation":"c1","description":5}})",
         R"("type":"conversation.finish","data":{"reason":"sold"}})",
       }) {
    expect_same(head + tail);
  }
  expect_same(head +
              R"("type":"conversation.transfer","data":{"conversation":"c1","agent":"bia","note":")" +
              std::string(4097, 'x') + "\"}}");
}

TEST(InputFast, AgreesOnOptionalEnvelopeFields) {
  const char* base = R"({"id":"w","tenant":"acme","at":"2026-11-21T13:05:00Z",
    "type":"contact.upsert","data":{"phone":"5531988887777")";
  for (const char* tail :
       {"}}", R"(,"name":null}})", R"(,"name":""}})", R"(,"stage":null}})",
        R"(,"stage":"won","tags":null,"departments":["a"]}})",
        R"(,"tags":[1]}})", R"(,"departments":"a"}})"}) {
    expect_same(std::string{base} + tail);
  }
}

TEST(InputFast, AgreesOnErrorCodeNumbers) {
  for (const char* code :
       {"131047", "-5", "0", "-0", "-0.0", "1.5", "1e2", "1E-7", "0.1",
        "18446744073709551615", "18446744073709551616", "-9223372036854775809",
        "1e400", "123456789012345678901234567890", "\"131047\"", "true",
        "null", "[]"}) {
    expect_same(std::string{R"({"id":"s1","tenant":"acme",
      "at":"2026-11-21T13:05:00.000Z","type":"message.status",
      "data":{"channel":"wa","message_id":"m","status":"failed",
      "error":{"code":)"} +
                code + "}}}");
  }
}

TEST(InputFast, AgreesOnTextsThatAreNotJson) {
  for (const char* text :
       {"", " ", "{", "[]", "null", "42", "\"x\"", "{\"id\":}", "{} {}",
        "\xEF\xBB\xBF{}", "{\"id\":\"\xFF\"}", "{\"a\":\"\x01\"}",
        "{\"id\":\"a\",}", "{'id':'a'}", "{\"id\":\"w\" /* c */}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}) {
    expect_same(text);
  }
}

TEST(InputFast, AgreesOnDuplicateKeysAndEscapes) {
  expect_same(R"({"id":"a","id":"b","tenant":"acme",
    "at":"2026-11-21T13:05:00Z","type":"message.received",
    "data":{"channel":"wa","channel":"","from":"5531988887777",
    "message_id":"m","kind":"text","text":"\u00e9\n\"\ud83d\ude00"}})");
  expect_same(R"({"id":"a","tenant":"acme","at":"2026-11-21T13:05:00Z",
    "type":"message.received","data":{"channel":"wa","from":"5531988887777",
    "message_id":"m","kind":"text","text":"a\u0000b"}})");
  expect_same(R"({"id":"a","tenant":"acme","at":"2026-11-21T13:05:00Z",
    "type":"message.received","data":{"channel":"wa","from":"5531988887777",
    "message_id":"m","kind":"text","text":"bad \ud800 surrogate"}})");
}

TEST(InputFast, AgreesOnWhatsAppLikeTraffic) {
  for (int i = 0; i < 200; ++i) {
    json j{{"id", "wamid." + std::to_string(i)},
           {"tenant", "t" + std::to_string(i % 7)},
           {"at", format_time(1795266300000 + i * 997)},
           {"type", "message.received"},
           {"data",
            {{"channel", "wa"},
             {"from", "55319" + std::to_string(88880000 + i)},
             {"name", i % 3 ? "Cliente" : ""},
             {"message_id", "wamid." + std::to_string(i)},
             {"kind", i % 5 ? "text" : "image"},
             {"text", std::string(static_cast<std::size_t>(i % 40), 'z')}}}};
    expect_same(j.dump());
  }
}

} // namespace
} // namespace atende

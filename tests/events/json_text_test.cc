#include "events/json_text.h"

#include <limits>

#include <gtest/gtest.h>

namespace atende {
namespace {

using json = nlohmann::json;

std::string nlohmann_text(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(JsonText, MatchesNlohmannDump) {
  const json samples[] = {
      nullptr,
      true,
      false,
      0,
      -42,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::uint64_t>::max(),
      1.5,
      0.1,
      100.0,
      -2.25e-7,
      "",
      "plain text",
      "quote \" backslash \\ slash /",
      "\b\f\n\r\t\x01\x1f\x7f",
      "olá, ação — 日本 😀",
      json::array(),
      json::object(),
      {{"b", 1}, {"a", {1, "x", nullptr}}, {"c", {{"d", json::object()}}}},
  };
  for (const auto& j : samples) {
    EXPECT_EQ(json_text(j), nlohmann_text(j)) << nlohmann_text(j);
  }
}

TEST(JsonText, ReplacesInvalidUtf8LikeNlohmann) {
  for (std::string s : {std::string{"a\xff"
                                    "b"},
                        std::string{"\xc3"}, std::string{"\xe2\x82"},
                        std::string{"\xed\xa0\x80"}, std::string{"\xc0\xaf"},
                        std::string{"x\xf4\x90\x80\x80"}}) {
    json j = s;
    auto text = json_text(j);
    EXPECT_FALSE(json::parse(text, nullptr, false).is_discarded()) << text;
    EXPECT_NE(text.find("\xEF\xBF\xBD"), std::string::npos) << text;
  }
}

} // namespace
} // namespace atende

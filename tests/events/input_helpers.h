// input_helpers: builders of input JSON for the decoder tests.
#pragma once

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "events/input.h"

namespace atende::testing {

using nlohmann::json;

inline json envelope(std::string type, json data) {
  return {{"id", "wamid.1"},
          {"tenant", "acme"},
          {"at", "2026-11-21T13:05:00.000Z"},
          {"type", std::move(type)},
          {"data", std::move(data)}};
}

inline json command(std::string type, json data) {
  auto j = envelope(std::move(type), std::move(data));
  j["actor"] = "agent:ana";
  return j;
}

inline json text_message() {
  return envelope("message.received", {{"channel", "wa-main"},
                                       {"from", "5531988887777"},
                                       {"message_id", "wamid.1"},
                                       {"kind", "text"},
                                       {"text", "Olá"}});
}

/// expect_error decodes `j` and checks the error's code and field.
inline void expect_error(const json& j, errc code, const std::string& field,
                         input_scope scope = input_scope::any) {
  auto in = decode_input(j, scope);
  ASSERT_FALSE(in) << j.dump();
  EXPECT_EQ(in.error().code, code) << in.error().message;
  EXPECT_EQ(in.error().field, field) << in.error().message;
  if (!field.empty()) {
    EXPECT_TRUE(in.error().message.starts_with(field + ": "))
        << in.error().message;
  }
}

} // namespace atende::testing

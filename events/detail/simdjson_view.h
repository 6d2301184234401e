// detail/simdjson_view: sj_view, the view of detail/json_view.h over
// simdjson's DOM, for the hot paths (input_fast.cc, event_fast.cc).
//
// Internal to events/: include only from events/*.cc.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <simdjson.h>

namespace atende::detail {

/// parse_padded parses `text` with a thread's parser, copying it into a
/// reused padded buffer first (simdjson reads up to SIMDJSON_PADDING bytes
/// past the end; its own copy would allocate on every call). The element
/// lives until the thread's next parse_padded.
inline simdjson::error_code parse_padded(std::string_view text,
                                         simdjson::dom::element& out) {
  thread_local simdjson::dom::parser parser;
  thread_local std::string buffer;
  if (buffer.size() < text.size() + simdjson::SIMDJSON_PADDING) {
    buffer.resize(text.size() + simdjson::SIMDJSON_PADDING);
  }
  text.copy(buffer.data(), text.size());
  return parser.parse(buffer.data(), text.size(), false).get(out);
}

class sj_view {
public:
  explicit sj_view(simdjson::dom::element e) : e_(e) {}

  bool is_object() const { return e_.is_object(); }
  bool is_array() const { return e_.is_array(); }
  bool is_string() const { return e_.is_string(); }
  bool is_number() const { return e_.is_number(); }
  bool is_null() const { return e_.is_null(); }
  bool is_bool() const { return e_.is_bool(); }

  bool is_integer() const {
    auto t = e_.type();
    return t == simdjson::dom::element_type::INT64 ||
           t == simdjson::dom::element_type::UINT64;
  }

  // Like nlohmann, the last of duplicate keys wins.
  std::optional<sj_view> get(std::string_view key) const {
    std::optional<sj_view> found;
    simdjson::dom::object obj;
    if (e_.get_object().get(obj) != simdjson::SUCCESS) {
      return found;
    }
    for (auto field : obj) {
      if (field.key == key) {
        found.emplace(field.value);
      }
    }
    return found;
  }

  std::string_view str() const {
    std::string_view s;
    if (e_.get_string().get(s) != simdjson::SUCCESS) {
      return {};
    }
    return s;
  }

  bool bool_value() const {
    bool b = false;
    if (e_.get_bool().get(b) != simdjson::SUCCESS) {
      return false;
    }
    return b;
  }

  std::optional<std::int64_t> int_value() const {
    std::int64_t i = 0;
    if (e_.get_int64().get(i) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    return i;
  }

  bool strings(std::vector<std::string>& out) const {
    simdjson::dom::array arr;
    if (e_.get_array().get(arr) != simdjson::SUCCESS) {
      return false;
    }
    out.clear();
    out.reserve(arr.size());
    for (simdjson::dom::element item : arr) {
      std::string_view s;
      if (item.get_string().get(s) != simdjson::SUCCESS) {
        return false;
      }
      out.emplace_back(s);
    }
    return true;
  }

  std::optional<std::string> number_text() const {
    std::uint64_t u = 0;
    if (e_.get_uint64().get(u) == simdjson::SUCCESS) {
      return std::to_string(u);
    }
    std::int64_t i = 0;
    if (e_.get_int64().get(i) == simdjson::SUCCESS) {
      return std::to_string(i);
    }
    double d = 0;
    if (e_.get_double().get(d) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    // nlohmann reads "-0" as the integer 0 but "-0.0" as a float; simdjson
    // gives -0.0 for both.
    if (d == 0 && std::signbit(d)) {
      return std::nullopt;
    }
    return nlohmann::json(d).dump();
  }

  /// to_json copies the value into nlohmann's form (for the rare structured
  /// fields, such as a portfolio's hours).
  nlohmann::json to_json() const {
    return nlohmann::json::parse(simdjson::to_string(e_));
  }

private:
  simdjson::dom::element e_;
};

} // namespace atende::detail

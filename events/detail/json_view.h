// detail/json_view: read-only views over a parsed JSON value, one per parser,
// with the same small interface, so that each decoder is written once and
// gives the same answers whichever parser read the text:
//
//   bool is_object(), is_array(), is_string(), is_number(), is_null(),
//        is_bool(), is_integer() const
//   std::optional<V> get(std::string_view key) const  // last duplicate wins
//   std::string_view str() const                      // when is_string()
//   bool bool_value() const                           // when is_bool()
//   std::optional<std::int64_t> int_value() const     // when is_integer();
//                                                     // nullopt: too large
//   bool strings(std::vector<std::string>& out) const // array of strings?
//   nlohmann::json to_json() const                    // the value, copied
//   std::optional<std::string> number_text() const    // nullopt: cannot
//                                                     // render it exactly
//                                                     // as nlohmann does
//
// nl_view views nlohmann::json, the reference; sj_view (simdjson_view.h)
// views simdjson's DOM.
//
// Internal to events/: include only from events/*.cc.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace atende::detail {

class nl_view {
public:
  explicit nl_view(const nlohmann::json& j) : j_(&j) {}

  bool is_object() const { return j_->is_object(); }
  bool is_array() const { return j_->is_array(); }
  bool is_string() const { return j_->is_string(); }
  bool is_number() const { return j_->is_number(); }
  bool is_null() const { return j_->is_null(); }
  bool is_bool() const { return j_->is_boolean(); }
  bool is_integer() const { return j_->is_number_integer(); }

  std::optional<nl_view> get(std::string_view key) const {
    auto it = j_->find(key);
    if (it == j_->end()) {
      return std::nullopt;
    }
    return nl_view{*it};
  }

  std::string_view str() const { return j_->get_ref<const std::string&>(); }

  bool bool_value() const { return j_->get<bool>(); }

  std::optional<std::int64_t> int_value() const {
    if (j_->is_number_unsigned()) {
      auto u = j_->get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(
                  std::numeric_limits<std::int64_t>::max())) {
        return std::nullopt;
      }
      return static_cast<std::int64_t>(u);
    }
    return j_->get<std::int64_t>();
  }

  bool strings(std::vector<std::string>& out) const {
    if (!j_->is_array()) {
      return false;
    }
    out.clear();
    out.reserve(j_->size());
    for (const auto& item : *j_) {
      if (!item.is_string()) {
        return false;
      }
      out.push_back(item.get_ref<const std::string&>());
    }
    return true;
  }

  std::optional<std::string> number_text() const {
    if (j_->is_number_unsigned()) {
      return std::to_string(j_->get<std::uint64_t>());
    }
    if (j_->is_number_integer()) {
      return std::to_string(j_->get<std::int64_t>());
    }
    return j_->dump();
  }

  nlohmann::json to_json() const { return *j_; }

  const nlohmann::json& raw() const { return *j_; }

private:
  const nlohmann::json* j_;
};

} // namespace atende::detail

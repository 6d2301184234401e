// detail/input_fields: the input type table and the field readers that
// input decoding is made of, over the views of detail/json_view.h.
//
// Internal to events/: include only from events/*.cc.
#pragma once

#include <array>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "events/detail/fields.h"
#include "events/input.h"
#include "events/phone.h"

namespace atende::detail {

/// input_types are the wire types, in the order of input_data's alternatives;
/// the first six are connector envelopes.
inline constexpr std::array<std::string_view, std::variant_size_v<input_data>>
    input_types{
        "message.received",    "message.status",
        "template.status",     "automation.message",
        "conversation.route",  "contact.upsert",
        "tenant.create",       "channel.create",
        "channel.patch",       "team.create",
        "team.patch",          "agent.create",
        "agent.patch",         "reason.create",
        "reason.patch",        "contact.create",
        "contact.patch",       "conversation.assign",
        "conversation.send",   "conversation.transfer",
        "conversation.finish", "pause_type.create",
        "pause_type.patch",    "portfolio.create",
        "portfolio.patch",     "portfolio.delete",
        "portfolio.contacts",  "agent.status",
        "agent.pause",         "agent.resume",
        "conversation.automation", "tenant.tick",
        "template.create",     "template.patch",
        "conversation.start",  "session.start",
        "session.end",         "message.media",
        "subscription.create", "subscription.patch",
        "subscription.delete", "subscription.redeliver",
        "subscription.progress", "conversation.note",
    };

/// input_index<T>: the index of alternative T in input_data, for the
/// decoders' switches (a number written out could name another type once
/// the variant changes).
template <class T, class... Ts>
constexpr std::size_t index_in(const std::variant<Ts...>*) {
  constexpr std::array<bool, sizeof...(Ts)> same{std::is_same_v<T, Ts>...};
  for (std::size_t i = 0; i < same.size(); ++i) {
    if (same[i]) {
      return i;
    }
  }
  return same.size();
}
template <class T>
inline constexpr std::size_t input_index =
  index_in<T>(static_cast<const input_data*>(nullptr));

/// The envelopes: the first six types, and message.media (added later).
inline constexpr std::size_t envelope_count = 6;
inline constexpr std::size_t media_input_index = input_index<message_media_in>;

inline constexpr bool is_envelope_index(std::size_t i) {
  return i < envelope_count || i == media_input_index;
}

inline std::optional<std::size_t> input_type_index(std::string_view type) {
  for (std::size_t i = 0; i < input_types.size(); ++i) {
    if (input_types[i] == type) {
      return i;
    }
  }
  return std::nullopt;
}

inline error needs_fallback() {
  return error{errc::ok, "needs the nlohmann decoder", {}, {}};
}

// ---- fields -----------------------------------------------------------------

/// need_string reads a present, non-empty string.
template <class V>
result<std::string> need_string(const V& obj, std::string_view key,
                                std::string_view prefix) {
  auto v = obj.get(key);
  if (!v || v->is_null()) {
    return fail(errc::malformed, "is required", join_path(prefix, key));
  }
  if (!v->is_string()) {
    return fail(errc::malformed, "must be a string", join_path(prefix, key));
  }
  if (v->str().empty()) {
    return fail(errc::malformed, "must not be empty", join_path(prefix, key));
  }
  return std::string{v->str()};
}

/// maybe_string reads an optional string: absent or null give "".
template <class V>
result<std::string> maybe_string(const V& obj, std::string_view key,
                                 std::string_view prefix) {
  auto v = obj.get(key);
  if (!v || v->is_null()) {
    return std::string{};
  }
  if (!v->is_string()) {
    return fail(errc::malformed, "must be a string", join_path(prefix, key));
  }
  return std::string{v->str()};
}

/// maybe_id reads an optional reference: absent or null give "", a present
/// one may not be empty.
template <class V>
result<std::string> maybe_id(const V& obj, std::string_view key,
                             std::string_view prefix) {
  auto v = obj.get(key);
  if (!v || v->is_null()) {
    return std::string{};
  }
  if (!v->is_string()) {
    return fail(errc::malformed, "must be a string", join_path(prefix, key));
  }
  if (v->str().empty()) {
    return fail(errc::malformed, "must not be empty", join_path(prefix, key));
  }
  return std::string{v->str()};
}

template <class V>
result<std::optional<std::vector<std::string>>>
maybe_strings(const V& obj, std::string_view key, std::string_view prefix) {
  auto v = obj.get(key);
  if (!v) {
    return std::nullopt;
  }
  std::vector<std::string> out;
  if (v->is_null()) {
    return out; // null clears the list
  }
  if (!v->strings(out)) {
    return fail(errc::malformed, "must be an array of strings",
                join_path(prefix, key));
  }
  return out;
}

inline result<void> check_one_of(const std::string& v,
                                 std::initializer_list<std::string_view> set,
                                 std::string_view path) {
  std::string listed;
  for (auto a : set) {
    if (v == a) {
      return {};
    }
    listed += listed.empty() ? "" : ", ";
    listed += a;
  }
  return fail(errc::invalid_value, "must be one of " + listed,
              std::string{path});
}

inline result<std::string> check_phone(std::string s, std::string_view path) {
  return normalize_phone(s, std::string{path});
}

} // namespace atende::detail

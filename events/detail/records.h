// detail/records: the field tables of the model records (model.h) and their
// value rules. json.cc renders and reads with them; input.cc validates create
// and patch commands with them; event.cc reads saved<T> events with them.
//
// Internal to events/: include only from events/*.cc.
#pragma once

#include <string_view>

#include "events/detail/fields.h"
#include "events/model.h"

namespace atende::detail {

template <>
struct fields_of<channel> {
  static constexpr std::array<field<channel>, 10> list{{
      {.name = "id", .ptr = &channel::id, .patchable = false},
      {.name = "kind", .ptr = &channel::kind},
      {.name = "name", .ptr = &channel::name},
      {.name = "phone", .ptr = &channel::phone},
      {.name = "phone_number_id",
       .ptr = &channel::phone_number_id,
       .nullable = true,
       .required = false},
      {.name = "default_team", .ptr = &channel::default_team},
      {.name = "waba_id",
       .ptr = &channel::waba_id,
       .nullable = true,
       .required = false,
       .added_later = true,
       .omit_empty = true},
      {.name = "access_token",
       .ptr = &channel::access_token,
       .nullable = true,
       .required = false,
       .added_later = true,
       .omit_empty = true},
      {.name = "app_secret",
       .ptr = &channel::app_secret,
       .nullable = true,
       .required = false,
       .added_later = true,
       .omit_empty = true},
      {.name = "mark_read",
       .ptr = &channel::mark_read,
       .required = false,
       .added_later = true,
       .omit_empty = true},
  }};
};

template <>
struct fields_of<team> {
  static constexpr std::array<field<team>, 5> list{{
      {.name = "id", .ptr = &team::id, .patchable = false},
      {.name = "name", .ptr = &team::name},
      {.name = "distribution", .ptr = &team::distribution, .required = false},
      {.name = "max_per_agent", .ptr = &team::max_per_agent, .required = false},
      {.name = "require_reason",
       .ptr = &team::require_reason,
       .required = false},
  }};
};

template <>
struct fields_of<agent> {
  static constexpr std::array<field<agent>, 8> list{{
      {.name = "id", .ptr = &agent::id, .patchable = false},
      {.name = "name", .ptr = &agent::name},
      {.name = "role", .ptr = &agent::role, .required = false},
      {.name = "teams", .ptr = &agent::teams, .required = false},
      {.name = "max_concurrent",
       .ptr = &agent::max_concurrent,
       .nullable = true,
       .required = false},
      {.name = "token_hash", .ptr = &agent::token_hash, .patchable = false},
      {.name = "login",
       .ptr = &agent::login,
       .nullable = true,
       .required = false,
       .added_later = true,
       .omit_empty = true},
      {.name = "password_hash",
       .ptr = &agent::password_hash,
       .nullable = true,
       .required = false,
       .added_later = true,
       .omit_empty = true},
  }};
};

template <>
struct fields_of<reason> {
  static constexpr std::array<field<reason>, 2> list{{
      {.name = "id", .ptr = &reason::id, .patchable = false},
      {.name = "name", .ptr = &reason::name},
  }};
};

template <>
struct fields_of<contact> {
  static constexpr std::array<field<contact>, 7> list{{
      {.name = "id", .ptr = &contact::id, .patchable = false},
      {.name = "name", .ptr = &contact::name},
      {.name = "phone", .ptr = &contact::phone},
      {.name = "tags", .ptr = &contact::tags, .required = false},
      {.name = "stage",
       .ptr = &contact::stage,
       .nullable = true,
       .required = false},
      {.name = "departments", .ptr = &contact::departments, .required = false},
      {.name = "portfolios", .ptr = &contact::portfolios, .required = false},
  }};
};

template <>
struct fields_of<pause_type> {
  static constexpr std::array<field<pause_type>, 4> list{{
      {.name = "id", .ptr = &pause_type::id, .patchable = false},
      {.name = "name", .ptr = &pause_type::name},
      {.name = "max_minutes", .ptr = &pause_type::max_minutes},
      {.name = "allowed_from",
       .ptr = &pause_type::allowed_from,
       .nullable = true,
       .required = false},
  }};
};

template <>
struct fields_of<portfolio> {
  static constexpr std::array<field<portfolio>, 6> list{{
      {.name = "id", .ptr = &portfolio::id, .patchable = false},
      {.name = "name", .ptr = &portfolio::name},
      {.name = "code",
       .ptr = &portfolio::code,
       .nullable = true,
       .required = false},
      {.name = "hours",
       .ptr = &portfolio::hours,
       .nullable = true,
       .required = false},
      {.name = "responsible", .ptr = &portfolio::responsible},
      {.name = "members", .ptr = &portfolio::members, .required = false},
  }};
};

template <>
struct fields_of<message_template> {
  static constexpr std::array<field<message_template>, 6> list{{
      {.name = "id", .ptr = &message_template::id, .patchable = false},
      {.name = "channel",
       .ptr = &message_template::channel,
       .patchable = false},
      {.name = "name", .ptr = &message_template::name, .patchable = false},
      {.name = "language",
       .ptr = &message_template::language,
       .patchable = false},
      {.name = "body", .ptr = &message_template::body},
      {.name = "status", .ptr = &message_template::status},
  }};
};

template <>
struct fields_of<subscription> {
  static constexpr std::array<field<subscription>, 5> list{{
      {.name = "id", .ptr = &subscription::id, .patchable = false},
      {.name = "url", .ptr = &subscription::url},
      {.name = "events", .ptr = &subscription::events},
      {.name = "secret", .ptr = &subscription::secret},
      {.name = "active", .ptr = &subscription::active, .required = false},
  }};
};

template <>
struct fields_of<tenant_info> {
  static constexpr std::array<field<tenant_info>, 3> list{{
      {.name = "id", .ptr = &tenant_info::id, .patchable = false},
      {.name = "name", .ptr = &tenant_info::name, .patchable = false},
      {.name = "timezone",
       .ptr = &tenant_info::timezone,
       .patchable = false,
       .required = false},
  }};
};

/// check_value applies the value rules of field `key` of `x` (a kind from the
/// allowed set, a non-empty name, a positive limit, a valid phone). Errors
/// (invalid_value, invalid_phone) name `prefix.key`. Unknown keys pass.
[[nodiscard]] result<void> check_value(const channel& x, std::string_view key,
                                       std::string_view prefix);
[[nodiscard]] result<void> check_value(const team& x, std::string_view key,
                                       std::string_view prefix);
[[nodiscard]] result<void> check_value(const agent& x, std::string_view key,
                                       std::string_view prefix);
[[nodiscard]] result<void> check_value(const reason& x, std::string_view key,
                                       std::string_view prefix);
[[nodiscard]] result<void> check_value(const contact& x, std::string_view key,
                                       std::string_view prefix);
[[nodiscard]] result<void> check_value(const pause_type& x,
                                       std::string_view key,
                                       std::string_view prefix);
[[nodiscard]] result<void> check_value(const portfolio& x, std::string_view key,
                                       std::string_view prefix);
[[nodiscard]] result<void> check_value(const message_template& x,
                                       std::string_view key,
                                       std::string_view prefix);
[[nodiscard]] result<void> check_value(const subscription& x,
                                       std::string_view key,
                                       std::string_view prefix);
[[nodiscard]] result<void> check_value(const tenant_info& x,
                                       std::string_view key,
                                       std::string_view prefix);

/// check_new_record checks a record about to be created: a valid id and every
/// field's value rule.
template <class T>
result<void> check_new_record(const T& x, std::string_view prefix) {
  if (!is_valid_id(x.id)) {
    return fail(errc::invalid_value, "must match [A-Za-z0-9._:-]{1,128}",
                join_path(prefix, "id"));
  }
  for (const auto& f : fields_of<T>::list) {
    ATENDE_TRY(check_value(x, f.name, prefix));
  }
  return {};
}

/// read_new_record reads a create body of T and checks it (check_new_record).
template <class T>
result<T> read_new_record(const json& j, std::string_view prefix) {
  auto x = read_record<T>(j, prefix, form::create);
  if (!x) {
    return x;
  }
  ATENDE_TRY(check_new_record(*x, prefix));
  return x;
}

} // namespace atende::detail

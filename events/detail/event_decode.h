// detail/event_decode: reading the JSON form of events (event.h), written
// once over the views of detail/json_view.h so that event_from_json
// (nlohmann) and event_from_text (simdjson, for replay) cannot disagree.
//
// Internal to events/: include only from events/*.cc.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>

#include "events/detail/records.h"
#include "events/event.h"

namespace atende::detail {

template <>
struct fields_of<conversation_opened> {
  using t = conversation_opened;
  static constexpr std::array<field<t>, 5> list{{
      {"conversation", &t::conversation},
      {"contact", &t::contact},
      {"channel", &t::channel},
      {"team", &t::team},
      {"origin", &t::origin},
  }};
};

template <>
struct fields_of<message_received> {
  using t = message_received;
  static constexpr std::array<field<t>, 8> list{{
      {"conversation", &t::conversation},
      {"message_id", &t::message_id},
      {"provider_id", &t::provider_id},
      {"kind", &t::kind},
      {"text", &t::text},
      {"media_url", &t::media_url},
      {"input", &t::input},
      {.name = "content",
       .ptr = &t::content,
       .nullable = true,
       .added_later = true,
       .omit_empty = true},
  }};
};

// The template fields came after the first journals: absent, they read as a
// text message.
template <>
struct fields_of<message_sent> {
  using t = message_sent;
  static constexpr std::array<field<t>, 10> list{{
      {"conversation", &t::conversation},
      {"message_id", &t::message_id},
      {"agent", &t::agent},
      {"kind", &t::kind},
      {"text", &t::text},
      {"idempotency_key", &t::idempotency_key},
      {.name = "template_name",
       .ptr = &t::template_name,
       .nullable = true,
       .added_later = true},
      {.name = "language",
       .ptr = &t::language,
       .nullable = true,
       .added_later = true},
      {.name = "params", .ptr = &t::params, .added_later = true},
      {.name = "content",
       .ptr = &t::content,
       .nullable = true,
       .added_later = true,
       .omit_empty = true},
  }};
};

template <>
struct fields_of<conversation_assigned> {
  using t = conversation_assigned;
  static constexpr std::array<field<t>, 5> list{{
      {"conversation", &t::conversation},
      {"agent", &t::agent},
      {"previous", &t::previous},
      {"rule", &t::rule},
      {"eligible", &t::eligible},
  }};
};

template <>
struct fields_of<conversation_transferred> {
  using t = conversation_transferred;
  static constexpr std::array<field<t>, 5> list{{
      {"conversation", &t::conversation},
      {"from_team", &t::from_team},
      {"to_team", &t::to_team},
      {"from_agent", &t::from_agent},
      {"to_agent", &t::to_agent},
  }};
};

template <>
struct fields_of<conversation_finished> {
  using t = conversation_finished;
  static constexpr std::array<field<t>, 3> list{{
      {"conversation", &t::conversation},
      {"reason", &t::reason},
      {"description", &t::description},
  }};
};

template <>
struct fields_of<portfolio_deleted> {
  using t = portfolio_deleted;
  static constexpr std::array<field<t>, 1> list{{
      {"portfolio", &t::portfolio},
  }};
};

template <>
struct fields_of<portfolio_contacts_changed> {
  using t = portfolio_contacts_changed;
  static constexpr std::array<field<t>, 3> list{{
      {"portfolio", &t::portfolio},
      {"added", &t::added},
      {"removed", &t::removed},
  }};
};

template <>
struct fields_of<agent_status_changed> {
  using t = agent_status_changed;
  static constexpr std::array<field<t>, 2> list{{
      {"agent", &t::agent},
      {"status", &t::status},
  }};
};

template <>
struct fields_of<agent_session_started> {
  using t = agent_session_started;
  static constexpr std::array<field<t>, 3> list{{
      {"agent", &t::agent},
      {"token_hash", &t::token_hash},
      {"expires_at", &t::expires_at},
  }};
};

template <>
struct fields_of<agent_session_ended> {
  using t = agent_session_ended;
  static constexpr std::array<field<t>, 2> list{{
      {"agent", &t::agent},
      {"token_hash", &t::token_hash},
  }};
};

template <>
struct fields_of<agent_pause_started> {
  using t = agent_pause_started;
  static constexpr std::array<field<t>, 2> list{{
      {"agent", &t::agent},
      {"pause_type", &t::pause_type},
  }};
};

template <>
struct fields_of<agent_pause_ended> {
  using t = agent_pause_ended;
  static constexpr std::array<field<t>, 4> list{{
      {"agent", &t::agent},
      {"pause_type", &t::pause_type},
      {"minutes", &t::minutes},
      {"overdue", &t::overdue},
  }};
};

template <>
struct fields_of<conversation_routed> {
  using t = conversation_routed;
  static constexpr std::array<field<t>, 3> list{{
      {"conversation", &t::conversation},
      {"team", &t::team},
      {"portfolio", &t::portfolio},
  }};
};

template <>
struct fields_of<conversation_held> {
  using t = conversation_held;
  static constexpr std::array<field<t>, 3> list{{
      {"conversation", &t::conversation},
      {"portfolio", &t::portfolio},
      {"held", &t::held},
  }};
};

template <>
struct fields_of<automation_requested> {
  using t = automation_requested;
  static constexpr std::array<field<t>, 3> list{{
      {"conversation", &t::conversation},
      {"automation", &t::automation},
      {"agent", &t::agent},
  }};
};

template <>
struct fields_of<message_status_changed> {
  using t = message_status_changed;
  static constexpr std::array<field<t>, 6> list{{
      {"conversation", &t::conversation},
      {"message_id", &t::message_id},
      {"status", &t::status},
      {.name = "error_code", .ptr = &t::error_code, .nullable = true},
      {.name = "error_title", .ptr = &t::error_title, .nullable = true},
      {.name = "provider_id",
       .ptr = &t::provider_id,
       .nullable = true,
       .added_later = true,
       .omit_empty = true},
  }};
};

template <>
struct fields_of<automation_message_sent> {
  using t = automation_message_sent;
  static constexpr std::array<field<t>, 5> list{{
      {"conversation", &t::conversation},
      {"message_id", &t::message_id},
      {"automation", &t::automation},
      {"text", &t::text},
      {"input", &t::input},
  }};
};

template <>
struct fields_of<message_media_changed> {
  using t = message_media_changed;
  static constexpr std::array<field<t>, 5> list{{
      {"conversation", &t::conversation},
      {"message_id", &t::message_id},
      // Either the media or the error: the other is left out.
      {.name = "media",
       .ptr = &t::media,
       .nullable = true,
       .added_later = true,
       .omit_empty = true},
      {.name = "error_code",
       .ptr = &t::error_code,
       .nullable = true,
       .added_later = true,
       .omit_empty = true},
      {.name = "error_title",
       .ptr = &t::error_title,
       .nullable = true,
       .added_later = true,
       .omit_empty = true},
  }};
};

template <>
struct fields_of<note_added> {
  using t = note_added;
  static constexpr std::array<field<t>, 5> list{{
      {"conversation", &t::conversation},
      {"message_id", &t::message_id},
      {"author", &t::author},
      {"text", &t::text},
      {"mentions", &t::mentions},
  }};
};

template <>
struct fields_of<subscription_deleted> {
  using t = subscription_deleted;
  static constexpr std::array<field<t>, 1> list{{
      {"subscription", &t::subscription},
  }};
};

template <>
struct fields_of<subscription_rewound> {
  using t = subscription_rewound;
  static constexpr std::array<field<t>, 2> list{{
      {"subscription", &t::subscription},
      {"position", &t::position},
  }};
};

template <>
struct fields_of<subscription_delivered> {
  using t = subscription_delivered;
  static constexpr std::array<field<t>, 2> list{{
      {"subscription", &t::subscription},
      {"position", &t::position},
  }};
};

// ---- data -------------------------------------------------------------------

template <class T>
struct tag {};

template <class V>
result<event_data> read_data(tag<tenant_created>, const V& j) {
  if (!j.is_object()) {
    return fail(errc::malformed, "must be an object", "data");
  }
  auto t = j.get("tenant");
  if (!t) {
    return fail(errc::malformed, "is required", "data.tenant");
  }
  auto tenant = read_record<tenant_info>(*t, "data.tenant", form::stored);
  ATENDE_TRY(tenant);
  auto a = j.get("admin");
  if (!a) {
    return fail(errc::malformed, "is required", "data.admin");
  }
  auto admin = read_record<agent>(*a, "data.admin", form::stored);
  ATENDE_TRY(admin);
  return tenant_created{std::move(*tenant), std::move(*admin)};
}

template <class V, class T, int Tag>
result<event_data> read_data(tag<saved<T, Tag>>, const V& j) {
  auto x = read_record<T>(j, "data", form::stored);
  ATENDE_TRY(x);
  return saved<T, Tag>{std::move(*x)};
}

template <class V, class T>
result<event_data> read_data(tag<T>, const V& j) {
  auto x = read_record<T>(j, "data", form::stored);
  ATENDE_TRY(x);
  return std::move(*x);
}

template <class V, std::size_t I>
result<event_data> read_alternative(const V& j) {
  return read_data(tag<std::variant_alternative_t<I, event_data>>{}, j);
}

template <class V, std::size_t... I>
constexpr auto make_data_readers(std::index_sequence<I...>) {
  using reader = result<event_data> (*)(const V&);
  return std::array<reader, sizeof...(I)>{&read_alternative<V, I>...};
}

/// read_event_data reads `data` of the event type at `index` of event_data.
template <class V>
result<event_data> read_event_data(std::size_t index, const V& data) {
  static constexpr auto readers = make_data_readers<V>(
      std::make_index_sequence<std::variant_size_v<event_data>>{});
  return readers[index](data);
}

// ---- the event --------------------------------------------------------------

template <class V>
result<std::string> read_event_string(const V& j, const char* key) {
  auto v = j.get(key);
  if (!v) {
    return fail(errc::malformed, "is required", key);
  }
  if (!v->is_string()) {
    return fail(errc::malformed, "must be a string", key);
  }
  return std::string{v->str()};
}

template <class V>
result<std::uint64_t> read_seq(const V& j) {
  auto v = j.get("seq");
  if (!v) {
    return fail(errc::malformed, "is required", "seq");
  }
  if (v->is_integer()) {
    if (auto i = v->int_value(); i && *i >= 0) {
      return static_cast<std::uint64_t>(*i);
    }
  }
  return fail(errc::malformed, "must be a non-negative integer", "seq");
}

template <class V>
result<void> read_event_header(const V& j, event& e) {
  auto seq = read_seq(j);
  ATENDE_TRY(seq);
  e.seq = *seq;
  auto tenant = read_event_string(j, "tenant");
  ATENDE_TRY(tenant);
  e.tenant = std::move(*tenant);
  auto id = read_event_string(j, "id");
  ATENDE_TRY(id);
  if (*id != e.id()) {
    return fail(errc::malformed, "must be <tenant>:<seq>", "id");
  }
  auto at = read_event_string(j, "at");
  ATENDE_TRY(at);
  auto t = parse_time(*at);
  if (!t) {
    return fail(errc::malformed, "not an RFC 3339 time", "at");
  }
  e.at = *t;
  auto actor = read_event_string(j, "actor");
  ATENDE_TRY(actor);
  e.actor = std::move(*actor);
  return {};
}

/// read_event reads the JSON form of an event; errors name the field.
template <class V>
result<event> read_event(const V& j) {
  if (!j.is_object()) {
    return fail(errc::malformed, "an event must be a JSON object");
  }
  event e;
  ATENDE_TRY(read_event_header(j, e));
  auto type = read_event_string(j, "type");
  ATENDE_TRY(type);
  auto index = event_type_index(*type);
  if (!index) {
    return fail(errc::malformed, "unknown event type \"" + *type + "\"",
                "type");
  }
  auto data = j.get("data");
  if (!data) {
    return fail(errc::malformed, "is required", "data");
  }
  auto d = read_event_data(*index, *data);
  ATENDE_TRY(d);
  e.data = std::move(*d);
  return e;
}

} // namespace atende::detail

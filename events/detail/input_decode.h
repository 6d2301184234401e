// detail/input_decode: the validation of inputs, written once over a small
// read-only JSON view so that the nlohmann decoder (input.cc) and the simdjson
// decoder of the ingest hot path (input_fast.cc) cannot disagree.
//
// V is a view of detail/json_view.h.
//
// A decoder that cannot reproduce nlohmann's result exactly (number_text()
// gave nullopt, or a command type in the fast path) returns the error
// `needs_fallback()`, whose code is errc::ok; the caller then decodes with
// nlohmann. That error never leaves events/.
//
// Internal to events/: include only from events/*.cc.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "events/detail/input_fields.h"
#include "events/input.h"

namespace atende::detail {

// ---- envelopes --------------------------------------------------------------

/// json_shape is the JSON type a content key must have.
enum class json_shape : std::uint8_t { object, array, string, boolean };

/// message_content_keys: the keys of a message.received envelope's data that
/// make up its content (message_received_in::content), with their types.
/// WhatsApp's webhook mapping (gateways/whatsapp_webhook.h) writes them;
/// any connector may.
inline constexpr std::array<std::pair<std::string_view, json_shape>, 14>
  message_content_keys{{
    {"contacts", json_shape::array},
    {"errors", json_shape::array},
    {"forwarded", json_shape::boolean},
    {"frequently_forwarded", json_shape::boolean},
    {"interactive", json_shape::object},
    {"location", json_shape::object},
    {"media", json_shape::object},
    {"order", json_shape::object},
    {"reaction", json_shape::object},
    {"referral", json_shape::object},
    {"referred_product", json_shape::object},
    {"reply_to", json_shape::string},
    {"system", json_shape::object},
    {"unsupported", json_shape::object},
  }};

template <class V>
result<void> check_shape(const V& v, json_shape shape,
                         const std::string& path) {
  switch (shape) {
  case json_shape::object:
    if (!v.is_object()) {
      return fail(errc::malformed, "must be an object", path);
    }
    return {};
  case json_shape::array:
    if (!v.is_array()) {
      return fail(errc::malformed, "must be an array", path);
    }
    return {};
  case json_shape::string:
    if (!v.is_string()) {
      return fail(errc::malformed, "must be a string", path);
    }
    if (v.str().empty()) {
      return fail(errc::malformed, "must not be empty", path);
    }
    return {};
  case json_shape::boolean:
    if (!v.is_bool()) {
      return fail(errc::malformed, "must be a boolean", path);
    }
    return {};
  }
  return {};
}

/// check_content_field applies the rules of the content fields the engine
/// reads: a media's id and mime_type, a location's coordinates, a reaction's
/// message_id and emoji, a system message's type, an interactive's type.
template <class V>
result<void> check_content_field(std::string_view key, const V& v) {
  auto prefix = join_path("data", key);
  auto need_number = [&](std::string_view name) -> result<void> {
    auto n = v.get(name);
    if (!n || n->is_null()) {
      return fail(errc::malformed, "is required", join_path(prefix, name));
    }
    if (!n->is_number()) {
      return fail(errc::malformed, "must be a number", join_path(prefix, name));
    }
    return {};
  };
  if (key == "media") {
    ATENDE_TRY(need_string(v, "id", prefix));
    ATENDE_TRY(need_string(v, "mime_type", prefix));
    for (auto name : {"sha256", "filename", "caption"}) {
      ATENDE_TRY(maybe_string(v, name, prefix));
    }
  } else if (key == "location") {
    ATENDE_TRY(need_number("latitude"));
    ATENDE_TRY(need_number("longitude"));
  } else if (key == "reaction") {
    ATENDE_TRY(need_string(v, "message_id", prefix));
    ATENDE_TRY(maybe_string(v, "emoji", prefix));
  } else if (key == "system" || key == "interactive") {
    ATENDE_TRY(need_string(v, "type", prefix));
  }
  return {};
}

/// decode_message_content gathers the content keys of `d` into an object, or
/// null when there are none. A reaction needs `reaction`.
template <class V>
result<nlohmann::json> decode_message_content(const V& d,
                                              std::string_view kind) {
  nlohmann::json content;
  for (auto [key, shape] : message_content_keys) {
    auto v = d.get(key);
    if (!v || v->is_null()) {
      continue;
    }
    ATENDE_TRY(check_shape(*v, shape, join_path("data", key)));
    if (shape == json_shape::object) {
      ATENDE_TRY(check_content_field(key, *v));
    }
    content[std::string{key}] = v->to_json();
  }
  if (kind == "reaction" && !content.contains("reaction")) {
    return fail(errc::malformed, "is required", "data.reaction");
  }
  return content;
}

template <class V>
result<input_data> decode_message_received(const V& d) {
  message_received_in m;
  auto channel = need_string(d, "channel", "data");
  ATENDE_TRY(channel);
  m.channel = std::move(*channel);
  auto from = need_string(d, "from", "data");
  ATENDE_TRY(from);
  auto phone = check_phone(std::move(*from), "data.from");
  ATENDE_TRY(phone);
  m.from = std::move(*phone);
  auto name = maybe_string(d, "name", "data");
  ATENDE_TRY(name);
  m.name = std::move(*name);
  auto message_id = need_string(d, "message_id", "data");
  ATENDE_TRY(message_id);
  m.message_id = std::move(*message_id);
  auto kind = need_string(d, "kind", "data");
  ATENDE_TRY(kind);
  m.kind = std::move(*kind);
  auto text = m.kind == "text" ? need_string(d, "text", "data")
                               : maybe_string(d, "text", "data");
  ATENDE_TRY(text);
  m.text = std::move(*text);
  auto media_url = maybe_string(d, "media_url", "data");
  ATENDE_TRY(media_url);
  m.media_url = std::move(*media_url);
  auto content = decode_message_content(d, m.kind);
  ATENDE_TRY(content);
  m.content = std::move(*content);
  return m;
}

template <class V>
result<void> decode_status_error(const V& d, message_status_in& m) {
  auto e = d.get("error");
  if (!e || e->is_null()) {
    return {};
  }
  if (!e->is_object()) {
    return fail(errc::malformed, "must be an object", "data.error");
  }
  auto code = e->get("code");
  if (!code || code->is_null()) {
    return fail(errc::malformed, "is required", "data.error.code");
  }
  if (code->is_string()) {
    m.error_code = std::string{code->str()};
  } else if (code->is_number()) {
    auto text = code->number_text();
    if (!text) {
      return std::unexpected(needs_fallback());
    }
    m.error_code = std::move(*text);
  } else {
    return fail(errc::malformed, "must be a string or a number",
                "data.error.code");
  }
  auto title = maybe_string(*e, "title", "data.error");
  ATENDE_TRY(title);
  m.error_title = std::move(*title);
  return {};
}

template <class V>
result<input_data> decode_message_status(const V& d) {
  message_status_in m;
  auto channel = need_string(d, "channel", "data");
  ATENDE_TRY(channel);
  m.channel = std::move(*channel);
  auto status = need_string(d, "status", "data");
  ATENDE_TRY(status);
  ATENDE_TRY(check_one_of(
    *status, {"accepted", "sent", "delivered", "read", "failed"},
    "data.status"));
  m.status = std::move(*status);
  // atende's id, the provider's, or (accepted: the pair) both.
  auto message_id = maybe_string(d, "message_id", "data");
  ATENDE_TRY(message_id);
  m.message_id = std::move(*message_id);
  auto provider = maybe_string(d, "provider_message_id", "data");
  ATENDE_TRY(provider);
  m.provider_message_id = std::move(*provider);
  if (m.message_id.empty() &&
      (m.provider_message_id.empty() || m.status == "accepted")) {
    return fail(errc::malformed, "is required", "data.message_id");
  }
  if (m.status == "accepted" && m.provider_message_id.empty()) {
    return fail(errc::malformed, "is required with status accepted",
                "data.provider_message_id");
  }
  ATENDE_TRY(decode_status_error(d, m));
  return m;
}

/// decode_message_media reads a message.media envelope: the stored media
/// {id, mime_type, size, sha256} or an error {code, title}, one of them.
template <class V>
result<input_data> decode_message_media(const V& d) {
  message_media_in m;
  for (auto [key, out] : {std::pair{"channel", &m.channel},
                          std::pair{"conversation", &m.conversation},
                          std::pair{"message_id", &m.message_id}}) {
    auto s = need_string(d, key, "data");
    ATENDE_TRY(s);
    *out = std::move(*s);
  }
  auto media = d.get("media");
  auto err = d.get("error");
  const bool has_media = media && !media->is_null();
  const bool has_error = err && !err->is_null();
  if (has_media == has_error) {
    return fail(errc::malformed, "give media or error, one of them",
                "data.media");
  }
  if (has_error) {
    if (!err->is_object()) {
      return fail(errc::malformed, "must be an object", "data.error");
    }
    auto code = need_string(*err, "code", "data.error");
    ATENDE_TRY(code);
    m.error_code = std::move(*code);
    auto title = maybe_string(*err, "title", "data.error");
    ATENDE_TRY(title);
    m.error_title = std::move(*title);
    return m;
  }
  if (!media->is_object()) {
    return fail(errc::malformed, "must be an object", "data.media");
  }
  auto id = need_string(*media, "id", "data.media");
  ATENDE_TRY(id);
  if (!is_valid_id(*id)) {
    return fail(errc::malformed, "must match [A-Za-z0-9._:-]{1,128}",
                "data.media.id");
  }
  ATENDE_TRY(need_string(*media, "mime_type", "data.media"));
  ATENDE_TRY(maybe_string(*media, "sha256", "data.media"));
  auto size = media->get("size");
  if (!size || !size->is_integer() || !size->int_value() ||
      *size->int_value() < 0) {
    return fail(errc::malformed, "must be a non-negative integer",
                "data.media.size");
  }
  m.media = media->to_json();
  return m;
}

template <class V>
result<input_data> decode_template_status(const V& d) {
  template_status_in m;
  for (auto [key, out] :
       {std::pair{"channel", &m.channel}, std::pair{"name", &m.name},
        std::pair{"language", &m.language}, std::pair{"status", &m.status}}) {
    auto s = need_string(d, key, "data");
    ATENDE_TRY(s);
    *out = std::move(*s);
  }
  ATENDE_TRY(check_one_of(
      m.status, {"approved", "pending", "rejected", "paused", "disabled"},
      "data.status"));
  return m;
}

template <class V>
result<input_data> decode_automation_message(const V& d) {
  automation_message_in m;
  auto channel = need_string(d, "channel", "data");
  ATENDE_TRY(channel);
  m.channel = std::move(*channel);
  auto to = need_string(d, "to", "data");
  ATENDE_TRY(to);
  auto phone = check_phone(std::move(*to), "data.to");
  ATENDE_TRY(phone);
  m.to = std::move(*phone);
  auto automation = need_string(d, "automation", "data");
  ATENDE_TRY(automation);
  m.automation = std::move(*automation);
  auto text = need_string(d, "text", "data");
  ATENDE_TRY(text);
  m.text = std::move(*text);
  return m;
}

template <class V>
result<input_data> decode_conversation_route(const V& d) {
  conversation_route_in m;
  auto channel = need_string(d, "channel", "data");
  ATENDE_TRY(channel);
  m.channel = std::move(*channel);
  auto contact = need_string(d, "contact", "data");
  ATENDE_TRY(contact);
  m.contact = std::move(*contact);
  auto team = maybe_id(d, "team", "data");
  ATENDE_TRY(team);
  m.team = std::move(*team);
  auto code = maybe_id(d, "portfolio_code", "data");
  ATENDE_TRY(code);
  m.portfolio_code = std::move(*code);
  if (m.team.empty() && m.portfolio_code.empty()) {
    return fail(errc::malformed, "team or portfolio_code is required",
                "data.team");
  }
  return m;
}

template <class V>
result<input_data> decode_contact_upsert(const V& d) {
  contact_upsert_in m;
  auto phone = need_string(d, "phone", "data");
  ATENDE_TRY(phone);
  auto checked = check_phone(std::move(*phone), "data.phone");
  ATENDE_TRY(checked);
  m.phone = std::move(*checked);
  if (auto name = d.get("name"); name && !name->is_null()) {
    auto s = maybe_string(d, "name", "data");
    ATENDE_TRY(s);
    if (s->empty()) {
      return fail(errc::invalid_value, "must not be empty", "data.name");
    }
    m.name = std::move(*s);
  }
  auto tags = maybe_strings(d, "tags", "data");
  ATENDE_TRY(tags);
  m.tags = std::move(*tags);
  if (d.get("stage")) {
    auto s = maybe_string(d, "stage", "data");
    ATENDE_TRY(s);
    m.stage = std::move(*s);
  }
  auto departments = maybe_strings(d, "departments", "data");
  ATENDE_TRY(departments);
  m.departments = std::move(*departments);
  return m;
}

template <class V>
result<input_data> decode_envelope(std::size_t index, const V& d) {
  switch (index) {
  case 0:
    return decode_message_received(d);
  case 1:
    return decode_message_status(d);
  case 2:
    return decode_template_status(d);
  case 3:
    return decode_automation_message(d);
  case 4:
    return decode_conversation_route(d);
  case media_input_index:
    return decode_message_media(d);
  default:
    return decode_contact_upsert(d);
  }
}

// ---- commands on a conversation (the ingest hot path too) ------------------

/// max_note_bytes: the longest note's text.
inline constexpr std::size_t max_note_bytes = 4096;

template <class V>
result<input_data> decode_assign(const V& d) {
  conversation_assign c;
  auto conversation = need_string(d, "conversation", "data");
  ATENDE_TRY(conversation);
  c.conversation = std::move(*conversation);
  auto agent = maybe_id(d, "agent", "data");
  ATENDE_TRY(agent);
  c.agent = std::move(*agent);
  return c;
}

template <class V>
result<input_data> decode_transfer(const V& d) {
  conversation_transfer c;
  auto conversation = need_string(d, "conversation", "data");
  ATENDE_TRY(conversation);
  c.conversation = std::move(*conversation);
  auto agent = maybe_id(d, "agent", "data");
  ATENDE_TRY(agent);
  c.agent = std::move(*agent);
  auto team = maybe_id(d, "team", "data");
  ATENDE_TRY(team);
  c.team = std::move(*team);
  if (c.agent.empty() && c.team.empty()) {
    return fail(errc::malformed, "agent or team is required", "data.agent");
  }
  if (!c.agent.empty() && !c.team.empty()) {
    return fail(errc::malformed, "give agent or team, not both", "data.team");
  }
  auto note = maybe_string(d, "note", "data");
  ATENDE_TRY(note);
  c.note = std::move(*note);
  if (c.note.size() > max_note_bytes) {
    return fail(errc::invalid_value, "is longer than 4096 bytes", "data.note");
  }
  return c;
}

template <class V>
result<input_data> decode_finish(const V& d) {
  conversation_finish c;
  auto conversation = need_string(d, "conversation", "data");
  ATENDE_TRY(conversation);
  c.conversation = std::move(*conversation);
  auto reason = maybe_id(d, "reason", "data");
  ATENDE_TRY(reason);
  c.reason = std::move(*reason);
  auto description = maybe_string(d, "description", "data");
  ATENDE_TRY(description);
  c.description = std::move(*description);
  return c;
}

// ---- the input --------------------------------------------------------------

/// is_command_actor: `root` or `agent:<id>`.
inline bool is_command_actor(std::string_view a) {
  if (a == "root") {
    return true;
  }
  return a.starts_with("agent:") &&
         is_valid_id(std::string{a.substr(std::string_view{"agent:"}.size())});
}

/// is_envelope_actor: a command actor, `connector` or `rule:<name>`.
inline bool is_envelope_actor(std::string_view a) {
  return a == "connector" || is_command_actor(a) ||
         (a.starts_with("rule:") && a.size() > 5);
}

template <class V>
result<std::string> decode_id(const V& root, std::string_view key) {
  auto s = need_string(root, key, "");
  ATENDE_TRY(s);
  if (!is_valid_id(*s)) {
    return fail(errc::malformed, "must match [A-Za-z0-9._:-]{1,128}",
                std::string{key});
  }
  return s;
}

/// clock_actor: the only actor of a tenant.tick.
inline constexpr std::string_view clock_actor = "rule:clock";
inline constexpr std::string_view tick_type = "tenant.tick";
/// subscriptions_actor: the only actor of a subscription.progress.
inline constexpr std::string_view subscriptions_actor = "rule:subscriptions";
inline constexpr std::string_view progress_type = "subscription.progress";

template <class V>
result<void> decode_actor(const V& root, std::string_view type, bool envelope,
                          input& in) {
  auto a = root.get("actor");
  if (!a || a->is_null()) {
    if (envelope) {
      in.actor = "connector";
      return {};
    }
    return fail(errc::malformed, "is required", "actor");
  }
  if (!a->is_string()) {
    return fail(errc::malformed, "must be a string", "actor");
  }
  std::string_view actor = a->str();
  if (type == tick_type) {
    if (actor != clock_actor) {
      return fail(errc::malformed, "must be rule:clock", "actor");
    }
  } else if (type == progress_type) {
    if (actor != subscriptions_actor) {
      return fail(errc::malformed, "must be rule:subscriptions", "actor");
    }
  } else if (envelope ? !is_envelope_actor(actor) : !is_command_actor(actor)) {
    return fail(errc::malformed,
                envelope ? "must be connector, root, agent:<id> or rule:<name>"
                         : "must be root or agent:<id>",
                "actor");
  }
  in.actor = std::string{actor};
  return {};
}

template <class V>
result<void> decode_header(const V& root, input& in) {
  auto id = decode_id(root, "id");
  ATENDE_TRY(id);
  in.id = std::move(*id);
  auto tenant = decode_id(root, "tenant");
  ATENDE_TRY(tenant);
  in.tenant = std::move(*tenant);
  auto at = need_string(root, "at", "");
  ATENDE_TRY(at);
  auto t = parse_time(*at);
  if (!t) {
    return fail(errc::malformed, "not an RFC 3339 time", "at");
  }
  in.at = *t;
  return {};
}

/// decode_with decodes a whole input; commands' data go to `on_command`
/// (`result<input_data>(std::size_t index, const V& data)`).
template <class V, class OnCommand>
result<input> decode_with(const V& root, input_scope scope,
                          OnCommand&& on_command) {
  if (!root.is_object()) {
    return fail(errc::malformed, "must be a JSON object", "body");
  }
  input in;
  ATENDE_TRY(decode_header(root, in));
  auto type = need_string(root, "type", "");
  ATENDE_TRY(type);
  auto index = input_type_index(*type);
  if (!index) {
    return fail(errc::malformed, "unknown input type \"" + *type + "\"",
                "type");
  }
  bool envelope = is_envelope_index(*index);
  if (!envelope && scope == input_scope::envelopes) {
    return fail(errc::malformed, "not an envelope type", "type");
  }
  ATENDE_TRY(decode_actor(root, *type, envelope, in));
  auto data = root.get("data");
  if (!data || data->is_null()) {
    return fail(errc::malformed, "is required", "data");
  }
  if (!data->is_object()) {
    return fail(errc::malformed, "must be an object", "data");
  }
  auto d =
      envelope ? decode_envelope(*index, *data) : on_command(*index, *data);
  ATENDE_TRY(d);
  in.data = std::move(*d);
  return in;
}

} // namespace atende::detail

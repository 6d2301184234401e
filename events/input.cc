#include "events/input.h"

#include "events/detail/input_decode.h"
#include "events/detail/records.h"
#include "events/json.h"

namespace atende {

namespace {

using json = nlohmann::json;
using detail::need_string;
using detail::nl_view;

// ---- commands ---------------------------------------------------------------

result<input_data> decode_tenant_create(const json& d) {
  auto t = d.find("tenant");
  if (t == d.end()) {
    return fail(errc::malformed, "is required", "data.tenant");
  }
  auto tenant = detail::read_new_record<tenant_info>(*t, "data.tenant");
  ATENDE_TRY(tenant);
  auto a = d.find("admin");
  if (a == d.end()) {
    return fail(errc::malformed, "is required", "data.admin");
  }
  auto admin =
      detail::read_record<agent>(*a, "data.admin", detail::form::create);
  ATENDE_TRY(admin);
  if (auto role = a->find("role"); role == a->end() || role->is_null()) {
    admin->role = agent_role::admin;
  }
  ATENDE_TRY(detail::check_new_record(*admin, "data.admin"));
  if (admin->role != agent_role::admin) {
    return fail(errc::invalid_value, "must be admin", "data.admin.role");
  }
  return tenant_create{std::move(*tenant), std::move(*admin)};
}

template <class T>
result<input_data> decode_create(const json& d) {
  auto x = detail::read_new_record<T>(d, "data");
  ATENDE_TRY(x);
  return create<T>{std::move(*x)};
}

template <class T>
result<input_data> decode_patch(const json& d) {
  auto id = need_string(nl_view{d}, "id", "data");
  ATENDE_TRY(id);
  auto fields = d.find("fields");
  if (fields == d.end()) {
    return fail(errc::malformed, "is required", "data.fields");
  }
  ATENDE_TRY(detail::check_fields<T>(*fields, "data.fields"));
  return patch<T>{std::move(*id), *fields};
}

/// decode_template_send reads `data.template`: {name, language?, params?}.
result<template_send> decode_template_send(const nl_view& t) {
  if (!t.is_object()) {
    return fail(errc::malformed, "must be an object", "data.template");
  }
  template_send out;
  auto name = need_string(t, "name", "data.template");
  ATENDE_TRY(name);
  out.name = std::move(*name);
  auto language = detail::maybe_id(t, "language", "data.template");
  ATENDE_TRY(language);
  out.language = std::move(*language);
  auto params = detail::maybe_strings(t, "params", "data.template");
  ATENDE_TRY(params);
  out.params = params->value_or(std::vector<std::string>{});
  return out;
}

/// decode_message_body reads exactly one of `text` and `template`.
result<void> decode_message_body(const nl_view& d, std::string& text,
                                 std::optional<template_send>& tmpl) {
  auto t = d.get("template");
  bool has_template = t && !t->is_null();
  auto txt = detail::maybe_string(d, "text", "data");
  ATENDE_TRY(txt);
  if (has_template && !txt->empty()) {
    return fail(errc::malformed, "give text or template, not both",
                "data.template");
  }
  if (has_template) {
    auto ts = decode_template_send(*t);
    ATENDE_TRY(ts);
    tmpl = std::move(*ts);
    return {};
  }
  if (txt->empty()) {
    return fail(errc::malformed, "text or template is required", "data.text");
  }
  text = std::move(*txt);
  return {};
}

/// WhatsApp's longest media caption.
constexpr std::size_t max_caption = 1024;

/// decode_send_media reads `data.media` of a send: {id, mime_type, size,
/// sha256, filename?, caption?}.
result<json> decode_send_media(const nl_view& m) {
  if (!m.is_object()) {
    return fail(errc::malformed, "must be an object", "data.media");
  }
  auto id = detail::maybe_id(m, "id", "data.media");
  ATENDE_TRY(id);
  if (id->empty()) {
    return fail(errc::malformed, "is required", "data.media.id");
  }
  json out{{"id", *id}};
  for (auto key : {"mime_type", "sha256", "filename", "caption"}) {
    auto s = detail::maybe_string(m, key, "data.media");
    ATENDE_TRY(s);
    if (!s->empty()) {
      out[key] = std::move(*s);
    }
  }
  if (!out.contains("mime_type")) {
    return fail(errc::malformed, "is required", "data.media.mime_type");
  }
  if (out.value("caption", "").size() > max_caption) {
    return fail(errc::invalid_value, "must be at most 1024 bytes",
                "data.media.caption");
  }
  if (auto size = m.get("size"); size && !size->is_null()) {
    if (!size->is_integer() || !size->int_value() || *size->int_value() < 0) {
      return fail(errc::malformed, "must be a non-negative integer",
                  "data.media.size");
    }
    out["size"] = *size->int_value();
  }
  return out;
}

/// decode_send_reaction reads `data.reaction` of a send: {message_id,
/// emoji (empty: the reaction is removed), provider_id?}.
result<json> decode_send_reaction(const nl_view& r) {
  if (!r.is_object()) {
    return fail(errc::malformed, "must be an object", "data.reaction");
  }
  auto target = need_string(r, "message_id", "data.reaction");
  ATENDE_TRY(target);
  auto emoji = detail::maybe_string(r, "emoji", "data.reaction");
  ATENDE_TRY(emoji);
  if (emoji->size() > 32) {
    return fail(errc::invalid_value, "must be one emoji", "data.reaction.emoji");
  }
  auto provider = detail::maybe_string(r, "provider_id", "data.reaction");
  ATENDE_TRY(provider);
  json out{{"message_id", std::move(*target)}, {"emoji", std::move(*emoji)}};
  if (!provider->empty()) {
    out["provider_id"] = std::move(*provider);
  }
  return out;
}

/// decode_send_content reads what a send holds besides text and template:
/// a media, a reaction (alone) and the quoted message; null when none.
result<json> decode_send_content(const nl_view& d, conversation_send& c) {
  json content;
  auto media = d.get("media");
  auto reaction = d.get("reaction");
  const bool has_media = media && !media->is_null();
  const bool has_reaction = reaction && !reaction->is_null();
  if (has_media || has_reaction) {
    for (auto key : {"text", "template"}) {
      if (auto v = d.get(key); v && !v->is_null()) {
        return fail(errc::malformed,
                    has_media ? "give text, template or media, one of them "
                                "(a media's text is its caption)"
                              : "a reaction is sent alone",
                    std::string{"data."} + key);
      }
    }
  }
  if (has_media && has_reaction) {
    return fail(errc::malformed, "a reaction is sent alone", "data.media");
  }
  if (has_media) {
    auto m = decode_send_media(*media);
    ATENDE_TRY(m);
    content["media"] = std::move(*m);
  }
  if (has_reaction) {
    auto r = decode_send_reaction(*reaction);
    ATENDE_TRY(r);
    content["reaction"] = std::move(*r);
  }
  auto reply_to = detail::maybe_id(d, "reply_to", "data");
  ATENDE_TRY(reply_to);
  if (!reply_to->empty()) {
    if (has_reaction) {
      return fail(errc::malformed, "a reaction is sent alone", "data.reply_to");
    }
    content["reply_to"] = std::move(*reply_to);
    auto provider = detail::maybe_string(d, "reply_to_provider", "data");
    ATENDE_TRY(provider);
    if (!provider->empty()) {
      content["reply_to_provider"] = std::move(*provider);
    }
  }
  if (!has_media && !has_reaction) {
    ATENDE_TRY(decode_message_body(d, c.text, c.tmpl));
  }
  return content;
}

result<input_data> decode_send(const nl_view& d) {
  conversation_send c;
  auto conversation = need_string(d, "conversation", "data");
  ATENDE_TRY(conversation);
  c.conversation = std::move(*conversation);
  auto content = decode_send_content(d, c);
  ATENDE_TRY(content);
  c.content = std::move(*content);
  auto key = detail::maybe_id(d, "idempotency_key", "data");
  ATENDE_TRY(key);
  c.idempotency_key = std::move(*key);
  return c;
}

result<input_data> decode_start(const nl_view& d) {
  conversation_start c;
  auto channel = need_string(d, "channel", "data");
  ATENDE_TRY(channel);
  c.channel = std::move(*channel);
  auto to = detail::maybe_string(d, "to", "data");
  ATENDE_TRY(to);
  auto contact = detail::maybe_id(d, "contact", "data");
  ATENDE_TRY(contact);
  c.contact = std::move(*contact);
  if (to->empty() == c.contact.empty()) {
    return fail(errc::malformed, "give to (a number) or contact, one of them",
                "data.to");
  }
  if (!to->empty()) {
    auto phone = detail::check_phone(std::move(*to), "data.to");
    ATENDE_TRY(phone);
    c.to = std::move(*phone);
  }
  auto team = detail::maybe_id(d, "team", "data");
  ATENDE_TRY(team);
  c.team = std::move(*team);
  ATENDE_TRY(decode_message_body(d, c.text, c.tmpl));
  return c;
}

result<input_data> decode_note(const nl_view& d) {
  conversation_note n;
  auto conversation = need_string(d, "conversation", "data");
  ATENDE_TRY(conversation);
  n.conversation = std::move(*conversation);
  auto text = need_string(d, "text", "data");
  ATENDE_TRY(text);
  n.text = std::move(*text);
  if (n.text.size() > detail::max_note_bytes) {
    return fail(errc::invalid_value, "is longer than 4096 bytes", "data.text");
  }
  return n;
}

result<input_data> decode_portfolio_delete(const nl_view& d) {
  auto id = need_string(d, "portfolio", "data");
  ATENDE_TRY(id);
  return portfolio_delete{std::move(*id)};
}

result<input_data> decode_portfolio_contacts(const nl_view& d) {
  portfolio_contacts c;
  auto id = need_string(d, "portfolio", "data");
  ATENDE_TRY(id);
  c.portfolio = std::move(*id);
  auto add = detail::maybe_strings(d, "add", "data");
  ATENDE_TRY(add);
  c.add = add->value_or(std::vector<std::string>{});
  auto remove = detail::maybe_strings(d, "remove", "data");
  ATENDE_TRY(remove);
  c.remove = remove->value_or(std::vector<std::string>{});
  return c;
}

result<input_data> decode_agent_status(const nl_view& d) {
  auto status = need_string(d, "status", "data");
  ATENDE_TRY(status);
  ATENDE_TRY(detail::check_one_of(*status, {"online", "offline"},
                                  "data.status"));
  return agent_set_status{std::move(*status)};
}

result<input_data> decode_agent_pause(const nl_view& d) {
  auto type = need_string(d, "type", "data");
  ATENDE_TRY(type);
  return agent_pause{std::move(*type)};
}

result<input_data> decode_automate(const nl_view& d) {
  conversation_automate c;
  auto conversation = need_string(d, "conversation", "data");
  ATENDE_TRY(conversation);
  c.conversation = std::move(*conversation);
  auto automation = need_string(d, "automation", "data");
  ATENDE_TRY(automation);
  c.automation = std::move(*automation);
  return c;
}

result<input_data> decode_session_start(const nl_view& d) {
  session_start s;
  auto hash = need_string(d, "token_hash", "data");
  ATENDE_TRY(hash);
  s.token_hash = std::move(*hash);
  auto expires = need_string(d, "expires_at", "data");
  ATENDE_TRY(expires);
  if (!parse_time(*expires)) {
    return fail(errc::malformed, "must be an RFC 3339 time", "data.expires_at");
  }
  s.expires_at = std::move(*expires);
  return s;
}

result<input_data> decode_session_end(const nl_view& d) {
  auto hash = need_string(d, "token_hash", "data");
  ATENDE_TRY(hash);
  return session_end{std::move(*hash)};
}

/// need_count reads a present integer of at least `min` (a journal
/// position, an epoch).
result<std::int64_t> need_count(const nl_view& d, std::string_view key,
                                std::int64_t min) {
  auto v = d.get(key);
  const auto path = detail::join_path("data", key);
  if (!v || v->is_null()) {
    return fail(errc::malformed, "is required", path);
  }
  if (!v->is_integer()) {
    return fail(errc::malformed, "must be an integer", path);
  }
  auto i = v->int_value();
  if (!i || *i < min) {
    return fail(errc::invalid_value,
                "must be an integer of at least " + std::to_string(min), path);
  }
  return *i;
}

result<input_data> decode_subscription_delete(const nl_view& d) {
  auto id = need_string(d, "subscription", "data");
  ATENDE_TRY(id);
  return subscription_delete{std::move(*id)};
}

result<input_data> decode_subscription_redeliver(const nl_view& d) {
  auto id = need_string(d, "subscription", "data");
  ATENDE_TRY(id);
  auto from = need_count(d, "from_seq", 1);
  ATENDE_TRY(from);
  return subscription_redeliver{std::move(*id), *from};
}

result<input_data> decode_subscription_progress(const nl_view& d) {
  auto id = need_string(d, "subscription", "data");
  ATENDE_TRY(id);
  auto position = need_count(d, "position", 0);
  ATENDE_TRY(position);
  auto epoch = need_count(d, "epoch", 0);
  ATENDE_TRY(epoch);
  return subscription_progress{std::move(*id), *position, *epoch};
}

result<input_data> decode_command(std::size_t index, const nl_view& d) {
  const json& j = d.raw();
  switch (index) {
  case 6:
    return decode_tenant_create(j);
  case 7:
    return decode_create<channel>(j);
  case 8:
    return decode_patch<channel>(j);
  case 9:
    return decode_create<team>(j);
  case 10:
    return decode_patch<team>(j);
  case 11:
    return decode_create<agent>(j);
  case 12:
    return decode_patch<agent>(j);
  case 13:
    return decode_create<reason>(j);
  case 14:
    return decode_patch<reason>(j);
  case 15:
    return decode_create<contact>(j);
  case 16:
    return decode_patch<contact>(j);
  case detail::input_index<conversation_assign>:
    return detail::decode_assign(d);
  case 18:
    return decode_send(d);
  case detail::input_index<conversation_transfer>:
    return detail::decode_transfer(d);
  case detail::input_index<conversation_finish>:
    return detail::decode_finish(d);
  case 21:
    return decode_create<pause_type>(j);
  case 22:
    return decode_patch<pause_type>(j);
  case 23:
    return decode_create<portfolio>(j);
  case 24:
    return decode_patch<portfolio>(j);
  case 25:
    return decode_portfolio_delete(d);
  case 26:
    return decode_portfolio_contacts(d);
  case 27:
    return decode_agent_status(d);
  case 28:
    return decode_agent_pause(d);
  case 29:
    return agent_resume{};
  case 30:
    return decode_automate(d);
  case 31:
    return tenant_tick{};
  case 32:
    return decode_create<message_template>(j);
  case 33:
    return decode_patch<message_template>(j);
  case 34:
    return decode_start(d);
  case 35:
    return decode_session_start(d);
  case 36:
    return decode_session_end(d);
  case 38:
    return decode_create<subscription>(j);
  case 39:
    return decode_patch<subscription>(j);
  case 40:
    return decode_subscription_delete(d);
  case 41:
    return decode_subscription_redeliver(d);
  case 42:
    return decode_subscription_progress(d);
  default:
    return decode_note(d);
  }
}

// ---- encoding ---------------------------------------------------------------

void put_if(json& j, const char* key, const std::string& v) {
  if (!v.empty()) {
    j[key] = v;
  }
}

json encode_data(const message_received_in& m) {
  json j{{"channel", m.channel},
         {"from", m.from},
         {"message_id", m.message_id},
         {"kind", m.kind}};
  put_if(j, "name", m.name);
  put_if(j, "text", m.text);
  put_if(j, "media_url", m.media_url);
  if (m.content.is_object()) {
    for (const auto& [key, value] : m.content.items()) {
      j[key] = value;
    }
  }
  return j;
}

json encode_data(const message_status_in& m) {
  json j{{"channel", m.channel}, {"status", m.status}};
  put_if(j, "message_id", m.message_id);
  put_if(j, "provider_message_id", m.provider_message_id);
  if (!m.error_code.empty() || !m.error_title.empty()) {
    json e{{"code", m.error_code}};
    put_if(e, "title", m.error_title);
    j["error"] = std::move(e);
  }
  return j;
}

json encode_data(const message_media_in& m) {
  json j{{"channel", m.channel},
         {"conversation", m.conversation},
         {"message_id", m.message_id}};
  if (!m.media.is_null()) {
    j["media"] = m.media;
  } else {
    json e{{"code", m.error_code}};
    put_if(e, "title", m.error_title);
    j["error"] = std::move(e);
  }
  return j;
}

json encode_data(const template_status_in& m) {
  return {{"channel", m.channel},
          {"name", m.name},
          {"language", m.language},
          {"status", m.status}};
}

json encode_data(const automation_message_in& m) {
  return {{"channel", m.channel},
          {"to", m.to},
          {"automation", m.automation},
          {"text", m.text}};
}

json encode_data(const conversation_route_in& m) {
  json j{{"channel", m.channel}, {"contact", m.contact}};
  put_if(j, "team", m.team);
  put_if(j, "portfolio_code", m.portfolio_code);
  return j;
}

json encode_data(const contact_upsert_in& m) {
  json j{{"phone", m.phone}};
  if (m.name) {
    j["name"] = *m.name;
  }
  if (m.tags) {
    j["tags"] = *m.tags;
  }
  if (m.stage) {
    j["stage"] = detail::render_value(*m.stage, true);
  }
  if (m.departments) {
    j["departments"] = *m.departments;
  }
  return j;
}

json encode_data(const tenant_create& m) {
  return {{"tenant", m.tenant}, {"admin", m.admin}};
}

template <class T>
json encode_data(const create<T>& m) {
  return m.value;
}

template <class T>
json encode_data(const patch<T>& m) {
  return {{"id", m.id}, {"fields", m.fields}};
}

json encode_data(const conversation_assign& m) {
  json j{{"conversation", m.conversation}};
  put_if(j, "agent", m.agent);
  return j;
}

void put_body(json& j, const std::string& text,
              const std::optional<template_send>& tmpl) {
  if (tmpl) {
    json t{{"name", tmpl->name}, {"params", tmpl->params}};
    put_if(t, "language", tmpl->language);
    j["template"] = std::move(t);
  } else {
    j["text"] = text;
  }
}

json encode_data(const conversation_send& m) {
  json j{{"conversation", m.conversation}};
  if (m.content.is_object() &&
      (m.content.contains("media") || m.content.contains("reaction"))) {
    // No text: a media's text is its caption, a reaction has none.
  } else {
    put_body(j, m.text, m.tmpl);
  }
  if (m.content.is_object()) {
    for (const auto& [key, value] : m.content.items()) {
      j[key] = value;
    }
  }
  put_if(j, "idempotency_key", m.idempotency_key);
  return j;
}

json encode_data(const conversation_start& m) {
  json j{{"channel", m.channel}};
  put_if(j, "to", m.to);
  put_if(j, "contact", m.contact);
  put_if(j, "team", m.team);
  put_body(j, m.text, m.tmpl);
  return j;
}

json encode_data(const conversation_transfer& m) {
  json j{{"conversation", m.conversation}};
  put_if(j, "agent", m.agent);
  put_if(j, "team", m.team);
  put_if(j, "note", m.note);
  return j;
}

json encode_data(const conversation_note& m) {
  return {{"conversation", m.conversation}, {"text", m.text}};
}

json encode_data(const conversation_finish& m) {
  json j{{"conversation", m.conversation}};
  put_if(j, "reason", m.reason);
  put_if(j, "description", m.description);
  return j;
}

json encode_data(const portfolio_delete& m) {
  return {{"portfolio", m.portfolio}};
}

json encode_data(const portfolio_contacts& m) {
  return {{"portfolio", m.portfolio}, {"add", m.add}, {"remove", m.remove}};
}

json encode_data(const agent_set_status& m) {
  return {{"status", m.status}};
}

json encode_data(const agent_pause& m) {
  return {{"type", m.type}};
}

json encode_data(const agent_resume&) {
  return json::object();
}

json encode_data(const tenant_tick&) {
  return json::object();
}

json encode_data(const session_start& m) {
  return {{"token_hash", m.token_hash}, {"expires_at", m.expires_at}};
}

json encode_data(const session_end& m) {
  return {{"token_hash", m.token_hash}};
}

json encode_data(const subscription_delete& m) {
  return {{"subscription", m.subscription}};
}

json encode_data(const subscription_redeliver& m) {
  return {{"subscription", m.subscription}, {"from_seq", m.from_seq}};
}

json encode_data(const subscription_progress& m) {
  return {{"subscription", m.subscription},
          {"position", m.position},
          {"epoch", m.epoch}};
}

json encode_data(const conversation_automate& m) {
  return {{"conversation", m.conversation}, {"automation", m.automation}};
}

} // namespace

std::string_view input_type_name(const input_data& d) {
  return detail::input_types[d.index()];
}

result<input> decode_input(const nlohmann::json& j, input_scope scope) {
  return detail::decode_with(nl_view{j}, scope, decode_command);
}

result<input> decode_input_text(std::string_view text, input_scope scope) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    return fail(errc::malformed, "not valid JSON", "body");
  }
  return decode_input(j, scope);
}

nlohmann::json encode_input(const input& in) {
  json j{{"id", in.id},
         {"tenant", in.tenant},
         {"at", format_time(in.at)},
         {"type", input_type_name(in.data)}};
  if (!(in.is_envelope() && in.actor == "connector")) {
    j["actor"] = in.actor;
  }
  j["data"] = std::visit([](const auto& d) { return encode_data(d); }, in.data);
  return j;
}

std::string agent_of(const std::string& actor) {
  constexpr std::string_view prefix = "agent:";
  if (!actor.starts_with(prefix)) {
    return {};
  }
  return actor.substr(prefix.size());
}

} // namespace atende

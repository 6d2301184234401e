// input: what enters the engine through the log, one record each.
//
// An input is either a connector envelope (CONTRACT section 4) or a command
// from a dashboard, stamped by the HTTP gateway. Both share one JSON shape,
// which is also the value of a local-log or Kafka record:
//   {"id":"wamid.1","tenant":"acme","at":"2026-11-21T13:05:00.000Z",
//    "type":"message.received","actor":"connector","data":{...}}
// Envelopes have no `actor` (it reads as "connector"). Commands have
// `actor` = `agent:<id>` or `root`, and an `at` stamped on arrival; the
// engine's own tenant.tick has `rule:clock`.
//
// decode_input validates completely: a missing or ill-typed field gives
// errc::malformed naming it (`data.channel`), a bad value errc::invalid_*;
// nothing half-decoded ever comes out.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/errc.h"
#include "events/model.h"
#include "events/time.h"

namespace atende {

// ---- connector envelopes ----------------------------------------------------

struct message_received_in {
  std::string channel; // channel id, or Meta's phone_number_id
  std::string from;    // customer's number (digits)
  std::string name;
  std::string message_id; // connector's message id
  std::string kind;
  std::string text;
  std::string media_url;
  // What a text does not hold (media, location, contacts, interactive,
  // reaction, reply_to, …; see message_content_keys in
  // detail/input_decode.h): the envelope's keys as sent, or null.
  nlohmann::json content;
};

/// message_status_in: how far an outbound message got. It is named by
/// atende's `message_id`, or by the provider's id (Meta's wamid) once the
/// provider accepted it; "accepted" carries both and records the pair.
struct message_status_in {
  std::string channel;
  std::string message_id;
  std::string status; // accepted|sent|delivered|read|failed
  std::string error_code;
  std::string error_title;
  std::string provider_message_id;
};

/// message_media_in: what became of the media of customer message
/// `message_id` in `conversation`: stored (`media` {id, mime_type, size,
/// sha256}: atende's media id is the hex SHA-256 of the bytes) or not
/// fetched (`error_code`, `error_title`; still retried unless the title says
/// it gave up). atende's media fetcher sends it (actor `rule:media`); an
/// outside connector that uploads the bytes with `POST /v1/media` may too.
struct message_media_in {
  std::string channel;
  std::string conversation;
  std::string message_id;
  nlohmann::json media; // null with an error
  std::string error_code;
  std::string error_title;
  friend bool operator==(const message_media_in&,
                         const message_media_in&) = default;
};

struct template_status_in {
  std::string channel, name, language, status;
};

struct automation_message_in {
  std::string channel, to, automation, text;
};

struct conversation_route_in {
  std::string channel, contact, team, portfolio_code;
};

struct contact_upsert_in {
  std::string phone;
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> stage;
  std::optional<std::vector<std::string>> departments;
};

// ---- dashboard commands -----------------------------------------------------

struct tenant_create {
  tenant_info tenant;
  agent admin; // token_hash set by the gateway
};

template <class T>
struct create {
  T value;
};

/// patch changes some fields of a record; `fields` has been validated against
/// the record's field types by decode_input (see patch_* in json.h).
template <class T>
struct patch {
  std::string id;
  nlohmann::json fields;
};

struct conversation_assign {
  std::string conversation;
  std::string agent; // empty: the caller takes it
};

/// template_send: an approved template to send, `params` filling its
/// placeholders in order. An empty `language` means the template's only
/// language on the channel.
struct template_send {
  std::string name;
  std::string language;
  std::vector<std::string> params;
  friend bool operator==(const template_send&,
                         const template_send&) = default;
};

/// conversation_send: free `text`, a template, a media or a reaction
/// (exactly one). `content` holds what is not text (null for a text or a
/// template): `media` {id, mime_type, size, sha256, filename?, caption?}
/// (an upload of POST /v1/media; the gateway fills in what it stored),
/// `reply_to` (atende's id of the quoted message) with `reply_to_provider`
/// (the provider's id of it, when it has one), `reaction` {message_id,
/// emoji (empty: removed), provider_id?}.
struct conversation_send {
  std::string conversation;
  std::string text;
  std::string idempotency_key;
  std::optional<template_send> tmpl;
  nlohmann::json content;
};

/// conversation_start: an agent starts an active conversation on `channel`
/// with the contact of number `to` (created when unknown) or the existing
/// contact `contact`, in `team` (empty: the channel's default), with free
/// `text` or a template (exactly one).
struct conversation_start {
  std::string channel;
  std::string to;
  std::string contact;
  std::string team;
  std::string text;
  std::optional<template_send> tmpl;
  friend bool operator==(const conversation_start&,
                         const conversation_start&) = default;
};

struct conversation_transfer {
  std::string conversation;
  std::string agent;
  std::string team;
  std::string note; // an internal note recorded with the transfer
};

struct conversation_finish {
  std::string conversation;
  std::string reason;
  std::string description;
};

/// portfolio_delete removes one portfolio (a bulk delete is one command per
/// id, each with its own outcome).
struct portfolio_delete {
  std::string portfolio;
  friend bool operator==(const portfolio_delete&,
                         const portfolio_delete&) = default;
};

/// portfolio_contacts adds and removes contacts by id. A filter (name, tag)
/// is resolved into ids by the gateway, so the log records exactly which
/// contacts were meant.
struct portfolio_contacts {
  std::string portfolio;
  std::vector<std::string> add;
  std::vector<std::string> remove;
  friend bool operator==(const portfolio_contacts&,
                         const portfolio_contacts&) = default;
};

/// agent_set_status: the calling agent goes online or offline.
struct agent_set_status {
  std::string status; // online | offline
  friend bool operator==(const agent_set_status&,
                         const agent_set_status&) = default;
};

/// agent_pause: the calling agent starts a pause of type `type`.
struct agent_pause {
  std::string type;
  friend bool operator==(const agent_pause&, const agent_pause&) = default;
};

/// agent_resume: the calling agent ends its pause.
struct agent_resume {
  friend bool operator==(const agent_resume&, const agent_resume&) = default;
};

/// session_start: sign-in. The gateway checked the password and made the
/// token; the log records only its hash. The actor is the agent.
struct session_start {
  std::string token_hash;
  std::string expires_at; // RFC 3339
  friend bool operator==(const session_start&, const session_start&) = default;
};

/// session_end: sign-out of the caller's session `token_hash`.
struct session_end {
  std::string token_hash;
  friend bool operator==(const session_end&, const session_end&) = default;
};

/// conversation_note: an internal note on a conversation (never sent to
/// the customer); `@<agent id>` in the text mentions that agent.
struct conversation_note {
  std::string conversation;
  std::string text;
  friend bool operator==(const conversation_note&,
                         const conversation_note&) = default;
};

/// subscription_delete: DELETE /v1/subscriptions/{id}.
struct subscription_delete {
  std::string subscription;
  friend bool operator==(const subscription_delete&,
                         const subscription_delete&) = default;
};

/// subscription_redeliver: POST /v1/subscriptions/{id}/redeliver {from_seq}:
/// deliver again from the tenant's event `from_seq` (at least 1).
struct subscription_redeliver {
  std::string subscription;
  std::int64_t from_seq = 1;
  friend bool operator==(const subscription_redeliver&,
                         const subscription_redeliver&) = default;
};

/// subscription_progress: the subscriptions' sender records how far the
/// receiver accepted (actor `rule:subscriptions`). `epoch` is the number of
/// rewinds the sender knew of: progress made before a later rewind is
/// stale and records nothing.
struct subscription_progress {
  std::string subscription;
  std::int64_t position = 0;
  std::int64_t epoch = 0;
  friend bool operator==(const subscription_progress&,
                         const subscription_progress&) = default;
};

/// conversation_automate: run automation flow `automation` in a conversation.
struct conversation_automate {
  std::string conversation;
  std::string automation;
  friend bool operator==(const conversation_automate&,
                         const conversation_automate&) = default;
};

/// tenant_tick: the engine's clock (actor `rule:clock`), appended now and
/// then for tenants with business hours. It decides nothing itself, but its
/// time lets held conversations be looked at again when hours open.
struct tenant_tick {
  friend bool operator==(const tenant_tick&, const tenant_tick&) = default;
};

using input_data =
  std::variant<message_received_in, message_status_in, template_status_in,
               automation_message_in, conversation_route_in, contact_upsert_in,
               tenant_create, create<channel>, patch<channel>, create<team>,
               patch<team>, create<agent>, patch<agent>, create<reason>,
               patch<reason>, create<contact>, patch<contact>,
               conversation_assign, conversation_send, conversation_transfer,
               conversation_finish, create<pause_type>, patch<pause_type>,
               create<portfolio>, patch<portfolio>, portfolio_delete,
               portfolio_contacts, agent_set_status, agent_pause, agent_resume,
               conversation_automate, tenant_tick, create<message_template>,
               patch<message_template>, conversation_start, session_start,
               session_end, message_media_in, create<subscription>,
               patch<subscription>, subscription_delete,
               subscription_redeliver, subscription_progress,
               conversation_note>;

[[nodiscard]] std::string_view input_type_name(const input_data& d);

struct input {
  std::string id;
  std::string tenant;
  timestamp at = 0;
  std::string actor; // "connector", "root" or "agent:<id>"
  input_data data;

  /// type is the wire type of `data` (`"conversation.assign"`): it follows
  /// from the data, so it can never disagree with it.
  [[nodiscard]] std::string_view type() const { return input_type_name(data); }

  /// is_envelope tells a connector envelope from a command: the first six
  /// alternatives and message_media_in, which came later.
  [[nodiscard]] bool is_envelope() const {
    return data.index() <= 5 ||
           std::holds_alternative<message_media_in>(data);
  }
};

/// Which inputs decode_input accepts: only envelopes (`POST /v1/events`) or
/// envelopes and commands (the log).
enum class input_scope { envelopes, any };

/// decode_input validates and decodes the JSON form of an input.
[[nodiscard]] result<input> decode_input(const nlohmann::json& j,
                                         input_scope scope);

/// decode_input_text parses `text` as JSON first (errc::malformed if not).
[[nodiscard]] result<input> decode_input_text(std::string_view text,
                                              input_scope scope);

/// encode_input renders the JSON form; decode_input(encode_input(x)) == x.
[[nodiscard]] nlohmann::json encode_input(const input& in);

/// agent_of returns the agent id of an actor `agent:<id>`, or "".
[[nodiscard]] std::string agent_of(const std::string& actor);

/// input_type_name (declared above input) returns the wire type of `d`
/// (`"conversation.assign"`); encode_input writes it as `type`.

/// decode_input_fast is decode_input_text for the ingest hot path: it parses
/// with simdjson and gives exactly the same result (value or error) as
/// decode_input_text for every text; commands and the rare inputs simdjson
/// cannot mirror exactly are handed to decode_input_text.
[[nodiscard]] result<input> decode_input_fast(std::string_view text,
                                              input_scope scope);

// ---- comparison -------------------------------------------------------------
//
// Inputs compare field by field (round-trip tests, the fast decoder's checks).

[[nodiscard]] inline bool operator==(const message_received_in& a,
                                     const message_received_in& b) {
  return std::tie(a.channel, a.from, a.name, a.message_id, a.kind, a.text,
                  a.media_url, a.content) ==
         std::tie(b.channel, b.from, b.name, b.message_id, b.kind, b.text,
                  b.media_url, b.content);
}

[[nodiscard]] inline bool operator==(const message_status_in& a,
                                     const message_status_in& b) {
  return std::tie(a.channel, a.message_id, a.status, a.error_code,
                  a.error_title, a.provider_message_id) ==
         std::tie(b.channel, b.message_id, b.status, b.error_code,
                  b.error_title, b.provider_message_id);
}

[[nodiscard]] inline bool operator==(const template_status_in& a,
                                     const template_status_in& b) {
  return std::tie(a.channel, a.name, a.language, a.status) ==
         std::tie(b.channel, b.name, b.language, b.status);
}

[[nodiscard]] inline bool operator==(const automation_message_in& a,
                                     const automation_message_in& b) {
  return std::tie(a.channel, a.to, a.automation, a.text) ==
         std::tie(b.channel, b.to, b.automation, b.text);
}

[[nodiscard]] inline bool operator==(const conversation_route_in& a,
                                     const conversation_route_in& b) {
  return std::tie(a.channel, a.contact, a.team, a.portfolio_code) ==
         std::tie(b.channel, b.contact, b.team, b.portfolio_code);
}

[[nodiscard]] inline bool operator==(const contact_upsert_in& a,
                                     const contact_upsert_in& b) {
  return std::tie(a.phone, a.name, a.tags, a.stage, a.departments) ==
         std::tie(b.phone, b.name, b.tags, b.stage, b.departments);
}

[[nodiscard]] inline bool operator==(const tenant_create& a,
                                     const tenant_create& b) {
  return a.tenant == b.tenant && a.admin == b.admin;
}

template <class T>
[[nodiscard]] bool operator==(const create<T>& a, const create<T>& b) {
  return a.value == b.value;
}

template <class T>
[[nodiscard]] bool operator==(const patch<T>& a, const patch<T>& b) {
  return a.id == b.id && a.fields == b.fields;
}

[[nodiscard]] inline bool operator==(const conversation_assign& a,
                                     const conversation_assign& b) {
  return a.conversation == b.conversation && a.agent == b.agent;
}

[[nodiscard]] inline bool operator==(const conversation_send& a,
                                     const conversation_send& b) {
  return std::tie(a.conversation, a.text, a.idempotency_key, a.tmpl,
                  a.content) == std::tie(b.conversation, b.text,
                                         b.idempotency_key, b.tmpl, b.content);
}

[[nodiscard]] inline bool operator==(const conversation_transfer& a,
                                     const conversation_transfer& b) {
  return std::tie(a.conversation, a.agent, a.team, a.note) ==
         std::tie(b.conversation, b.agent, b.team, b.note);
}

[[nodiscard]] inline bool operator==(const conversation_finish& a,
                                     const conversation_finish& b) {
  return std::tie(a.conversation, a.reason, a.description) ==
         std::tie(b.conversation, b.reason, b.description);
}

[[nodiscard]] inline bool operator==(const input& a, const input& b) {
  return std::tie(a.id, a.tenant, a.at, a.actor) ==
           std::tie(b.id, b.tenant, b.at, b.actor) &&
         a.data == b.data;
}

} // namespace atende

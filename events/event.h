// event: the domain events, atende's record of what happened.
//
// Every change of state is one event: who (`actor`), when (`at`), what (`data`,
// one of the types below), in the tenant's order (`seq`, from 1, no gaps).
// Events are produced by `decide` in actors/ and consumed by `apply` there and
// in projections/; a replay re-applies them and never re-decides.
//
// The JSON form is the `atende.events` value and the timeline's:
//   {"seq":7,"id":"acme:7","tenant":"acme","at":"2026-11-21T13:05:00.000Z",
//    "type":"conversation.assigned","actor":"agent:ana","data":{...}}
// `actor` is `agent:<id>`, `connector`, `root` or `rule:<name>`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "events/errc.h"
#include "events/model.h"
#include "events/time.h"

namespace atende {

struct tenant_created {
  tenant_info tenant;
  agent admin;
};

template <class T, int Tag>
struct saved {
  T value;
};

// Created/updated events carry the whole record after the change.
using channel_created = saved<channel, 0>;
using channel_updated = saved<channel, 1>;
using team_created = saved<team, 0>;
using team_updated = saved<team, 1>;
using agent_created = saved<agent, 0>;
using agent_updated = saved<agent, 1>;
using reason_created = saved<reason, 0>;
using reason_updated = saved<reason, 1>;
using contact_created = saved<contact, 0>;
using contact_updated = saved<contact, 1>;
using pause_type_created = saved<pause_type, 0>;
using pause_type_updated = saved<pause_type, 1>;
using portfolio_created = saved<portfolio, 0>;
using portfolio_updated = saved<portfolio, 1>;
using template_created = saved<message_template, 0>;
using template_updated = saved<message_template, 1>;
using subscription_created = saved<subscription, 0>;
using subscription_updated = saved<subscription, 1>;

/// note_added: an internal note `message_id` by agent `author` on the
/// conversation, never sent to the customer; `mentions` are the agents its
/// text names as `@<id>`, each once, in order.
struct note_added {
  std::string conversation;
  std::string message_id;
  std::string author;
  std::string text;
  std::vector<std::string> mentions;
  friend bool operator==(const note_added&, const note_added&) = default;
};

/// subscription_deleted: the subscription is gone; nothing more is
/// delivered to it.
struct subscription_deleted {
  std::string subscription;
  friend bool operator==(const subscription_deleted&,
                         const subscription_deleted&) = default;
};

/// subscription_rewound: deliveries start again after the tenant's event
/// `position` (POST /v1/subscriptions/{id}/redeliver {from_seq}: position
/// from_seq - 1), whatever was delivered before. Each one starts a new
/// epoch of the subscription's progress (subscription_delivered).
struct subscription_rewound {
  std::string subscription;
  std::int64_t position = 0;
  friend bool operator==(const subscription_rewound&,
                         const subscription_rewound&) = default;
};

/// subscription_delivered: the receiver accepted every delivery of the
/// tenant's events up to `position` (actor `rule:subscriptions`, recorded
/// now and then, not for each delivery: after a crash the deliveries since
/// are made again, with the same ids).
struct subscription_delivered {
  std::string subscription;
  std::int64_t position = 0;
  friend bool operator==(const subscription_delivered&,
                         const subscription_delivered&) = default;
};

/// conversation_opened: a conversation exists, waiting in `team`.
/// `origin` is "inbound" (a customer wrote) or "active" (an agent started it).
struct conversation_opened {
  std::string conversation;
  std::string contact;
  std::string channel;
  std::string team;
  std::string origin;
};

/// message_received: a customer's message, from input `input`.
struct message_received {
  std::string conversation;
  std::string message_id;  // atende's id of the message
  std::string provider_id; // the connector's id (wamid)
  std::string kind;        // "text" | "image" | ...
  std::string text;
  std::string media_url;
  std::string input;
  // The envelope's content (message_received_in::content): media, location,
  // contacts, interactive, reaction, reply_to (the provider's id of the
  // quoted message), …; null for a plain text. Left out of the JSON form
  // when null, so that journals written before it keep their bytes.
  nlohmann::json content;
};

/// message_sent: an agent's message, handed to the channel's connector
/// (an outbound `message.send` record). `kind` is "text", or "template" for
/// the approved template `template_name` in `language` with `params`; then
/// `text` is its body with the params filled in. A media message has the
/// media's kind ("image", "audio", "video", "document", "sticker") and a
/// reaction "reaction". `content` holds what a text does not
/// (conversation_send::content): `media` {id, mime_type, size, sha256,
/// filename?, caption?}, `reply_to` {message_id, provider_id?} and
/// `reaction` {message_id, emoji, provider_id?}; null for a text or a
/// template, and left out of the JSON form then, so that journals written
/// before it keep their bytes.
struct message_sent {
  std::string conversation;
  std::string message_id;
  std::string agent;
  std::string kind;
  std::string text;
  std::string idempotency_key;
  std::string template_name;
  std::string language;
  std::vector<std::string> params;
  nlohmann::json content;
};

/// conversation_assigned: `agent` now serves the conversation. `rule` says why
/// ("take": the agent took it; "admin": an admin assigned it; "round_robin",
/// "least_busy", "contact_group", "portfolio": automatic distribution, then
/// the event's actor is `rule:<name>`), `eligible` who could have been
/// chosen (for automatic rules: the available agents, the chosen included).
struct conversation_assigned {
  std::string conversation;
  std::string agent;
  std::string previous;
  std::string rule;
  std::vector<std::string> eligible;
};

/// conversation_transferred: moved to another team and/or agent. An empty
/// `to_agent` means it waits in `to_team`.
struct conversation_transferred {
  std::string conversation;
  std::string from_team;
  std::string to_team;
  std::string from_agent;
  std::string to_agent;
};

/// conversation_finished: closed with a qualification reason.
struct conversation_finished {
  std::string conversation;
  std::string reason;
  std::string description;
};

/// portfolio_deleted: the portfolio and its contact list are gone (the
/// contacts stay).
struct portfolio_deleted {
  std::string portfolio;
  friend bool operator==(const portfolio_deleted&,
                         const portfolio_deleted&) = default;
};

/// portfolio_contacts_changed: contacts that joined and left a portfolio
/// (only real changes: a contact already in it is not listed as added).
struct portfolio_contacts_changed {
  std::string portfolio;
  std::vector<std::string> added;
  std::vector<std::string> removed;
  friend bool operator==(const portfolio_contacts_changed&,
                         const portfolio_contacts_changed&) = default;
};

/// agent_status_changed: the agent went `online` or `offline`.
struct agent_status_changed {
  std::string agent;
  std::string status;
  friend bool operator==(const agent_status_changed&,
                         const agent_status_changed&) = default;
};

/// agent_pause_started: the agent paused (`pause_type`) at the event's time.
struct agent_pause_started {
  std::string agent;
  std::string pause_type;
  friend bool operator==(const agent_pause_started&,
                         const agent_pause_started&) = default;
};

/// agent_pause_ended: the pause is over; `minutes` it lasted (rounded
/// down), `overdue` when that was past the type's max_minutes.
struct agent_pause_ended {
  std::string agent;
  std::string pause_type;
  int minutes = 0;
  bool overdue = false;
  friend bool operator==(const agent_pause_ended&,
                         const agent_pause_ended&) = default;
};

/// agent_session_started: the agent signed in (POST /v1/sessions); the
/// session's token, known by its SHA-256 `token_hash`, works like the agent's
/// own token until `expires_at` (RFC 3339) or its agent_session_ended.
struct agent_session_started {
  std::string agent;
  std::string token_hash;
  std::string expires_at;
  friend bool operator==(const agent_session_started&,
                         const agent_session_started&) = default;
};

/// agent_session_ended: the session of `token_hash` was ended (sign-out).
struct agent_session_ended {
  std::string agent;
  std::string token_hash;
  friend bool operator==(const agent_session_ended&,
                         const agent_session_ended&) = default;
};

/// conversation_routed: a chatbot flow (conversation.route) sent the
/// waiting conversation to `team`, and to `portfolio` when it named one
/// (then only that portfolio's owners may serve it).
struct conversation_routed {
  std::string conversation;
  std::string team;
  std::string portfolio;
  friend bool operator==(const conversation_routed&,
                         const conversation_routed&) = default;
};

/// conversation_held: a waiting conversation is (`held`) or is no longer
/// kept from automatic assignment because `portfolio` is outside its
/// business hours.
struct conversation_held {
  std::string conversation;
  std::string portfolio;
  bool held = false;
  friend bool operator==(const conversation_held&,
                         const conversation_held&) = default;
};

/// automation_requested: an agent asked for an automation flow to run in
/// the conversation (a bulk action); the flow's messages come back as
/// automation.message inputs.
struct automation_requested {
  std::string conversation;
  std::string automation;
  std::string agent;
  friend bool operator==(const automation_requested&,
                         const automation_requested&) = default;
};

/// message_status_changed: a connector reported how far an outbound message
/// got: sent, delivered, read, or failed with the provider's error. Only
/// moves forward (see actors/conversation.h); a failure with code 131047
/// means the 24-hour window was closed, and closes it. Status "accepted"
/// is the provider taking the message and naming it `provider_id` (Meta's
/// wamid): the status stays where it is, and later reports that name the
/// message by that id find it.
struct message_status_changed {
  std::string conversation;
  std::string message_id;
  std::string status;
  std::string error_code;
  std::string error_title;
  std::string provider_id; // only with status "accepted"
  friend bool operator==(const message_status_changed&,
                         const message_status_changed&) = default;
};

/// message_media_changed: the media of customer message `message_id` was
/// stored — `media` {id (atende's media id, the hex SHA-256 of the bytes),
/// mime_type, size, sha256} — or could not be fetched yet: `error_code` and
/// `error_title` say why (a fetch still retried, or given up). Recorded
/// from a `message.media` envelope (gateways/media_fetcher.h).
struct message_media_changed {
  std::string conversation;
  std::string message_id;
  nlohmann::json media;
  std::string error_code;
  std::string error_title;
  friend bool operator==(const message_media_changed&,
                         const message_media_changed&) = default;
};

/// automation_message_sent: an automation flow (chatbot, campaign) messaged
/// the contact in the conversation, from input `input`.
struct automation_message_sent {
  std::string conversation;
  std::string message_id;
  std::string automation;
  std::string text;
  std::string input;
  friend bool operator==(const automation_message_sent&,
                         const automation_message_sent&) = default;
};

using event_data =
  std::variant<tenant_created, channel_created, channel_updated, team_created,
               team_updated, agent_created, agent_updated, reason_created,
               reason_updated, contact_created, contact_updated,
               conversation_opened, message_received, message_sent,
               conversation_assigned, conversation_transferred,
               conversation_finished, pause_type_created, pause_type_updated,
               portfolio_created, portfolio_updated, portfolio_deleted,
               portfolio_contacts_changed, agent_status_changed,
               agent_pause_started, agent_pause_ended, conversation_routed,
               conversation_held, automation_requested, template_created,
               template_updated, message_status_changed,
               automation_message_sent, agent_session_started,
               agent_session_ended, message_media_changed,
               subscription_created, subscription_updated,
               subscription_deleted, subscription_rewound,
               subscription_delivered, note_added>;

struct event {
  std::uint64_t seq = 0;
  std::string tenant;
  timestamp at = 0;
  std::string actor;
  event_data data;

  /// id is the event's stable id: `<tenant>:<seq>`.
  [[nodiscard]] std::string id() const;
};

/// type_name returns the wire type (`"conversation.assigned"`).
[[nodiscard]] std::string_view type_name(const event_data& d);

/// conversation_of returns the conversation an event is about, or "".
[[nodiscard]] const std::string& conversation_of(const event_data& d);

/// to_json renders an event in its JSON form (see top of file).
[[nodiscard]] nlohmann::json to_json(const event& e);

/// event_from_json parses the JSON form; errors name the field.
[[nodiscard]] result<event> event_from_json(const nlohmann::json& j);

/// event_from_text parses the JSON text of an event (replay's hot path, with
/// simdjson). It gives the same result as event_from_json of the parsed
/// text; text that is not JSON is errc::malformed "body: not valid JSON".
[[nodiscard]] result<event> event_from_text(std::string_view text);

// ---- comparison -------------------------------------------------------------
//
// Events compare field by field: replay verification and round-trip tests
// need `==` on whole events.

[[nodiscard]] inline bool operator==(const tenant_created& a,
                                     const tenant_created& b) {
  return a.tenant == b.tenant && a.admin == b.admin;
}

template <class T, int Tag>
[[nodiscard]] bool operator==(const saved<T, Tag>& a, const saved<T, Tag>& b) {
  return a.value == b.value;
}

[[nodiscard]] inline bool operator==(const conversation_opened& a,
                                     const conversation_opened& b) {
  return std::tie(a.conversation, a.contact, a.channel, a.team, a.origin) ==
         std::tie(b.conversation, b.contact, b.channel, b.team, b.origin);
}

[[nodiscard]] inline bool operator==(const message_received& a,
                                     const message_received& b) {
  return std::tie(a.conversation, a.message_id, a.provider_id, a.kind, a.text,
                  a.media_url, a.input, a.content) ==
         std::tie(b.conversation, b.message_id, b.provider_id, b.kind, b.text,
                  b.media_url, b.input, b.content);
}

[[nodiscard]] inline bool operator==(const message_sent& a,
                                     const message_sent& b) {
  return std::tie(a.conversation, a.message_id, a.agent, a.kind, a.text,
                  a.idempotency_key, a.template_name, a.language, a.params,
                  a.content) ==
         std::tie(b.conversation, b.message_id, b.agent, b.kind, b.text,
                  b.idempotency_key, b.template_name, b.language, b.params,
                  b.content);
}

[[nodiscard]] inline bool operator==(const conversation_assigned& a,
                                     const conversation_assigned& b) {
  return std::tie(a.conversation, a.agent, a.previous, a.rule, a.eligible) ==
         std::tie(b.conversation, b.agent, b.previous, b.rule, b.eligible);
}

[[nodiscard]] inline bool operator==(const conversation_transferred& a,
                                     const conversation_transferred& b) {
  return std::tie(a.conversation, a.from_team, a.to_team, a.from_agent,
                  a.to_agent) == std::tie(b.conversation, b.from_team,
                                          b.to_team, b.from_agent, b.to_agent);
}

[[nodiscard]] inline bool operator==(const conversation_finished& a,
                                     const conversation_finished& b) {
  return std::tie(a.conversation, a.reason, a.description) ==
         std::tie(b.conversation, b.reason, b.description);
}

[[nodiscard]] inline bool operator==(const event& a, const event& b) {
  return a.seq == b.seq && a.tenant == b.tenant && a.at == b.at &&
         a.actor == b.actor && a.data == b.data;
}

/// event_type_index returns the index in event_data of wire type `type`
/// (`"conversation.assigned"`), or nullopt for an unknown type.
[[nodiscard]] std::optional<std::size_t>
event_type_index(std::string_view type);

} // namespace atende

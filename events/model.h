// model: the configuration and contact records of a tenant, as stored in
// events and snapshots and shown by the API.
//
// These are plain values; their JSON forms (json.h) are the API's and the
// journal's. Optional values are empty strings / empty optionals, rendered as
// JSON null.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/names.h"

namespace atende {

/// channel_kind: what a channel is.
enum class channel_kind : std::uint8_t { whatsapp, instagram, other };
template <>
struct names_of<channel_kind> {
  static constexpr std::array<std::string_view, 3> list{"whatsapp",
                                                        "instagram", "other"};
};

/// team_distribution: how a team's waiting conversations find an agent
/// (CONTRACT "Distribution"): by hand, in turn, to the least busy, or
/// within the contact's portfolio.
enum class team_distribution : std::uint8_t {
  manual, round_robin, least_busy, contact_group
};
template <>
struct names_of<team_distribution> {
  static constexpr std::array<std::string_view, 4> list{
    "manual", "round_robin", "least_busy", "contact_group"};
};

/// agent_role: what an agent may do; an admin manages the tenant.
enum class agent_role : std::uint8_t { admin, agent };
template <>
struct names_of<agent_role> {
  static constexpr std::array<std::string_view, 2> list{"admin", "agent"};
};

/// A closed set's JSON value is its name, wherever it is put into a
/// nlohmann value (never its number).
template <named_enum E>
void to_json(nlohmann::json& j, E e) {
  j = std::string{name_of(e)};
}

/// channel is a business number (or another channel) of a tenant.
struct channel {
  std::string id;
  channel_kind kind = channel_kind::whatsapp;
  std::string name;
  std::string phone;
  std::string phone_number_id; // Meta's id of the number; may be empty
  std::string default_team;
  std::string waba_id; // Meta's WhatsApp Business Account id; may be empty
  // Meta's access token and app secret, sealed (gateways/secrets.h) by the
  // gateway before they enter the log: the journal never holds them in
  // clear, and the API shows only whether they are set. With an access
  // token atende sends the channel's messages itself.
  std::string access_token;
  std::string app_secret;
  // With an access token: customers' messages are marked read at Meta (blue
  // ticks) when the conversation's agent opens it.
  bool mark_read = false;
  friend bool operator==(const channel&, const channel&) = default;
};

/// team is a department: agents belong to teams, conversations wait in one.
struct team {
  std::string id;
  std::string name;
  team_distribution distribution = team_distribution::manual;
  int max_per_agent = 5;
  bool require_reason = false;
  friend bool operator==(const team&, const team&) = default;
};

/// agent is a person who serves conversations; its token is kept only as a
/// SHA-256 hex digest.
struct agent {
  std::string id;
  std::string name;
  agent_role role = agent_role::agent;
  std::vector<std::string> teams;
  std::optional<int> max_concurrent;
  std::string token_hash;
  std::string login;         // sign-in name, unique in the tenant ("": none)
  std::string password_hash; // crypto.h password_hash ("": no password)
  friend bool operator==(const agent&, const agent&) = default;
};

/// reason is a qualification reason (motivo) for finishing a conversation.
struct reason {
  std::string id;
  std::string name;
  friend bool operator==(const reason&, const reason&) = default;
};

/// contact is a customer. `phone` is canonical digits (see phone.h).
struct contact {
  std::string id;
  std::string name;
  std::string phone;
  std::vector<std::string> tags;
  std::string stage;
  std::vector<std::string> departments;
  std::vector<std::string> portfolios;
  friend bool operator==(const contact&, const contact&) = default;
};

/// pause_type is a kind of pause an agent may take (lunch, break): at most
/// `max_minutes` long, not before `allowed_from` ("HH:MM", tenant's local
/// time; empty: any time).
struct pause_type {
  std::string id;
  std::string name;
  int max_minutes = 0;
  std::string allowed_from;
  friend bool operator==(const pause_type&, const pause_type&) = default;
};

/// portfolio (carteira) is a group of contacts owned by agents: one
/// `responsible` plus `members`. `code` lets a chatbot flow route to it;
/// `hours` (null: always open) is
///   {"timezone": "America/Sao_Paulo" (optional; default the tenant's),
///    "week": {"mon": [["08:00","12:00"],["13:00","18:00"]], ...}}
/// where a missing day is closed (see hours.h). Which contacts it holds is
/// not part of the record (portfolio.contacts_changed events).
struct portfolio {
  std::string id;
  std::string name;
  std::string code;
  nlohmann::json hours; // null: always open
  std::string responsible;
  std::vector<std::string> members;
  friend bool operator==(const portfolio&, const portfolio&) = default;
};

/// message_template is a WhatsApp message template (HSM) of one channel, as
/// Meta approved it or not: only an `approved` template may be sent, and it
/// is the only message allowed while the 24-hour window is closed. `body`
/// holds the placeholders `{{1}}`, `{{2}}`, ... (numbered from 1, no gaps) that
/// a send fills with its `params`. `status`: approved | pending | rejected |
/// paused | disabled.
struct message_template {
  std::string id;
  std::string channel;
  std::string name;
  std::string language;
  std::string body;
  std::string status;
  friend bool operator==(const message_template&,
                         const message_template&) = default;
};

/// subscription is an outbound webhook (CONTRACT "Live updates and
/// subscriptions"): the tenant's live updates, as an admin sees them, POSTed
/// to `url` one by one and in order, signed with `secret` (sealed text,
/// gateways/secrets.h: the log never holds it plain). `events` are the
/// types it wants: exact ("message.created") or a family ("conversation.*",
/// "*"); check_value knows the list. An inactive one is paused: it keeps
/// its place and goes on from there when active again. Where deliveries
/// stand is not part of the record (subscription.delivered and
/// subscription.rewound events).
struct subscription {
  std::string id;
  std::string url;
  std::vector<std::string> events;
  std::string secret;
  bool active = true;
  friend bool operator==(const subscription&, const subscription&) = default;
};

/// tenant is a company using atende.
struct tenant_info {
  std::string id;
  std::string name;
  std::string timezone = "America/Sao_Paulo";
  friend bool operator==(const tenant_info&, const tenant_info&) = default;
};

/// is_valid_id tells whether `s` matches `[A-Za-z0-9._:-]{1,128}`.
[[nodiscard]] bool is_valid_id(const std::string& s);

} // namespace atende

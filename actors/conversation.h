// conversation: the pure core of one conversation (atendimento).
//
// `decide` checks a command against the conversation's own state and returns
// the events it produces, or a rejection; `apply` folds an event into the
// state. Neither reads a clock nor does I/O: the conversation actor, a replay
// and the tests all call these same two functions.
//
// Facts that span entities (is the agent eligible, under capacity, does the
// team require a reason) are decided by the tenant core beforehand and arrive
// inside the command, so that the decision is recorded, never re-derived.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "events/errc.h"
#include "events/event.h"
#include "events/input.h"

namespace atende {

struct conversation_state {
  std::string id;
  std::string contact;
  std::string channel;
  std::string team;
  std::string assignee;
  std::string status; // "" (does not exist) | waiting | open | finished
  std::string origin;
  timestamp created_at = 0;
  timestamp last_activity_at = 0;
  timestamp finished_at = 0;
  timestamp last_inbound_at = 0;
  timestamp waiting_since = 0; // when it last started waiting for an agent
  std::string portfolio;       // routed to this portfolio (conversation.route)
  bool held = false;           // kept from automatic assignment: outside hours
  std::string reason;
  std::string description;
  std::uint64_t messages = 0; // received and sent, reactions not counted
  std::map<std::string, std::string> sent_by_key; // idempotency key → message
  // Outbound messages (message_sent) → their delivery status: pending, sent,
  // delivered, read or failed.
  std::map<std::string, std::string> outbound;
  // Outbound messages the provider accepted → its id for them (Meta's wamid).
  std::map<std::string, std::string> provider_ids;
  // The customer's messages → the provider's id for them (Meta's wamid): an
  // agent's reply or reaction names them to the provider by it.
  std::map<std::string, std::string> inbound_ids;
  // When a send failed with 131047 (the provider found the 24-hour window
  // closed); 0: never. Closes the window of (contact, channel) unless the
  // contact wrote later (see tenant.h, window).
  timestamp window_closed_at = 0;

  friend bool operator==(const conversation_state&,
                         const conversation_state&) = default;
};

/// receive: a customer's message; the event is built by the tenant core.
struct receive_cmd {
  message_received message;
};

/// assign: give the conversation to `agent`; eligibility and capacity were
/// checked by the tenant core. `take` means the agent took it itself, `admin`
/// an admin gave it; any other rule is automatic distribution, which only
/// ever assigns a waiting conversation.
struct assign_cmd {
  std::string agent;
  std::string rule; // "take" | "admin" | round_robin | least_busy | ...
  std::vector<std::string> eligible;
};

/// route: a chatbot flow sends the waiting conversation to `team`, and to
/// `portfolio` when not empty.
struct route_cmd {
  std::string team;
  std::string portfolio;
};

/// hold: mark (or unmark) a waiting conversation as held outside the
/// business hours of `portfolio`.
struct hold_cmd {
  std::string portfolio;
  bool held = false;
};

/// automate: run an automation flow in the conversation.
struct automate_cmd {
  std::string caller;
  std::string automation;
};

/// send: the caller's message, with atende's new message id: free text, or
/// the template `tmpl` (then `text` is its filled body). `refused` is what
/// the tenant found against it (window closed, template not approved, ...):
/// it applies unless the idempotency key repeats an earlier send, which
/// answers with that send whatever happened since.
struct send_cmd {
  std::string caller;
  bool caller_admin = false;
  std::string message_id;
  std::string text;
  std::string idempotency_key;
  std::optional<template_send> tmpl;
  std::optional<error> refused;
  nlohmann::json content; // conversation_send::content
};

/// start: an active conversation (just opened by the tenant) goes to the
/// agent who started it, with its first message.
struct start_cmd {
  send_cmd first;
};

/// status: a connector's delivery status for outbound message `message_id`.
struct status_cmd {
  std::string message_id;
  std::string status; // accepted | sent | delivered | read | failed
  std::string error_code;
  std::string error_title;
  std::string provider_id; // with accepted: the provider's id of the message
};

/// automation_message: an automation flow's message, built by the tenant.
struct automation_message_cmd {
  automation_message_sent message;
};

struct transfer_cmd {
  std::string to_team;
  std::string to_agent;
};

/// finish: `reason_required`/`reason_known` come from the team's settings and
/// the tenant's reason list.
struct finish_cmd {
  std::string caller;
  bool caller_admin = false;
  std::string reason;
  std::string description;
  bool reason_required = false;
  bool reason_known = true;
};

using conversation_command =
  std::variant<receive_cmd, assign_cmd, send_cmd, transfer_cmd, finish_cmd,
               route_cmd, hold_cmd, automate_cmd, start_cmd, status_cmd,
               automation_message_cmd>;

/// status_rank orders delivery statuses: pending < sent < delivered < read.
/// `failed` ends a message that was not delivered; -1 for unknown names.
[[nodiscard]] int status_rank(std::string_view status);

/// is_automatic tells an automatic distribution rule from a take or an
/// admin's assignment.
[[nodiscard]] inline bool is_automatic(const std::string& rule) {
  return rule != "take" && rule != "admin";
}

/// decision: the events to record. `matched` names an earlier message when a
/// send repeats an idempotency key (then `events` is empty).
struct decision {
  std::vector<event_data> events;
  std::string matched;
};

[[nodiscard]] result<decision> decide(const conversation_state& s,
                                      const conversation_command& c);

/// apply folds one event about this conversation into `s`.
void apply(conversation_state& s, const event_data& e, timestamp at);

/// to_json/conversation_from_json: the snapshot form.
[[nodiscard]] nlohmann::json to_json(const conversation_state& s);
[[nodiscard]] result<conversation_state>
conversation_from_json(const nlohmann::json& j);

} // namespace atende

// tenant: the pure core of a tenant, where decisions that span entities are
// taken.
//
// A tenant holds its configuration (channels, teams, agents, reasons) and the
// indexes that tie entities together: contacts by phone, the open conversation
// of each (contact, channel), who serves what and how many. `route` turns an
// input into a plan: the events the tenant decides itself (a new contact, a
// new conversation, a channel created) and at most one final step for an
// entity actor (a conversation, contact or agent), which may still reject.
// `apply` folds every event of the tenant, whoever decided it, so a replay of
// the journal rebuilds the same state.
//
// Generated ids are derived from the sequence number of the event that
// creates the thing (`c12` is the conversation opened by event 12), so they
// need no counter and replay reproduces them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/conversation.h"
#include "events/event.h"
#include "events/input.h"

namespace atende {

/// conversation_summary: what the tenant must know of each conversation.
struct conversation_summary {
  std::string contact;
  std::string channel;
  std::string team;
  std::string assignee;
  bool finished = false;
};

struct tenant_state {
  bool exists = false;
  tenant_info info;
  std::map<std::string, channel> channels;
  std::map<std::string, team> teams;
  std::map<std::string, agent> agents;
  std::map<std::string, reason> reasons;
  std::uint64_t next_seq = 1;

  // Derived from contact and conversation events (not in the tenant snapshot;
  // rebuilt by `restore_*` from those entities' snapshots).
  std::unordered_map<std::string, std::string> channel_by_pnid;
  std::unordered_map<std::string, std::string> contact_by_key;
  std::unordered_map<std::string, std::string> contact_phone;
  std::unordered_map<std::string, std::string> open_conversation;
  std::unordered_map<std::string, conversation_summary> conversations;
  std::unordered_map<std::string, int> open_count;
};

/// Commands a contact actor decides.
struct contact_patch_cmd {
  nlohmann::json fields; // checked by check_patch<contact>
};
struct contact_upsert_cmd {
  contact_upsert_in upsert;
};
using contact_command = std::variant<contact_patch_cmd, contact_upsert_cmd>;

/// Commands an agent actor decides.
struct agent_patch_cmd {
  nlohmann::json fields; // checked by check_patch<agent>
};
using agent_command = std::variant<agent_patch_cmd>;

enum class entity_kind { conversation, contact, agent };

/// entity_step: the final decision of a plan, taken by one entity actor.
struct entity_step {
  entity_kind kind = entity_kind::conversation;
  std::string id;
  std::variant<conversation_command, contact_command, agent_command> command;
};

/// plan: what an input does. `events` are decided; `step`, when present, is
/// decided next by its entity (with `events` applied to it first).
struct plan {
  std::vector<event_data> events;
  std::optional<entity_step> step;
  std::string conversation; // the conversation the input concerns, if any
};

/// route decides what `in` means for the tenant in state `s`.
[[nodiscard]] result<plan> route(const tenant_state& s, const input& in);

/// apply folds one event of this tenant into `s`.
void apply(tenant_state& s, const event& e);

/// restore_contact / restore_conversation rebuild the derived indexes from
/// entity snapshots after a restart.
void restore_contact(tenant_state& s, const contact& c);
void restore_conversation(tenant_state& s, const conversation_state& c);

/// The tenant snapshot: configuration and sequence, without derived indexes.
[[nodiscard]] nlohmann::json to_json(const tenant_state& s);
[[nodiscard]] result<tenant_state>
tenant_state_from_json(const nlohmann::json& j);

/// conversation_open_key: the key of `open_conversation`.
[[nodiscard]] std::string conversation_open_key(const std::string& contact,
                                                const std::string& channel);

/// capacity_of: the agent's max_concurrent, else the team's max_per_agent.
[[nodiscard]] int capacity_of(const tenant_state& s, const agent& a,
                              const std::string& team);

/// is_admin tells whether `actor` (`agent:<id>`) is an admin of the tenant.
[[nodiscard]] bool is_admin(const tenant_state& s, const std::string& actor);

} // namespace atende

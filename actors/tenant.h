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
#include <set>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/container/node_hash_map.h>
#include <nlohmann/json.hpp>

#include "actors/conversation.h"
#include "events/event.h"
#include "events/input.h"
#include "events/window.h"

namespace atende {

/// conversation_summary: what the tenant must know of each conversation.
struct conversation_summary {
  std::string contact;
  std::string channel;
  std::string team;
  std::string assignee;
  bool finished = false;
  std::string portfolio;       // routed to it (conversation.route)
  bool held = false;           // outside business hours
  timestamp waiting_since = 0; // when it last started waiting
};

/// agent_presence: an agent's availability and the facts distribution
/// needs. Agents start offline and unpaused.
struct agent_presence {
  bool online = false;
  std::string pause_type; // empty: not paused
  timestamp pause_since = 0;
  timestamp last_assigned_at = 0; // least_busy's tie-break: idle longest
  friend bool operator==(const agent_presence&,
                         const agent_presence&) = default;
};

/// queue_entry orders waiting conversations: oldest first, then by id.
using queue_entry = std::pair<timestamp, std::string>;

/// snapshot_changes: what `apply` changed of the tenant's stored parts since
/// the writer last took them (see actors/snapshot.h for the keys): the
/// configuration (the `t/` snapshot), agents' presence, round-robin turns.
/// The sequence changes with every event and is not tracked.
struct snapshot_changes {
  bool config = false;
  std::set<std::string> presence; // agent ids
  std::set<std::string> turns;    // team ids
};

/// subscription_place: where a subscription's deliveries stand —
/// accepted up to the tenant's event `position`, after `rewinds` rewinds
/// (subscription_delivered / subscription_rewound).
struct subscription_place {
  std::int64_t position = 0;
  std::int64_t rewinds = 0;
  friend bool operator==(const subscription_place&,
                         const subscription_place&) = default;
};

struct tenant_state {
  bool exists = false;
  tenant_info info;
  std::map<std::string, channel> channels;
  std::map<std::string, team> teams;
  std::map<std::string, agent> agents;
  std::map<std::string, reason> reasons;
  std::map<std::string, pause_type> pause_types;
  std::map<std::string, portfolio> portfolios;
  std::map<std::string, message_template> templates;
  std::map<std::string, subscription> subscriptions;
  std::map<std::string, subscription_place> subscription_places;
  std::map<std::string, agent_presence> presence;
  std::map<std::string, std::string> round_robin_turn; // team → last agent
  std::uint64_t next_seq = 1;
  snapshot_changes changed; // not stored: the writer's to take and clear

  // Derived from contact, portfolio and conversation events (not in the
  // tenant snapshot; rebuilt by `restore_*` from those entities' snapshots).
  // The maps that grow with contacts, conversations and messages are
  // open-addressing tables (no allocation per entry, keys compared only on
  // a hash match); nothing takes a decision from their iteration order.
  // The summaries are large: their table holds pointers to them, so that
  // its empty slots cost 8 bytes, not a summary's size.
  template <class V>
  using by_id = absl::flat_hash_map<std::string, V>;
  template <class V>
  using by_id_nodes = absl::node_hash_map<std::string, V>;
  by_id<std::string> channel_by_pnid;
  by_id<std::string> contact_by_key;
  by_id<std::string> contact_phone;
  by_id<std::string> open_conversation;
  by_id_nodes<conversation_summary> conversations;
  by_id<int> open_count;
  by_id<std::set<std::string>> contact_portfolios;
  by_id<std::string> portfolio_by_code;
  // Waiting conversations that automatic distribution may assign (their team
  // distributes automatically, or they were routed to a portfolio).
  std::set<queue_entry> queue;
  std::set<std::string> held; // conversations held outside business hours
  // conversation_open_key(contact, channel) → its window, over every
  // conversation of the pair, finished ones included.
  by_id<contact_window> windows;
  // Outbound message id → its conversation, for delivery statuses.
  by_id<std::string> outbound;
  // The provider's id of an accepted outbound message (Meta's wamid) → the
  // message's id, for statuses that name the message by the provider's id.
  by_id<std::string> provider_ids;
};

/// window_open tells whether free text may go to `contact` on `channel` at
/// `at`: the contact wrote there less than 24 h before `at`, and no send
/// failed since with 131047. Only the contact's messages open it; times are
/// the events' (never a clock).
[[nodiscard]] bool window_open(const tenant_state& s,
                               const std::string& contact,
                               const std::string& channel, timestamp at);

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
struct agent_status_cmd {
  std::string status; // online | offline
};
/// agent_pause_cmd: the type exists and may start now (checked by the
/// tenant, which knows the types and the tenant's time zone).
struct agent_pause_cmd {
  std::string type;
};
/// agent_resume_cmd: `max_minutes` of the current pause's type (0 when the
/// type is gone), `at` the time it ends.
struct agent_resume_cmd {
  int max_minutes = 0;
  timestamp at = 0;
};
using agent_command = std::variant<agent_patch_cmd, agent_status_cmd,
                                   agent_pause_cmd, agent_resume_cmd>;

/// Commands a portfolio actor decides (cross-entity checks done by the
/// tenant: agents and contacts exist, the code is free, the caller may).
struct portfolio_create_cmd {
  portfolio value;
};
struct portfolio_patch_cmd {
  nlohmann::json fields; // checked by check_patch<portfolio>
};
struct portfolio_delete_cmd {};
struct portfolio_contacts_cmd {
  std::vector<std::string> add;
  std::vector<std::string> remove;
};
using portfolio_command =
  std::variant<portfolio_create_cmd, portfolio_patch_cmd, portfolio_delete_cmd,
               portfolio_contacts_cmd>;

enum class entity_kind { conversation, contact, agent, portfolio };

/// entity_step: the final decision of a plan, taken by one entity actor.
struct entity_step {
  entity_kind kind = entity_kind::conversation;
  std::string id;
  std::variant<conversation_command, contact_command, agent_command,
               portfolio_command>
    command;
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

/// restore_contact / restore_conversation / restore_membership rebuild the
/// derived indexes from entity snapshots after a restart.
void restore_contact(tenant_state& s, const contact& c);
void restore_conversation(tenant_state& s, const conversation_state& c);
void restore_membership(tenant_state& s, const std::string& portfolio,
                        const std::string& contact);

// ---- automatic distribution -------------------------------------------------
//
// After an input's events are applied, the tenant looks for automatic
// assignments they make possible: a conversation that started waiting, an
// agent who became free (finish, transfer away, online, pause over, more
// capacity), or a change of portfolios, teams or business hours. Each
// assignment is one more step for a conversation actor, decided and applied
// like any other, whose events name the rule, the chosen agent and every
// agent that was eligible.

/// routing_work: what to look at after an input, filled by `note`.
struct routing_work {
  std::vector<std::string> conversations; // just started waiting
  std::vector<std::string> agents;        // may have room now
  bool sweep = false;                     // look at the whole queue
  std::size_t agent_steps = 0;            // steps given to agents.front()
  // (contact, new number): a customer who told WhatsApp it changed numbers.
  std::vector<std::pair<std::string, std::string>> numbers;

  [[nodiscard]] bool empty() const {
    return conversations.empty() && agents.empty() && !sweep &&
           numbers.empty();
  }
};

/// note records in `w` what event `e` may make possible; call it before
/// applying `e` to `s`.
void note(routing_work& w, const tenant_state& s, const event& e);

/// note_time adds the held conversations whose business hours are open at
/// `at` (time passes only with inputs: an input's time opens the hours).
void note_time(routing_work& w, const tenant_state& s, timestamp at);

/// next_auto_step returns the next automatic step (a customer's new number
/// on its contact, an assignment, or a hold/release for business hours) and
/// consumes the work it came from; none when nothing more can happen. `at`
/// is the input's time.
[[nodiscard]] std::optional<entity_step> next_auto_step(const tenant_state& s,
                                                        routing_work& w,
                                                        timestamp at);

/// rule_of names the automatic rule of a step from next_auto_step (the
/// `rule:<name>` actor of its events).
[[nodiscard]] std::string rule_of(const entity_step& step);

/// conversation_visible / may_serve apply events/visibility.h to a
/// conversation of this tenant for agent `a`.
[[nodiscard]] bool conversation_visible(const tenant_state& s, const agent& a,
                                        const conversation_summary& c);

/// The tenant snapshot: the configuration, without derived indexes, presence
/// or sequence (those are stored apart, see actors/snapshot.h).
/// tenant_state_from_json also reads the previous form, which held presence,
/// round-robin turns and `next_seq` as well.
[[nodiscard]] nlohmann::json to_json(const tenant_state& s);
[[nodiscard]] result<tenant_state>
tenant_state_from_json(const nlohmann::json& j);

/// The stored form of one agent's presence.
[[nodiscard]] nlohmann::json to_json(const agent_presence& p);
[[nodiscard]] result<agent_presence> presence_from_json(const nlohmann::json& j);

/// conversation_open_key: the key of `open_conversation`.
[[nodiscard]] std::string conversation_open_key(const std::string& contact,
                                                const std::string& channel);

/// capacity_of: the agent's max_concurrent, else the team's max_per_agent.
[[nodiscard]] int capacity_of(const tenant_state& s, const agent& a,
                              const std::string& team);

/// load_of: the agent's open assigned conversations, in every team.
[[nodiscard]] int load_of(const tenant_state& s, const std::string& agent);

/// has_room: the agent may get one more conversation in `team`.
[[nodiscard]] bool has_room(const tenant_state& s, const agent& a,
                            const std::string& team);

/// in_team: `team` is one of the agent's teams.
[[nodiscard]] bool in_team(const agent& a, const std::string& team);

/// is_admin tells whether `actor` (`agent:<id>`) is an admin of the tenant.
[[nodiscard]] bool is_admin(const tenant_state& s, const std::string& actor);

} // namespace atende

// tenant: one tenant's read model, the state behind views.
//
// Records (channels, teams, agents, reasons, contacts) are kept as the events
// carry them, ordered by id for keyset-paged lists. Conversations are rows in
// a table addressed by ordinal (creation order); names inside rows are
// interned symbols (symbols.h). Three kinds of index follow every row:
//
//   lanes   ordered (last_activity_at, ordinal) sets, one per (dimension,
//           list, symbol): the tenant as a whole, each team, assignee,
//           channel, stage and tag, crossed with the status lists. A page is
//           a walk along the smallest lane that holds every match (see
//           inbox_query.cc). See `has_lane` for which pairs exist.
//   cubes   counters per (status, flags, team, assignee, channel, stage)
//           cell, overall and per stage and per tag, so that tab counts are a
//           pass over cells, never over rows (see cube.h).
//   open    per-agent count of assigned, unfinished conversations.
//
// Every change to a row is `unindex`, change, `index`, so the indexes can
// never drift from the rows.
//
// Thread-safety: none; views serializes writers and readers.
//
// Internal to projections/.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "events/event.h"
#include "events/model.h"
#include "projections/cube.h"
#include "projections/lane.h"
#include "projections/symbols.h"

namespace atende::projections {

/// never marks an absent time (no inbound message, not finished).
inline constexpr timestamp never = std::numeric_limits<timestamp>::min();

/// window_ms is how long after a customer's message free text is allowed.
inline constexpr timestamp window_ms = 24LL * 60 * 60 * 1000;

enum class message_status : std::uint8_t {
  received, pending, sent, delivered, read, failed
};

struct message_row {
  std::string id;
  std::string text;
  timestamp at = 0;
  symbol kind = 0;
  bool outbound = false;
  message_status status = message_status::received;
};

struct conversation_row {
  std::string id;
  std::string description;
  std::vector<message_row> messages; // oldest first
  timestamp created_at = 0;
  timestamp last_activity_at = 0;
  timestamp finished_at = never;
  timestamp last_inbound_at = never;
  std::uint32_t contact = 0; // ordinal in tenant::contacts
  symbol channel = 0, team = 0, assignee = 0, reason = 0, origin = 0;
  conv_status status = conv_status::waiting;
  std::uint8_t flags = 0; // cell_flags
  bool composer_locked = false;
};

struct contact_row {
  contact value;
  std::vector<symbol> tags;
  symbol stage = 0;
  std::vector<std::uint32_t> conversations; // row ordinals
  // false for a contact that a conversation named before it was created; such
  // a row exists only to hold the conversations and is never listed.
  bool known = false;
};

/// dim is what a lane is keyed by, besides the list.
enum class dim : std::uint8_t { tenant, team, assignee, channel, stage, tag };

/// has_lane tells which (dimension, list) lanes exist. Base lists (active,
/// finished) exist for every dimension; `waiting` for the tenant and teams
/// (unassigned views); the rarer flag lists for the tenant and assignees
/// (an agent's own awaiting-customer list). A missing pair falls back to the
/// dimension's `active` lane, of which the flag lists are subsets.
[[nodiscard]] bool has_lane(dim d, list_kind l);

[[nodiscard]] constexpr std::uint64_t lane_id(dim d, list_kind l, symbol s) {
  return (std::uint64_t{static_cast<std::uint8_t>(d)} << 40) |
         (std::uint64_t{static_cast<std::uint8_t>(l)} << 32) | s;
}

struct tenant {
  tenant_info info;
  bool created = false;
  symbol_table symbols;

  std::map<std::string, channel, std::less<>> channels;
  std::map<std::string, team, std::less<>> teams;
  std::map<std::string, agent, std::less<>> agents;
  std::map<std::string, reason, std::less<>> reasons;

  std::deque<contact_row> contacts;
  std::map<std::string, std::uint32_t, std::less<>> contact_ids;
  std::unordered_map<std::string, std::uint32_t> contact_phones; // phone_key

  std::deque<conversation_row> rows;
  // Keys view rows' ids: rows never move (deque) and ids never change.
  std::unordered_map<std::string_view, std::uint32_t> row_ids;

  std::unordered_map<std::uint64_t, lane> lanes;
  cube counts; // every row, with stage zeroed
  std::unordered_map<symbol, cube> stage_counts;
  std::unordered_map<symbol, cube> tag_counts;
  std::unordered_map<symbol, std::int64_t> open_count;
};

/// apply_event folds one event of this tenant.
void apply_event(tenant& t, const event& e);

/// cell_of is the counting cell of a row (with its contact's stage).
[[nodiscard]] cell_key cell_of(const tenant& t, const conversation_row& r);

/// index adds row `ord` to every lane, cube and open count it belongs to;
/// unindex removes it. Call unindex before changing a row, index after.
void index(tenant& t, std::uint32_t ord);
void unindex(tenant& t, std::uint32_t ord);

/// find_lane returns the lane (d, l, s), or null when it never held a key.
[[nodiscard]] const lane* find_lane(const tenant& t, dim d, list_kind l,
                                    symbol s);

/// find_row returns the ordinal of conversation `id`.
[[nodiscard]] std::optional<std::uint32_t> find_row(const tenant& t,
                                                    std::string_view id);

/// open_count_of is the number of unfinished conversations assigned to
/// agent `id`.
[[nodiscard]] std::int64_t open_count_of(const tenant& t, std::string_view id);

} // namespace atende::projections

// cube: conversation counters by cell, for the inbox tab counts.
//
// A cell is everything the counts may filter on except tags and the contact:
// status, flags, team, assignee, channel, stage. Who may see a conversation
// depends only on its team and assignee, unless it is `restricted` (a flag of
// the cell: then it depends on who owns its portfolios, which tenant.h keeps
// in per-owner cubes), so cells are grouped by (team, assignee) and
// visibility is decided once per group with the same may_see the write side
// uses. Counting a query is then O(cells), which is bounded by
// the combinations that occur (teams × agents × channels × ...), not by the
// number of conversations.
//
// Thread-safety: none; views serializes writers and readers.
//
// Internal to projections/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <absl/container/flat_hash_map.h>
#include <vector>

#include "projections/symbols.h"

namespace atende::projections {

enum class conv_status : std::uint8_t { waiting, open, finished };

/// cell_flags: bits of a conversation row besides its status.
enum cell_flags : std::uint8_t {
  last_outbound = 1, // the last message is ours
  last_failed = 2,   // the last outbound message failed
  automated = 4,     // an automation flow messaged the contact
  restricted = 8,    // waits for portfolio owners only (tenant.h)
};

/// list_kind: the status lists of GET /v1/conversations (active = "open").
enum class list_kind : std::uint8_t {
  active, finished, waiting, awaiting, failed, automation
};
inline constexpr std::size_t list_count = 6;

struct cell_key {
  symbol team = 0, assignee = 0, channel = 0, stage = 0;
  conv_status status = conv_status::waiting;
  std::uint8_t flags = 0;
  friend bool operator==(const cell_key&, const cell_key&) = default;
};

/// in_list: the one definition of the status lists, for rows and cells.
[[nodiscard]] constexpr bool in_list(conv_status s, std::uint8_t flags,
                                     list_kind l) {
  bool live = s != conv_status::finished;
  switch (l) {
    case list_kind::active: return live;
    case list_kind::finished: return !live;
    case list_kind::waiting: return s == conv_status::waiting;
    case list_kind::awaiting:
      return s == conv_status::open && (flags & last_outbound) != 0 &&
             (flags & last_failed) == 0;
    case list_kind::failed: return live && (flags & last_failed) != 0;
    case list_kind::automation: return live && (flags & automated) != 0;
  }
  return false;
}

class cube {
public:
  struct cell {
    cell_key key;
    std::int64_t count = 0;
  };
  struct group {
    symbol team = 0, assignee = 0;
    std::vector<cell> cells;
  };

  /// add changes the count of `k` by `delta`.
  void add(const cell_key& k, std::int64_t delta);

  /// groups lists cells by (team, assignee); counts may be zero.
  [[nodiscard]] const std::vector<group>& groups() const { return groups_; }

private:
  struct hash {
    std::size_t operator()(const cell_key& k) const noexcept;
  };
  struct slot {
    std::uint32_t group, cell;
  };
  std::vector<group> groups_;
  absl::flat_hash_map<std::uint64_t, std::uint32_t> group_of_;
  absl::flat_hash_map<cell_key, slot, hash> slots_;
};

} // namespace atende::projections

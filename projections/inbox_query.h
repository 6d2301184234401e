// inbox_query: GET /v1/conversations over one tenant — validation, the
// matching rules, the tab counts and the page walk.
//
// One predicate decides membership everywhere: a row matches when its cell
// (status, flags, team, assignee, channel, stage) is in the status list and
// passes the channel/team/stage filters, its contact passes the tag/contact
// filters, and the view admits it (all: may_see; mine: assigned to the caller;
// unassigned: waiting and may_take). Counts apply the same predicate to cube
// cells, pages to rows.
//
// Complexity, for a tenant with N conversations:
//   counts   O(cells of one cube), plus those of the caller's owner cube
//            (restricted rows, tenant.h) — independent of N; with a contact
//            filter, O(conversations of the contact).
//   page     a walk along the smallest lane that contains every match (the
//            view's lanes — for an agent its teams', its own and its owner
//            lane —, each filter's lane, the status list's lane), so
//            O(log N + limit / selectivity) where selectivity is the share of
//            that lane's keys matching the rest of the query. With a single
//            filter, or none, every key of the chosen lane matches the filter
//            and only the view and status can skip keys. Only a conjunction
//            of filters that are each broad but rare together (say channel A
//            and team B, when team B uses channel A for 0.1% of its
//            conversations) walks a long way: up to the smaller lane. A
//            first page stops as soon as it has seen all `count` matches, and
//            a view with no match at all is not walked.
//
// Internal to projections/.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "projections/tenant.h"
#include "projections/views.h"

namespace atende::projections {

enum class view_kind : std::uint8_t { all, mine, unassigned };

/// inbox_query is a validated conversation_query.
struct inbox_query {
  view_kind view = view_kind::all;
  list_kind list = list_kind::active;
  bool descending = true;
  std::optional<lane_key> after;
  std::size_t limit = 25;
  std::string channel, tag, stage, team, contact; // empty: no filter
  timestamp now = 0; // the reader's clock, for composer_locked
  bool as_text = false; // items to conversation_page::items_text
};

/// parse_query validates `q`; errors are errc::malformed naming the field
/// ("view", "status", "sort", "cursor").
[[nodiscard]] result<inbox_query> parse_query(const conversation_query& q);

/// run_query answers a validated query for `who`, a principal of tenant `t`.
[[nodiscard]] conversation_page run_query(const tenant& t, const principal& who,
                                          const inbox_query& q);

} // namespace atende::projections

// stream: the frames of GET /v1/stream that committed events make for each
// subscriber (views.h watch, watch_counts; the rules are in stream.cc).
//
// Internal to projections/.
#pragma once

#include <optional>
#include <vector>

#include "projections/inbox_query.h"
#include "projections/tenant.h"
#include "projections/views.h"

namespace atende::projections {

/// list_of parses a watcher's list (errors as parse_query's). A watcher
/// without a status follows the open list and, into `finished` when given,
/// the finished one.
[[nodiscard]] result<inbox_query>
list_of(const conversation_query& query, std::optional<inbox_query>* finished);

/// watch_events appends to each watcher the frames of `events` (those of
/// tenant `t`, applied), objects shown at `now`.
void watch_events(const tenant& t, const std::vector<event>& events,
                  const std::vector<watcher*>& ws, timestamp now);

/// watch_tab_counts appends a counts frame to each watcher whose counts
/// changed, or to all when `always`.
void watch_tab_counts(const tenant& t, const std::vector<watcher*>& ws,
                      bool always);

} // namespace atende::projections

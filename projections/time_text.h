// time_text: RFC 3339 rendering on the query path.
//
// Same output as format_time (events/time.h), without snprintf: a page
// renders about a hundred times, and formatting was a sixth of its cost.
// tests/projections/time_text_test.cc pins the equality.
//
// Internal to projections/.
#pragma once

#include <string>

#include "events/time.h"

namespace atende::projections {

/// time_text renders `t` as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
[[nodiscard]] std::string time_text(timestamp t);

} // namespace atende::projections

// time: instants as milliseconds since the Unix epoch, UTC.
//
// The wire form is RFC 3339 UTC with milliseconds (`2026-11-21T13:05:00.123Z`).
// Reducers never read the clock: inputs carry their time (section "Time comes
// from events" of DESIGN.md); only gateways stamp commands with `now_ms()`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace atende {

using timestamp = std::int64_t; // ms since 1970-01-01T00:00:00Z

/// format_time renders `t` as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
[[nodiscard]] std::string format_time(timestamp t);

/// parse_time accepts RFC 3339: a `Z` or `±HH:MM` offset, with or without
/// fractional seconds (more than 3 digits are truncated). Returns nullopt for
/// anything else.
[[nodiscard]] std::optional<timestamp> parse_time(std::string_view s);

/// now_ms reads the wall clock. Only gateways call it.
[[nodiscard]] timestamp now_ms();

/// wall_ms is now_ms in unsigned milliseconds (due times of retries).
[[nodiscard]] inline std::uint64_t wall_ms() {
  return static_cast<std::uint64_t>(now_ms());
}

} // namespace atende

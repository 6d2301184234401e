// hours: times of day in a tenant's time zone — pause types' earliest start
// and portfolios' business hours (expediente).
//
// Local time comes from the IANA database in /usr/share/zoneinfo (package
// tzdata) through cctz. Everything here is a pure function of its arguments:
// the time is always an event's `at`, never the machine's clock.
//
// Business hours, as stored in a portfolio:
//   {"timezone": "America/Sao_Paulo",                  (optional)
//    "week": {"mon": [["08:00","12:00"],["13:00","18:00"]], "sat": [...]}}
// Day keys are mon tue wed thu fri sat sun; a missing day is closed; each
// interval is [start, end) with start < end, "24:00" allowed as an end.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "events/errc.h"
#include "events/time.h"

namespace atende {

/// parse_clock reads "HH:MM" into minutes since midnight (0..1439, or 1440
/// for "24:00" when `allow_end`).
[[nodiscard]] std::optional<int> parse_clock(std::string_view text,
                                             bool allow_end = false);

/// local_clock is a moment as seen on a wall clock of some zone.
struct local_clock {
  int weekday = 0; // 0 = Monday … 6 = Sunday
  int minute = 0;  // minutes since local midnight
};

/// zone_exists tells whether `zone` names an IANA time zone.
[[nodiscard]] bool zone_exists(const std::string& zone);

/// local_clock_at converts `at` to the wall clock of `zone`; nullopt for an
/// unknown zone.
[[nodiscard]] std::optional<local_clock> local_clock_at(timestamp at,
                                                        const std::string& zone);

/// check_hours validates business hours (null is valid: always open); errors
/// name the field under `path` (`hours.week.mon[1]`).
[[nodiscard]] result<void> check_hours(const nlohmann::json& hours,
                                       const std::string& path);

/// hours_open tells whether `at` falls in `hours` (checked by check_hours),
/// read in the hours' own zone or else `default_zone`. Null hours are always
/// open; an unknown zone counts as closed.
[[nodiscard]] bool hours_open(const nlohmann::json& hours, timestamp at,
                              const std::string& default_zone);

} // namespace atende

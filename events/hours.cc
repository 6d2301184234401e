#include "events/hours.h"

#include <array>
#include <chrono>

#include <cctz/time_zone.h>
#include <nlohmann/json.hpp>

namespace atende {

namespace {

constexpr std::array<std::string_view, 7> day_keys{"mon", "tue", "wed", "thu",
                                                   "fri", "sat", "sun"};

int digit(char c) { return c >= '0' && c <= '9' ? c - '0' : -1; }

} // namespace

std::optional<int> parse_clock(std::string_view t, bool allow_end) {
  if (t.size() != 5 || t[2] != ':') {
    return std::nullopt;
  }
  int d[4] = {digit(t[0]), digit(t[1]), digit(t[3]), digit(t[4])};
  for (int x : d) {
    if (x < 0) {
      return std::nullopt;
    }
  }
  int h = d[0] * 10 + d[1];
  int m = d[2] * 10 + d[3];
  if (m > 59) {
    return std::nullopt;
  }
  if (h == 24 && m == 0 && allow_end) {
    return 1440;
  }
  if (h > 23) {
    return std::nullopt;
  }
  return h * 60 + m;
}

bool zone_exists(const std::string& zone) {
  // Only names of the database: cctz would also read a file path or the
  // machine's local zone.
  bool plain = !zone.empty() && zone.front() != '/' &&
               zone.find("..") == std::string::npos && zone != "localtime" &&
               zone.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
                                      "nopqrstuvwxyz0123456789/_+-") ==
                 std::string::npos;
  cctz::time_zone tz;
  return plain && cctz::load_time_zone(zone, &tz);
}

std::optional<local_clock> local_clock_at(timestamp at,
                                          const std::string& zone) {
  cctz::time_zone tz;
  if (zone.empty() || !cctz::load_time_zone(zone, &tz)) {
    return std::nullopt;
  }
  auto tp = std::chrono::system_clock::time_point{} +
            std::chrono::milliseconds{at};
  auto cs = cctz::convert(
      std::chrono::time_point_cast<std::chrono::seconds>(tp), tz);
  auto wd = cctz::get_weekday(cctz::civil_day(cs));
  int weekday = 0;
  switch (wd) {
  case cctz::weekday::monday: weekday = 0; break;
  case cctz::weekday::tuesday: weekday = 1; break;
  case cctz::weekday::wednesday: weekday = 2; break;
  case cctz::weekday::thursday: weekday = 3; break;
  case cctz::weekday::friday: weekday = 4; break;
  case cctz::weekday::saturday: weekday = 5; break;
  case cctz::weekday::sunday: weekday = 6; break;
  }
  return local_clock{weekday, cs.hour() * 60 + cs.minute()};
}

result<void> check_hours(const nlohmann::json& h, const std::string& path) {
  if (h.is_null()) {
    return {};
  }
  if (!h.is_object()) {
    return fail(errc::malformed, "must be an object", path);
  }
  for (const auto& [key, value] : h.items()) {
    if (key != "timezone" && key != "week") {
      return fail(errc::malformed, "unknown field", path + "." + key);
    }
  }
  if (auto tz = h.find("timezone"); tz != h.end() && !tz->is_null()) {
    if (!tz->is_string() || !zone_exists(tz->get<std::string>())) {
      return fail(errc::invalid_value, "must be an IANA time zone",
                  path + ".timezone");
    }
  }
  auto week = h.find("week");
  if (week == h.end() || !week->is_object()) {
    return fail(errc::malformed, "must be an object of days", path + ".week");
  }
  for (const auto& [day, intervals] : week->items()) {
    std::string dpath = path + ".week." + day;
    bool known = false;
    for (auto k : day_keys) {
      known = known || k == day;
    }
    if (!known) {
      return fail(errc::malformed, "unknown day (mon … sun)", dpath);
    }
    if (!intervals.is_array()) {
      return fail(errc::malformed, "must be an array of [start, end]", dpath);
    }
    for (std::size_t i = 0; i < intervals.size(); ++i) {
      const auto& iv = intervals[i];
      std::string ipath = dpath + "[" + std::to_string(i) + "]";
      if (!iv.is_array() || iv.size() != 2 || !iv[0].is_string() ||
          !iv[1].is_string()) {
        return fail(errc::malformed, "must be [\"HH:MM\", \"HH:MM\"]", ipath);
      }
      auto from = parse_clock(iv[0].get<std::string>());
      auto to = parse_clock(iv[1].get<std::string>(), true);
      if (!from || !to || *from >= *to) {
        return fail(errc::invalid_value,
                    "must be two times of day HH:MM, the first earlier",
                    ipath);
      }
    }
  }
  return {};
}

bool hours_open(const nlohmann::json& h, timestamp at,
                const std::string& default_zone) {
  if (h.is_null()) {
    return true;
  }
  std::string zone = default_zone;
  if (auto tz = h.find("timezone"); tz != h.end() && tz->is_string()) {
    zone = tz->get<std::string>();
  }
  auto local = local_clock_at(at, zone);
  auto week = h.find("week");
  if (!local || week == h.end() || !week->is_object()) {
    return false;
  }
  auto day = week->find(std::string{day_keys[local->weekday]});
  if (day == week->end() || !day->is_array()) {
    return false;
  }
  for (const auto& iv : *day) {
    auto from = parse_clock(iv[0].get<std::string>());
    auto to = parse_clock(iv[1].get<std::string>(), true);
    if (from && to && local->minute >= *from && local->minute < *to) {
      return true;
    }
  }
  return false;
}

} // namespace atende

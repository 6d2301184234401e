#include "projections/time_text.h"

#include <cstdint>

namespace atende::projections {

namespace {

void put(char* out, std::int64_t v, int digits) {
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
}

} // namespace

std::string time_text(timestamp t) {
  // Years 1970..9999 only; anything else keeps format_time's rendering.
  constexpr timestamp year_10000 = 253402300800000;
  if (t < 0 || t >= year_10000) {
    return format_time(t);
  }
  std::int64_t days = t / 86400000;
  std::int64_t ms_of_day = t % 86400000;
  // Civil date from days, after Howard Hinnant's public-domain algorithm.
  std::int64_t z = days + 719468;
  std::int64_t era = z / 146097;
  auto doe = static_cast<std::uint32_t>(z - era * 146097);
  std::uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::uint32_t mp = (5 * doy + 2) / 153;
  std::uint32_t d = doy - (153 * mp + 2) / 5 + 1;
  std::uint32_t m = mp < 10 ? mp + 3 : mp - 9;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  std::string s = "0000-00-00T00:00:00.000Z";
  put(&s[0], y, 4);
  put(&s[5], m, 2);
  put(&s[8], d, 2);
  put(&s[11], ms_of_day / 3600000, 2);
  put(&s[14], ms_of_day / 60000 % 60, 2);
  put(&s[17], ms_of_day / 1000 % 60, 2);
  put(&s[20], ms_of_day % 1000, 3);
  return s;
}

} // namespace atende::projections

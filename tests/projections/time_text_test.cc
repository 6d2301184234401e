// time_text renders exactly as format_time.
#include "projections/time_text.h"

#include <gtest/gtest.h>

#include <random>

namespace atende::projections {
namespace {

TEST(TimeText, MatchesFormatTime) {
  EXPECT_EQ(time_text(1795266000123), "2026-11-21T13:00:00.123Z");
  std::mt19937_64 rng(3);
  for (int i = 0; i < 200000; ++i) {
    auto t = static_cast<timestamp>(rng() % 300000000000000ULL) -
             10000000000000LL;
    ASSERT_EQ(time_text(t), format_time(t)) << t;
  }
  for (timestamp t : {0LL, 951782400000LL, 951868799999LL, 4107542399999LL,
                      253402300799999LL, -1LL}) {
    EXPECT_EQ(time_text(t), format_time(t)) << t;
  }
}

} // namespace
} // namespace atende::projections

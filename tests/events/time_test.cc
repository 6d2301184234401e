#include "events/time.h"

#include <gtest/gtest.h>

namespace atende {
namespace {

constexpr timestamp t0 = 1795266300123; // 2026-11-21T13:05:00.123Z

TEST(Time, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(format_time(t0), "2026-11-21T13:05:00.123Z");
  EXPECT_EQ(format_time(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_time(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Time, ParsesZuluAndOffsets) {
  EXPECT_EQ(parse_time("2026-11-21T13:05:00.123Z"), t0);
  EXPECT_EQ(parse_time("2026-11-21T10:05:00.123-03:00"), t0);
  EXPECT_EQ(parse_time("2026-11-21T18:35:00.123+05:30"), t0);
  EXPECT_EQ(parse_time("2026-11-21t13:05:00.123z"), t0);
}

TEST(Time, FractionsAreOptionalAndTruncatedToMilliseconds) {
  EXPECT_EQ(parse_time("2026-11-21T13:05:00Z"), t0 - 123);
  EXPECT_EQ(parse_time("2026-11-21T13:05:00.1Z"), t0 - 23);
  EXPECT_EQ(parse_time("2026-11-21T13:05:00.123999Z"), t0);
}

TEST(Time, RejectsInvalidDatesAndShapes) {
  for (const char* bad :
       {"2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z",
        "2026-11-21T24:00:00Z", "2026-11-21T13:60:00Z", "2026-11-21 13:05:00Z",
        "2026-11-21T13:05:00", "2026-11-21T13:05:00.Z", "2026-11-21T13:05:00+0300",
        "2026-11-21T13:05:00Z ", "yesterday", ""}) {
    EXPECT_FALSE(parse_time(bad)) << bad;
  }
  EXPECT_TRUE(parse_time("2024-02-29T00:00:00Z"));
}

TEST(Time, FormatThenParseRoundTrips) {
  for (timestamp t : {timestamp{0}, t0, timestamp{951782400000},
                      timestamp{4102444799999}, timestamp{-86400001}}) {
    auto back = parse_time(format_time(t));
    ASSERT_TRUE(back) << t;
    EXPECT_EQ(*back, t);
  }
}

} // namespace
} // namespace atende

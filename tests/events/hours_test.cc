// hours_test: times of day in a zone (events/hours.h): pause types' earliest
// start and portfolios' business hours.
#include "events/hours.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace atende {
namespace {

using json = nlohmann::json;

// Saturday 2026-11-21 13:05 UTC = 10:05 in São Paulo (UTC-3).
constexpr timestamp saturday_1305_utc = 1795266300000;
constexpr timestamp minute = 60'000;

TEST(Hours, ParseClockReadsHoursAndMinutes) {
  EXPECT_EQ(parse_clock("00:00"), 0);
  EXPECT_EQ(parse_clock("11:30"), 690);
  EXPECT_EQ(parse_clock("23:59"), 1439);
  EXPECT_FALSE(parse_clock("24:00"));
  EXPECT_EQ(parse_clock("24:00", true), 1440);
  for (const char* bad : {"", "9:00", "12:60", "25:00", "ab:cd", "12-00"}) {
    EXPECT_FALSE(parse_clock(bad)) << bad;
  }
}

TEST(Hours, LocalClockIsReadInTheZone) {
  auto sp = local_clock_at(saturday_1305_utc, "America/Sao_Paulo");
  ASSERT_TRUE(sp);
  EXPECT_EQ(sp->weekday, 5);
  EXPECT_EQ(sp->minute, 10 * 60 + 5);
  auto tokyo = local_clock_at(saturday_1305_utc, "Asia/Tokyo");
  ASSERT_TRUE(tokyo);
  EXPECT_EQ(tokyo->weekday, 5);
  EXPECT_EQ(tokyo->minute, 22 * 60 + 5);
  EXPECT_FALSE(local_clock_at(saturday_1305_utc, "Nowhere/City"));
}

TEST(Hours, ZoneExistsOnlyForNamesOfTheDatabase) {
  EXPECT_TRUE(zone_exists("America/Sao_Paulo"));
  EXPECT_TRUE(zone_exists("UTC"));
  for (const char* bad :
       {"", "Nowhere/City", "/etc/localtime", "localtime", "../zoneinfo/UTC",
        "file:/usr/share/zoneinfo/UTC"}) {
    EXPECT_FALSE(zone_exists(bad)) << bad;
  }
}

TEST(Hours, NoHoursIsAlwaysOpen) {
  EXPECT_TRUE(hours_open(nullptr, saturday_1305_utc, "America/Sao_Paulo"));
}

TEST(Hours, OpenInsideAnIntervalOfTheDayOnly) {
  auto h = json::parse(R"({"week":{"sat":[["08:00","10:00"],["10:05","12:00"]]}})");
  ASSERT_TRUE(check_hours(h, "hours"));
  EXPECT_TRUE(hours_open(h, saturday_1305_utc, "America/Sao_Paulo"));
  EXPECT_FALSE(hours_open(h, saturday_1305_utc - minute, "America/Sao_Paulo"));
  // 12:00 is the end: closed from then on.
  EXPECT_FALSE(
    hours_open(h, saturday_1305_utc + 115 * minute, "America/Sao_Paulo"));
}

TEST(Hours, AMissingDayIsClosed) {
  auto h = json::parse(R"({"week":{"mon":[["00:00","24:00"]]}})");
  EXPECT_FALSE(hours_open(h, saturday_1305_utc, "America/Sao_Paulo"));
}

TEST(Hours, TheHoursOwnZoneWinsOverTheTenants) {
  auto h = json::parse(
    R"({"timezone":"Asia/Tokyo","week":{"sat":[["22:00","23:00"]]}})");
  EXPECT_TRUE(hours_open(h, saturday_1305_utc, "America/Sao_Paulo"));
}

TEST(Hours, CheckHoursNamesTheBadPart) {
  struct bad_case {
    const char* hours;
    const char* field;
  };
  for (auto [text, field] : std::initializer_list<bad_case>{
         {R"([])", "hours"},
         {R"({"week":{"mon":[["08:00","12:00"]]},"x":1})", "hours.x"},
         {R"({"timezone":"Mars/Base","week":{}})", "hours.timezone"},
         {R"({})", "hours.week"},
         {R"({"week":{"monday":[]}})", "hours.week.monday"},
         {R"({"week":{"mon":[["08:00","12:00"],["13:00","12:00"]]}})",
          "hours.week.mon[1]"},
         {R"({"week":{"mon":[["08:00"]]}})", "hours.week.mon[0]"},
       }) {
    auto r = check_hours(json::parse(text), "hours");
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().field, field) << text;
  }
}

} // namespace
} // namespace atende

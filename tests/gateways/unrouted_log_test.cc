// unrouted_log: webhook payloads kept for the operator survive a restart,
// come back newest first, and a torn last line (a crash while appending)
// loses nothing before it.
#include "gateways/unrouted_log.h"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

namespace atende {
namespace {

std::string scratch_file() {
  char tmpl[] = "/tmp/atende-unrouted-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  return dir + "/webhooks/unrouted.jsonl";
}

TEST(UnroutedLog, RecordsSurviveReopeningNewestFirst) {
  auto path = scratch_file();
  {
    unrouted_log log{path};
    ASSERT_TRUE(log.append("2026-12-02T10:00:00.000Z",
                           nlohmann::json::array({{{"reason", "a"}}}),
                           {{"n", 1}}));
    ASSERT_TRUE(log.append("2026-12-02T10:00:01.000Z",
                           nlohmann::json::array({{{"reason", "b"}}}),
                           {{"n", 2}}));
  }
  unrouted_log again{path};
  ASSERT_TRUE(again.append("2026-12-02T10:00:02.000Z",
                           nlohmann::json::array({{{"reason", "c"}}}),
                           {{"n", 3}}));
  auto all = again.latest(10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0]["seq"], 3);
  EXPECT_EQ((*all)[0]["payload"]["n"], 3);
  EXPECT_EQ((*all)[2]["seq"], 1);
  EXPECT_EQ((*all)[2]["items"][0]["reason"], "a");
  auto two = again.latest(2);
  ASSERT_TRUE(two);
  EXPECT_EQ(two->size(), 2u);
}

TEST(UnroutedLog, ATornLastLineIsSkipped) {
  auto path = scratch_file();
  {
    unrouted_log log{path};
    ASSERT_TRUE(log.append("2026-12-02T10:00:00.000Z", nlohmann::json::array(),
                           {{"n", 1}}));
  }
  {
    std::ofstream out{path, std::ios::app};
    out << R"({"seq":2,"received_at":"2026-12-02T10:00:01)";
  }
  unrouted_log log{path};
  auto all = log.latest(10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0]["seq"], 1);
  // The next record is whole, after the cut line.
  ASSERT_TRUE(log.append("2026-12-02T10:00:02.000Z", nlohmann::json::array(),
                         {{"n", 2}}));
  all = log.latest(10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0]["seq"], 2);
  EXPECT_EQ((*all)[0]["payload"]["n"], 2);
}

TEST(UnroutedLog, WithoutAPathRecordsStayInMemory) {
  unrouted_log log{""};
  ASSERT_TRUE(log.append("2026-12-02T10:00:00.000Z", nlohmann::json::array(),
                         {{"n", 1}}));
  auto all = log.latest(5);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0]["seq"], 1);
}

} // namespace
} // namespace atende

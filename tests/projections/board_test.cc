// GET /v1/agents as the supervisors' board: presence, pauses, open counts.
#include <gtest/gtest.h>

#include "tests/projections/builders.h"

namespace atende::testing {
namespace {

using nlohmann::json;

constexpr timestamp minute = 60'000;

class Board : public ::testing::Test {
protected:
  void SetUp() override {
    h.tenant("boss", "hash-boss")
      .team("sales")
      .agent("ana", {"sales"})
      .agent("bia", {"sales"})
      .pause_type("lunch", 60);
    v.apply(h.take());
  }

  json agent(const std::string& id, timestamp now = 0) {
    auto got = v.get(boss, resource::agents, id, now);
    EXPECT_TRUE(got);
    return got ? *got : json{};
  }

  history h{"acme"};
  views v;
  principal boss = admin_of("acme", "boss");
};

TEST_F(Board, BoardShowsStatusPauseElapsedAndOverdue) {
  EXPECT_EQ(agent("ana")["status"], "offline");
  EXPECT_EQ(agent("ana")["pause"], nullptr);
  v.apply(h.status("ana", "online", at_s(1)).pause("ana", "lunch", at_s(10))
            .take());
  timestamp since = at_s(10);

  auto a = agent("ana", since + 90'000);
  EXPECT_EQ(a["status"], "online");
  EXPECT_EQ(a["pause"], (json{{"type", "lunch"},
                              {"since", "2026-11-21T13:00:10.000Z"},
                              {"elapsed_minutes", 1},
                              {"overdue", false}}));
  // Overdue only once more than max_minutes have passed.
  EXPECT_EQ(agent("ana", since + 60 * minute)["pause"]["overdue"], false);
  EXPECT_EQ(agent("ana", since + 60 * minute)["pause"]["elapsed_minutes"], 60);
  EXPECT_EQ(agent("ana", since + 60 * minute + 1)["pause"]["overdue"], true);

  // Without a clock, the board reads the latest event time of the tenant.
  v.apply(h.status("bia", "online", since + 61 * minute).take());
  a = agent("ana");
  EXPECT_EQ(a["pause"]["elapsed_minutes"], 61);
  EXPECT_EQ(a["pause"]["overdue"], true);
  EXPECT_EQ(agent("bia")["status"], "online");
  EXPECT_EQ(agent("bia")["pause"], nullptr);

  // The list shows the same as get.
  auto page =
    v.list(boss, resource::agents, 25, "", {}, {}, {}, since + minute);
  ASSERT_TRUE(page);
  ASSERT_EQ(ids(*page), (std::vector<std::string>{"ana", "bia", "boss"}));
  EXPECT_EQ(page->items[0]["pause"]["elapsed_minutes"], 1);
  EXPECT_EQ(page->items[2]["status"], "offline");

  v.apply(h.resume("ana", "lunch", 61, true, since + 62 * minute)
            .status("ana", "offline", since + 63 * minute)
            .take());
  a = agent("ana");
  EXPECT_EQ(a["pause"], nullptr);
  EXPECT_EQ(a["status"], "offline");
}

TEST_F(Board, BoardRowHasTheAgentsRecordAndOpenCount) {
  v.apply(h.channel("wa", "sales")
            .contact("c1", "Maria", "5531988887777")
            .open("k1", "c1", "wa", "sales", at_s(1))
            .assign("k1", "ana", at_s(2))
            .take());
  auto a = agent("ana");
  for (const char* key : {"id", "name", "role", "teams", "max_concurrent",
                          "status", "pause", "open_count"}) {
    EXPECT_TRUE(a.contains(key)) << key;
  }
  EXPECT_FALSE(a.contains("token_hash"));
  EXPECT_EQ(a["open_count"], 1);
}

TEST_F(Board, PauseOfAnUnknownTypeIsNeverOverdue) {
  v.apply(h.pause("ana", "gone", at_s(1)).take());
  auto a = agent("ana", at_s(1) + 600 * minute);
  EXPECT_EQ(a["pause"]["type"], "gone");
  EXPECT_EQ(a["pause"]["overdue"], false);
}

TEST_F(Board, PauseTypesAreListedAsRecords) {
  v.apply(h.add(pause_type_updated{.value = {.id = "lunch", .name = "Almoço",
                                             .max_minutes = 45,
                                             .allowed_from = "11:00"}})
            .pause_type("break", 15)
            .take());
  auto page = v.list(boss, resource::pause_types, 25, "");
  ASSERT_TRUE(page);
  EXPECT_EQ(ids(*page), (std::vector<std::string>{"break", "lunch"}));
  auto got = v.get(boss, resource::pause_types, "lunch");
  ASSERT_TRUE(got);
  EXPECT_EQ((*got)["name"], "Almoço");
  EXPECT_EQ((*got)["max_minutes"], 45);
  EXPECT_EQ((*got)["allowed_from"], "11:00");
  EXPECT_EQ((*v.get(boss, resource::pause_types, "break"))["allowed_from"],
            nullptr);
}

} // namespace
} // namespace atende::testing

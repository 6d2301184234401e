// lane: an ordered key set; checked against std::set on random operations.
#include "projections/lane.h"

#include <gtest/gtest.h>

#include <iterator>
#include <random>
#include <set>
#include <vector>

namespace atende::projections {
namespace {

std::vector<lane_key> walk_all(const lane& l, bool desc,
                               std::optional<lane_key> after) {
  std::vector<lane_key> out;
  for (auto w = l.walk(desc, after); !w.done(); w.next()) {
    out.push_back(w.key());
  }
  return out;
}

std::vector<lane_key> expected(const std::set<lane_key>& s, bool desc,
                               std::optional<lane_key> after) {
  std::vector<lane_key> out;
  if (desc) {
    for (auto it = s.rbegin(); it != s.rend(); ++it) {
      if (!after || *it < *after) {
        out.push_back(*it);
      }
    }
  } else {
    for (auto k : s) {
      if (!after || k > *after) {
        out.push_back(k);
      }
    }
  }
  return out;
}

TEST(Lane, EmptyLaneWalksNothing) {
  lane l;
  EXPECT_TRUE(l.walk(true, std::nullopt).done());
  EXPECT_TRUE(l.walk(false, lane_key{5, 1}).done());
  EXPECT_FALSE(l.erase({1, 1}));
  EXPECT_EQ(l.size(), 0U);
}

TEST(Lane, WalksStrictlyAfterTheCursorInBothDirections) {
  lane l;
  for (std::uint32_t i = 0; i < 10; ++i) {
    l.insert({.at = 100 + i / 2, .ord = i});
  }
  auto after = lane_key{.at = 102, .ord = 4};
  auto desc = walk_all(l, true, after);
  ASSERT_EQ(desc.size(), 4U);
  EXPECT_EQ(desc.front(), (lane_key{101, 3}));
  auto asc = walk_all(l, false, after);
  ASSERT_EQ(asc.size(), 5U);
  EXPECT_EQ(asc.front(), (lane_key{102, 5}));
  // A cursor between keys (its row moved away) still splits the lane.
  EXPECT_EQ(walk_all(l, true, lane_key{102, 99}).front(), (lane_key{102, 5}));
}

TEST(Lane, MatchesAnOrderedSetUnderRandomChurn) {
  std::mt19937 rng(7);
  lane l;
  std::set<lane_key> ref;
  for (int step = 0; step < 40000; ++step) {
    bool grow = ref.size() < 3000 ? rng() % 3 != 0 : rng() % 3 == 0;
    if (grow || ref.empty()) {
      // Mostly appends, as activity moves conversations to the end.
      lane_key k{.at = rng() % 4 == 0 ? static_cast<timestamp>(rng() % 5000)
                                      : 5000 + step,
                 .ord = static_cast<std::uint32_t>(rng())};
      if (ref.insert(k).second) {
        l.insert(k);
      }
    } else {
      auto it = std::next(ref.begin(), static_cast<long>(rng() % ref.size()));
      EXPECT_TRUE(l.erase(*it));
      ref.erase(it);
    }
    ASSERT_EQ(l.size(), ref.size());
    if (step % 4000 == 0) {
      lane_key probe{.at = static_cast<timestamp>(rng() % 45000),
                     .ord = static_cast<std::uint32_t>(rng())};
      for (bool desc : {true, false}) {
        ASSERT_EQ(walk_all(l, desc, probe), expected(ref, desc, probe));
        ASSERT_EQ(walk_all(l, desc, std::nullopt),
                  expected(ref, desc, std::nullopt));
      }
    }
  }
  EXPECT_FALSE(l.erase({.at = -1, .ord = 0}));
}

} // namespace
} // namespace atende::projections

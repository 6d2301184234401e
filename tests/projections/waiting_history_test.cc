// Waiting history (views::waiting_history): each change of whose waiting
// list a conversation is in, with the event that made it — its own events,
// and those of portfolios and teams that change who may take it.
#include <gtest/gtest.h>

#include "tests/projections/builders.h"

namespace atende::testing {
namespace {

using strings = std::vector<std::string>;

// sales distributes by contact_group, support is manual. Portfolio p1 is
// dora's (responsible, in no team) with member ana. Contact c1 is in no
// portfolio yet.
class WaitingHistory : public ::testing::Test {
protected:
  void SetUp() override {
    h.tenant("boss", "hash-boss")
        .team("sales", "contact_group")
        .team("support", "manual")
        .channel("wa", "sales")
        .agent("ana", {"sales"})
        .agent("bia", {"support"})
        .agent("dora", {})
        .contact("c1", "Maria", "5531988887777")
        .portfolio("p1", "dora", {"ana"});
    apply();
  }

  /// apply folds what was added and returns the seq of the last event.
  std::uint64_t apply() {
    auto seq = h.seq();
    v.apply(h.take());
    return seq;
  }

  /// marks spells the history of `id` as "<seq> <team> [portfolios]
  /// [owners]", or "<seq> -" when it stopped waiting; "not_found" when
  /// `who` may not see it.
  strings marks(const std::string& id, const principal& who) {
    auto r = v.waiting_history(who, id);
    if (!r) {
      return {r.error().code == errc::not_found ? "not_found" : "error"};
    }
    strings out;
    for (const auto& m : *r) {
      auto s = std::to_string(m.seq);
      if (!m.audience) {
        out.push_back(s + " -");
        continue;
      }
      s += " " + m.audience->team + " [";
      for (const auto& p : m.audience->portfolios) {
        s += (s.back() == '[' ? "" : " ") + p;
      }
      s += "] [";
      for (const auto& o : m.audience->owners) {
        s += (s.back() == '[' ? "" : " ") + o;
      }
      out.push_back(s + "]");
    }
    return out;
  }

  strings marks(const std::string& id) { return marks(id, boss); }

  std::string at(std::uint64_t seq, const std::string& rest) {
    return std::to_string(seq) + " " + rest;
  }

  history h{"acme"};
  views v;
  principal boss = admin_of("acme", "boss");
};

TEST_F(WaitingHistory, OpeningEntersTheTeamsWaitingList) {
  h.open("k1", "c1", "wa", "support", at_s(1));
  auto opened = apply();
  auto r = v.waiting_history(boss, "k1");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].seq, opened);
  EXPECT_EQ((*r)[0].at, at_s(1));
  EXPECT_EQ(
      (*r)[0].audience,
      (waiting_audience{.team = "support", .portfolios = {}, .owners = {}}));
}

TEST_F(WaitingHistory, AssignmentLeavesTheWaitingList) {
  h.open("k1", "c1", "wa", "support", at_s(1));
  auto opened = apply();
  h.assign("k1", "bia", at_s(2));
  auto assigned = apply();
  EXPECT_EQ(marks("k1"),
            (strings{at(opened, "support [] []"), at(assigned, "-")}));
  EXPECT_EQ(v.waiting_history(boss, "k1")->back().at, at_s(2));
}

TEST_F(WaitingHistory, TransferToATeamWithoutAnAgentWaitsAgain) {
  h.open("k1", "c1", "wa", "support", at_s(1));
  auto opened = apply();
  h.assign("k1", "bia", at_s(2));
  auto assigned = apply();
  h.transfer("k1", "sales", "", at_s(3));
  auto transferred = apply();
  EXPECT_EQ(marks("k1"),
            (strings{at(opened, "support [] []"), at(assigned, "-"),
                     at(transferred, "sales [] []")}));
}

TEST_F(WaitingHistory, MessagesAndTagsLeaveNoMark) {
  h.open("k1", "c1", "wa", "sales", at_s(1));
  auto opened = apply();
  h.receive("k1", "m1", "oi", at_s(2))
      .contact("c1", "Maria", "5531988887777", {"vip"}, "lead", true)
      .hold("k1", "p1", true, at_s(3));
  apply();
  EXPECT_EQ(marks("k1"), (strings{at(opened, "sales [] []")}));
}

TEST_F(WaitingHistory, JoiningAGoverningPortfolioRestrictsTheList) {
  h.open("k1", "c1", "wa", "sales", at_s(1));
  auto opened = apply();
  h.portfolio_contacts("p1", {"c1"});
  auto joined = apply();
  h.portfolio_contacts("p1", {}, {"c1"});
  auto left = apply();
  EXPECT_EQ(marks("k1"), (strings{at(opened, "sales [] []"),
                                  at(joined, "sales [p1] [ana dora]"),
                                  at(left, "sales [] []")}));
}

TEST_F(WaitingHistory, NewOwnersOfTheGoverningPortfolioChangeTheList) {
  h.portfolio_contacts("p1", {"c1"}).open("k1", "c1", "wa", "sales", at_s(1));
  auto opened = apply();
  h.portfolio("p1", "dora", {"ana"}, true); // same owners: no change
  apply();
  h.portfolio("p1", "dora", {"bia"}, true);
  auto changed = apply();
  EXPECT_EQ(marks("k1"), (strings{at(opened, "sales [p1] [ana dora]"),
                                  at(changed, "sales [p1] [bia dora]")}));
}

TEST_F(WaitingHistory, DeletingTheGoverningPortfolioOpensTheTeamsList) {
  h.portfolio_contacts("p1", {"c1"}).open("k1", "c1", "wa", "sales", at_s(1));
  auto opened = apply();
  h.delete_portfolio("p1");
  auto deleted = apply();
  EXPECT_EQ(marks("k1"), (strings{at(opened, "sales [p1] [ana dora]"),
                                  at(deleted, "sales [] []")}));
}

TEST_F(WaitingHistory, ARoutedPortfolioWithoutRecordLeavesItToAdmins) {
  h.open("k1", "c1", "wa", "support", at_s(1));
  auto opened = apply();
  h.route("k1", "support", "p9", at_s(2));
  auto routed = apply();
  h.portfolio("p9", "bia");
  auto created = apply();
  EXPECT_EQ(marks("k1"),
            (strings{at(opened, "support [] []"), at(routed, "support [p9] []"),
                     at(created, "support [p9] [bia]")}));
}

TEST_F(WaitingHistory, ATeamTurningContactGroupRestrictsItsWaitingRows) {
  h.portfolio_contacts("p1", {"c1"}).open("k1", "c1", "wa", "support", at_s(1));
  auto opened = apply();
  h.team("support", "contact_group", true);
  auto turned = apply();
  EXPECT_EQ(marks("k1"), (strings{at(opened, "support [] []"),
                                  at(turned, "support [p1] [ana dora]")}));
}

TEST_F(WaitingHistory, FinishingLeavesTheWaitingList) {
  h.open("k1", "c1", "wa", "support", at_s(1));
  auto opened = apply();
  h.finish("k1", "", "", at_s(2));
  auto finished = apply();
  h.portfolio_contacts("p1", {"c1"}); // no longer waiting: no mark
  apply();
  EXPECT_EQ(marks("k1"),
            (strings{at(opened, "support [] []"), at(finished, "-")}));
}

TEST_F(WaitingHistory, AnAdminWithoutAnAgentIdSeesIt) {
  h.portfolio_contacts("p1", {"c1"}).open("k1", "c1", "wa", "sales", at_s(1));
  auto opened = apply();
  principal audit{.tenant = "acme", .agent = "", .admin = true, .root = false};
  EXPECT_EQ(marks("k1", audit), (strings{at(opened, "sales [p1] [ana dora]")}));
}

TEST_F(WaitingHistory, WhoMayNotSeeTheConversationGetsNotFound) {
  h.portfolio_contacts("p1", {"c1"}).open("k1", "c1", "wa", "sales", at_s(1));
  apply();
  // bia's team is support; the waiting k1 is dora's and ana's only.
  EXPECT_EQ(marks("k1", agent_of("acme", "bia")), strings{"not_found"});
  EXPECT_EQ(marks("k1", agent_of("acme", "ana")).size(), 1u);
  EXPECT_EQ(marks("nope"), strings{"not_found"});
  EXPECT_EQ(marks("k1", admin_of("other", "boss")), strings{"not_found"});
}

} // namespace
} // namespace atende::testing

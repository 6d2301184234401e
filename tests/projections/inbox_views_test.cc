// GET /v1/conversations: views, status lists, filters, counts, sort, paging.
#include <gtest/gtest.h>

#include <set>

#include "tests/projections/builders.h"

namespace atende::testing {
namespace {

using strings = std::vector<std::string>;

// Two teams, two channels, three agents. Conversations, oldest first:
//   k1 sales/wa   c1 (vip, stage lead)     waiting
//   k2 sales/wa   c2 (no tags)             assigned to ana, our reply last
//   k3 support/ig c1                       waiting
//   k4 support/ig c2                       assigned to ana (outside her team)
//   k5 sales/ig   c3 (vip, stage won)      finished by ana
//   k6 support/wa c3                       assigned to bia
class InboxViews : public ::testing::Test {
protected:
  void SetUp() override {
    h.tenant("boss", "hash-boss")
      .team("sales")
      .team("support")
      .channel("wa", "sales")
      .channel("ig", "support")
      .agent("ana", {"sales"})
      .agent("bia", {"support"})
      .agent("caio", {"sales", "support"})
      .reason("done")
      .contact("c1", "Maria", "5531988887777", {"vip"}, "lead")
      .contact("c2", "Jose", "5511988880000")
      .contact("c3", "Rita", "5521977776666", {"vip", "b2b"}, "won")
      .open("k1", "c1", "wa", "sales", at_s(1))
      .open("k2", "c2", "wa", "sales", at_s(2))
      .assign("k2", "ana", at_s(3))
      .send("k2", "m1", "ana", "hello", at_s(4))
      .open("k3", "c1", "ig", "support", at_s(5))
      .open("k4", "c2", "ig", "support", at_s(6))
      .assign("k4", "ana", at_s(7))
      .open("k5", "c3", "ig", "sales", at_s(8))
      .assign("k5", "ana", at_s(9))
      .finish("k5", "done", "", at_s(10))
      .open("k6", "c3", "wa", "support", at_s(11))
      .assign("k6", "bia", at_s(12));
    v.apply(h.take());
  }

  conversation_page query(const principal& who, conversation_query q) {
    auto r = v.conversations(who, q);
    EXPECT_TRUE(r) << r.error().field << ": " << r.error().message;
    return r ? *r : conversation_page{};
  }

  strings list(const principal& who, conversation_query q) {
    return ids(query(who, std::move(q)).items);
  }

  history h{"acme"};
  views v;
  principal boss = admin_of("acme", "boss");
  principal ana = agent_of("acme", "ana");
  principal bia = agent_of("acme", "bia");
  principal caio = agent_of("acme", "caio");
};

TEST_F(InboxViews, AdminSeesTheWholeTenantNewestFirst) {
  EXPECT_EQ(list(boss, {}), (strings{"k6", "k4", "k3", "k2", "k1"}));
}

TEST_F(InboxViews, AgentSeesConversationsOfItsTeamsAndAssignedToIt) {
  EXPECT_EQ(list(ana, {}), (strings{"k4", "k2", "k1"}));
  EXPECT_EQ(list(bia, {}), (strings{"k6", "k4", "k3"}));
  EXPECT_EQ(list(caio, {}), (strings{"k6", "k4", "k3", "k2", "k1"}));
}

TEST_F(InboxViews, MineListsConversationsAssignedToTheCaller) {
  EXPECT_EQ(list(ana, {.view = "mine"}), (strings{"k4", "k2"}));
  EXPECT_EQ(list(caio, {.view = "mine"}), strings{});
  EXPECT_EQ(list(boss, {.view = "mine"}), strings{});
}

TEST_F(InboxViews, UnassignedListsOnlyWaitingConversationsTheCallerMayTake) {
  EXPECT_EQ(list(ana, {.view = "unassigned"}), strings{"k1"});
  EXPECT_EQ(list(bia, {.view = "unassigned"}), strings{"k3"});
  EXPECT_EQ(list(caio, {.view = "unassigned"}), (strings{"k3", "k1"}));
  EXPECT_EQ(list(boss, {.view = "unassigned"}), (strings{"k3", "k1"}));
}

TEST_F(InboxViews, FinishedListHoldsFinishedConversations) {
  EXPECT_EQ(list(boss, {.status = "finished"}), strings{"k5"});
  EXPECT_EQ(list(ana, {.view = "mine", .status = "finished"}),
            strings{"k5"});
  EXPECT_EQ(list(bia, {.status = "finished"}), strings{});
  EXPECT_EQ(list(ana, {.view = "unassigned", .status = "finished"}),
            strings{});
}

TEST_F(InboxViews, AwaitingCustomerHoldsOpenConversationsWhoseLastWordIsOurs) {
  EXPECT_EQ(list(boss, {.status = "awaiting_customer"}), strings{"k2"});
  EXPECT_EQ(list(ana, {.view = "mine", .status = "awaiting_customer"}),
            strings{"k2"});
  v.apply(h.receive("k2", "m2", "ok", at_s(20)).take());
  EXPECT_EQ(list(boss, {.status = "awaiting_customer"}), strings{});
}

TEST_F(InboxViews, SendFailedAndAutomationListsAreEmptyWithoutSuchEvents) {
  EXPECT_EQ(list(boss, {.status = "send_failed"}), strings{});
  EXPECT_EQ(list(boss, {.status = "automation"}), strings{});
}

TEST_F(InboxViews, ChannelAndTeamFiltersAreExactAndCombine) {
  EXPECT_EQ(list(boss, {.channel = "wa"}), (strings{"k6", "k2", "k1"}));
  EXPECT_EQ(list(boss, {.team = "support"}), (strings{"k6", "k4", "k3"}));
  EXPECT_EQ(list(boss, {.channel = "wa", .team = "support"}),
            strings{"k6"});
  EXPECT_EQ(list(boss, {.channel = "nope"}), strings{});
}

TEST_F(InboxViews, TagAndStageFiltersUseTheContact) {
  EXPECT_EQ(list(boss, {.tag = "vip"}), (strings{"k6", "k3", "k1"}));
  EXPECT_EQ(list(boss, {.stage = "won"}), strings{"k6"});
  EXPECT_EQ(list(boss, {.tag = "vip", .stage = "lead"}),
            (strings{"k3", "k1"}));
  EXPECT_EQ(list(boss, {.contact = "c2"}), (strings{"k4", "k2"}));
  // The contact's tags change: its conversations follow.
  v.apply(h.contact("c2", "Jose", "5511988880000", {"vip"}, "won", true)
            .contact("c3", "Rita", "5521977776666", {}, "", true)
            .take());
  EXPECT_EQ(list(boss, {.tag = "vip"}), (strings{"k4", "k3", "k2", "k1"}));
  EXPECT_EQ(list(boss, {.stage = "won"}), (strings{"k4", "k2"}));
  auto page = query(boss, {.tag = "vip"});
  EXPECT_EQ(page.all, 4U);
}

TEST_F(InboxViews, CountsFollowStatusAndFilters) {
  auto all = query(ana, {});
  EXPECT_EQ(all.all, 3U);
  EXPECT_EQ(all.mine, 2U);
  EXPECT_EQ(all.unassigned, 1U);

  auto wa = query(caio, {.channel = "wa"});
  EXPECT_EQ(wa.all, 3U);
  EXPECT_EQ(wa.mine, 0U);
  EXPECT_EQ(wa.unassigned, 1U);

  auto finished = query(ana, {.status = "finished"});
  EXPECT_EQ(finished.all, 1U);
  EXPECT_EQ(finished.mine, 1U);
  EXPECT_EQ(finished.unassigned, 0U);

  auto boss_vip = query(boss, {.tag = "vip", .team = "sales"});
  EXPECT_EQ(boss_vip.all, 1U);
  EXPECT_EQ(boss_vip.unassigned, 1U);

  auto contact = query(bia, {.contact = "c1"});
  EXPECT_EQ(contact.all, 1U);
  EXPECT_EQ(contact.unassigned, 1U);
}

TEST_F(InboxViews, TransferToATeamMakesItWaitAndToAnAgentOpensIt) {
  v.apply(h.transfer("k2", "support", "", at_s(30)).take());
  EXPECT_EQ(list(ana, {.view = "mine"}), strings{"k4"});
  EXPECT_EQ(list(bia, {.view = "unassigned"}), (strings{"k2", "k3"}));
  v.apply(h.transfer("k2", "sales", "caio", at_s(31)).take());
  EXPECT_EQ(list(caio, {.view = "mine"}), strings{"k2"});
  EXPECT_EQ(list(bia, {.view = "unassigned"}), strings{"k3"});
}

TEST_F(InboxViews, OldestSortIsAscending) {
  EXPECT_EQ(list(boss, {.sort = "oldest"}),
            (strings{"k1", "k2", "k3", "k4", "k6"}));
  v.apply(h.receive("k1", "m9", "again", at_s(40)).take());
  EXPECT_EQ(list(boss, {.sort = "oldest"}),
            (strings{"k2", "k3", "k4", "k6", "k1"}));
  EXPECT_EQ(list(boss, {}), (strings{"k1", "k6", "k4", "k3", "k2"}));
}

TEST_F(InboxViews, InvalidParametersAreMalformedNamingTheField) {
  auto field_of = [&](conversation_query q) {
    auto r = v.conversations(boss, q);
    EXPECT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::malformed);
    return r.error().field;
  };
  EXPECT_EQ(field_of({.view = "everything"}), "view");
  EXPECT_EQ(field_of({.status = "closed"}), "status");
  EXPECT_EQ(field_of({.sort = "newest"}), "sort");
  EXPECT_EQ(field_of({.cursor = "!!"}), "cursor");
  EXPECT_EQ(field_of({.cursor = "AAAA"}), "cursor");
}

TEST_F(InboxViews, KeysetPagingNeverRepeatsOrSkips) {
  // Many conversations, several sharing one instant, over both teams.
  for (int i = 0; i < 60; ++i) {
    auto id = numbered("p", i);
    h.open(id, "c2", i % 2 ? "wa" : "ig", i % 3 ? "sales" : "support",
           at_s(100 + i / 4));
    if (i % 5 == 0) {
      h.assign(id, "ana", at_s(100 + i / 4));
    }
  }
  v.apply(h.take());
  for (const auto& who : {boss, ana, bia}) {
    for (std::string sort : {"recent", "oldest"}) {
      auto everything = list(who, {.sort = sort, .limit = 500});
      strings paged;
      std::string cursor;
      int pages = 0;
      do {
        auto p = query(who, {.sort = sort, .limit = 7, .cursor = cursor});
        EXPECT_LE(p.items.items.size(), 7U);
        auto got = ids(p.items);
        paged.insert(paged.end(), got.begin(), got.end());
        cursor = p.items.next_cursor;
        ASSERT_LT(++pages, 100);
      } while (!cursor.empty());
      EXPECT_EQ(paged, everything) << who.agent << " " << sort;
      EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()).size(),
                paged.size());
      EXPECT_EQ(paged.size(), query(who, {.sort = sort}).all);
    }
  }
}

TEST_F(InboxViews, PagingContinuesPastRowsThatChangedBetweenPages) {
  auto first = query(boss, {.limit = 2});
  ASSERT_EQ(ids(first.items), (strings{"k6", "k4"}));
  // k1 moves to the top after the first page was served; the rest of the
  // list continues where it stopped, without repeating k6 or k4.
  v.apply(h.receive("k1", "m9", "hi", at_s(50)).take());
  auto second = query(boss, {.limit = 2, .cursor = first.items.next_cursor});
  EXPECT_EQ(ids(second.items), (strings{"k3", "k2"}));
  EXPECT_TRUE(second.items.next_cursor.empty());
}

TEST_F(InboxViews, LastPageHasNoCursor) {
  auto p = query(boss, {.limit = 5});
  EXPECT_EQ(p.items.items.size(), 5U);
  EXPECT_TRUE(p.items.next_cursor.empty());
  auto q = query(boss, {.limit = 4});
  EXPECT_FALSE(q.items.next_cursor.empty());
}

} // namespace
} // namespace atende::testing

// Restricted waiting conversations (events/visibility.h): routed to a
// portfolio, or waiting in a contact_group team for a contact in a portfolio,
// they are seen only by the owners of the governing portfolios — in lists,
// in counts and in GET /v1/conversations/{id}.
#include <gtest/gtest.h>

#include <tuple>

#include "tests/projections/builders.h"

namespace atende::testing {
namespace {

using strings = std::vector<std::string>;
using counts = std::tuple<std::size_t, std::size_t, std::size_t>;

// sales distributes by contact_group, support is manual. Portfolios:
//   p1 responsible dora (in no team), member ana
//   p2 responsible caio (support)
// Contacts: c1 in p1, c2 in none, c3 in p1 and p2. Waiting, oldest first:
//   k1 c1 sales    restricted: dora, ana
//   k2 c2 sales    the whole sales team
//   k3 c3 sales    restricted: dora, ana, caio
//   k4 c1 support  manual team: support
class RestrictedViews : public ::testing::Test {
protected:
  void SetUp() override {
    h.tenant("boss", "hash-boss")
      .team("sales", "contact_group")
      .team("support", "manual")
      .channel("wa", "sales")
      .agent("ana", {"sales"})
      .agent("bia", {"sales"})
      .agent("caio", {"support"})
      .agent("dora", {})
      .contact("c1", "Maria", "5531988887777", {"vip"}, "lead")
      .contact("c2", "Jose", "5511988880000")
      .contact("c3", "Rita", "5521977776666", {"vip"})
      .portfolio("p1", "dora", {"ana"})
      .portfolio("p2", "caio")
      .portfolio_contacts("p1", {"c1", "c3"})
      .portfolio_contacts("p2", {"c3"})
      .open("k1", "c1", "wa", "sales", at_s(1))
      .open("k2", "c2", "wa", "sales", at_s(2))
      .open("k3", "c3", "wa", "sales", at_s(3))
      .open("k4", "c1", "wa", "support", at_s(4));
    v.apply(h.take());
  }

  strings list(const principal& who, conversation_query q = {}) {
    q.limit = 2; // several pages: the cursor path too
    strings out;
    for (;;) {
      auto r = v.conversations(who, q);
      EXPECT_TRUE(r) << r.error().field << ": " << r.error().message;
      if (!r) {
        return out;
      }
      auto got = ids(r->items);
      out.insert(out.end(), got.begin(), got.end());
      if (r->items.next_cursor.empty()) {
        return out;
      }
      q.cursor = r->items.next_cursor;
    }
  }

  counts tabs(const principal& who, conversation_query q = {}) {
    auto r = v.conversations(who, q);
    EXPECT_TRUE(r);
    return r ? counts{r->all, r->mine, r->unassigned} : counts{};
  }

  // expect_view checks `all` and `unassigned` pages and that every count
  // agrees with its page, with no filter and with each filter that the
  // conversations share.
  void expect_view(const principal& who, const strings& all,
                   const strings& unassigned) {
    EXPECT_EQ(list(who), all) << who.agent;
    EXPECT_EQ(list(who, {.view = "unassigned"}), unassigned) << who.agent;
    for (conversation_query q :
         {conversation_query{}, conversation_query{.channel = "wa"},
          conversation_query{.status = "open", .tag = "vip"},
          conversation_query{.stage = "lead"},
          conversation_query{.team = "sales"},
          conversation_query{.contact = "c1"}}) {
      auto [a, m, u] = tabs(who, q);
      EXPECT_EQ(a, list(who, q).size()) << who.agent;
      auto mine = q;
      mine.view = "mine";
      EXPECT_EQ(m, list(who, mine).size()) << who.agent;
      auto waiting = q;
      waiting.view = "unassigned";
      EXPECT_EQ(u, list(who, waiting).size()) << who.agent;
    }
  }

  bool finds(const principal& who, const std::string& id) {
    return v.conversation(who, id).has_value();
  }

  history h{"acme"};
  views v;
  principal boss = admin_of("acme", "boss");
  principal ana = agent_of("acme", "ana");
  principal bia = agent_of("acme", "bia");
  principal caio = agent_of("acme", "caio");
  principal dora = agent_of("acme", "dora");
};

TEST_F(RestrictedViews,
       ContactGroupWaitingIsAbsentFromNonOwnerUnassignedAndCounts) {
  expect_view(bia, {"k2"}, {"k2"});
  EXPECT_EQ(tabs(bia), (counts{1, 0, 1}));
  EXPECT_EQ(tabs(bia, {.team = "sales"}), (counts{1, 0, 1}));
  EXPECT_EQ(tabs(bia, {.tag = "vip"}), (counts{0, 0, 0}));
}

TEST_F(RestrictedViews, OwnerOutsideTheTeamSeesAndCountsIt) {
  expect_view(dora, {"k3", "k1"}, {"k3", "k1"});
  EXPECT_EQ(tabs(dora), (counts{2, 0, 2}));
  EXPECT_EQ(tabs(dora, {.tag = "vip"}), (counts{2, 0, 2}));
  EXPECT_EQ(tabs(dora, {.stage = "lead"}), (counts{1, 0, 1}));
  // caio owns p2 only, which holds c3; k4 is his team's.
  expect_view(caio, {"k4", "k3"}, {"k4", "k3"});
  // ana is in sales and owns p1: everything of sales.
  expect_view(ana, {"k3", "k2", "k1"}, {"k3", "k2", "k1"});
}

TEST_F(RestrictedViews, AdminSeesEveryRestrictedConversation) {
  expect_view(boss, {"k4", "k3", "k2", "k1"}, {"k4", "k3", "k2", "k1"});
  EXPECT_EQ(tabs(boss), (counts{4, 0, 4}));
  EXPECT_TRUE(finds(boss, "k1"));
}

TEST_F(RestrictedViews, ContactInNoPortfolioIsVisibleToTheWholeTeam) {
  EXPECT_TRUE(finds(ana, "k2"));
  EXPECT_TRUE(finds(bia, "k2"));
  EXPECT_FALSE(finds(dora, "k2"));
  EXPECT_EQ(list(bia, {.contact = "c2"}), strings{"k2"});
}

TEST_F(RestrictedViews, RoutedToPortfolioIsVisibleOnlyToItsOwners) {
  // support is manual, but routing to p1 restricts k4 to p1's owners.
  v.apply(h.route("k4", "support", "p1", at_s(10)).take());
  expect_view(caio, {"k3"}, {"k3"});
  expect_view(dora, {"k4", "k3", "k1"}, {"k4", "k3", "k1"});
  expect_view(ana, {"k4", "k3", "k2", "k1"}, {"k4", "k3", "k2", "k1"});
  EXPECT_FALSE(finds(caio, "k4"));
  // A routed portfolio governs alone, even in a contact_group team: k2's
  // contact is in no portfolio, k3's is in p1 and p2.
  v.apply(h.route("k2", "sales", "p2", at_s(11))
            .route("k3", "sales", "p2", at_s(12))
            .take());
  expect_view(bia, {}, {});
  expect_view(caio, {"k3", "k2"}, {"k3", "k2"});
  expect_view(dora, {"k4", "k1"}, {"k4", "k1"});
  // A transfer to a team leaves the portfolio: the team sees it again.
  v.apply(h.transfer("k4", "support", "", at_s(13)).take());
  expect_view(caio, {"k4", "k3", "k2"}, {"k4", "k3", "k2"});
  expect_view(dora, {"k1"}, {"k1"});
}

TEST_F(RestrictedViews, MembershipChangeMovesVisibility) {
  // c2 joins p2: k2 leaves the sales team for caio.
  v.apply(h.portfolio_contacts("p2", {"c2"}).take());
  expect_view(bia, {}, {});
  expect_view(caio, {"k4", "k3", "k2"}, {"k4", "k3", "k2"});
  // c1 leaves p1: k1 is the team's again.
  v.apply(h.portfolio_contacts("p1", {}, {"c1"}).take());
  expect_view(bia, {"k1"}, {"k1"});
  expect_view(dora, {"k3"}, {"k3"});
  // p1's members change: bia in, ana out.
  v.apply(h.portfolio("p1", "dora", {"bia"}, true).take());
  expect_view(ana, {"k1"}, {"k1"});
  expect_view(bia, {"k3", "k1"}, {"k3", "k1"});
  // p1's responsible changes: dora out.
  v.apply(h.portfolio("p1", "ana", {"bia"}, true).take());
  expect_view(dora, {}, {});
  expect_view(ana, {"k3", "k1"}, {"k3", "k1"});
  // p1 is deleted: k3 is governed by p2 alone.
  v.apply(h.delete_portfolio("p1").take());
  expect_view(ana, {"k1"}, {"k1"});
  expect_view(bia, {"k1"}, {"k1"});
  expect_view(caio, {"k4", "k3", "k2"}, {"k4", "k3", "k2"});
  // sales stops distributing by contact group: the team sees everything.
  v.apply(h.team("sales", "manual", true).take());
  expect_view(bia, {"k3", "k2", "k1"}, {"k3", "k2", "k1"});
  expect_view(caio, {"k4"}, {"k4"});
  // And back.
  v.apply(h.team("sales", "contact_group", true).take());
  expect_view(bia, {"k1"}, {"k1"});
  expect_view(caio, {"k4", "k3", "k2"}, {"k4", "k3", "k2"});
}

TEST_F(RestrictedViews,
       AssignedRestrictedConversationIsVisibleToTeamAndAssignee) {
  v.apply(h.assign("k1", "dora", at_s(10)).take());
  expect_view(bia, {"k1", "k2"}, {"k2"});
  expect_view(dora, {"k1", "k3"}, {"k3"});
  EXPECT_EQ(tabs(dora), (counts{2, 1, 1}));
  expect_view(caio, {"k4", "k3"}, {"k4", "k3"});
  EXPECT_TRUE(finds(bia, "k1"));
  // Back to waiting in the team: restricted again.
  v.apply(h.transfer("k1", "sales", "", at_s(11)).take());
  expect_view(bia, {"k2"}, {"k2"});
  EXPECT_FALSE(finds(bia, "k1"));
}

TEST_F(RestrictedViews, NonOwnerGetsNotFoundForRestrictedConversation) {
  auto r = v.conversation(bia, "k1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::not_found);
  EXPECT_FALSE(finds(caio, "k1"));
  EXPECT_TRUE(finds(ana, "k1"));
  EXPECT_TRUE(finds(dora, "k1"));
  EXPECT_TRUE(finds(caio, "k3"));
}

TEST_F(RestrictedViews, FinishedRestrictedConversationIsTheTeams) {
  v.apply(h.finish("k1", "", "", at_s(10)).take());
  EXPECT_EQ(list(bia, {.status = "finished"}), strings{"k1"});
  EXPECT_EQ(list(dora, {.status = "finished"}), strings{});
  expect_view(dora, {"k3"}, {"k3"});
}

TEST_F(RestrictedViews, PortfolioCreatedAfterRoutingGivesItOwners) {
  v.apply(h.route("k2", "sales", "p9", at_s(10)).take());
  expect_view(bia, {}, {});
  EXPECT_TRUE(finds(boss, "k2"));
  v.apply(h.portfolio("p9", "bia").take());
  expect_view(bia, {"k2"}, {"k2"});
  expect_view(ana, {"k3", "k1"}, {"k3", "k1"});
}

} // namespace
} // namespace atende::testing

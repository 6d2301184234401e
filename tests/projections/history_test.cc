// A contact's history (GET /v1/contacts/{id}/history): its finished
// conversations, newest first, as the conversation views let the caller see
// them.
#include <gtest/gtest.h>

#include "tests/projections/builders.h"

namespace atende::testing {
namespace {

using nlohmann::json;
using strings = std::vector<std::string>;

// Maria (c1) talked to sales and to support; Jose (c2) once to sales.
//   k1 c1 sales    served by ana, finished at 100 (done, "order found")
//   k2 c1 support  served by bia, finished at 300, no reason
//   k3 c1 sales    never taken,   finished at 200
//   k4 c1 sales    served by ana, still open
//   k5 c2 sales    served by ana, finished at 400
class ContactHistory : public ::testing::Test {
protected:
  void SetUp() override {
    h.tenant("boss", "hash-boss")
        .team("sales")
        .team("support")
        .channel("wa", "sales")
        .agent("ana", {"sales"})
        .agent("bia", {"support"})
        .agent("caio", {"support"})
        .contact("c1", "Maria", "5531988887777")
        .contact("c2", "Jose", "5511988880000")
        .reason("done")
        .open("k1", "c1", "wa", "sales", at_s(1))
        .assign("k1", "ana", at_s(2))
        .finish("k1", "done", "order found", at_s(100))
        .open("k2", "c1", "wa", "support", at_s(110))
        .assign("k2", "bia", at_s(120))
        .finish("k2", "", "", at_s(300))
        .open("k3", "c1", "wa", "sales", at_s(150))
        .finish("k3", "", "", at_s(200))
        .open("k4", "c1", "wa", "sales", at_s(310))
        .assign("k4", "ana", at_s(320))
        .open("k5", "c2", "wa", "sales", at_s(330))
        .assign("k5", "ana", at_s(340))
        .finish("k5", "done", "", at_s(400));
    v.apply(h.take());
  }

  /// all reads every page of `contact`'s history with pages of `limit`.
  strings all(const principal& who, const std::string& contact,
              std::size_t limit) {
    strings out;
    std::string cursor;
    for (int pages = 0; pages < 20; ++pages) {
      auto p = v.contact_history(who, contact, limit, cursor);
      EXPECT_TRUE(p) << p.error().message;
      if (!p) {
        break;
      }
      EXPECT_LE(p->items.size(), limit);
      auto got = ids(*p);
      out.insert(out.end(), got.begin(), got.end());
      if (p->next_cursor.empty()) {
        break;
      }
      cursor = p->next_cursor;
    }
    return out;
  }

  history h{"acme"};
  views v;
  principal boss = admin_of("acme", "boss");
};

TEST_F(ContactHistory,
       FinishedConversationsNewestFirstWithReasonAndDescription) {
  auto p = v.contact_history(boss, "c1", 25, "");
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(ids(*p), (strings{"k2", "k3", "k1"}));
  EXPECT_TRUE(p->next_cursor.empty());
  EXPECT_EQ(p->items[2], (json{{"id", "k1"},
                               {"channel", "wa"},
                               {"agent", "ana"},
                               {"team", "sales"},
                               {"reason", "done"},
                               {"description", "order found"},
                               {"opened_at", "2026-11-21T13:00:01.000Z"},
                               {"finished_at", "2026-11-21T13:01:40.000Z"}}));
  EXPECT_EQ(p->items[1]["agent"], nullptr); // never taken
  EXPECT_EQ(p->items[0]["reason"], nullptr);
  EXPECT_EQ(p->items[0]["description"], nullptr);
}

TEST_F(ContactHistory, PagesFollowTheCursorWithoutGapsOrRepeats) {
  EXPECT_EQ(all(boss, "c1", 1), (strings{"k2", "k3", "k1"}));
  EXPECT_EQ(all(boss, "c1", 2), (strings{"k2", "k3", "k1"}));
  auto first = v.contact_history(boss, "c1", 2, "");
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->next_cursor.empty());
  auto last = v.contact_history(boss, "c1", 3, "");
  ASSERT_TRUE(last);
  EXPECT_TRUE(last->next_cursor.empty()); // exactly full: no empty page
}

TEST_F(ContactHistory, TiesOnFinishedAtAreOrderedById) {
  v.apply(h.open("k6", "c2", "wa", "sales", at_s(500))
              .open("k7", "c2", "wa", "sales", at_s(501))
              .finish("k7", "", "", at_s(600))
              .finish("k6", "", "", at_s(600))
              .take());
  EXPECT_EQ(all(boss, "c2", 1), (strings{"k7", "k6", "k5"}));
}

TEST_F(ContactHistory, AnAgentSeesItsTeamsAndWhatItServedOnly) {
  // ana (sales) sees the sales conversations; bia and caio (support) the
  // support one, whoever served it. A support conversation that ana served
  // (k8) is hers to see as well.
  EXPECT_EQ(all(agent_of("acme", "ana"), "c1", 25), (strings{"k3", "k1"}));
  EXPECT_EQ(all(agent_of("acme", "bia"), "c1", 25), (strings{"k2"}));
  EXPECT_EQ(all(agent_of("acme", "caio"), "c1", 25), (strings{"k2"}));
  v.apply(h.open("k8", "c2", "wa", "support", at_s(700))
              .assign("k8", "ana", at_s(710))
              .finish("k8", "", "", at_s(720))
              .take());
  EXPECT_EQ(all(agent_of("acme", "ana"), "c2", 25), (strings{"k8", "k5"}));
  EXPECT_EQ(all(agent_of("acme", "bia"), "c2", 25), (strings{"k8"}));
}

TEST_F(ContactHistory, AContactWithoutFinishedConversationsHasAnEmptyHistory) {
  v.apply(h.contact("c3", "Rita", "5521977776666").take());
  auto p = v.contact_history(boss, "c3", 25, "");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->items.empty());
  EXPECT_TRUE(p->next_cursor.empty());
}

TEST_F(ContactHistory, AnUnknownContactOrAnotherTenantsIsNotFound) {
  history other{"globex"};
  other.tenant("gboss", "hash-gboss").contact("g1", "Ana", "5511977770000");
  v.apply(other.take());
  auto p = v.contact_history(boss, "nope", 25, "");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, errc::not_found);
  p = v.contact_history(boss, "g1", 25, "");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, errc::not_found);
  p = v.contact_history(admin_of("globex", "gboss"), "c1", 25, "");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, errc::not_found);
}

TEST_F(ContactHistory, ABadCursorIsMalformed) {
  auto p = v.contact_history(boss, "c1", 25, "not-a-cursor");
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, errc::malformed);
  EXPECT_EQ(p.error().field, "cursor");
}

} // namespace
} // namespace atende::testing

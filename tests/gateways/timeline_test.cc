// conversation_timeline and timeline_summary (gateways/timeline.h) without
// HTTP: as the offline audit calls them, over a store and views of its own.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include <rocksdb/write_batch.h>

#include "actors/store.h"
#include "events/codec.h"
#include "gateways/timeline.h"

// Events are spelled with designated initializers that leave members at
// their defaults on purpose; GCC 12 warns about exactly that.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace atende::testing {
namespace {

constexpr timestamp t0 = 1795266000000; // 2026-11-21T13:00:00.000Z

/// timeline_from_journal: a scratch store, and views, fed the same events.
class timeline_from_journal : public ::testing::Test {
protected:
  void SetUp() override {
    std::string tmpl = "/tmp/atende-timeline-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto db = store::open(dir_);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    add(tenant_created{
        .tenant = {.id = "acme", .name = "Acme", .timezone = "UTC"},
        .admin = {.id = "boss", .name = "Boss", .role = agent_role::admin}});
    add(team_created{.value = {.id = "sales", .name = "Sales"}});
    add(conversation_opened{.conversation = "c1",
                            .contact = "k1",
                            .channel = "wa",
                            .team = "sales",
                            .origin = "inbound"},
        "connector");
    add(conversation_opened{.conversation = "c2",
                            .contact = "k2",
                            .channel = "wa",
                            .team = "sales",
                            .origin = "inbound"},
        "connector");
    add(conversation_assigned{.conversation = "c1",
                              .agent = "ana",
                              .rule = "least_busy",
                              .eligible = {"ana", "bob"}},
        "rule:least_busy");
    add(conversation_finished{.conversation = "c1", .reason = "sold"},
        "agent:ana");
  }

  void TearDown() override {
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  /// add commits `d` as the next event of acme, to the journal and views.
  std::uint64_t add(event_data d, std::string actor = "root") {
    event e{.seq = ++seq_,
            .tenant = "acme",
            .at = t0 + static_cast<timestamp>(seq_) * 1000,
            .actor = std::move(actor),
            .data = std::move(d)};
    rocksdb::WriteBatch b;
    b.Put(keys::journal("acme", e.seq), encode_event(e));
    if (const auto& conv = conversation_of(e.data); !conv.empty()) {
      b.Put(keys::by_conversation("acme", conv, e.seq), "");
    }
    EXPECT_TRUE(db_->write(b, false));
    v_.apply({e});
    return e.seq;
  }

  std::vector<std::uint64_t> seqs(const nlohmann::json& page) {
    std::vector<std::uint64_t> out;
    for (const auto& item : page["items"]) {
      out.push_back(item["seq"].get<std::uint64_t>());
    }
    return out;
  }

  std::string dir_;
  std::unique_ptr<store> db_;
  views v_;
  std::uint64_t seq_ = 0;
  // The offline audit's principal: an admin without an agent id.
  principal audit_{.tenant = "acme", .agent = "", .admin = true, .root = false};
};

TEST_F(timeline_from_journal, AnAdminWithoutAnAgentIdReadsTheWholeTimeline) {
  auto page = conversation_timeline(*db_, v_, audit_, "c1", {});
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(seqs(*page), (std::vector<std::uint64_t>{3, 5, 6}));
  EXPECT_TRUE((*page)["next_cursor"].is_null());
  const auto& items = (*page)["items"];
  EXPECT_EQ(items[1]["summary"],
            "left the waiting list: assigned to ana by least_busy; eligible: "
            "ana, bob");
  EXPECT_EQ(items[2]["summary"], "finished by ana with reason sold");
  EXPECT_FALSE(items[2].contains("waiting")); // it had left already
}

TEST_F(timeline_from_journal, UntilSeqStopsTheTimeline) {
  auto page = conversation_timeline(*db_, v_, audit_, "c1", {.until_seq = 5});
  ASSERT_TRUE(page);
  EXPECT_EQ(seqs(*page), (std::vector<std::uint64_t>{3, 5}));
  EXPECT_TRUE((*page)["next_cursor"].is_null());
}

TEST_F(timeline_from_journal, AfterAndLimitPageBySeq) {
  auto first = conversation_timeline(*db_, v_, audit_, "c1", {.limit = 2});
  ASSERT_TRUE(first);
  EXPECT_EQ(seqs(*first), (std::vector<std::uint64_t>{3, 5}));
  EXPECT_EQ((*first)["next_cursor"], "5");
  auto second =
      conversation_timeline(*db_, v_, audit_, "c1", {.after = 5, .limit = 2});
  ASSERT_TRUE(second);
  EXPECT_EQ(seqs(*second), (std::vector<std::uint64_t>{6}));
  EXPECT_TRUE((*second)["next_cursor"].is_null());
}

TEST_F(timeline_from_journal, AMissingJournalEntryIsAnErrorNamingIt) {
  rocksdb::WriteBatch b;
  b.Delete(keys::journal("acme", 5));
  ASSERT_TRUE(db_->write(b, false));
  auto page = conversation_timeline(*db_, v_, audit_, "c1", {});
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, errc::internal);
  EXPECT_NE(page.error().message.find("#5"), std::string::npos)
      << page.error().message;
}

TEST_F(timeline_from_journal, AnUnknownConversationIsNotFound) {
  auto page = conversation_timeline(*db_, v_, audit_, "c9", {});
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, errc::not_found);
}

// ---- summaries --------------------------------------------------------------

std::string summary_of(event_data d, const std::string& actor = "root") {
  event e{.seq = 1,
          .tenant = "acme",
          .at = t0,
          .actor = actor,
          .data = std::move(d)};
  return timeline_summary(e, nullptr, nullptr);
}

TEST(timeline_summary, ATakeNamesTheAgentAndAnAdminAssignmentTheAdmin) {
  EXPECT_EQ(summary_of(conversation_assigned{.conversation = "c1",
                                             .agent = "ana",
                                             .rule = "take"},
                       "agent:ana"),
            "taken by ana");
  EXPECT_EQ(summary_of(conversation_assigned{.conversation = "c1",
                                             .agent = "bob",
                                             .previous = "ana",
                                             .rule = "admin"},
                       "agent:boss"),
            "reassigned from ana to bob by admin boss");
}

TEST(timeline_summary, TransfersNameBothEnds) {
  EXPECT_EQ(summary_of(conversation_transferred{.conversation = "c1",
                                                .from_team = "sales",
                                                .to_team = "support",
                                                .from_agent = "ana"},
                       "agent:ana"),
            "transferred from ana to team support by ana");
  EXPECT_EQ(summary_of(conversation_transferred{.conversation = "c1",
                                                .from_team = "sales",
                                                .to_team = "support",
                                                .to_agent = "bob"},
                       "agent:boss"),
            "transferred from team sales to bob in team support by boss");
}

TEST(timeline_summary, RoutingAndHoldsNameThePortfolio) {
  EXPECT_EQ(summary_of(conversation_routed{.conversation = "c1",
                                           .team = "sales",
                                           .portfolio = "vip"},
                       "connector"),
            "routed to portfolio vip in team sales");
  EXPECT_EQ(summary_of(conversation_held{.conversation = "c1",
                                         .portfolio = "vip",
                                         .held = true},
                       "rule:business_hours"),
            "held back from automatic assignment: portfolio vip is outside "
            "its business hours");
}

TEST(timeline_summary, AFailedSendShowsTheProvidersError) {
  EXPECT_EQ(summary_of(message_status_changed{.conversation = "c1",
                                              .message_id = "m2",
                                              .status = "failed",
                                              .error_code = "131047",
                                              .error_title = "Re-engagement"},
                       "connector"),
            "message m2 failed: 131047 Re-engagement");
}

TEST(timeline_summary, LongTextIsCutAtACharacterBoundary) {
  // 59 ASCII bytes, then "é" (2 bytes) straddling the 60-byte cut.
  std::string text(59, 'a');
  text += "\xC3\xA9 e mais";
  auto s = summary_of(message_received{.conversation = "c1",
                                       .message_id = "m1",
                                       .kind = "text",
                                       .text = text},
                      "connector");
  EXPECT_EQ(s, "received message m1: \"" + std::string(59, 'a') + "…\"");
}

TEST(timeline_summary, AReactionSaysWhatTheCustomerReactedTo) {
  auto reacted = message_received{
    .conversation = "c1", .message_id = "m2", .kind = "reaction",
    .content = {{"reaction", {{"message_id", "wamid.1"}, {"emoji", "👍"}}}}};
  EXPECT_EQ(summary_of(reacted, "connector"),
            "the customer reacted 👍 to wamid.1");
  reacted.content["reaction"]["emoji"] = "";
  EXPECT_EQ(summary_of(reacted, "connector"),
            "the customer removed a reaction from wamid.1");
}

TEST(timeline_summary, AMediaMessageShowsItsCaption) {
  auto photo = message_received{
    .conversation = "c1", .message_id = "m3", .kind = "image",
    .content = {{"media", {{"id", "77"}, {"mime_type", "image/jpeg"},
                           {"caption", "nota fiscal"}}}}};
  EXPECT_EQ(summary_of(photo, "connector"),
            "received message m3 (image): \"nota fiscal\"");
}

TEST(timeline_summary, WaitingForOwnersNamesThePortfoliosAndTheOwners) {
  event e{.seq = 9,
          .tenant = "acme",
          .at = t0,
          .actor = "agent:boss",
          .data =
              portfolio_contacts_changed{.portfolio = "vip", .added = {"k1"}}};
  waiting_mark before{
      .seq = 3, .at = t0, .audience = waiting_audience{.team = "sales"}};
  waiting_mark now{.seq = 9,
                   .at = t0,
                   .audience = waiting_audience{.team = "sales",
                                                .portfolios = {"vip"},
                                                .owners = {"ana", "dora"}}};
  EXPECT_EQ(timeline_summary(e, &now, &before),
            "moved to the waiting list of the owners of portfolio vip (ana, "
            "dora), in team sales: portfolio vip added k1");
  now.audience->owners.clear();
  EXPECT_EQ(timeline_summary(e, &now, nullptr),
            "entered the waiting list of admins only (portfolio vip has no "
            "owners), in team sales: portfolio vip added k1");
}

} // namespace
} // namespace atende::testing

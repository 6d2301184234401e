// A conversation's timeline over HTTP (GET /v1/conversations/{id}/timeline,
// gateways/timeline.h): its events from the journal, oldest first, with the
// routing decisions and the changes of whose waiting list it was in.
#include <cstdlib>
#include <filesystem>

#include "actors/store.h"
#include "events/time.h"
#include "http_fixture.h"

namespace atende::testing {
namespace {

constexpr timestamp t0 = 1795266000000; // 2026-11-21T13:00:00.000Z

timestamp at_s(int seconds) {
  return t0 + seconds * 1000LL;
}

/// timeline: tenant acme with team t1 (manual), channel ch1, agents ana and
/// bob in t1, contact ct1, and conversation c1 opened and one message
/// received — every event also in a real journal.
class timeline : public http_test {
protected:
  void SetUp() override {
    std::string tmpl = "/tmp/atende-timeline-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto db = store::open(dir_);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    engine_.keep_journal(*db_);
    http_test::SetUp();
    admin_ = make_tenant("acme");
    make_team_and_channel(admin_);
    ana_ = make_agent(admin_, "ana", "agent", {"t1"});
    make_agent(admin_, "bob", "agent", {"t1"});
    ASSERT_EQ(
        client()
            .post(
                "/v1/contacts",
                {{"id", "ct1"}, {"name", "Maria"}, {"phone", "5511988887777"}},
                ana_)
            .status,
        201u);
    engine_.seed("acme",
                 conversation_opened{"c1", "ct1", "ch1", "t1", "inbound"},
                 "connector", at_s(1));
    engine_.seed(
        "acme",
        message_received{"c1", "m0", "wamid.0", "text", "oi", {}, "wamid.0",
                         nullptr},
        "connector", at_s(2));
  }

  void TearDown() override {
    client_.reset();
    server_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  /// items reads the whole timeline of `id`, `limit` items per page.
  nlohmann::json items(const std::string& id, const std::string& token,
                       int limit = 500) {
    auto all = nlohmann::json::array();
    std::string cursor;
    for (int pages = 0; pages < 100; ++pages) {
      auto target = "/v1/conversations/" + id +
                    "/timeline?limit=" + std::to_string(limit);
      if (!cursor.empty()) {
        target += "&cursor=" + cursor;
      }
      auto r = client().get(target, token);
      EXPECT_EQ(r.status, 200u) << r.body;
      auto j = r.json();
      for (auto& item : j["items"]) {
        all.push_back(item);
      }
      if (r.status != 200 || j["next_cursor"].is_null()) {
        break;
      }
      cursor = j["next_cursor"].get<std::string>();
    }
    return all;
  }

  std::string dir_;
  std::unique_ptr<store> db_;
  std::string admin_, ana_;
};

TEST_F(timeline, ItemsAreTheConversationsEventsOldestFirst) {
  auto r = client().get("/v1/conversations/c1/timeline", ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = r.json();
  EXPECT_TRUE(j["next_cursor"].is_null());
  ASSERT_EQ(j["items"].size(), 2u);
  const auto& opened = j["items"][0];
  const auto& received = j["items"][1];
  EXPECT_LT(opened["seq"].get<std::uint64_t>(),
            received["seq"].get<std::uint64_t>());
  EXPECT_EQ(opened["type"], "conversation.opened");
  EXPECT_EQ(opened["at"], format_time(at_s(1)));
  EXPECT_EQ(opened["actor"], "connector");
  EXPECT_EQ(opened["data"]["conversation"], "c1");
  EXPECT_EQ(opened["data"]["team"], "t1");
  EXPECT_EQ(received["type"], "message.received");
  EXPECT_EQ(received["at"], format_time(at_s(2)));
  EXPECT_EQ(received["data"]["text"], "oi");
}

TEST_F(timeline, OpeningEntersTheTeamsWaitingList) {
  auto all = items("c1", ana_);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["waiting"],
            nlohmann::json({{"team", "t1"},
                            {"portfolios", nlohmann::json::array()},
                            {"owners", nlohmann::json::array()}}));
  EXPECT_EQ(all[0]["summary"],
            "entered the waiting list of team t1: opened by the contact on "
            "channel ch1 in team t1");
  EXPECT_FALSE(all[1].contains("waiting")) << all[1].dump();
  EXPECT_EQ(all[1]["summary"], "received message m0: \"oi\"");
}

TEST_F(timeline, AnAutomaticAssignmentShowsItsRuleAndWhoWasEligible) {
  engine_.seed(
      "acme",
      conversation_assigned{"c1", "ana", "", "round_robin", {"ana", "bob"}},
      "rule:round_robin", at_s(3));
  auto all = items("c1", admin_);
  ASSERT_EQ(all.size(), 3u);
  const auto& assigned = all[2];
  EXPECT_EQ(assigned["type"], "conversation.assigned");
  EXPECT_EQ(assigned["actor"], "rule:round_robin");
  EXPECT_EQ(assigned["data"]["rule"], "round_robin");
  EXPECT_EQ(assigned["data"]["eligible"], nlohmann::json({"ana", "bob"}));
  ASSERT_TRUE(assigned.contains("waiting"));
  EXPECT_TRUE(assigned["waiting"].is_null());
  EXPECT_EQ(assigned["summary"],
            "left the waiting list: assigned to ana by round_robin; "
            "eligible: ana, bob");
}

TEST_F(timeline, APortfolioThatTakesTheContactRestrictsTheWaitingList) {
  ASSERT_EQ(
      client()
          .patch("/v1/teams/t1", {{"distribution", "contact_group"}}, admin_)
          .status,
      200u);
  ASSERT_EQ(client()
                .post("/v1/portfolios",
                      {{"id", "p1"},
                       {"name", "Key accounts"},
                       {"responsible", "bob"},
                       {"members", {"ana"}}},
                      admin_)
                .status,
            201u);
  ASSERT_EQ(client()
                .post("/v1/portfolios/p1/contacts", {{"add", {"ct1"}}}, admin_)
                .status,
            200u);
  auto all = items("c1", admin_);
  // The team and portfolio records changed nobody's list by themselves.
  ASSERT_EQ(all.size(), 3u) << all.dump();
  const auto& joined = all[2];
  EXPECT_EQ(joined["type"], "portfolio.contacts_changed");
  EXPECT_EQ(joined["waiting"], nlohmann::json({{"team", "t1"},
                                               {"portfolios", {"p1"}},
                                               {"owners", {"ana", "bob"}}}));
  EXPECT_EQ(joined["summary"],
            "moved to the waiting list of the owners of portfolio p1 (ana, "
            "bob), in team t1: portfolio p1 added ct1");
}

TEST_F(timeline, PagesFollowTheCursorWithoutGapsOrRepeats) {
  for (int i = 1; i <= 4; ++i) {
    engine_.seed("acme",
                 message_received{"c1",
                                  "m" + std::to_string(i),
                                  "wamid",
                                  "text",
                                  "again",
                                  {},
                                  "wamid." + std::to_string(i),
                                  nullptr},
                 "connector", at_s(2 + i));
  }
  auto first = client().get("/v1/conversations/c1/timeline?limit=2", ana_);
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_EQ(first.json()["items"].size(), 2u);
  EXPECT_TRUE(first.json()["next_cursor"].is_string());
  auto paged = items("c1", ana_, 2);
  auto whole = items("c1", ana_);
  ASSERT_EQ(whole.size(), 6u);
  EXPECT_EQ(paged, whole);
}

TEST_F(timeline, TheLastFullPageHasNoNextCursor) {
  auto r = client().get("/v1/conversations/c1/timeline?limit=2", ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["items"].size(), 2u);
  EXPECT_TRUE(r.json()["next_cursor"].is_null());
}

TEST_F(timeline, AnotherTenantsConversationIsNotFound) {
  auto other = make_tenant("other");
  auto r = client().get("/v1/conversations/c1/timeline", other);
  EXPECT_EQ(r.status, 404u) << r.body;
  EXPECT_EQ(r.code(), "not_found");
  EXPECT_EQ(client().get("/v1/conversations/nope/timeline", admin_).status,
            404u);
}

TEST_F(timeline, AnAgentWhoMayNotSeeTheConversationGetsNotFound) {
  ASSERT_EQ(
      client().post("/v1/teams", {{"id", "t2"}, {"name", "T2"}}, admin_).status,
      201u);
  auto caio = make_agent(admin_, "caio", "agent", {"t2"});
  EXPECT_EQ(client().get("/v1/conversations/c1/timeline", caio).status, 404u);
}

TEST_F(timeline, BadLimitOrCursorIs400NamingIt) {
  for (const char* q : {"limit=0", "limit=501", "limit=abc"}) {
    auto r =
        client().get(std::string{"/v1/conversations/c1/timeline?"} + q, ana_);
    EXPECT_EQ(r.status, 400u) << q;
    EXPECT_EQ(r.field(), "limit") << q;
  }
  auto r = client().get("/v1/conversations/c1/timeline?cursor=x1", ana_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "cursor");
}

// Without keep_journal the fake engine, like an instance that does not hold
// the tenant's partition right now, serves no store.
using timeline_without_journal = http_test;

TEST_F(timeline_without_journal, NoJournalHereIs503) {
  auto admin = make_tenant("acme");
  make_team_and_channel(admin);
  engine_.seed("acme", conversation_opened{"c1", "ct9", "ch1", "t1", "inbound"},
               "connector");
  auto r = client().get("/v1/conversations/c1/timeline", admin);
  EXPECT_EQ(r.status, 503u) << r.body;
  EXPECT_EQ(r.code(), "unavailable");
}

} // namespace
} // namespace atende::testing

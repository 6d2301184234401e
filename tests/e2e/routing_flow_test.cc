// Routing, portfolios and availability over real HTTP against `atende
// serve`: automatic distribution, pauses, contact-group visibility, bulk
// actions and races, with restarts of the real process.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <thread>

#include "tests/e2e/server_process.h"

namespace atende::test {
namespace {

class RoutingFlow : public ::testing::Test {
protected:
  void SetUp() override { start(); }

  void start() {
    srv_ = std::make_unique<server_process>(dir_.path());
    ASSERT_TRUE(srv_->start());
    if (!admin_.empty()) {
      return;
    }
    api root{srv_->port(), root_token};
    auto t = root.post("/v1/tenants", {{"id", "acme"}, {"name", "Acme"}});
    ASSERT_EQ(t.status, 201) << t.body.dump();
    admin_ = t.body["admin"]["token"];
    auto a = as(admin_);
    ASSERT_EQ(a.post("/v1/teams", {{"id", "sales"}, {"name", "Sales"}}).status,
              201);
    ASSERT_EQ(a.post("/v1/teams", {{"id", "vipdesk"},
                                   {"name", "VIP desk"},
                                   {"distribution", "contact_group"}})
                .status,
              201);
    ASSERT_EQ(a.post("/v1/channels", {{"id", "wa"},
                                      {"kind", "whatsapp"},
                                      {"name", "WA"},
                                      {"phone", "5511999990000"},
                                      {"default_team", "sales"}})
                .status,
              201);
    for (const char* id : {"ana", "bia", "caio"}) {
      tokens_[id] = agent(id, {"sales", "vipdesk"});
    }
  }

  void restart() {
    ASSERT_EQ(srv_->stop(), 0);
    start();
  }

  std::string agent(const std::string& id, std::vector<std::string> teams) {
    auto r = as(admin_).post("/v1/agents", {{"id", id},
                                            {"name", id},
                                            {"role", "agent"},
                                            {"teams", teams}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body["token"];
  }

  api as(const std::string& token) { return api{srv_->port(), token}; }
  api agent_api(const std::string& id) { return as(tokens_.at(id)); }

  void online(const std::string& id) {
    auto r = agent_api(id).post("/v1/agents/me/status", {{"status", "online"}});
    ASSERT_EQ(r.status, 200) << r.body.dump();
    EXPECT_EQ(r.body["status"], "online");
  }

  void team(const std::string& id, nlohmann::json fields) {
    auto r = as(admin_).call("PATCH", "/v1/teams/" + id, fields);
    ASSERT_EQ(r.status, 200) << r.body.dump();
  }

  /// inbound posts a customer's message and returns its conversation.
  std::string inbound(const std::string& from) {
    auto id = "wamid." + std::to_string(++messages_);
    nlohmann::json env = {{"id", id},
                          {"type", "message.received"},
                          {"tenant", "acme"},
                          {"at", "2026-11-21T13:05:00.000Z"},
                          {"data",
                           {{"channel", "wa"},
                            {"from", from},
                            {"message_id", id},
                            {"kind", "text"},
                            {"text", "hello"}}}};
    auto r = as(admin_).post("/v1/events", env);
    EXPECT_EQ(r.status, 202) << r.body.dump();
    return r.body["results"][0].value("conversation", "");
  }

  nlohmann::json conversation(const std::string& id) {
    auto r = as(admin_).get("/v1/conversations/" + id);
    EXPECT_EQ(r.status, 200) << r.body.dump();
    return r.body;
  }

  std::string assignee(const std::string& id) {
    auto c = conversation(id);
    return c["assignee"].is_null() ? "" : c["assignee"].get<std::string>();
  }

  temp_dir dir_;
  std::unique_ptr<server_process> srv_;
  std::string admin_;
  std::map<std::string, std::string> tokens_;
  int messages_ = 0;
};

TEST_F(RoutingFlow, RoundRobinAlternatesAndResumesItsTurnAfterARestart) {
  team("sales", {{"distribution", "round_robin"}});
  online("ana");
  online("bia");
  EXPECT_EQ(assignee(inbound("5531988880001")), "ana");
  EXPECT_EQ(assignee(inbound("5531988880002")), "bia");
  EXPECT_EQ(assignee(inbound("5531988880003")), "ana");
  restart();
  EXPECT_EQ(assignee(inbound("5531988880004")), "bia");
  EXPECT_EQ(assignee(inbound("5531988880005")), "ana");
}

TEST_F(RoutingFlow, TwoAgentsAtCapacityAndAThirdWaitsForTheFirstThatFreesUp) {
  team("sales", {{"distribution", "least_busy"}, {"max_per_agent", 1}});
  online("ana");
  online("bia");
  auto c1 = inbound("5531988880001");
  auto c2 = inbound("5531988880002");
  auto c3 = inbound("5531988880003");
  EXPECT_EQ(assignee(c3), "");
  auto owner = assignee(c2);
  auto f = agent_api(owner).post("/v1/conversations/" + c2 + "/finish",
                                 nlohmann::json::object());
  ASSERT_EQ(f.status, 200) << f.body.dump();
  EXPECT_EQ(assignee(c3), owner);
  (void)c1;
}

TEST_F(RoutingFlow, PausedAgentGetsNothingThenTheOldestWaitingWhenThePauseEnds) {
  team("sales", {{"distribution", "round_robin"}});
  auto a = as(admin_);
  ASSERT_EQ(a.post("/v1/pause-types", {{"id", "coffee"},
                                       {"name", "Coffee"},
                                       {"max_minutes", 10}})
              .status,
            201);
  online("ana");
  auto p = agent_api("ana").post("/v1/agents/me/pause", {{"type", "coffee"}});
  ASSERT_EQ(p.status, 200) << p.body.dump();
  EXPECT_EQ(p.body["pause"]["type"], "coffee");
  EXPECT_EQ(agent_api("ana").post("/v1/agents/me/pause", {{"type", "coffee"}})
              .body["error"]["code"],
            "already_paused");
  auto c1 = inbound("5531988880001");
  auto c2 = inbound("5531988880002");
  EXPECT_EQ(assignee(c1), "");
  auto board = a.get("/v1/agents/ana");
  ASSERT_EQ(board.status, 200);
  EXPECT_EQ(board.body["pause"]["type"], "coffee");
  EXPECT_EQ(board.body["pause"]["overdue"], false);
  auto end = agent_api("ana").call("DELETE", "/v1/agents/me/pause");
  ASSERT_EQ(end.status, 200) << end.body.dump();
  EXPECT_TRUE(end.body["pause"].is_null());
  EXPECT_EQ(assignee(c1), "ana");
  EXPECT_EQ(assignee(c2), "ana");
}

TEST_F(RoutingFlow, PauseTypeBeforeItsAllowedFromIsRefused) {
  // The tenant is in São Paulo (UTC-3, no daylight saving time): 23:59
  // local is later than now except during that one minute.
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  int local = ((utc.tm_hour + 21) % 24) * 60 + utc.tm_min;
  if (local >= 23 * 60 + 58) {
    GTEST_SKIP() << "too close to local midnight";
  }
  ASSERT_EQ(as(admin_)
              .post("/v1/pause-types", {{"id", "late"},
                                        {"name", "Late"},
                                        {"max_minutes", 10},
                                        {"allowed_from", "23:59"}})
              .status,
            201);
  auto r = agent_api("ana").post("/v1/agents/me/pause", {{"type", "late"}});
  EXPECT_EQ(r.status, 422) << r.body.dump();
  EXPECT_EQ(r.body["error"]["code"], "pause_not_allowed_yet");
}

TEST_F(RoutingFlow, ContactGroupConversationIsHiddenFromNonOwnersAndRefusedOnTake) {
  auto a = as(admin_);
  ASSERT_EQ(a.post("/v1/portfolios", {{"id", "vip"},
                                      {"name", "VIP"},
                                      {"code", "VIP"},
                                      {"responsible", "bia"},
                                      {"members", nlohmann::json::array()}})
              .status,
            201);
  auto k = a.post("/v1/contacts", {{"id", "maria"},
                                   {"name", "Maria"},
                                   {"phone", "5531988880001"},
                                   {"portfolios", {"vip"}}});
  ASSERT_EQ(k.status, 201) << k.body.dump();
  // A chatbot flow sends Maria to the VIP desk (contact_group); nobody is
  // online, so the conversation waits for her portfolio's owners.
  nlohmann::json route = {{"id", "route.1"},
                          {"type", "conversation.route"},
                          {"tenant", "acme"},
                          {"at", "2026-11-21T13:05:00.000Z"},
                          {"data",
                           {{"channel", "wa"},
                            {"contact", "maria"},
                            {"team", "vipdesk"}}}};
  auto r = a.post("/v1/events", route);
  ASSERT_EQ(r.status, 202) << r.body.dump();
  auto conv = r.body["results"][0].value("conversation", "");
  ASSERT_FALSE(conv.empty()) << r.body.dump();

  auto ana = agent_api("ana").get(
    "/v1/conversations?view=unassigned&team=vipdesk");
  ASSERT_EQ(ana.status, 200);
  EXPECT_TRUE(ana.body["items"].empty());
  EXPECT_EQ(ana.body["counts"]["unassigned"], 0);
  EXPECT_EQ(ana.body["counts"]["all"], 0);
  EXPECT_EQ(agent_api("ana").get("/v1/conversations/" + conv).status, 404);
  auto take = agent_api("ana").post("/v1/conversations/" + conv + "/assign",
                                    nlohmann::json::object());
  EXPECT_EQ(take.status, 404) << take.body.dump();

  auto bia = agent_api("bia").get(
    "/v1/conversations?view=unassigned&team=vipdesk");
  ASSERT_EQ(bia.status, 200);
  ASSERT_EQ(bia.body["items"].size(), 1u);
  EXPECT_EQ(bia.body["counts"]["unassigned"], 1);
  auto got = agent_api("bia").post("/v1/conversations/" + conv + "/assign",
                                   nlohmann::json::object());
  EXPECT_EQ(got.status, 200) << got.body.dump();
}

TEST_F(RoutingFlow, ConcurrentTakesOfOneConversationGiveExactlyOneWinner) {
  for (int round = 0; round < 5; ++round) {
    auto conv = inbound("55319888800" + std::to_string(10 + round));
    std::atomic<int> winners{0}, conflicts{0}, other{0};
    std::vector<std::thread> threads;
    for (const char* id : {"ana", "bia", "caio"}) {
      threads.emplace_back([&, id = std::string{id}] {
        api me{srv_->port(), tokens_.at(id)};
        auto r = me.post("/v1/conversations/" + conv + "/assign",
                         nlohmann::json::object());
        if (r.status == 200) {
          ++winners;
        } else if (r.status == 409 &&
                   r.body["error"]["code"] == "already_assigned") {
          ++conflicts;
        } else {
          ++other;
        }
      });
    }
    for (auto& t : threads) {
      t.join();
    }
    EXPECT_EQ(winners, 1);
    EXPECT_EQ(conflicts, 2);
    EXPECT_EQ(other, 0);
  }
}

TEST_F(RoutingFlow, BulkTransferReportsPerItemFailures) {
  auto c1 = inbound("5531988880001");
  auto c2 = inbound("5531988880002");
  auto fin = as(admin_).post("/v1/conversations/bulk",
                             {{"action", "finish"}, {"ids", {c2}}});
  ASSERT_EQ(fin.status, 200) << fin.body.dump();
  auto r = as(admin_).post("/v1/conversations/bulk",
                           {{"action", "transfer"},
                            {"ids", {c1, c2, "nope"}},
                            {"team", "vipdesk"}});
  ASSERT_EQ(r.status, 200) << r.body.dump();
  const auto& res = r.body["results"];
  ASSERT_EQ(res.size(), 3u);
  EXPECT_EQ(res[0]["id"], c1);
  EXPECT_EQ(res[0]["ok"], true);
  EXPECT_EQ(res[1]["ok"], false);
  EXPECT_EQ(res[1]["error"]["code"], "conversation_finished");
  EXPECT_EQ(res[2]["ok"], false);
  EXPECT_EQ(res[2]["error"]["code"], "not_found");
  EXPECT_EQ(conversation(c1)["team"], "vipdesk");
}

} // namespace
} // namespace atende::test

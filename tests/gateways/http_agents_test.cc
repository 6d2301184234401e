// Agent availability over HTTP: status, pause and resume of the calling
// agent, and the supervisors' board timed by the wall clock (CONTRACT
// section 3, "Agents").
#include "events/input.h"
#include "http_fixture.h"

namespace atende::testing {
namespace {

class agents : public http_test {
protected:
  void SetUp() override {
    http_test::SetUp();
    admin_ = make_tenant("acme");
    ana_ = make_agent(admin_, "ana");
    auto r = client().post(
        "/v1/pause-types",
        {{"id", "lunch"}, {"name", "Lunch"}, {"max_minutes", 10}}, admin_);
    ASSERT_EQ(r.status, 201u) << r.body;
  }

  std::string admin_, ana_;
};

TEST_F(agents, AgentStatusRepliesWithTheBoardEntry) {
  auto r = client().post("/v1/agents/me/status", {{"status", "online"}}, ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["id"], "ana");
  EXPECT_EQ(j["role"], "agent");
  EXPECT_EQ(j["status"], "online");
  EXPECT_TRUE(j["pause"].is_null());
  EXPECT_EQ(j["open_count"], 0);
  EXPECT_FALSE(j.contains("token_hash"));
  auto in = engine_.inputs().back();
  EXPECT_EQ(in.type(), "agent.status");
  EXPECT_EQ(in.actor, "agent:ana");
  EXPECT_EQ(encode_input(in)["data"], nlohmann::json({{"status", "online"}}));
  r = client().post("/v1/agents/me/status", {{"status", "offline"}}, ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["status"], "offline");
}

TEST_F(agents, AgentStatusMustBeOnlineOrOffline) {
  auto r = client().post("/v1/agents/me/status", {{"status", "away"}}, ana_);
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.code(), "invalid_value");
  EXPECT_EQ(r.field(), "status");
  r = client().post("/v1/agents/me/status", nlohmann::json::object(), ana_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "status");
}

TEST_F(agents, AgentPauseRepliesWithThePause) {
  auto r = client().post("/v1/agents/me/pause", {{"type", "lunch"}}, ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto pause = r.json()["pause"];
  ASSERT_TRUE(pause.is_object()) << r.body;
  EXPECT_EQ(pause["type"], "lunch");
  EXPECT_TRUE(pause["since"].is_string());
  EXPECT_EQ(pause["elapsed_minutes"], 0);
  EXPECT_EQ(pause["overdue"], false);
  EXPECT_EQ(engine_.inputs().back().type(), "agent.pause");
  EXPECT_EQ(encode_input(engine_.inputs().back())["data"],
            nlohmann::json({{"type", "lunch"}}));
}

TEST_F(agents, AgentPauseNeedsAType) {
  auto r = client().post("/v1/agents/me/pause", nlohmann::json::object(), ana_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "type");
}

TEST_F(agents, AgentPauseErrorsComeFromTheEngine) {
  auto r = client().post("/v1/agents/me/pause", {{"type", "nap"}}, ana_);
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.code(), "unknown_reference");
  EXPECT_EQ(r.field(), "type");
  engine_.reject_next("agent.pause",
                      make_error(errc::pause_not_allowed_yet, "from 11:30"));
  r = client().post("/v1/agents/me/pause", {{"type", "lunch"}}, ana_);
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.code(), "pause_not_allowed_yet");
  ASSERT_EQ(
      client().post("/v1/agents/me/pause", {{"type", "lunch"}}, ana_).status,
      200u);
  r = client().post("/v1/agents/me/pause", {{"type", "lunch"}}, ana_);
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.code(), "already_paused");
}

TEST_F(agents, AgentResumeEndsThePause) {
  ASSERT_EQ(
      client().post("/v1/agents/me/pause", {{"type", "lunch"}}, ana_).status,
      200u);
  auto r = client().request("DELETE", "/v1/agents/me/pause", ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(r.json()["pause"].is_null());
  EXPECT_EQ(engine_.inputs().back().type(), "agent.resume");
  r = client().request("DELETE", "/v1/agents/me/pause", ana_);
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.code(), "not_paused");
}

TEST_F(agents, TheRootTokenIsNoAgent) {
  auto r =
      client().post("/v1/agents/me/status", {{"status", "online"}}, root_token);
  EXPECT_EQ(r.status, 403u);
  EXPECT_TRUE(engine_.inputs().back().type() != "agent.status");
}

TEST_F(agents, BoardTimesThePauseByTheWallClock) {
  auto half_hour_ago = now_ms() - 30 * 60 * 1000;
  engine_.seed("acme", agent_pause_started{"ana", "lunch"}, "agent:ana",
               half_hour_ago);
  auto one = client().get("/v1/agents/ana", admin_);
  ASSERT_EQ(one.status, 200u) << one.body;
  auto pause = one.json()["pause"];
  ASSERT_TRUE(pause.is_object()) << one.body;
  EXPECT_EQ(pause["type"], "lunch");
  EXPECT_GE(pause["elapsed_minutes"].get<int>(), 30);
  EXPECT_LE(pause["elapsed_minutes"].get<int>(), 31);
  EXPECT_EQ(pause["overdue"], true);
  auto list = client().get("/v1/agents", admin_).json();
  for (const auto& a : list["items"]) {
    if (a["id"] == "ana") {
      EXPECT_EQ(a["pause"]["overdue"], true);
    }
  }
}

} // namespace
} // namespace atende::testing

// Sign-in over real HTTP against `atende serve` (CONTRACT "Sign-in"): logins
// and passwords on agents, sessions that work like agent tokens, survive a
// restart and end, one answer for every wrong credential, throttling, and
// an agent changing its own password.
#include <gtest/gtest.h>

#include "tests/e2e/server_process.h"

namespace atende::test {
namespace {

class SessionsFlow : public ::testing::Test {
protected:
  void SetUp() override {
    srv_ = std::make_unique<server_process>(dir_.path());
    ASSERT_TRUE(srv_->start());
    admin_ = new_tenant(srv_->port(), "acme");
    ASSERT_FALSE(admin_.empty());
    ASSERT_EQ(as(admin_).post("/v1/teams", {{"id", "support"},
                                            {"name", "Support"}})
                .status,
              201);
    auto a = as(admin_).post("/v1/agents", {{"id", "ana"},
                                            {"name", "Ana"},
                                            {"role", "agent"},
                                            {"teams", {"support"}},
                                            {"login", "ana.souza"},
                                            {"password", "senha-da-ana-1"}});
    ASSERT_EQ(a.status, 201) << a.body.dump();
  }

  api as(const std::string& token) { return api{srv_->port(), token}; }

  api::reply sign_in(const std::string& tenant, const std::string& login,
                     const std::string& password) {
    return as("").post("/v1/sessions", {{"tenant", tenant},
                                        {"login", login},
                                        {"password", password}});
  }

  temp_dir dir_;
  std::unique_ptr<server_process> srv_;
  std::string admin_;
};

TEST_F(SessionsFlow, ASessionTokenWorksLikeTheAgentsToken) {
  auto s = sign_in("acme", "ana.souza", "senha-da-ana-1");
  ASSERT_EQ(s.status, 201) << s.body.dump();
  EXPECT_EQ(s.body["agent"]["id"], "ana");
  EXPECT_EQ(s.body["agent"]["role"], "agent");
  EXPECT_TRUE(s.body["expires_at"].is_string());
  std::string token = s.body["token"];
  auto me = as(token).get("/v1/agents/me");
  ASSERT_EQ(me.status, 200) << me.body.dump();
  EXPECT_EQ(me.body["id"], "ana");
  EXPECT_EQ(me.body["login"], "ana.souza");
  EXPECT_EQ(me.body["has_password"], true);
  EXPECT_FALSE(me.body.contains("password_hash"));
  EXPECT_FALSE(me.body.contains("password"));
  EXPECT_EQ(as(token).get("/v1/conversations?view=mine").status, 200);
}

TEST_F(SessionsFlow, WrongTenantLoginOrPasswordGetTheSameAnswer) {
  auto wrong_password = sign_in("acme", "ana.souza", "not-her-password");
  auto wrong_login = sign_in("acme", "nobody", "senha-da-ana-1");
  auto wrong_tenant = sign_in("nowhere", "ana.souza", "senha-da-ana-1");
  for (const auto* r : {&wrong_password, &wrong_login, &wrong_tenant}) {
    EXPECT_EQ(r->status, 401) << r->body.dump();
    EXPECT_EQ(r->body["error"]["code"], "bad_credentials");
    EXPECT_EQ(r->body["error"]["message"], wrong_password.body["error"]["message"]);
  }
}

TEST_F(SessionsFlow, RepeatedFailuresForOneLoginAreSlowedThenRefused) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(sign_in("acme", "ana.souza", "wrong-password").status, 401);
  }
  // The fourth try comes at once: it must wait, even with the right password.
  auto slowed = sign_in("acme", "ana.souza", "senha-da-ana-1");
  EXPECT_EQ(slowed.status, 429) << slowed.body.dump();
  EXPECT_EQ(slowed.body["error"]["code"], "too_many_attempts");
  // Another login of the tenant is not affected.
  EXPECT_EQ(sign_in("acme", "someone.else", "whatever-it-is").status, 401);
}

TEST_F(SessionsFlow, EndingASessionRevokesItsTokenOnly) {
  std::string token = sign_in("acme", "ana.souza", "senha-da-ana-1").body["token"];
  std::string other = sign_in("acme", "ana.souza", "senha-da-ana-1").body["token"];
  auto end = as(token).call("DELETE", "/v1/sessions/current");
  EXPECT_EQ(end.status, 204);
  EXPECT_EQ(as(token).get("/v1/agents/me").status, 401);
  EXPECT_EQ(as(other).get("/v1/agents/me").status, 200);
  // The agent's own API token is no session.
  auto not_session = as(admin_).call("DELETE", "/v1/sessions/current");
  EXPECT_EQ(not_session.status, 409);
}

TEST_F(SessionsFlow, ASessionSurvivesARestartAndAnEndedOneStaysEnded) {
  std::string kept = sign_in("acme", "ana.souza", "senha-da-ana-1").body["token"];
  std::string ended = sign_in("acme", "ana.souza", "senha-da-ana-1").body["token"];
  ASSERT_EQ(as(ended).call("DELETE", "/v1/sessions/current").status, 204);
  srv_->kill9();
  ASSERT_TRUE(srv_->start());
  EXPECT_EQ(as(kept).get("/v1/agents/me").status, 200);
  EXPECT_EQ(as(ended).get("/v1/agents/me").status, 401);
}

TEST_F(SessionsFlow, PasswordsAreWriteOnlyAndChecked) {
  auto short_one = as(admin_).post("/v1/agents", {{"id", "bia"},
                                                  {"name", "Bia"},
                                                  {"login", "bia"},
                                                  {"password", "curta"}});
  EXPECT_EQ(short_one.status, 422) << short_one.body.dump();
  EXPECT_EQ(short_one.body["error"]["field"], "password");
  auto hash_given = as(admin_).post("/v1/agents", {{"id", "bia"},
                                                   {"name", "Bia"},
                                                   {"password_hash", "x"}});
  EXPECT_EQ(hash_given.status, 400);
  EXPECT_EQ(hash_given.body["error"]["field"], "password_hash");
  auto list = as(admin_).get("/v1/agents");
  ASSERT_EQ(list.status, 200);
  for (const auto& a : list.body["items"]) {
    EXPECT_FALSE(a.contains("password_hash")) << a.dump();
  }
}

TEST_F(SessionsFlow, ALoginBelongsToOneAgentOfTheTenant) {
  auto taken = as(admin_).post("/v1/agents", {{"id", "bia"},
                                              {"name", "Bia"},
                                              {"login", "ana.souza"}});
  EXPECT_EQ(taken.status, 409) << taken.body.dump();
  EXPECT_EQ(taken.body["error"]["code"], "already_exists");
  auto bad = as(admin_).post("/v1/agents", {{"id", "bia"},
                                            {"name", "Bia"},
                                            {"login", "has space"}});
  EXPECT_EQ(bad.status, 422) << bad.body.dump();
  EXPECT_EQ(bad.body["error"]["field"], "login");
}

TEST_F(SessionsFlow, AnAdminSetsAPasswordAndTheAgentChangesItsOwn) {
  auto patched = as(admin_).call("PATCH", "/v1/agents/ana",
                                 {{"password", "nova-senha-da-ana"}});
  ASSERT_EQ(patched.status, 200) << patched.body.dump();
  EXPECT_EQ(sign_in("acme", "ana.souza", "senha-da-ana-1").status, 401);
  std::string token =
    sign_in("acme", "ana.souza", "nova-senha-da-ana").body["token"];
  auto wrong = as(token).post("/v1/agents/me/password",
                              {{"current", "not-it-at-all"},
                               {"new", "terceira-senha-1"}});
  EXPECT_EQ(wrong.status, 422);
  EXPECT_EQ(wrong.body["error"]["field"], "current");
  auto changed = as(token).post("/v1/agents/me/password",
                                {{"current", "nova-senha-da-ana"},
                                 {"new", "terceira-senha-1"}});
  EXPECT_EQ(changed.status, 204) << changed.body.dump();
  EXPECT_EQ(sign_in("acme", "ana.souza", "terceira-senha-1").status, 201);
}

} // namespace
} // namespace atende::test

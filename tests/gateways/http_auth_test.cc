// Authentication and authorization of the HTTP API (CONTRACT section 2).
#include "http_fixture.h"

namespace atende::testing {
namespace {

using auth = http_test;

TEST_F(auth, HealthzIsPublic) {
  auto r = client().get("/healthz");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.json(), nlohmann::json({{"status", "ok"}}));
}

TEST_F(auth, TenantTimezoneMustBeAnIanaZone) {
  auto bad = client().post("/v1/tenants",
                           {{"id", "acme"}, {"name", "Acme"},
                            {"timezone", "Not/AZone"}},
                           root_token);
  EXPECT_EQ(bad.status, 422u) << bad.body;
  EXPECT_EQ(bad.code(), "invalid_value");
  EXPECT_NE(bad.body.find("timezone"), std::string::npos);
  auto good = client().post("/v1/tenants",
                            {{"id", "acme"}, {"name", "Acme"},
                             {"timezone", "America/Manaus"}},
                            root_token);
  EXPECT_EQ(good.status, 201u) << good.body;
  EXPECT_EQ(good.json()["timezone"], "America/Manaus");
}

TEST_F(auth, TenantTimezoneIsAZoneNameNotAFile) {
  for (const char* tz : {"/usr/share/zoneinfo/UTC", "file:UTC", "localtime",
                         "America/../America/Manaus", ""}) {
    auto r = client().post("/v1/tenants",
                           {{"id", "acme"}, {"name", "Acme"}, {"timezone", tz}},
                           root_token);
    EXPECT_EQ(r.status, 422u) << tz << " " << r.body;
    EXPECT_EQ(r.field(), "timezone") << tz;
  }
  auto utc = client().post(
      "/v1/tenants", {{"id", "acme"}, {"name", "Acme"}, {"timezone", "UTC"}},
      root_token);
  EXPECT_EQ(utc.status, 201u) << utc.body;
}

TEST_F(auth, MissingTokenIs401) {
  auto r = client().get("/v1/channels");
  EXPECT_EQ(r.status, 401u);
  EXPECT_EQ(r.code(), "unauthorized");
}

TEST_F(auth, UnknownTokenIs401) {
  auto r = client().get("/v1/channels", "not-a-token");
  EXPECT_EQ(r.status, 401u);
  EXPECT_EQ(r.code(), "unauthorized");
}

TEST_F(auth, TenantCreateAnswersItsAdminWithAToken) {
  auto r = client().post("/v1/tenants", {{"id", "acme"}, {"name", "Acme"}},
                         root_token);
  ASSERT_EQ(r.status, 201u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["id"], "acme");
  EXPECT_EQ(j["name"], "Acme");
  EXPECT_EQ(j["timezone"], "America/Sao_Paulo");
  EXPECT_EQ(j["admin"]["id"], "admin");
  // `<tenant>~<64 hex digits>`: the tenant in clear routes the request to
  // the instance that serves it (Kafka mode).
  auto token = j["admin"].value("token", "");
  EXPECT_EQ(token.size(), std::string{"acme~"}.size() + 64u);
  EXPECT_TRUE(token.starts_with("acme~")) << token;
  EXPECT_EQ(client().get("/v1/channels", token).status, 200u);
}

TEST_F(auth, RootTokenMayOnlyManageTenants) {
  auto r = client().get("/v1/channels", root_token);
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(r.code(), "forbidden");
  r = client().post("/v1/channels", {{"name", "x"}}, root_token);
  EXPECT_EQ(r.status, 403u);
}

TEST_F(auth, TenantTokenMayNotCreateTenants) {
  auto admin = make_tenant("acme");
  auto r = client().post("/v1/tenants", {{"name", "Other"}}, admin);
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(r.code(), "forbidden");
}

TEST_F(auth, AgentMayNotCreateChannels) {
  auto admin = make_tenant("acme");
  auto ana = make_agent(admin, "ana");
  auto r = client().post("/v1/channels",
                         {{"kind", "whatsapp"},
                          {"name", "Sales"},
                          {"phone", "5511999990000"},
                          {"default_team", "t"}},
                         ana);
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(r.code(), "forbidden");
  EXPECT_EQ(client().get("/v1/channels", ana).status, 200u);
}

TEST_F(auth, AgentMayCreateContacts) {
  auto admin = make_tenant("acme");
  auto ana = make_agent(admin, "ana");
  auto r = client().post("/v1/contacts",
                         {{"name", "Maria"}, {"phone", "5511988887777"}}, ana);
  EXPECT_EQ(r.status, 201u) << r.body;
}

TEST_F(auth, CommandsCarryTheCallerAsActorAndTenant) {
  auto admin = make_tenant("acme");
  make_agent(admin, "ana");
  auto inputs = engine_.inputs();
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs[0].actor, "root");
  EXPECT_EQ(inputs[0].tenant, "acme");
  EXPECT_EQ(inputs[1].actor, "agent:admin");
  EXPECT_EQ(inputs[1].tenant, "acme");
  EXPECT_TRUE(inputs[1].id.starts_with("cmd-"));
}

} // namespace
} // namespace atende::testing

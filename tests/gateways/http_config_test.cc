// The configuration resources: create, patch, list, get (CONTRACT section 3).
#include "http_fixture.h"

namespace atende::testing {
namespace {

class config : public http_test {
protected:
  void SetUp() override {
    http_test::SetUp();
    admin_ = make_tenant("acme");
  }

  nlohmann::json channel_body() {
    return {{"id", "ch1"},
            {"kind", "whatsapp"},
            {"name", "Sales"},
            {"phone", "5511999990000"},
            {"default_team", "t1"}};
  }

  std::string admin_;
};

TEST_F(config, AdminCreatesChannelAndReadsItBack) {
  auto r = client().post("/v1/channels", channel_body(), admin_);
  ASSERT_EQ(r.status, 201u) << r.body;
  auto created = r.json();
  EXPECT_EQ(created["id"], "ch1");
  EXPECT_EQ(created["kind"], "whatsapp");
  EXPECT_TRUE(created["phone_number_id"].is_null());
  auto got = client().get("/v1/channels/ch1", admin_);
  EXPECT_EQ(got.status, 200u);
  EXPECT_EQ(got.json()["name"], "Sales");
  auto list = client().get("/v1/channels", admin_).json();
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_TRUE(list["next_cursor"].is_null());
}

TEST_F(config, GeneratedIdWhenAbsent) {
  auto r = client().post("/v1/teams", {{"name", "Support"}}, admin_);
  ASSERT_EQ(r.status, 201u) << r.body;
  auto id = r.json().value("id", "");
  EXPECT_TRUE(id.starts_with("tm_")) << id;
  EXPECT_EQ(r.json()["max_per_agent"], 5);
  EXPECT_EQ(r.json()["distribution"], "manual");
}

TEST_F(config, BadClientIdIs400NamingId) {
  auto r =
      client().post("/v1/teams", {{"id", "no spaces"}, {"name", "x"}}, admin_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.code(), "malformed");
  EXPECT_EQ(r.field(), "id");
}

TEST_F(config, MalformedBodyNamesTheField) {
  auto body = channel_body();
  body["kind"] = 5;
  auto r = client().post("/v1/channels", body, admin_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "kind");
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("kind"),
            std::string::npos);
  body = channel_body();
  body.erase("name");
  r = client().post("/v1/channels", body, admin_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "name");
}

TEST_F(config, BreakingAValueRuleIs422) {
  auto body = channel_body();
  body["kind"] = "telegram";
  auto r = client().post("/v1/channels", body, admin_);
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.code(), "invalid_value");
  EXPECT_EQ(r.field(), "kind");
}

TEST_F(config, InvalidJsonIs400NamingTheBody) {
  auto r = client().request("POST", "/v1/teams", admin_, "{\"name\":");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "body");
  r = client().request("POST", "/v1/teams", admin_, "[1]");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "body");
}

TEST_F(config, ContentTypeMustBeJson) {
  auto r = client().request("POST", "/v1/teams", admin_, "{\"name\":\"x\"}",
                            "text/plain");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "Content-Type");
  r = client().request("POST", "/v1/teams", admin_, "{\"name\":\"x\"}",
                       "application/json; charset=utf-8");
  EXPECT_EQ(r.status, 201u);
}

TEST_F(config, ErrorsUseTheContractFormat) {
  ASSERT_EQ(client().post("/v1/channels", channel_body(), admin_).status, 201u);
  auto r = client().post("/v1/channels", channel_body(), admin_);
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.content_type, "application/json");
  auto j = r.json();
  ASSERT_TRUE(j["error"].is_object()) << r.body;
  EXPECT_EQ(j["error"]["code"], "already_exists");
  EXPECT_TRUE(j["error"]["message"].is_string());
}

TEST_F(config, PatchAnswersTheUpdatedRecord) {
  ASSERT_EQ(
      client().post("/v1/teams", {{"id", "t1"}, {"name", "A"}}, admin_).status,
      201u);
  auto r = client().patch("/v1/teams/t1",
                          {{"name", "B"}, {"require_reason", true}}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["name"], "B");
  EXPECT_EQ(r.json()["require_reason"], true);
  EXPECT_EQ(client().get("/v1/teams/t1", admin_).json()["name"], "B");
}

TEST_F(config, PatchWithAnUnknownFieldNamesIt) {
  auto r = client().patch("/v1/teams/t1", {{"colour", "red"}}, admin_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "colour");
  r = client().patch("/v1/teams/t1", {{"id", "t2"}}, admin_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "id");
}

TEST_F(config, PatchOfAnUnknownIdIs404) {
  auto r = client().patch("/v1/teams/nope", {{"name", "x"}}, admin_);
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.code(), "not_found");
}

TEST_F(config, CreatedAgentCarriesItsTokenButNoHash) {
  auto r = client().post(
      "/v1/agents", {{"name", "Ana"}, {"role", "agent"}, {"teams", {"t1"}}},
      admin_);
  ASSERT_EQ(r.status, 201u) << r.body;
  auto j = r.json();
  auto token = j.value("token", "");
  EXPECT_EQ(token.size() - token.find('~') - 1, 64u) << token;
  EXPECT_NE(token.find('~'), std::string::npos) << token;
  EXPECT_FALSE(j.contains("token_hash"));
  auto listed = client().get("/v1/agents", admin_).json();
  for (const auto& a : listed["items"]) {
    EXPECT_FALSE(a.contains("token_hash"));
    EXPECT_FALSE(a.contains("token"));
  }
}

TEST_F(config, ListsArePaged) {
  for (const char* id : {"r1", "r2", "r3"}) {
    ASSERT_EQ(
        client().post("/v1/reasons", {{"id", id}, {"name", id}}, admin_).status,
        201u);
  }
  auto first = client().get("/v1/reasons?limit=2", admin_).json();
  ASSERT_EQ(first["items"].size(), 2u);
  ASSERT_TRUE(first["next_cursor"].is_string());
  auto cursor = first["next_cursor"].get<std::string>();
  auto second =
      client()
          .get("/v1/reasons?limit=2&cursor=" + url_encode(cursor), admin_)
          .json();
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_EQ(second["items"][0]["id"], "r3");
  EXPECT_TRUE(second["next_cursor"].is_null());
}

// ---- pause types ------------------------------------------------------------

TEST_F(config, PauseTypeCreateAnswersTheRecord) {
  auto r = client().post("/v1/pause-types",
                         {{"id", "lunch"},
                          {"name", "Lunch"},
                          {"max_minutes", 60},
                          {"allowed_from", "11:30"}},
                         admin_);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.json(), nlohmann::json({{"id", "lunch"},
                                      {"name", "Lunch"},
                                      {"max_minutes", 60},
                                      {"allowed_from", "11:30"}}));
  auto got = client().get("/v1/pause-types/lunch", admin_);
  ASSERT_EQ(got.status, 200u) << got.body;
  EXPECT_EQ(got.json()["max_minutes"], 60);
  auto list = client().get("/v1/pause-types", admin_).json();
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["id"], "lunch");
  auto in = engine_.inputs().back();
  EXPECT_EQ(in.type(), "pause_type.create");
}

TEST_F(config, PauseTypeWithoutAllowedFromMayStartAnyTime) {
  auto r = client().post(
      "/v1/pause-types",
      {{"name", "Break"}, {"max_minutes", 10}, {"allowed_from", nullptr}},
      admin_);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_TRUE(r.json()["allowed_from"].is_null());
  EXPECT_TRUE(r.json().value("id", "").starts_with("pt_"));
}

TEST_F(config, PauseTypeCreateRejectsBadAllowedFrom) {
  for (const char* bad : {"25:00", "noon", "7:5", "24:00"}) {
    auto r = client().post(
        "/v1/pause-types",
        {{"name", "Lunch"}, {"max_minutes", 60}, {"allowed_from", bad}},
        admin_);
    EXPECT_EQ(r.status, 422u) << bad << " " << r.body;
    EXPECT_EQ(r.code(), "invalid_value") << bad;
    EXPECT_EQ(r.field(), "allowed_from") << bad;
  }
  auto r = client().post("/v1/pause-types",
                         {{"name", "Lunch"}, {"max_minutes", 0}}, admin_);
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.field(), "max_minutes");
  r = client().post("/v1/pause-types", {{"name", "Lunch"}}, admin_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "max_minutes");
}

TEST_F(config, PauseTypePatchAnswersTheUpdatedRecord) {
  ASSERT_EQ(client()
                .post("/v1/pause-types",
                      {{"id", "lunch"}, {"name", "Lunch"}, {"max_minutes", 60}},
                      admin_)
                .status,
            201u);
  auto r =
      client().patch("/v1/pause-types/lunch",
                     {{"max_minutes", 45}, {"allowed_from", "12:00"}}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["max_minutes"], 45);
  EXPECT_EQ(r.json()["allowed_from"], "12:00");
  EXPECT_EQ(engine_.inputs().back().type(), "pause_type.patch");
  r = client().patch("/v1/pause-types/lunch", {{"allowed_from", "99:00"}},
                     admin_);
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.field(), "allowed_from");
  r = client().patch("/v1/pause-types/nope", {{"name", "x"}}, admin_);
  EXPECT_EQ(r.status, 404u);
}

TEST_F(config, PauseTypesAreWrittenByAdminsAndReadByAgents) {
  auto ana = make_agent(admin_, "ana");
  auto r = client().post("/v1/pause-types",
                         {{"name", "Lunch"}, {"max_minutes", 60}}, ana);
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(r.code(), "forbidden");
  EXPECT_EQ(client().get("/v1/pause-types", ana).status, 200u);
}

} // namespace
} // namespace atende::testing

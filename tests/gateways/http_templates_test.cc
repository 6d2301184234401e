// Message templates: create, patch, list, get (CONTRACT section 3,
// "Configuration").
#include "http_fixture.h"

namespace atende::testing {
namespace {

class templates : public http_test {
protected:
  void SetUp() override {
    http_test::SetUp();
    admin_ = make_tenant("acme");
    make_team_and_channel(admin_);
  }

  static nlohmann::json promo() {
    return {{"id", "tp1"},
            {"channel", "ch1"},
            {"name", "promo"},
            {"language", "pt_BR"},
            {"body", "Oi {{1}}, {{2}} de desconto hoje"},
            {"status", "approved"}};
  }

  std::string admin_;
};

TEST_F(templates, AdminCreatesATemplateAndAgentsReadIt) {
  auto r = client().post("/v1/templates", promo(), admin_);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.json(), promo());

  auto ana = make_agent(admin_, "ana", "agent", {"t1"});
  auto got = client().get("/v1/templates/tp1", ana);
  ASSERT_EQ(got.status, 200u) << got.body;
  EXPECT_EQ(got.json(), promo());
  auto list = client().get("/v1/templates", ana);
  ASSERT_EQ(list.status, 200u) << list.body;
  ASSERT_EQ(list.json()["items"].size(), 1u);
  EXPECT_EQ(list.json()["items"][0]["name"], "promo");
  EXPECT_TRUE(list.json()["next_cursor"].is_null());
}

TEST_F(templates, GeneratedIdWhenAbsent) {
  auto body = promo();
  body.erase("id");
  auto r = client().post("/v1/templates", body, admin_);
  ASSERT_EQ(r.status, 201u) << r.body;
  auto id = r.json().value("id", "");
  EXPECT_TRUE(id.starts_with("tp_")) << id;
  EXPECT_EQ(client().get("/v1/templates/" + id, admin_).status, 200u);
}

TEST_F(templates, AnAgentMayNotCreateOrPatchATemplate) {
  auto ana = make_agent(admin_, "ana", "agent", {"t1"});
  auto r = client().post("/v1/templates", promo(), ana);
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(r.code(), "forbidden");
  ASSERT_EQ(client().post("/v1/templates", promo(), admin_).status, 201u);
  r = client().patch("/v1/templates/tp1", {{"status", "paused"}}, ana);
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(r.code(), "forbidden");
}

TEST_F(templates, UnknownChannelIs422UnknownReference) {
  auto body = promo();
  body["channel"] = "nope";
  auto r = client().post("/v1/templates", body, admin_);
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.code(), "unknown_reference");
  EXPECT_EQ(r.field(), "channel");
}

TEST_F(templates, ARepeatedChannelNameAndLanguageIs409) {
  ASSERT_EQ(client().post("/v1/templates", promo(), admin_).status, 201u);
  auto again = promo();
  again["id"] = "tp2";
  auto r = client().post("/v1/templates", again, admin_);
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.code(), "already_exists");
  // Another language of the same name is another template.
  again["language"] = "en";
  EXPECT_EQ(client().post("/v1/templates", again, admin_).status, 201u);
}

TEST_F(templates, PlaceholdersMustBeNumberedFromOneWithoutGaps) {
  for (const char* body : {"Oi {{2}}", "Oi {{1}} e {{3}}", "Oi {{nome}}"}) {
    auto t = promo();
    t["body"] = body;
    auto r = client().post("/v1/templates", t, admin_);
    EXPECT_EQ(r.status, 422u) << body;
    EXPECT_EQ(r.code(), "invalid_value") << body;
    EXPECT_EQ(r.field(), "body") << body;
  }
  auto t = promo();
  t["body"] = "{{1}} e {{2}}, {{1}}";
  EXPECT_EQ(client().post("/v1/templates", t, admin_).status, 201u);
}

TEST_F(templates, AnUnknownStatusIsRefused) {
  auto t = promo();
  t["status"] = "maybe";
  auto r = client().post("/v1/templates", t, admin_);
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.field(), "status");
}

TEST_F(templates, PatchChangesBodyAndStatusOnly) {
  ASSERT_EQ(client().post("/v1/templates", promo(), admin_).status, 201u);
  auto r = client().patch("/v1/templates/tp1",
                          {{"body", "Olá {{1}}"}, {"status", "paused"}},
                          admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["body"], "Olá {{1}}");
  EXPECT_EQ(r.json()["status"], "paused");
  EXPECT_EQ(r.json()["name"], "promo");
  auto got = client().get("/v1/templates/tp1", admin_).json();
  EXPECT_EQ(got["status"], "paused");

  r = client().patch("/v1/templates/tp1", {{"name", "other"}}, admin_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "name");
  r = client().patch("/v1/templates/tp1", {{"body", "{{2}}"}}, admin_);
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.code(), "invalid_value");
  r = client().patch("/v1/templates/nope", {{"status", "paused"}}, admin_);
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.code(), "not_found");
}

TEST_F(templates, UnknownTemplateIs404) {
  auto r = client().get("/v1/templates/nope", admin_);
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.code(), "not_found");
}

TEST_F(templates, ListsArePagedById) {
  for (const char* lang : {"en", "es", "pt_BR"}) {
    auto t = promo();
    t["id"] = std::string{"tp_"} + lang;
    t["language"] = lang;
    ASSERT_EQ(client().post("/v1/templates", t, admin_).status, 201u);
  }
  auto first = client().get("/v1/templates?limit=2", admin_).json();
  ASSERT_EQ(first["items"].size(), 2u);
  EXPECT_EQ(first["items"][0]["id"], "tp_en");
  EXPECT_EQ(first["items"][1]["id"], "tp_es");
  ASSERT_TRUE(first["next_cursor"].is_string());
  auto rest = client()
                  .get("/v1/templates?limit=2&cursor=" +
                           url_encode(first["next_cursor"].get<std::string>()),
                       admin_)
                  .json();
  ASSERT_EQ(rest["items"].size(), 1u);
  EXPECT_EQ(rest["items"][0]["id"], "tp_pt_BR");
  EXPECT_TRUE(rest["next_cursor"].is_null());
}

} // namespace
} // namespace atende::testing

// Portfolios over HTTP: the records, deleting one or many, the contacts a
// portfolio holds, and adding a conversation's contact (CONTRACT section 3,
// "Portfolios").
#include "events/input.h"
#include "http_fixture.h"

namespace atende::testing {
namespace {

class portfolios : public http_test {
protected:
  void SetUp() override {
    http_test::SetUp();
    admin_ = make_tenant("acme");
    ana_ = make_agent(admin_, "ana");
    contact("ct1", "Maria", "5511988880001", {"vip"});
    contact("ct2", "Mario", "5511988880002", {});
    contact("ct3", "Joana", "5511988880003", {"vip"});
  }

  void contact(const std::string& id, const std::string& name,
               const std::string& phone, nlohmann::json tags) {
    auto r = client().post(
        "/v1/contacts",
        {{"id", id}, {"name", name}, {"phone", phone}, {"tags", tags}}, admin_);
    ASSERT_EQ(r.status, 201u) << r.body;
  }

  reply create(const std::string& id, nlohmann::json extra = {}) {
    nlohmann::json body = {{"id", id},
                           {"name", "Portfolio " + id},
                           {"responsible", "ana"},
                           {"members", nlohmann::json::array()}};
    if (extra.is_object()) {
      body.update(extra);
    }
    return client().post("/v1/portfolios", body, admin_);
  }

  /// last_data is the data of the last input submitted.
  nlohmann::json last_data() {
    return encode_input(engine_.inputs().back())["data"];
  }

  std::string admin_, ana_;
};

nlohmann::json office_hours() {
  return nlohmann::json::parse(R"({"timezone": "America/Sao_Paulo",
    "week": {"mon": [["08:00", "12:00"], ["13:00", "18:00"]],
             "sat": [["08:00", "24:00"]]}})");
}

TEST_F(portfolios, PortfolioCreateAnswersTheRecord) {
  auto r = create(
      "p1",
      {{"code", "VIP-1"}, {"hours", office_hours()}, {"members", {"bia"}}});
  ASSERT_EQ(r.status, 201u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["id"], "p1");
  EXPECT_EQ(j["code"], "VIP-1");
  EXPECT_EQ(j["hours"], office_hours());
  EXPECT_EQ(j["responsible"], "ana");
  EXPECT_EQ(j["members"], nlohmann::json({"bia"}));
  EXPECT_EQ(engine_.inputs().back().type(), "portfolio.create");
}

TEST_F(portfolios, PortfolioWithoutHoursIsAlwaysOpen) {
  auto r =
      client().post("/v1/portfolios",
                    {{"name", "Sem horário"}, {"responsible", "ana"}}, admin_);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_TRUE(r.json()["hours"].is_null());
  EXPECT_TRUE(r.json()["code"].is_null());
  EXPECT_TRUE(r.json().value("id", "").starts_with("pf_"));
}

TEST_F(portfolios, PortfolioCreateRejectsBadHoursNamingTheInterval) {
  auto r = create(
      "p1", {{"hours", nlohmann::json::parse(
                           R"({"week": {"mon": [["12:00", "08:00"]]}})")}});
  EXPECT_EQ(r.status, 422u) << r.body;
  EXPECT_EQ(r.field(), "hours.week.mon[0]");
  r = create("p1",
             {{"hours", {{"week", {{"funday", nlohmann::json::array()}}}}}});
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(r.field(), "hours.week.funday");
  r = client().post("/v1/portfolios", {{"name", "x"}}, admin_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "responsible");
}

TEST_F(portfolios, PortfolioPatchAnswersTheRecord) {
  ASSERT_EQ(create("p1").status, 201u);
  auto r =
      client().patch("/v1/portfolios/p1",
                     {{"name", "Gold"}, {"hours", office_hours()}}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["name"], "Gold");
  EXPECT_EQ(r.json()["hours"], office_hours());
  EXPECT_EQ(engine_.inputs().back().type(), "portfolio.patch");
}

TEST_F(portfolios, PortfolioWritesAreForAdmins) {
  ASSERT_EQ(create("p1").status, 201u);
  auto r = client().post("/v1/portfolios",
                         {{"name", "x"}, {"responsible", "ana"}}, ana_);
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(client().patch("/v1/portfolios/p1", {{"name", "y"}}, ana_).status,
            403u);
  EXPECT_EQ(client().request("DELETE", "/v1/portfolios/p1", ana_).status, 403u);
  EXPECT_EQ(
      client().post("/v1/portfolios/delete", {{"ids", {"p1"}}}, ana_).status,
      403u);
  EXPECT_EQ(client().get("/v1/portfolios", ana_).status, 200u);
}

TEST_F(portfolios, PortfolioListShowsTheContactCountAndTheFirstContacts) {
  ASSERT_EQ(create("p1").status, 201u);
  auto r = client().post("/v1/portfolios/p1/contacts",
                         {{"add", {"ct1", "ct2"}}}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto list = client().get("/v1/portfolios", ana_);
  ASSERT_EQ(list.status, 200u) << list.body;
  auto item = list.json()["items"][0];
  EXPECT_EQ(item["id"], "p1");
  EXPECT_EQ(item["contact_count"], 2);
  ASSERT_EQ(item["contacts"].size(), 2u);
  EXPECT_EQ(item["contacts"][0]["id"], "ct1");
  EXPECT_EQ(item["contacts"][0]["name"], "Maria");
  EXPECT_EQ(item["contacts"][0]["phone"], "5511988880001");
  auto one = client().get("/v1/portfolios/p1", ana_);
  ASSERT_EQ(one.status, 200u);
  EXPECT_EQ(one.json()["contact_count"], 2);
}

TEST_F(portfolios, DeletePortfolioIs204WithNoBody) {
  ASSERT_EQ(create("p1").status, 201u);
  auto r = client().request("DELETE", "/v1/portfolios/p1", admin_);
  EXPECT_EQ(r.status, 204u);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(engine_.inputs().back().type(), "portfolio.delete");
  EXPECT_EQ(last_data(), nlohmann::json({{"portfolio", "p1"}}));
  EXPECT_EQ(client().get("/v1/portfolios/p1", admin_).status, 404u);
}

TEST_F(portfolios, DeleteUnknownPortfolioIs404) {
  auto r = client().request("DELETE", "/v1/portfolios/nope", admin_);
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.code(), "not_found");
}

TEST_F(portfolios, PortfolioBulkDeleteSubmitsOneInputPerId) {
  ASSERT_EQ(create("p1").status, 201u);
  ASSERT_EQ(create("p2").status, 201u);
  auto before = engine_.inputs().size();
  auto r = client().post("/v1/portfolios/delete",
                         {{"ids", {"p1", "nope", "p2"}}}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto results = r.json()["results"];
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0], nlohmann::json({{"id", "p1"}, {"ok", true}}));
  EXPECT_EQ(results[1]["id"], "nope");
  EXPECT_EQ(results[1]["ok"], false);
  EXPECT_EQ(results[1]["error"]["code"], "not_found");
  EXPECT_TRUE(results[1]["error"]["message"].is_string());
  EXPECT_EQ(results[2], nlohmann::json({{"id", "p2"}, {"ok", true}}));
  auto inputs = engine_.inputs();
  ASSERT_EQ(inputs.size(), before + 3);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(inputs[before + i].type(), "portfolio.delete");
  }
  EXPECT_EQ(engine_.batches().back(), 3u);
}

TEST_F(portfolios, PortfolioBulkDeleteNamesABadIdsField) {
  auto before = engine_.inputs().size();
  std::vector<nlohmann::json> bodies = {
      nlohmann::json::object(), {{"ids", nlohmann::json::array()}},
      {{"ids", "p1"}},          {{"ids", {"p1", 2}}},
      {{"ids", {"p1", ""}}},    {{"ids", std::vector<std::string>(501, "p1")}}};
  for (const auto& body : bodies) {
    auto r = client().post("/v1/portfolios/delete", body, admin_);
    EXPECT_EQ(r.status, 400u) << body.dump().substr(0, 80);
    EXPECT_EQ(r.field(), "ids") << body.dump().substr(0, 80);
  }
  EXPECT_EQ(engine_.inputs().size(), before);
}

TEST_F(portfolios, PortfolioContactsAddsAndRemovesCountingRealChanges) {
  ASSERT_EQ(create("p1").status, 201u);
  auto r = client().post("/v1/portfolios/p1/contacts",
                         {{"add", {"ct1", "ct2"}}}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json(), nlohmann::json({{"added", 2}, {"removed", 0}}));
  EXPECT_EQ(engine_.inputs().back().type(), "portfolio.contacts");
  EXPECT_EQ(last_data(), nlohmann::json({{"portfolio", "p1"},
                                         {"add", {"ct1", "ct2"}},
                                         {"remove", nlohmann::json::array()}}));
  r = client().post("/v1/portfolios/p1/contacts",
                    {{"add", {"ct1"}}, {"remove", {"ct2"}}}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json(), nlohmann::json({{"added", 0}, {"removed", 1}}));
}

TEST_F(portfolios, ContactRepliesShowThePortfoliosThatHoldIt) {
  ASSERT_EQ(create("p1").status, 201u);
  ASSERT_EQ(client()
                .post("/v1/portfolios/p1/contacts", {{"add", {"ct1"}}}, admin_)
                .status,
            200u);
  auto r = client().patch("/v1/contacts/ct1", {{"name", "Maria S."}}, ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["name"], "Maria S.");
  EXPECT_EQ(r.json()["portfolios"], nlohmann::json({"p1"}));
  EXPECT_EQ(client().get("/v1/contacts/ct1", ana_).json()["portfolios"],
            nlohmann::json({"p1"}));
}

TEST_F(portfolios, PortfolioContactsWithNoChangeAnswersZero) {
  ASSERT_EQ(create("p1").status, 201u);
  auto r = client().post("/v1/portfolios/p1/contacts", nlohmann::json::object(),
                         admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json(), nlohmann::json({{"added", 0}, {"removed", 0}}));
}

TEST_F(portfolios, PortfolioContactsResolvesTheFilterIntoIds) {
  ASSERT_EQ(create("p1").status, 201u);
  auto r = client().post(
      "/v1/portfolios/p1/contacts",
      {{"add", {"ct3", "ct2"}}, {"add_filter", {{"tag", "vip"}}}}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["added"], 3);
  // the given ids first, then the filter's (ordered by id), each once
  EXPECT_EQ(last_data()["add"], nlohmann::json({"ct3", "ct2", "ct1"}));
  r = client().post("/v1/portfolios/p1/contacts",
                    {{"remove", {"ct1", "ct2", "ct3"}}}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  r = client().post("/v1/portfolios/p1/contacts",
                    {{"add_filter", {{"name", "mari"}, {"tag", "vip"}}}},
                    admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(last_data()["add"], nlohmann::json({"ct1"}));
}

TEST_F(portfolios, PortfolioContactsNamesTheBadField) {
  ASSERT_EQ(create("p1").status, 201u);
  auto before = engine_.inputs().size();
  std::vector<std::pair<nlohmann::json, std::string>> cases = {
      {{{"add", "ct1"}}, "add"},
      {{{"remove", {1}}}, "remove"},
      {{{"add_filter", "vip"}}, "add_filter"},
      {{{"add_filter", nlohmann::json::object()}}, "add_filter"},
      {{{"add_filter", {{"tag", 5}}}}, "add_filter.tag"},
      {{{"add_filter", {{"name", true}}}}, "add_filter.name"}};
  for (const auto& [body, field] : cases) {
    auto r = client().post("/v1/portfolios/p1/contacts", body, admin_);
    EXPECT_EQ(r.status, 400u) << body.dump();
    EXPECT_EQ(r.field(), field) << body.dump();
  }
  EXPECT_EQ(engine_.inputs().size(), before);
}

TEST_F(portfolios, PortfolioContactsOfAnUnknownPortfolioIs404) {
  auto r =
      client().post("/v1/portfolios/nope/contacts", {{"add", {"ct1"}}}, admin_);
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(client().get("/v1/portfolios/nope/contacts", admin_).status, 404u);
}

TEST_F(portfolios, PortfolioContactsAreForAnyAgentTheEngineDecides) {
  ASSERT_EQ(create("p1").status, 201u);
  auto r =
      client().post("/v1/portfolios/p1/contacts", {{"add", {"ct1"}}}, ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
  engine_.reject_next("portfolio.contacts",
                      make_error(errc::forbidden, "not an owner"));
  r = client().post("/v1/portfolios/p1/contacts", {{"add", {"ct2"}}}, ana_);
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(r.code(), "forbidden");
}

TEST_F(portfolios, PortfolioContactListIsPaged) {
  ASSERT_EQ(create("p1").status, 201u);
  ASSERT_EQ(client()
                .post("/v1/portfolios/p1/contacts",
                      {{"add", {"ct1", "ct2", "ct3"}}}, admin_)
                .status,
            200u);
  auto first = client().get("/v1/portfolios/p1/contacts?limit=2", ana_);
  ASSERT_EQ(first.status, 200u) << first.body;
  auto j = first.json();
  ASSERT_EQ(j["items"].size(), 2u);
  EXPECT_EQ(j["items"][0]["id"], "ct1");
  ASSERT_TRUE(j["next_cursor"].is_string());
  auto second =
      client().get("/v1/portfolios/p1/contacts?limit=2&cursor=" +
                       url_encode(j["next_cursor"].get<std::string>()),
                   ana_);
  ASSERT_EQ(second.status, 200u) << second.body;
  ASSERT_EQ(second.json()["items"].size(), 1u);
  EXPECT_EQ(second.json()["items"][0]["id"], "ct3");
  EXPECT_TRUE(second.json()["next_cursor"].is_null());
  auto bad = client().get("/v1/portfolios/p1/contacts?limit=0", ana_);
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.field(), "limit");
}

class conversation_portfolios : public portfolios {
protected:
  void SetUp() override {
    portfolios::SetUp();
    make_team_and_channel(admin_);
    engine_.seed("acme",
                 conversation_opened{"c1", "ct2", "ch1", "t1", "inbound"},
                 "connector");
  }
};

TEST_F(conversation_portfolios, ConversationContactJoinsAPortfolio) {
  ASSERT_EQ(create("p1").status, 201u);
  auto r = client().post("/v1/conversations/c1/portfolios",
                         {{"portfolio", "p1"}}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json(), nlohmann::json({{"added", 1}, {"removed", 0}}));
  EXPECT_EQ(last_data(), nlohmann::json({{"portfolio", "p1"},
                                         {"add", {"ct2"}},
                                         {"remove", nlohmann::json::array()}}));
}

TEST_F(conversation_portfolios,
       ConversationPortfolioNeedsAVisibleConversation) {
  ASSERT_EQ(create("p1").status, 201u);
  auto before = engine_.inputs().size();
  auto r = client().post("/v1/conversations/nope/portfolios",
                         {{"portfolio", "p1"}}, admin_);
  EXPECT_EQ(r.status, 404u);
  // ana is in no team: the waiting conversation of t1 is not hers to see
  r = client().post("/v1/conversations/c1/portfolios", {{"portfolio", "p1"}},
                    ana_);
  EXPECT_EQ(r.status, 404u);
  r = client().post("/v1/conversations/c1/portfolios", nlohmann::json::object(),
                    admin_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "portfolio");
  r = client().post("/v1/conversations/c1/portfolios", {{"portfolio", 7}},
                    admin_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "portfolio");
  EXPECT_EQ(engine_.inputs().size(), before);
}

} // namespace
} // namespace atende::testing

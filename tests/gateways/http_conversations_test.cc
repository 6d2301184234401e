// Conversations over HTTP: the inbox list and the commands (CONTRACT
// section 3, "Conversations").
#include "events/input.h"
#include "http_fixture.h"

namespace atende::testing {
namespace {

class conversations : public http_test {
protected:
  void SetUp() override {
    http_test::SetUp();
    admin_ = make_tenant("acme");
    make_team_and_channel(admin_);
    ana_ = make_agent(admin_, "ana", "agent", {"t1"});
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
                 "connector");
    engine_.seed(
        "acme",
        message_received{"c1", "m0", "wamid.0", "text", "oi", {}, "wamid.0",
                         nullptr},
        "connector");
  }
  std::string admin_, ana_;
};

TEST_F(conversations, ListHasItemsCursorAndCounts) {
  auto r = client().get("/v1/conversations", ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = r.json();
  ASSERT_EQ(j["items"].size(), 1u);
  EXPECT_EQ(j["items"][0]["id"], "c1");
  EXPECT_TRUE(j["next_cursor"].is_null());
  EXPECT_EQ(j["counts"],
            nlohmann::json({{"all", 1}, {"mine", 0}, {"unassigned", 1}}));
}

TEST_F(conversations, LimitOutOfRangeIs400) {
  for (const char* q : {"limit=0", "limit=501", "limit=abc", "limit=5x"}) {
    auto r = client().get(std::string{"/v1/conversations?"} + q, ana_);
    EXPECT_EQ(r.status, 400u) << q;
    EXPECT_EQ(r.field(), "limit") << q;
  }
  EXPECT_EQ(client().get("/v1/conversations?limit=500", ana_).status, 200u);
}

TEST_F(conversations, BadViewIs400) {
  auto r = client().get("/v1/conversations?view=everything", ana_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.code(), "malformed");
}

TEST_F(conversations, OneConversationHasItsMessages) {
  auto r = client().get("/v1/conversations/c1", ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
  ASSERT_EQ(r.json()["messages"].size(), 1u);
  EXPECT_EQ(client().get("/v1/conversations/nope", ana_).status, 404u);
}

TEST_F(conversations, AssignAnswersTheConversation) {
  auto r = client().post("/v1/conversations/c1/assign",
                         nlohmann::json::object(), ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["assignee"], "ana");
  EXPECT_EQ(r.json()["status"], "open");
}

TEST_F(conversations, AssignWithoutBodyTakesIt) {
  auto r = client().request("POST", "/v1/conversations/c1/assign", ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["assignee"], "ana");
}

TEST_F(conversations, SendAnswersTheMessageAndTheConversation) {
  client().post("/v1/conversations/c1/assign", nlohmann::json::object(), ana_);
  auto r =
      client().post("/v1/conversations/c1/messages", {{"text", "olá"}}, ana_);
  ASSERT_EQ(r.status, 201u) << r.body;
  auto m = r.json()["message"];
  EXPECT_EQ(m["direction"], "out");
  EXPECT_EQ(m["kind"], "text");
  EXPECT_EQ(m["text"], "olá");
  EXPECT_EQ(m["status"], "pending");
  EXPECT_TRUE(m["at"].is_string());
  EXPECT_EQ(r.json()["conversation"]["id"], "c1");
}

TEST_F(conversations, RetriedSendAnswersTheFirstMessage) {
  client().post("/v1/conversations/c1/assign", nlohmann::json::object(), ana_);
  nlohmann::json body = {{"text", "olá"}, {"idempotency_key", "k1"}};
  auto first = client().post("/v1/conversations/c1/messages", body, ana_);
  auto again = client().post("/v1/conversations/c1/messages", body, ana_);
  ASSERT_EQ(first.status, 201u) << first.body;
  ASSERT_EQ(again.status, 201u) << again.body;
  EXPECT_EQ(again.json()["message"]["id"], first.json()["message"]["id"]);
  EXPECT_EQ(again.json()["message"]["text"], "olá");
}

TEST_F(conversations, SendWithoutTextNamesIt) {
  auto r = client().post("/v1/conversations/c1/messages", {{"txt", "x"}}, ana_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "text");
}

TEST_F(conversations, ASendTakesTextOrATemplateNotBoth) {
  auto both = client().post("/v1/conversations/c1/messages",
                            {{"text", "Oi"}, {"template", {{"name", "hello"}}}},
                            ana_);
  EXPECT_EQ(both.status, 400u);
  EXPECT_EQ(both.field(), "template");
  auto neither = client().post("/v1/conversations/c1/messages",
                               nlohmann::json::object(), ana_);
  EXPECT_EQ(neither.status, 400u);
  EXPECT_EQ(neither.field(), "text");
  auto nameless = client().post("/v1/conversations/c1/messages",
                                {{"template", {{"params", {"x"}}}}}, ana_);
  EXPECT_EQ(nameless.status, 400u);
  EXPECT_EQ(nameless.field(), "template.name");
}

TEST_F(conversations, TransferNeedsAnAgentOrATeam) {
  auto r = client().post("/v1/conversations/c1/transfer",
                         nlohmann::json::object(), admin_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "agent");
  r = client().post("/v1/conversations/c1/transfer", {{"agent", "ana"}},
                    admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["assignee"], "ana");
}

TEST_F(conversations, FinishAnswersTheConversation) {
  auto r = client().post("/v1/conversations/c1/finish",
                         {{"description", "done"}}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["status"], "finished");
}

TEST_F(conversations, EngineRejectionsUseTheStatusMap) {
  engine_.reject_next("conversation.assign",
                      make_error(errc::already_assigned, "taken"));
  auto r = client().post("/v1/conversations/c1/assign",
                         nlohmann::json::object(), ana_);
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.code(), "already_assigned");
  engine_.reject_next("conversation.send",
                      make_error(errc::window_closed, "closed"));
  r = client().post("/v1/conversations/c1/messages", {{"text", "x"}}, ana_);
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.code(), "window_closed");
  engine_.reject_next("conversation.send",
                      make_error(errc::not_assignee, "not yours"));
  r = client().post("/v1/conversations/c1/messages", {{"text", "x"}}, ana_);
  EXPECT_EQ(r.status, 403u);
}

TEST_F(conversations, ConversationOpenCarriesItsId) {
  auto e = make_error(errc::conversation_open, "already open");
  e.conversation = "c1";
  engine_.reject_next("conversation.transfer", e);
  auto r =
      client().post("/v1/conversations/c1/transfer", {{"team", "t1"}}, admin_);
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.json()["error"]["conversation_id"], "c1");
}

TEST_F(conversations, AnActiveConversationNamesItsBadField) {
  auto no_to = client().post("/v1/conversations",
                             {{"channel", "ch1"}, {"text", "Oi"}}, ana_);
  EXPECT_EQ(no_to.status, 400u);
  EXPECT_EQ(no_to.field(), "to");
  auto bad_phone = client().post(
    "/v1/conversations",
    {{"channel", "ch1"}, {"to", "+55 11 98888-7777"}, {"text", "Oi"}}, ana_);
  EXPECT_EQ(bad_phone.status, 422u);
  EXPECT_EQ(bad_phone.code(), "invalid_phone");
  EXPECT_EQ(bad_phone.field(), "to");
  auto no_channel = client().post(
    "/v1/conversations", {{"to", "5511988887777"}, {"text", "Oi"}}, ana_);
  EXPECT_EQ(no_channel.status, 400u);
  EXPECT_EQ(no_channel.field(), "channel");
}

// ---- bulk -------------------------------------------------------------------

class bulk : public conversations {
protected:
  void SetUp() override {
    conversations::SetUp();
    for (const char* id : {"c2", "c3"}) {
      engine_.seed("acme",
                   conversation_opened{id, "ct1", "ch1", "t1", "inbound"},
                   "connector");
    }
  }

  /// data_of returns the data of the last `n` inputs, in order.
  std::vector<nlohmann::json> data_of(std::size_t n) {
    auto all = engine_.inputs();
    std::vector<nlohmann::json> out;
    for (auto i = all.size() - n; i < all.size(); ++i) {
      out.push_back(encode_input(all[i])["data"]);
    }
    return out;
  }
};

TEST_F(bulk, BulkReportsAResultPerItemInOrder) {
  engine_.reject_next("conversation.finish",
                      make_error(errc::not_found, "no conversation c2"), 1);
  auto r = client().post("/v1/conversations/bulk",
                         {{"action", "finish"}, {"ids", {"c1", "c2", "c3"}}},
                         admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto results = r.json()["results"];
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0], nlohmann::json({{"id", "c1"}, {"ok", true}}));
  EXPECT_EQ(results[1]["id"], "c2");
  EXPECT_EQ(results[1]["ok"], false);
  EXPECT_EQ(results[1]["error"]["code"], "not_found");
  EXPECT_EQ(results[1]["error"]["message"], "no conversation c2");
  EXPECT_EQ(results[2], nlohmann::json({{"id", "c3"}, {"ok", true}}));
  EXPECT_EQ(client().get("/v1/conversations/c1", admin_).json()["status"],
            "finished");
}

TEST_F(bulk, BulkSubmitsOneInputPerIdInOneCall) {
  auto r = client().post("/v1/conversations/bulk",
                         {{"action", "finish"},
                          {"ids", {"c1", "c3"}},
                          {"reason", "sold"},
                          {"description", "done"},
                          {"team", "ignored"}},
                         admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(engine_.batches().back(), 2u);
  auto data = data_of(2);
  EXPECT_EQ(data[0], nlohmann::json({{"conversation", "c1"},
                                     {"reason", "sold"},
                                     {"description", "done"}}));
  EXPECT_EQ(data[1]["conversation"], "c3");
  EXPECT_EQ(engine_.inputs().back().type(), "conversation.finish");
}

TEST_F(bulk, BulkTransferGoesToAnAgentOrATeam) {
  auto r = client().post(
      "/v1/conversations/bulk",
      {{"action", "transfer"}, {"ids", {"c1", "c2"}}, {"team", "t1"}}, admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(engine_.inputs().back().type(), "conversation.transfer");
  EXPECT_EQ(data_of(2)[1],
            nlohmann::json({{"conversation", "c2"}, {"team", "t1"}}));
  auto before = engine_.inputs().size();
  r = client().post("/v1/conversations/bulk",
                    {{"action", "transfer"}, {"ids", {"c1"}}}, admin_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "agent");
  r = client().post("/v1/conversations/bulk",
                    {{"action", "transfer"},
                     {"ids", {"c1"}},
                     {"agent", "ana"},
                     {"team", "t1"}},
                    admin_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "team");
  EXPECT_EQ(engine_.inputs().size(), before);
}

TEST_F(bulk, BulkAutomationNamesTheFlow) {
  auto r = client().post("/v1/conversations/bulk",
                         {{"action", "automation"}, {"ids", {"c1"}}}, admin_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "automation");
  r = client().post(
      "/v1/conversations/bulk",
      {{"action", "automation"}, {"ids", {"c1", "c3"}}, {"automation", "nps"}},
      admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(engine_.inputs().back().type(), "conversation.automation");
  EXPECT_EQ(data_of(1)[0],
            nlohmann::json({{"conversation", "c3"}, {"automation", "nps"}}));
  EXPECT_EQ(r.json()["results"].size(), 2u);
}

TEST_F(bulk, BulkRejectsUnknownActionNamingTheField) {
  for (const auto& body : {nlohmann::json{{"ids", {"c1"}}},
                           nlohmann::json{{"action", "close"}, {"ids", {"c1"}}},
                           nlohmann::json{{"action", 1}, {"ids", {"c1"}}}}) {
    auto r = client().post("/v1/conversations/bulk", body, admin_);
    EXPECT_EQ(r.status, 400u) << body.dump();
    EXPECT_EQ(r.field(), "action") << body.dump();
  }
}

TEST_F(bulk, BulkNeedsOneTo500Ids) {
  auto before = engine_.inputs().size();
  for (const auto& ids :
       {nlohmann::json(nullptr), nlohmann::json::array(), nlohmann::json("c1"),
        nlohmann::json({"c1", 2}),
        nlohmann::json(std::vector<std::string>(501, "c1"))}) {
    auto r = client().post("/v1/conversations/bulk",
                           {{"action", "finish"}, {"ids", ids}}, admin_);
    EXPECT_EQ(r.status, 400u) << ids.dump().substr(0, 40);
    EXPECT_EQ(r.field(), "ids") << ids.dump().substr(0, 40);
  }
  EXPECT_EQ(engine_.inputs().size(), before);
  auto r = client().post(
      "/v1/conversations/bulk",
      {{"action", "finish"}, {"ids", std::vector<std::string>(500, "c1")}},
      admin_);
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.json()["results"].size(), 500u);
}

TEST_F(bulk, BulkIsForAnyAgent) {
  auto r = client().post("/v1/conversations/bulk",
                         {{"action", "finish"}, {"ids", {"c1"}}}, ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
}

} // namespace
} // namespace atende::testing

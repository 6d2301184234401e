// The conversation lifecycle over real HTTP against `atende serve`: inbound
// message → unassigned → take → reply → finish, with the visibility, capacity,
// reason and isolation rules of CONTRACT.md.
#include <gtest/gtest.h>

#include <set>

#include "events/time.h"
#include "tests/e2e/server_process.h"

namespace atende::test {
namespace {

class HttpFlow : public ::testing::Test {
protected:
  void SetUp() override {
    srv_ = std::make_unique<server_process>(dir_.path());
    ASSERT_TRUE(srv_->start());
    api root{srv_->port(), root_token};
    auto t = root.post("/v1/tenants", {{"id", "acme"}, {"name", "Acme"}});
    ASSERT_EQ(t.status, 201) << t.body.dump();
    admin_ = t.body["admin"]["token"];
    auto o = root.post("/v1/tenants", {{"id", "other"}, {"name", "Other"}});
    ASSERT_EQ(o.status, 201);
    other_ = o.body["admin"]["token"];
    auto a = as(admin_);
    ASSERT_EQ(a.post("/v1/teams", {{"id", "support"},
                                   {"name", "Support"},
                                   {"require_reason", true}})
                .status,
              201);
    ASSERT_EQ(a.post("/v1/teams", {{"id", "sales"}, {"name", "Sales"}}).status,
              201);
    ASSERT_EQ(a.post("/v1/channels", {{"id", "wa"},
                                      {"kind", "whatsapp"},
                                      {"name", "WA"},
                                      {"phone", "5511999990000"},
                                      {"phone_number_id", "1065"},
                                      {"default_team", "support"}})
                .status,
              201);
    ASSERT_EQ(a.post("/v1/reasons", {{"id", "solved"}, {"name", "Solved"}})
                .status,
              201);
    ana_ = agent("ana", "support", 1);
    bia_ = agent("bia", "support", 5);
    carl_ = agent("carl", "sales", 5);
  }

  std::string agent(const std::string& id, const std::string& team, int max) {
    auto r = as(admin_).post("/v1/agents", {{"id", id},
                                            {"name", id},
                                            {"role", "agent"},
                                            {"teams", {team}},
                                            {"max_concurrent", max}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body["token"];
  }

  api as(const std::string& token) { return api{srv_->port(), token}; }

  /// envelope: a customer's text message to acme's channel (by Meta id),
  /// written a minute ago (replies need the 24-hour window open).
  static nlohmann::json envelope(const std::string& id,
                                 const std::string& from) {
    return text_envelope("acme", "1065", id, from, "hello");
  }

  /// inbound posts a customer's message and returns its conversation.
  std::string inbound(const std::string& id, const std::string& from) {
    auto r = as(admin_).post("/v1/events", envelope(id, from));
    EXPECT_EQ(r.status, 202) << r.body.dump();
    return r.body["results"][0].value("conversation", "");
  }

  /// take: the agent of `token` takes conversation `conv`.
  api::reply take(const std::string& token, const std::string& conv) {
    return as(token).post("/v1/conversations/" + conv + "/assign", {});
  }

  static std::string code(const api::reply& r) {
    return r.body["error"]["code"];
  }

  temp_dir dir_;
  std::unique_ptr<server_process> srv_;
  std::string admin_, other_, ana_, bia_, carl_;
};

TEST_F(HttpFlow, InboundMessageWaitsUnassignedThenTakeMovesItToMine) {
  auto conv = inbound("w1", "5531988887777");
  auto ana = as(ana_);
  auto un = ana.get("/v1/conversations?view=unassigned");
  ASSERT_EQ(un.body["items"].size(), 1u);
  EXPECT_EQ(un.body["items"][0]["id"], conv);
  EXPECT_EQ(un.body["items"][0]["status"], "waiting");
  EXPECT_EQ(un.body["counts"]["unassigned"], 1);
  auto taken = take(ana_, conv);
  ASSERT_EQ(taken.status, 200) << taken.body.dump();
  EXPECT_EQ(taken.body["assignee"], "ana");
  auto mine = ana.get("/v1/conversations?view=mine");
  EXPECT_EQ(mine.body["items"][0]["id"], conv);
  EXPECT_EQ(mine.body["counts"]["mine"], 1);
  EXPECT_EQ(mine.body["counts"]["unassigned"], 0);
}

TEST_F(HttpFlow, BothFormsOfANinthDigitNumberJoinOneConversation) {
  auto a = inbound("w1", "5531988887777");
  auto b = inbound("w2", "553188887777");
  EXPECT_EQ(a, b);
}

TEST_F(HttpFlow, AgentOfAnotherTeamNeitherSeesNorTakesIt) {
  auto conv = inbound("w1", "5531988887777");
  auto carl = as(carl_);
  EXPECT_EQ(carl.get("/v1/conversations").body["items"].size(), 0u);
  EXPECT_EQ(carl.get("/v1/conversations?view=unassigned")
              .body["counts"]["unassigned"],
            0);
  EXPECT_EQ(carl.get("/v1/conversations/" + conv).status, 404);
  EXPECT_EQ(take(carl_, conv).status, 404);
  auto admin_assign = as(admin_).post("/v1/conversations/" + conv + "/assign",
                                      {{"agent", "carl"}});
  EXPECT_EQ(admin_assign.status, 403);
  EXPECT_EQ(code(admin_assign), "not_eligible");
}

TEST_F(HttpFlow, FirstTakeWinsAndTheSecondGetsAlreadyAssigned) {
  auto conv = inbound("w1", "5531988887777");
  EXPECT_EQ(take(ana_, conv).status,
            200);
  auto second = take(bia_, conv);
  EXPECT_EQ(second.status, 409);
  EXPECT_EQ(code(second), "already_assigned");
}

TEST_F(HttpFlow, AgentAtCapacityCannotTakeAnother) {
  auto c1 = inbound("w1", "5531988887777");
  auto c2 = inbound("w2", "5531977776666");
  EXPECT_EQ(take(ana_, c1).status,
            200);
  auto r = take(ana_, c2);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(code(r), "at_capacity");
}

TEST_F(HttpFlow, OnlyTheAssigneeSendsAndARetriedSendIsOne) {
  auto conv = inbound("w1", "5531988887777");
  ASSERT_EQ(take(ana_, conv).status,
            200);
  auto bia = as(bia_).post("/v1/conversations/" + conv + "/messages",
                           {{"text", "hi"}});
  EXPECT_EQ(bia.status, 403);
  EXPECT_EQ(code(bia), "not_assignee");
  nlohmann::json body{{"text", "Olá"}, {"idempotency_key", "k1"}};
  auto first = as(ana_).post("/v1/conversations/" + conv + "/messages", body);
  auto again = as(ana_).post("/v1/conversations/" + conv + "/messages", body);
  ASSERT_EQ(first.status, 201) << first.body.dump();
  EXPECT_EQ(again.body["message"]["id"], first.body["message"]["id"]);
  auto full = as(ana_).get("/v1/conversations/" + conv);
  EXPECT_EQ(full.body["messages"].size(), 2u);
  EXPECT_EQ(full.body["awaiting_customer"], true);
}

TEST_F(HttpFlow, FinishNeedsAReasonWhenTheTeamRequiresOne) {
  auto conv = inbound("w1", "5531988887777");
  auto ana = as(ana_);
  ASSERT_EQ(take(ana_, conv).status, 200);
  auto none = ana.post("/v1/conversations/" + conv + "/finish", {});
  EXPECT_EQ(none.status, 422);
  EXPECT_EQ(code(none), "reason_required");
  auto unknown = ana.post("/v1/conversations/" + conv + "/finish",
                          {{"reason", "nope"}});
  EXPECT_EQ(code(unknown), "unknown_reason");
  auto ok = ana.post("/v1/conversations/" + conv + "/finish",
                     {{"reason", "solved"}, {"description", "done"}});
  ASSERT_EQ(ok.status, 200) << ok.body.dump();
  auto finished = ana.get("/v1/conversations?status=finished&view=mine");
  EXPECT_EQ(finished.body["items"][0]["id"], conv);
  EXPECT_EQ(finished.body["items"][0]["reason"], "solved");
  EXPECT_EQ(ana.get("/v1/conversations").body["items"].size(), 0u);
  // Finishing frees capacity, and the next message opens a new conversation.
  auto next = inbound("w2", "5531988887777");
  EXPECT_NE(next, conv);
  EXPECT_EQ(take(ana_, next).status, 200);
}

TEST_F(HttpFlow, TransferToATeamWaitsThereForItsAgents) {
  auto conv = inbound("w1", "5531988887777");
  ASSERT_EQ(take(ana_, conv).status,
            200);
  auto t = as(ana_).post("/v1/conversations/" + conv + "/transfer",
                         {{"team", "sales"}});
  ASSERT_EQ(t.status, 200) << t.body.dump();
  EXPECT_EQ(t.body["team"], "sales");
  EXPECT_TRUE(t.body["assignee"].is_null());
  EXPECT_EQ(as(carl_).get("/v1/conversations?view=unassigned")
              .body["items"][0]["id"],
            conv);
  EXPECT_EQ(as(ana_).get("/v1/conversations/" + conv).status, 404);
}

TEST_F(HttpFlow, DuplicateEnvelopeChangesNothing) {
  auto conv = inbound("w1", "5531988887777");
  auto again = as(admin_).post("/v1/events", envelope("w1", "5531988887777"));
  EXPECT_EQ(again.body["duplicates"], 1);
  EXPECT_EQ(as(admin_).get("/v1/conversations/" + conv).body["messages"].size(),
            1u);
}

TEST_F(HttpFlow, AnotherTenantSeesNothingOfIt) {
  auto conv = inbound("w1", "5531988887777");
  auto other = as(other_);
  EXPECT_EQ(other.get("/v1/conversations/" + conv).status, 404);
  EXPECT_EQ(other.get("/v1/conversations").body["counts"]["all"], 0);
  EXPECT_EQ(other.get("/v1/channels").body["items"].size(), 0u);
  EXPECT_EQ(take(other_, conv).status, 404);
  // An envelope naming another tenant is refused: the token decides.
  auto r = other.post("/v1/events", envelope("x1", "5531988887777"));
  EXPECT_EQ(r.status, 403);
}

TEST_F(HttpFlow, AMetaNumberBelongsToOneChannelOfOneTenant) {
  nlohmann::json ch{{"id", "wa"},
                    {"kind", "whatsapp"},
                    {"name", "WA"},
                    {"phone", "5511999990000"},
                    {"phone_number_id", "1065"},
                    {"default_team", "support"}};
  auto o = as(other_);
  ASSERT_EQ(o.post("/v1/teams", {{"id", "support"}, {"name", "S"}}).status,
            201);
  auto taken = o.post("/v1/channels", ch);
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(code(taken), "already_exists");
  ch["id"] = "wa2";
  auto same_tenant = as(admin_).post("/v1/channels", ch);
  EXPECT_EQ(same_tenant.status, 409);
  ch["phone_number_id"] = "2077";
  ch["id"] = "wa";
  EXPECT_EQ(o.post("/v1/channels", ch).status, 201);
  auto patched = o.call("PATCH", "/v1/channels/wa",
                        {{"phone_number_id", "1065"}});
  EXPECT_EQ(patched.status, 409);
}

TEST_F(HttpFlow, ListsAreKeysetPagedWithoutRepeats) {
  for (int i = 0; i < 7; ++i) {
    inbound("w" + std::to_string(i), "55119000000" + std::to_string(10 + i));
  }
  auto a = as(admin_);
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto p = a.get("/v1/conversations?limit=3" +
                   (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(p.status, 200);
    for (const auto& c : p.body["items"]) {
      EXPECT_TRUE(seen.insert(c["id"]).second);
    }
    cursor = p.body["next_cursor"].is_null() ? "" : p.body["next_cursor"];
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(pages, 3);
}

} // namespace
} // namespace atende::test

// Contacts against `atende serve`: a CSV import whose rows the engine
// decides one by one (unknown portfolios, both forms of a number), and the
// history that finishing conversations leaves on a contact.
#include <gtest/gtest.h>

#include "events/time.h"
#include "tests/e2e/server_process.h"

namespace atende::test {
namespace {

class ContactsFlow : public ::testing::Test {
protected:
  void SetUp() override {
    srv_ = std::make_unique<server_process>(dir_.path());
    ASSERT_TRUE(srv_->start());
    admin_ = new_tenant(srv_->port(), "acme");
    ASSERT_FALSE(admin_.empty());
    auto a = as(admin_);
    for (const char* team : {"support", "sales"}) {
      ASSERT_EQ(a.post("/v1/teams", {{"id", team}, {"name", team}}).status,
                201);
    }
    add_channel(a, "wa", "1065", "support");
    ASSERT_EQ(
        a.post("/v1/reasons", {{"id", "solved"}, {"name", "Solved"}}).status,
        201);
    ana_ = agent("ana", "support");
    carl_ = agent("carl", "sales");
    ASSERT_EQ(a.post("/v1/portfolios", {{"id", "gold"},
                                        {"name", "Gold"},
                                        {"responsible", "ana"},
                                        {"members", nlohmann::json::array()}})
                  .status,
              201);
  }

  std::string agent(const std::string& id, const std::string& team) {
    auto r = as(admin_).post(
        "/v1/agents",
        {{"id", id}, {"name", id}, {"role", "agent"}, {"teams", {team}}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body["token"];
  }

  api as(const std::string& token) { return api{srv_->port(), token}; }

  temp_dir dir_;
  std::unique_ptr<server_process> srv_;
  std::string admin_, ana_, carl_;
};

TEST_F(ContactsFlow, AnImportUpdatesByEitherFormCreatesTheRestAndNamesBadRows) {
  auto ana = as(ana_);
  ASSERT_EQ(
      ana.post("/v1/contacts",
               {{"id", "ct1"}, {"name", "Maria"}, {"phone", "5531988887777"}})
          .status,
      201);
  auto r = ana.post_text("/v1/contacts/import",
                         "name,phone,tags,portfolios\r\n"
                         "Maria Souza,553188887777,vip,gold\r\n"
                         "\"Silva, Ana\",5511977770000,b2b;vip,gold\r\n"
                         "Rita,5521966665555,,platinum\r\n"
                         "Jose,5511977770000,,\r\n",
                         "text/csv");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["imported"], 1) << r.body.dump();
  EXPECT_EQ(r.body["updated"], 1) << r.body.dump();
  ASSERT_EQ(r.body["errors"].size(), 2u) << r.body.dump();
  EXPECT_EQ(r.body["errors"][0]["line"], 4);
  EXPECT_EQ(r.body["errors"][0]["code"], "unknown_reference");
  EXPECT_EQ(r.body["errors"][1]["line"], 5);
  EXPECT_EQ(r.body["errors"][1]["code"], "already_exists");

  auto maria = ana.get("/v1/contacts/ct1").body;
  EXPECT_EQ(maria["name"], "Maria Souza");
  EXPECT_EQ(maria["phone"], "5531988887777");
  EXPECT_EQ(maria["tags"], nlohmann::json({"vip"}));
  EXPECT_EQ(maria["portfolios"], nlohmann::json({"gold"}));
  auto silva = ana.get("/v1/contacts?phone=5511977770000").body["items"];
  ASSERT_EQ(silva.size(), 1u);
  EXPECT_EQ(silva[0]["name"], "Silva, Ana");
  EXPECT_EQ(silva[0]["portfolios"], nlohmann::json({"gold"}));
  EXPECT_EQ(ana.get("/v1/contacts?phone=5521966665555").body["items"].size(),
            0u);
  EXPECT_EQ(ana.get("/v1/portfolios/gold/contacts").body["items"].size(), 2u);
}

TEST_F(ContactsFlow, AFinishedConversationIsInItsContactsHistory) {
  auto envelope = nlohmann::json{{"id", "w1"},
                                 {"type", "message.received"},
                                 {"at", format_time(now_ms() - 60 * 1000)},
                                 {"data",
                                  {{"channel", "1065"},
                                   {"from", "5531988887777"},
                                   {"name", "Maria"},
                                   {"message_id", "w1"},
                                   {"kind", "text"},
                                   {"text", "oi"}}}};
  auto in = as(admin_).post("/v1/events", envelope);
  ASSERT_EQ(in.status, 202) << in.body.dump();
  std::string conv = in.body["results"][0]["conversation"];
  auto ana = as(ana_);
  ASSERT_EQ(ana.post("/v1/conversations/" + conv + "/assign", {}).status, 200);
  auto fin = ana.post("/v1/conversations/" + conv + "/finish",
                      {{"reason", "solved"}, {"description", "order found"}});
  ASSERT_EQ(fin.status, 200) << fin.body.dump();
  std::string contact = fin.body["contact"]["id"];

  auto h = ana.get("/v1/contacts/" + contact + "/history");
  ASSERT_EQ(h.status, 200) << h.body.dump();
  ASSERT_EQ(h.body["items"].size(), 1u) << h.body.dump();
  const auto& item = h.body["items"][0];
  EXPECT_EQ(item["id"], conv);
  EXPECT_EQ(item["channel"], "wa");
  EXPECT_EQ(item["agent"], "ana");
  EXPECT_EQ(item["team"], "support");
  EXPECT_EQ(item["reason"], "solved");
  EXPECT_EQ(item["description"], "order found");
  EXPECT_EQ(item["finished_at"], fin.body["finished_at"]);
  EXPECT_EQ(item["opened_at"], fin.body["created_at"]);
  EXPECT_TRUE(h.body["next_cursor"].is_null());
  // carl (sales) may not see a support conversation he did not serve.
  auto carl = as(carl_).get("/v1/contacts/" + contact + "/history");
  ASSERT_EQ(carl.status, 200);
  EXPECT_EQ(carl.body["items"].size(), 0u);
  EXPECT_EQ(ana.get("/v1/contacts/nope/history").status, 404);
}

} // namespace
} // namespace atende::test

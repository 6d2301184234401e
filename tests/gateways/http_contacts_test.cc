// Contacts over HTTP (CONTRACT section 3, "Contacts"): the records, the CSV
// import and a contact's history.
#include <string>

#include "events/input.h"
#include "http_fixture.h"

namespace atende::testing {
namespace {

class contacts : public http_test {
protected:
  void SetUp() override {
    http_test::SetUp();
    admin_ = make_tenant("acme");
    ana_ = make_agent(admin_, "ana");
  }
  std::string admin_, ana_;
};

TEST_F(contacts, InvalidPhoneIs422) {
  auto r =
      client().post("/v1/contacts",
                    {{"name", "Maria"}, {"phone", "+55 11 98888-7777"}}, ana_);
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.code(), "invalid_phone");
  EXPECT_EQ(r.field(), "phone");
}

TEST_F(contacts, CreatedContactIsFoundById) {
  auto r = client().post("/v1/contacts",
                         {{"id", "ct1"},
                          {"name", "Maria"},
                          {"phone", "5511988887777"},
                          {"tags", {"vip"}}},
                         ana_);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.json()["tags"], nlohmann::json({"vip"}));
  auto got = client().get("/v1/contacts/ct1", ana_);
  EXPECT_EQ(got.status, 200u);
  EXPECT_EQ(got.json()["phone"], "5511988887777");
  EXPECT_EQ(client().get("/v1/contacts/nope", ana_).status, 404u);
}

TEST_F(contacts, SearchQueryIsPercentDecoded) {
  for (auto [id, name, phone] :
       {std::tuple{"ct1", "Ana Maria", "5511988887777"},
        std::tuple{"ct2", "Ana Paula", "5511988886666"}}) {
    ASSERT_EQ(client()
                  .post("/v1/contacts",
                        {{"id", id}, {"name", name}, {"phone", phone}}, ana_)
                  .status,
              201u);
  }
  auto r = client().get("/v1/contacts?q=Ana%20M", ana_).json();
  ASSERT_EQ(r["items"].size(), 1u) << r;
  EXPECT_EQ(r["items"][0]["id"], "ct1");
  r = client().get("/v1/contacts?q=Ana+P", ana_).json();
  ASSERT_EQ(r["items"].size(), 1u) << r;
  EXPECT_EQ(r["items"][0]["id"], "ct2");
}

TEST_F(contacts, ListingByTagKeepsOnlyTheContactsThatCarryIt) {
  for (auto [id, name, phone, tag] :
       {std::tuple{"ct1", "Ana Maria", "5511988887777", "vip"},
        std::tuple{"ct2", "Ana Paula", "5511988886666", "lead"},
        std::tuple{"ct3", "Bruno", "5511988885555", "vip"}}) {
    ASSERT_EQ(client()
                  .post("/v1/contacts",
                        {{"id", id},
                         {"name", name},
                         {"phone", phone},
                         {"tags", {tag}}},
                        ana_)
                  .status,
              201u);
  }
  auto r = client().get("/v1/contacts?tag=vip", ana_).json();
  ASSERT_EQ(r["items"].size(), 2u) << r;
  EXPECT_EQ(r["items"][0]["id"], "ct1");
  EXPECT_EQ(r["items"][1]["id"], "ct3");
  r = client().get("/v1/contacts?q=ana&tag=vip", ana_).json();
  ASSERT_EQ(r["items"].size(), 1u) << r;
  EXPECT_EQ(r["items"][0]["id"], "ct1");
}

TEST_F(contacts, PatchChangesTheContact) {
  ASSERT_EQ(
      client()
          .post("/v1/contacts",
                {{"id", "ct1"}, {"name", "Maria"}, {"phone", "5511988887777"}},
                ana_)
          .status,
      201u);
  auto r = client().patch("/v1/contacts/ct1", {{"stage", "lead"}}, ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["stage"], "lead");
}

// ---- POST /v1/contacts/import ---------------------------------------------

class ContactsImport : public http_test {
protected:
  void SetUp() override {
    http_test::SetUp();
    admin_ = make_tenant("acme");
    ana_ = make_agent(admin_, "ana");
    ASSERT_EQ(client()
                  .post("/v1/portfolios",
                        {{"id", "gold"},
                         {"name", "Gold"},
                         {"responsible", "ana"},
                         {"members", nlohmann::json::array()}},
                        admin_)
                  .status,
              201u);
  }

  reply import(const std::string& csv,
               const std::string& type = "text/csv; charset=utf-8") {
    return client().request("POST", "/v1/contacts/import", ana_, csv, type);
  }

  /// by_phone is the contact of `phone` (either form), or null.
  nlohmann::json by_phone(const std::string& phone) {
    auto items =
        client().get("/v1/contacts?phone=" + phone, ana_).json()["items"];
    return items.empty() ? nlohmann::json{} : items[0];
  }

  /// error_lines lists the lines of a reply's errors, with their codes.
  static std::vector<std::pair<int, std::string>>
  error_lines(const nlohmann::json& reply) {
    std::vector<std::pair<int, std::string>> out;
    for (const auto& e : reply["errors"]) {
      out.emplace_back(e["line"].get<int>(), e["code"].get<std::string>());
    }
    return out;
  }

  /// creates counts the contact.create inputs the engine got.
  std::size_t creates() {
    std::size_t n = 0;
    for (const auto& in : engine_.inputs()) {
      n += in.type() == "contact.create" ? 1 : 0;
    }
    return n;
  }

  std::string admin_, ana_;
};

using lines = std::vector<std::pair<int, std::string>>;

TEST_F(ContactsImport,
       AnImportWithBadLinesKeepsTheGoodOnesAndNamesTheBadLines) {
  auto r = import("name,phone,tags,portfolios\n"
                  "Maria,5511988887777,vip;lead,gold\n"
                  "Jose,+55 11 98888-6666,,\n"
                  "\"Silva, Ana\",5521977776666,vip,\n"
                  "Rita,5531966665555,,gold;nope\n"
                  "Caio,5541955554444,,gold\n");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["imported"], 3);
  EXPECT_EQ(j["updated"], 0);
  EXPECT_EQ(error_lines(j),
            (lines{{3, "invalid_phone"}, {5, "unknown_reference"}}));
  EXPECT_EQ(j["errors"][0]["field"], "phone");
  EXPECT_NE(j["errors"][1]["message"].get<std::string>().find("nope"),
            std::string::npos);
  // The four rows that passed the gateway went to the engine together.
  EXPECT_EQ(engine_.batches().back(), 4u);

  auto maria = by_phone("5511988887777");
  EXPECT_EQ(maria["name"], "Maria");
  EXPECT_EQ(maria["tags"], nlohmann::json({"vip", "lead"}));
  EXPECT_EQ(maria["portfolios"], nlohmann::json({"gold"}));
  EXPECT_TRUE(maria["id"].get<std::string>().starts_with("ct_"));
  auto ana = by_phone("5521977776666");
  EXPECT_EQ(ana["name"], "Silva, Ana");
  EXPECT_EQ(ana["portfolios"], nlohmann::json::array());
  EXPECT_EQ(by_phone("5541955554444")["portfolios"], nlohmann::json({"gold"}));
  EXPECT_TRUE(by_phone("5531966665555").is_null());
  auto gold = client().get("/v1/portfolios/gold/contacts", ana_).json();
  EXPECT_EQ(gold["items"].size(), 2u);
}

TEST_F(ContactsImport, AnExistingNumberIsUpdatedNotDuplicated) {
  ASSERT_EQ(client()
                .post("/v1/contacts",
                      {{"id", "ct1"},
                       {"name", "Maria"},
                       {"phone", "5531988887777"},
                       {"tags", {"old"}}},
                      ana_)
                .status,
            201u);
  // The file has Maria's number without its 9th digit.
  auto r = import("name,phone,tags,portfolios\n"
                  "Maria Souza,553188887777,vip,gold\n"
                  "Jose,5511977770000,,\n");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json(), (nlohmann::json{{"imported", 1},
                                      {"updated", 1},
                                      {"errors", nlohmann::json::array()}}));
  auto maria = client().get("/v1/contacts/ct1", ana_).json();
  EXPECT_EQ(maria["name"], "Maria Souza");
  EXPECT_EQ(maria["phone"], "5531988887777"); // kept as stored
  EXPECT_EQ(maria["tags"], nlohmann::json({"vip"}));
  EXPECT_EQ(maria["portfolios"], nlohmann::json({"gold"}));
  EXPECT_EQ(client().get("/v1/contacts", ana_).json()["items"].size(), 2u);
  EXPECT_EQ(creates(), 2u); // ct1 and Jose

  // Importing the same file again creates nothing; empty cells keep what
  // the contact has.
  r = import("name,phone,tags,portfolios\n"
             "Maria S.,5531988887777,,\n"
             "Jose,5511977770000,,\n");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["imported"], 0);
  EXPECT_EQ(r.json()["updated"], 2);
  maria = client().get("/v1/contacts/ct1", ana_).json();
  EXPECT_EQ(maria["name"], "Maria S.");
  EXPECT_EQ(maria["tags"], nlohmann::json({"vip"}));
  EXPECT_EQ(maria["portfolios"], nlohmann::json({"gold"}));
  EXPECT_EQ(creates(), 2u);
}

TEST_F(ContactsImport, TheSameNumberTwiceInAFileIsReportedOnTheSecondLine) {
  auto r = import("name,phone,tags,portfolios\n"
                  "Maria,5531988887777,,\n"
                  "Jose,5511977770000,,\n"
                  "Maria again,553188887777,,\n");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["imported"], 2);
  EXPECT_EQ(error_lines(j), (lines{{4, "already_exists"}}));
  EXPECT_EQ(j["errors"][0]["field"], "phone");
  EXPECT_NE(j["errors"][0]["message"].get<std::string>().find("line 2"),
            std::string::npos)
      << j;
  EXPECT_EQ(by_phone("5531988887777")["name"], "Maria");
}

TEST_F(ContactsImport, AWrongHeaderIsRefused) {
  for (const char* csv :
       {"nome,telefone,etiquetas,carteiras\nMaria,5511988887777,,\n",
        "phone,name,tags,portfolios\n5511988887777,Maria,,\n",
        "name,phone\nMaria,5511988887777\n", "Maria,5511988887777,,\n"}) {
    auto r = import(csv);
    EXPECT_EQ(r.status, 400u) << csv;
    EXPECT_EQ(r.code(), "malformed") << csv;
    EXPECT_EQ(r.field(), "body") << csv;
    EXPECT_NE(r.body.find("name,phone,tags,portfolios"), std::string::npos)
        << r.body;
  }
  EXPECT_EQ(creates(), 0u);
}

TEST_F(ContactsImport, AnEmptyBodyOrAnotherContentTypeIsRefused) {
  auto r = import("");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "body");
  r = import("\xEF\xBB\xBF\r\n");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "body");
  r = import("name,phone,tags,portfolios\nMaria,5511988887777,,\n",
             "application/json");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "Content-Type");
  EXPECT_EQ(creates(), 0u);
}

TEST_F(ContactsImport, QuotedFieldsMayHoldCommasQuotesAndLineBreaks) {
  // A spreadsheet's export: BOM, CRLF, a trailing empty column.
  auto r =
      import("\xEF\xBB\xBFname,phone,tags,portfolios,\r\n"
             "\"Silva, Ana \"\"Aninha\"\"\",5511988887777,\"vip; b2b\",,\r\n"
             "\"Rita\r\nde Cassia\",5521977776666,,gold\r\n"
             "Caio,5541955554444,,\"gold\"\r\n");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["imported"], 3) << r.body;
  auto ana = by_phone("5511988887777");
  EXPECT_EQ(ana["name"], "Silva, Ana \"Aninha\"");
  EXPECT_EQ(ana["tags"], nlohmann::json({"vip", "b2b"}));
  EXPECT_EQ(by_phone("5521977776666")["name"], "Rita\r\nde Cassia");
  EXPECT_EQ(by_phone("5541955554444")["portfolios"], nlohmann::json({"gold"}));
}

TEST_F(ContactsImport, ABadRowIsNamedByTheLineItStartsOn) {
  auto r = import("name,phone,tags,portfolios\n"
                  "\"Rita\nde Cassia\",5521977776666,,\n" // lines 2-3
                  "Maria,5511988887777\n"                 // two columns
                  "\"Jo\"se,5511977770000,,\n"            // text after a quote
                  ",5541955554444,,\n"                    // empty name
                  "\n"
                  "Caio,5541955553333,,,extra\n");
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["imported"], 1);
  EXPECT_EQ(error_lines(j), (lines{{4, "malformed"},
                                   {5, "malformed"},
                                   {6, "invalid_value"},
                                   {8, "malformed"}}))
      << j;
  EXPECT_EQ(j["errors"][2]["field"], "name");
}

TEST_F(ContactsImport, MoreRowsThanTheCapAreRefusedWhole) {
  std::string csv = "name,phone,tags,portfolios\n";
  for (int i = 0; i < 10'001; ++i) {
    csv += "C," + std::to_string(5511900000000LL + i) + ",,\n";
  }
  auto r = import(csv);
  EXPECT_EQ(r.status, 413u);
  EXPECT_EQ(r.code(), "too_large");
  EXPECT_EQ(creates(), 0u);
}

// ---- GET /v1/contacts/{id}/history ------------------------------------------

/// 2026-11-21T13:00:00.000Z plus `seconds`.
timestamp at_s(int seconds) {
  return 1795266000000 + seconds * 1000LL;
}

// Maria (ct1) wrote to t1 (ana's team) and t2 (bia's):
//   c1 t1  served by ana, finished at 100 (done, "order found")
//   c2 t2  served by bia, finished at 300, no reason
//   c3 t1  never taken,   finished at 200
//   c4 t1  served by ana, still open
class ContactHistoryOverHttp : public http_test {
protected:
  void SetUp() override {
    http_test::SetUp();
    admin_ = make_tenant("acme");
    make_team_and_channel(admin_);
    ASSERT_EQ(client()
                  .post("/v1/teams", {{"id", "t2"}, {"name", "T2"}}, admin_)
                  .status,
              201u);
    ASSERT_EQ(
        client()
            .post("/v1/reasons", {{"id", "done"}, {"name", "Done"}}, admin_)
            .status,
        201u);
    ana_ = make_agent(admin_, "ana", "agent", {"t1"});
    bia_ = make_agent(admin_, "bia", "agent", {"t2"});
    ASSERT_EQ(
        client()
            .post(
                "/v1/contacts",
                {{"id", "ct1"}, {"name", "Maria"}, {"phone", "5511988887777"}},
                ana_)
            .status,
        201u);
    conversation("c1", "t1", "ana", 1, 100, "done", "order found");
    conversation("c2", "t2", "bia", 110, 300, "", "");
    conversation("c3", "t1", "", 150, 200, "", "");
    conversation("c4", "t1", "ana", 310, 0, "", "");
  }

  /// conversation seeds conversation `id` of ct1 in `team`, opened at
  /// `opened`, served by `agent` (unless empty) and finished at `finished`
  /// (unless 0).
  void conversation(const std::string& id, const std::string& team,
                    const std::string& agent, int opened, int finished,
                    const std::string& reason, const std::string& description) {
    engine_.seed("acme", conversation_opened{id, "ct1", "ch1", team, "inbound"},
                 "connector", at_s(opened));
    if (!agent.empty()) {
      engine_.seed("acme", conversation_assigned{id, agent, {}, "take", {}},
                   "agent:" + agent, at_s(opened + 1));
    }
    if (finished != 0) {
      engine_.seed("acme", conversation_finished{id, reason, description},
                   "agent:" + agent, at_s(finished));
    }
  }

  /// history_ids lists the ids of one page of ct1's history.
  std::vector<std::string> history_ids(const std::string& token,
                                       const std::string& query = {}) {
    auto r = client().get("/v1/contacts/ct1/history" + query, token);
    EXPECT_EQ(r.status, 200u) << r.body;
    auto page = r.json();
    std::vector<std::string> out;
    for (const auto& item : page["items"]) {
      out.push_back(item["id"].get<std::string>());
    }
    return out;
  }

  std::string admin_, ana_, bia_;
};

using ids = std::vector<std::string>;

TEST_F(ContactHistoryOverHttp,
       FinishedConversationsNewestFirstWithReasonAndDescription) {
  auto r = client().get("/v1/contacts/ct1/history", admin_);
  ASSERT_EQ(r.status, 200u) << r.body;
  auto j = r.json();
  EXPECT_EQ(history_ids(admin_), (ids{"c2", "c3", "c1"}));
  EXPECT_TRUE(j["next_cursor"].is_null());
  EXPECT_EQ(j["items"][2], (nlohmann::json{
                               {"id", "c1"},
                               {"channel", "ch1"},
                               {"agent", "ana"},
                               {"team", "t1"},
                               {"reason", "done"},
                               {"description", "order found"},
                               {"opened_at", "2026-11-21T13:00:01.000Z"},
                               {"finished_at", "2026-11-21T13:01:40.000Z"},
                           }));
  EXPECT_TRUE(j["items"][1]["agent"].is_null());
  EXPECT_TRUE(j["items"][0]["reason"].is_null());
  EXPECT_TRUE(j["items"][0]["description"].is_null());
}

TEST_F(ContactHistoryOverHttp, PagesWithLimitAndCursor) {
  auto first = client().get("/v1/contacts/ct1/history?limit=2", admin_).json();
  ASSERT_EQ(first["items"].size(), 2u);
  ASSERT_TRUE(first["next_cursor"].is_string()) << first;
  auto cursor = first["next_cursor"].get<std::string>();
  EXPECT_EQ(history_ids(admin_, "?limit=2&cursor=" + url_encode(cursor)),
            (ids{"c1"}));
  auto last =
      client()
          .get("/v1/contacts/ct1/history?limit=2&cursor=" + url_encode(cursor),
               admin_)
          .json();
  EXPECT_TRUE(last["next_cursor"].is_null());
  EXPECT_EQ(client().get("/v1/contacts/ct1/history?limit=501", admin_).status,
            400u);
  auto bad = client().get("/v1/contacts/ct1/history?cursor=zzz", admin_);
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.field(), "cursor");
}

TEST_F(ContactHistoryOverHttp, AnUnknownContactIs404) {
  auto r = client().get("/v1/contacts/nope/history", admin_);
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.code(), "not_found");
  // Another tenant's contact is unknown too.
  auto other = make_tenant("globex");
  EXPECT_EQ(client().get("/v1/contacts/ct1/history", other).status, 404u);
}

TEST_F(ContactHistoryOverHttp, AnAgentNotInTheTeamDoesNotSeeAnotherTeamsItems) {
  EXPECT_EQ(history_ids(ana_), (ids{"c3", "c1"}));
  EXPECT_EQ(history_ids(bia_), (ids{"c2"}));
}

} // namespace
} // namespace atende::testing

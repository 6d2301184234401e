// POST /v1/events: connector envelopes (CONTRACT sections 3 and 4).
#include "http_fixture.h"

namespace atende::testing {
namespace {

class events : public http_test {
protected:
  void SetUp() override {
    http_test::SetUp();
    admin_ = make_tenant("acme");
    connector_ = make_agent(admin_, "connector");
  }

  static nlohmann::json envelope(const std::string& id,
                                 const std::string& tenant = "acme") {
    return {{"id", id},
            {"type", "message.received"},
            {"tenant", tenant},
            {"at", "2026-11-21T13:05:00.000Z"},
            {"data",
             {{"channel", "ch1"},
              {"from", "5511988887777"},
              {"message_id", id},
              {"kind", "text"},
              {"text", "oi"}}}};
  }

  std::string admin_, connector_;
};

TEST_F(events, SingleEnvelopeIsAccepted) {
  auto r = client().post("/v1/events", envelope("wamid.1"), connector_);
  ASSERT_EQ(r.status, 202u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["accepted"], 1);
  EXPECT_EQ(j["duplicates"], 0);
  ASSERT_EQ(j["results"].size(), 1u);
  EXPECT_EQ(j["results"][0]["id"], "wamid.1");
  EXPECT_EQ(j["results"][0]["status"], "accepted");
  EXPECT_EQ(engine_.inputs().back().actor, "connector");
}

TEST_F(events, RedeliveredEnvelopeIsADuplicate) {
  client().post("/v1/events", envelope("wamid.1"), connector_);
  auto j = client().post("/v1/events", envelope("wamid.1"), connector_).json();
  EXPECT_EQ(j["accepted"], 0);
  EXPECT_EQ(j["duplicates"], 1);
  EXPECT_EQ(j["results"][0]["status"], "duplicate");
}

TEST_F(events, EventsArrayKeepsValidAndRejectsBad) {
  auto bad = envelope("wamid.2");
  bad["data"].erase("channel");
  auto phone = envelope("wamid.3");
  phone["data"]["from"] = "not-a-phone";
  nlohmann::json body = {envelope("wamid.1"), bad, phone, 42,
                         envelope("wamid.4")};
  auto r = client().post("/v1/events", body, connector_);
  ASSERT_EQ(r.status, 202u) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["accepted"], 2);
  auto& res = j["results"];
  ASSERT_EQ(res.size(), 5u);
  EXPECT_EQ(res[0]["status"], "accepted");
  EXPECT_EQ(res[1]["status"], "rejected");
  EXPECT_EQ(res[1]["id"], "wamid.2");
  EXPECT_EQ(res[1]["error"]["code"], "malformed");
  EXPECT_EQ(res[1]["error"]["field"], "data.channel");
  EXPECT_EQ(res[2]["error"]["code"], "invalid_phone");
  EXPECT_TRUE(res[3]["id"].is_null());
  EXPECT_EQ(res[3]["status"], "rejected");
  EXPECT_EQ(res[4]["status"], "accepted");
  EXPECT_EQ(res[4]["id"], "wamid.4");
  EXPECT_EQ(engine_.inputs().size(), 4u); // tenant, agent, two envelopes
}

TEST_F(events, SingleMalformedEnvelopeIs400NamingTheField) {
  auto bad = envelope("wamid.1");
  bad["data"].erase("message_id");
  auto r = client().post("/v1/events", bad, connector_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "data.message_id");
}

TEST_F(events, AnUnknownTypeIs400NamingTypeAndRejectedInAnArray) {
  auto odd = envelope("wamid.9");
  odd["type"] = "message.teleported";
  auto r = client().post("/v1/events", odd, connector_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.code(), "malformed");
  EXPECT_EQ(r.field(), "type");
  auto many = client().post(
      "/v1/events", nlohmann::json{envelope("wamid.1"), odd}, connector_);
  EXPECT_EQ(many.status, 202u);
  auto results = many.json()["results"];
  EXPECT_EQ(results[0]["status"], "accepted");
  EXPECT_EQ(results[1]["status"], "rejected");
  EXPECT_EQ(results[1]["error"]["code"], "malformed");
  EXPECT_EQ(results[1]["error"]["field"], "type");
}

TEST_F(events, CommandsAreNotEnvelopes) {
  auto cmd = envelope("x1");
  cmd["type"] = "channel.create";
  auto r = client().post("/v1/events", cmd, connector_);
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.field(), "type");
}

TEST_F(events, RequestsNeverNameATenant) {
  auto r =
      client().post("/v1/events", envelope("wamid.1", "other"), connector_);
  EXPECT_EQ(r.status, 403u);
  EXPECT_EQ(r.code(), "forbidden");
  nlohmann::json body = {envelope("wamid.2", "other"), envelope("wamid.3")};
  auto j = client().post("/v1/events", body, connector_).json();
  EXPECT_EQ(j["results"][0]["status"], "rejected");
  EXPECT_EQ(j["results"][0]["error"]["code"], "forbidden");
  EXPECT_EQ(j["results"][1]["status"], "accepted");
  for (const auto& in : engine_.inputs()) {
    EXPECT_NE(in.tenant, "other");
  }
}

TEST_F(events, AnEnvelopeWithoutTenantIsTheCallers) {
  auto e = envelope("wamid.1");
  e.erase("tenant");
  auto r = client().post("/v1/events", e, connector_);
  ASSERT_EQ(r.status, 202u) << r.body;
  EXPECT_EQ(engine_.inputs().back().tenant, "acme");
}

TEST_F(events, AnEnvelopeMayNotSpeakForRootOrAnotherAgent) {
  auto e = envelope("wamid.1");
  e["actor"] = "root";
  EXPECT_EQ(client().post("/v1/events", e, connector_).status, 403u);
  e["actor"] = "agent:admin";
  EXPECT_EQ(client().post("/v1/events", e, connector_).status, 403u);
  e["actor"] = "agent:connector";
  EXPECT_EQ(client().post("/v1/events", e, connector_).status, 202u);
}

TEST_F(events, TooManyEnvelopesIs413) {
  http_options o;
  o.max_envelopes = 2;
  start(o);
  nlohmann::json body = {envelope("a"), envelope("b"), envelope("c")};
  auto r = client().post("/v1/events", body, connector_);
  EXPECT_EQ(r.status, 413u);
  EXPECT_EQ(r.code(), "too_large");
}

TEST_F(events, EngineRejectionIsReportedInPlace) {
  engine_.reject_next("message.received",
                      make_error(errc::unknown_reference, "no channel ch1"));
  auto j = client().post("/v1/events", envelope("wamid.1"), connector_).json();
  EXPECT_EQ(j["results"][0]["status"], "rejected");
  EXPECT_EQ(j["results"][0]["error"]["code"], "unknown_reference");
}

} // namespace
} // namespace atende::testing

// The fake Graph API (tests/support/fake_graph.h) over real HTTP: Meta's
// error bodies equal the fixtures, sends get fresh wamids, tokens are
// checked, media round-trips, and scripted, ruled and hung answers behave as
// the tests that lean on them expect.
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <sstream>

#include "gateways/crypto.h"
#include "gateways/http_client.h"
#include "tests/support/fake_graph.h"

namespace atende::test {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using json = nlohmann::json;

constexpr const char* token = "EAAG-fake-graph-test";
constexpr const char* messages = "/v21.0/220000000000001/messages";

json fixture(const std::string& name) {
  std::ifstream in{std::string{ATENDE_SOURCE_DIR} +
                   "/tests/fixtures/whatsapp/" + name};
  std::stringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty()) << name;
  return json::parse(s.str(), nullptr, false);
}

json text_to(const std::string& to) {
  return {{"messaging_product", "whatsapp"},
          {"recipient_type", "individual"},
          {"to", to},
          {"type", "text"},
          {"text", {{"preview_url", false}, {"body", "Oi"}}}};
}

class FakeGraph : public ::testing::Test {
protected:
  void SetUp() override { graph_.accept_token(token); }

  http_response call(const std::string& method, const std::string& target,
                     const std::string& body = {},
                     const std::string& bearer = token,
                     const std::string& content_type = "application/json") {
    auto r = client_.request(method, target, body, bearer, content_type);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? *r : http_response{};
  }
  http_response send(const json& body) {
    return call("POST", messages, body.dump());
  }

  fake_graph graph_;
  http_client client_{"127.0.0.1", graph_.port()};
};

TEST_F(FakeGraph, UrlIsTheVersionedBase) {
  EXPECT_EQ(graph_.url(),
            "http://127.0.0.1:" + std::to_string(graph_.port()) + "/v21.0");
}

TEST_F(FakeGraph, MetaErrorsAreTheFixturesWithMetasStatuses) {
  const std::pair<int, unsigned> codes[] = {
      {100, 400},    {190, 401},    {130429, 429}, {131000, 500}, {131016, 503},
      {131026, 400}, {131047, 400}, {131048, 429}, {131051, 400}, {131056, 429},
      {132000, 400}, {132001, 404}, {132012, 400}, {133010, 400}};
  for (auto [code, status] : codes) {
    auto r = meta_error(code);
    auto name = "graph_error_" + std::to_string(code) + ".json";
    EXPECT_EQ(r.status, status) << code;
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(json::parse(r.body), fixture(name)) << name;
  }
  auto unknown = meta_unknown_object("1500000000000009");
  EXPECT_EQ(unknown.status, 400u);
  EXPECT_EQ(json::parse(unknown.body),
            fixture("graph_error_unknown_media.json"));
}

TEST_F(FakeGraph, SendGetsAFreshWamidAndTheContact) {
  auto a = send(text_to("5511987654321"));
  auto b = send(text_to("5511987654321"));
  ASSERT_EQ(a.status, 200);
  ASSERT_EQ(b.status, 200);
  auto ja = json::parse(a.body);
  auto jb = json::parse(b.body);
  EXPECT_EQ(ja["messaging_product"], "whatsapp");
  EXPECT_EQ(ja["contacts"][0]["input"], "5511987654321");
  EXPECT_EQ(ja["contacts"][0]["wa_id"], "5511987654321");
  EXPECT_EQ(ja["messages"][0]["message_status"], "accepted");
  auto id = ja["messages"][0]["id"].get<std::string>();
  EXPECT_TRUE(id.starts_with("wamid.HBgN")) << id;
  EXPECT_NE(id, jb["messages"][0]["id"]);
  ASSERT_EQ(graph_.count_sends(), 2u);
  auto sent = graph_.sends();
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].target, messages);
  EXPECT_EQ(sent[0].authorization, std::string{"Bearer "} + token);
  EXPECT_EQ(sent[0].json["to"], "5511987654321");
}

TEST_F(FakeGraph, FixtureRequestsAreAnsweredLikeTheFixtureResponse) {
  auto shape = fixture("send_response.json");
  for (auto name : {"send_text_request.json", "send_template_request.json",
                    "send_reaction_request.json", "send_image_request.json"}) {
    auto r = send(fixture(name));
    ASSERT_EQ(r.status, 200) << name << r.body;
    auto j = json::parse(r.body);
    EXPECT_EQ(j["contacts"][0]["input"], fixture(name)["to"]) << name;
    for (const auto& [key, value] : shape.items()) {
      EXPECT_TRUE(j.contains(key)) << name << " lacks " << key;
    }
    for (const auto& [key, value] : shape["messages"][0].items()) {
      EXPECT_TRUE(j["messages"][0].contains(key)) << name << " lacks " << key;
    }
  }
}

TEST_F(FakeGraph, UnknownOrMissingTokenIs401Code190) {
  auto bad = call("POST", messages, text_to("5511987654321").dump(), "nope");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(json::parse(bad.body), fixture("graph_error_190.json"));
  auto none = call("POST", messages, text_to("5511987654321").dump(), "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(json::parse(none.body)["error"]["code"], 190);
  EXPECT_EQ(graph_.count_sends(), 2u); // attempts count, whatever answered
}

TEST_F(FakeGraph, AnyTokenIsAcceptedWhenNoneIsRegistered) {
  fake_graph open;
  http_client c{"127.0.0.1", open.port()};
  auto r =
      c.request("POST", messages, text_to("5511987654321").dump(), "whatever");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  auto none = c.request("POST", messages, text_to("5511987654321").dump());
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
}

TEST_F(FakeGraph, BodyThatIsNotJsonIs400Code100) {
  auto r = call("POST", messages, "to=5511987654321");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body), fixture("graph_error_100.json"));
  auto no_to = send({{"messaging_product", "whatsapp"}, {"type", "text"}});
  EXPECT_EQ(no_to.status, 400);
  EXPECT_EQ(json::parse(no_to.body)["error"]["message"],
            "(#100) The parameter to is required.");
}

TEST_F(FakeGraph, MarkAsReadSucceedsAndIsNotASend) {
  auto r = send({{"messaging_product", "whatsapp"},
                 {"status", "read"},
                 {"message_id", "wamid.HBgNNTUxMTk4NzY1NDMyMQFQIAEhgUM0VCMDAw"
                                "MDAwMDAwMDAwMDAwNjU="}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body), json({{"success", true}}));
  EXPECT_EQ(graph_.count_sends(), 0u);
  EXPECT_EQ(graph_.count_requests(), 1u);
  EXPECT_EQ(graph_.requests().size(), 1u);
}

TEST_F(FakeGraph, MediaRoundTripsWithItsSha256) {
  auto bytes = "\xff\xd8\xff\xe0 not quite a JPEG\r\n--\0end\0"s;
  auto id = graph_.add_media(bytes, "image/jpeg");
  auto meta = call("GET", "/v21.0/" + id);
  ASSERT_EQ(meta.status, 200) << meta.body;
  auto j = json::parse(meta.body);
  EXPECT_EQ(j["messaging_product"], "whatsapp");
  EXPECT_EQ(j["id"], id);
  EXPECT_EQ(j["mime_type"], "image/jpeg");
  EXPECT_EQ(j["sha256"], sha256_hex(bytes));
  EXPECT_EQ(j["file_size"], std::to_string(bytes.size()));
  auto url = j["url"].get<std::string>();
  auto origin = "http://127.0.0.1:" + std::to_string(graph_.port());
  ASSERT_TRUE(url.starts_with(origin)) << url;
  auto path = url.substr(origin.size());
  auto got = call("GET", path);
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.content_type, "image/jpeg");
  EXPECT_EQ(got.body, bytes);
  EXPECT_EQ(call("GET", path, "", "").status, 401);
}

TEST_F(FakeGraph, UnknownMediaIsGraphsUnknownObject) {
  auto r = call("GET", "/v21.0/1500000000000009");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body), fixture("graph_error_unknown_media.json"));
  EXPECT_EQ(call("GET", "/media/1500000000000009").status, 404);
}

TEST_F(FakeGraph, UploadKeepsTheFileAndItsType) {
  auto file = "%PDF-1.4\r\n--XyZ-lookalike\r\n\0\x01\x02\0"s;
  std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"messaging_product\"\r\n\r\n"
      "whatsapp\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"type\"\r\n\r\n"
      "application/pdf\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"file\"; "
      "filename=\"nota.pdf\"\r\n"
      "Content-Type: application/pdf\r\n\r\n" +
      file + "\r\n--XyZ--\r\n";
  auto r = call("POST", "/v21.0/220000000000001/media", body, token,
                "multipart/form-data; boundary=XyZ");
  ASSERT_EQ(r.status, 200) << r.body;
  auto id = json::parse(r.body)["id"].get<std::string>();
  auto kept = graph_.uploaded(id);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->first, file);
  EXPECT_EQ(kept->second, "application/pdf");
  EXPECT_FALSE(graph_.uploaded("1500000000000009"));

  auto no_file =
      call("POST", "/v21.0/220000000000001/media",
           "--XyZ\r\nContent-Disposition: form-data; "
           "name=\"messaging_product\"\r\n\r\nwhatsapp\r\n--XyZ--\r\n",
           token, "multipart/form-data; boundary=XyZ");
  EXPECT_EQ(no_file.status, 400);
  EXPECT_EQ(json::parse(no_file.body)["error"]["code"], 100);
}

TEST_F(FakeGraph, ScriptedAnswersComeFirstThenTheDefault) {
  graph_.answer_next(meta_error(131047));
  graph_.answer_next(meta_error(130429), 2);
  auto first = send(text_to("5511987654321"));
  EXPECT_EQ(first.status, 400);
  EXPECT_EQ(json::parse(first.body), fixture("graph_error_131047.json"));
  // A mark-as-read in between takes nothing from the script.
  EXPECT_EQ(send({{"messaging_product", "whatsapp"},
                  {"status", "read"},
                  {"message_id", "wamid.X"}})
                .status,
            200);
  EXPECT_EQ(send(text_to("5511987654321")).status, 429);
  EXPECT_EQ(send(text_to("5511987654321")).status, 429);
  EXPECT_EQ(send(text_to("5511987654321")).status, 200);
}

TEST_F(FakeGraph, RuleComesBeforeTheScript) {
  graph_.answer_next(meta_error(131000));
  graph_.set_rule([](const graph_request& r) -> std::optional<graph_reply> {
    if (r.json.value("to", "") == "5511912345678") {
      return meta_error(131026);
    }
    return std::nullopt;
  });
  EXPECT_EQ(send(text_to("5511912345678")).status, 400);
  EXPECT_EQ(send(text_to("5511987654321")).status, 500);
  EXPECT_EQ(send(text_to("5511987654321")).status, 200);
  graph_.set_rule(nullptr);
  EXPECT_EQ(send(text_to("5511912345678")).status, 200);
}

TEST_F(FakeGraph, HungSendIsAnsweredOnRelease) {
  graph_reply hang;
  hang.hang = true;
  graph_.answer_next(hang);
  auto pending = std::async(std::launch::async, [this] {
    http_client c{"127.0.0.1", graph_.port()};
    return c.request("POST", messages, text_to("5511987654321").dump(), token);
  });
  ASSERT_TRUE(graph_.wait_sends(1, 5s));
  EXPECT_EQ(pending.wait_for(50ms), std::future_status::timeout);
  // Other connections are served meanwhile.
  EXPECT_EQ(send(text_to("5511998765432")).status, 200);
  graph_.release_hung();
  auto r = pending.get();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(json::parse(r->body)["messages"][0]["id"].is_string());
}

TEST_F(FakeGraph, HungReplyWithABodyIsThatBodyOnRelease) {
  auto busy = meta_error(131016);
  busy.hang = true;
  graph_.answer_next(busy);
  auto pending = std::async(std::launch::async, [this] {
    http_client c{"127.0.0.1", graph_.port()};
    return c.request("POST", messages, text_to("5511987654321").dump(), token);
  });
  ASSERT_TRUE(graph_.wait_sends(1, 5s));
  graph_.release_hung();
  auto r = pending.get();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(json::parse(r->body), fixture("graph_error_131016.json"));
}

TEST_F(FakeGraph, StoppingDropsHungRequests) {
  auto doomed = std::make_unique<fake_graph>();
  graph_reply hang;
  hang.hang = true;
  doomed->answer_next(hang);
  auto port = doomed->port();
  auto pending = std::async(std::launch::async, [port] {
    http_client c{"127.0.0.1", port};
    return c.request("POST", messages, text_to("5511987654321").dump(), "t");
  });
  ASSERT_TRUE(doomed->wait_sends(1, 5s));
  doomed.reset();
  EXPECT_FALSE(pending.get());
}

TEST_F(FakeGraph, WaitSendsTellsWhetherTheyArrived) {
  EXPECT_FALSE(graph_.wait_sends(1, 10ms));
  auto waiting = std::async(std::launch::async,
                            [this] { return graph_.wait_sends(3, 5s); });
  for (int i = 0; i < 3; ++i) {
    send(text_to("5511987654321"));
  }
  EXPECT_TRUE(waiting.get());
  EXPECT_TRUE(graph_.wait_sends(3, 0ms));
}

TEST_F(FakeGraph, NotRecordingKeepsOnlyCounts) {
  graph_.record(false);
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(send(text_to("5511987654321")).status, 200);
  }
  EXPECT_EQ(graph_.count_sends(), 100u);
  EXPECT_EQ(graph_.count_requests(), 100u);
  EXPECT_TRUE(graph_.requests().empty());
  EXPECT_TRUE(graph_.sends().empty());
  graph_.record(true);
  send(text_to("5511987654321"));
  EXPECT_EQ(graph_.sends().size(), 1u);
}

} // namespace
} // namespace atende::test

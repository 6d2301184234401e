// Media over real HTTP both ways: `atende serve` against the suite's fake
// Graph API (tests/support/fake_graph.h). A customer's voice note is fetched
// from Meta (id → URL → bytes), checked and served to whoever may see the
// conversation; an agent's upload is checked against WhatsApp's limits,
// uploaded to Meta and sent by Meta's id; a fetch that fails shows on the
// message and is retried; replies and reactions reach Meta with the wamids.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "events/time.h"
#include "gateways/crypto.h"
#include "tests/e2e/server_process.h"
#include "tests/support/fake_graph.h"

namespace atende::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* token = "EAAG-channel-token-1";
constexpr const char* number = "220000000000001"; // the fixtures'
constexpr const char* app_secret = "e2e-app-secret";

template <class Pred>
bool eventually(Pred pred) {
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) {
      return true;
    }
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

json fixture(const std::string& name) {
  std::ifstream in{std::string{ATENDE_SOURCE_DIR} +
                   "/tests/fixtures/whatsapp/" + name};
  std::stringstream s;
  s << in.rdbuf();
  return json::parse(s.str());
}

/// voice_note is a small Ogg Opus stream's first page: "OggS", the page
/// header, and the "OpusHead" identification header (RFC 7845), then some
/// bytes standing for the audio.
std::string voice_note(char fill = 'a') {
  std::string page = std::string{"OggS"} + '\0' + '\x02';
  page += std::string(8, '\0');  // granule position
  page += "\x01\x02\x03\x04";    // serial number
  page += std::string(4, '\0');  // page sequence
  page += std::string(4, '\0');  // checksum
  page += '\x01';                // one segment
  page += '\x13';                // of 19 bytes
  page += "OpusHead";
  page += '\x01';                // version
  page += '\x01';                // mono
  page += std::string{"\x38\x01", 2};         // pre-skip
  page += std::string{"\x80\xbb\x00\x00", 4}; // 48 kHz
  page += std::string{"\x00\x00\x00", 3};     // gain, mapping family
  return page + std::string(2000, fill);
}

class WhatsappMediaFlow : public ::testing::Test {
protected:
  void SetUp() override {
    graph_.accept_token(token);
    setenv("ATENDE_WHATSAPP_GRAPH_URL", graph_.url().c_str(), 1);
    setenv("ATENDE_WHATSAPP_RETRY_BASE_MS", "20", 1);
    setenv("ATENDE_WHATSAPP_SEND_TIMEOUT_MS", "2000", 1);
    setenv("ATENDE_WHATSAPP_APP_SECRET", app_secret, 1);
    setenv("ATENDE_SECRET_KEY", std::string(64, '7').c_str(), 1);
    boot();
    admin_ = new_tenant(srv_->port(), "acme");
    ASSERT_FALSE(admin_.empty());
    auto a = as(admin_);
    for (const char* team : {"support", "sales"}) {
      ASSERT_EQ(a.post("/v1/teams", {{"id", team}, {"name", team}}).status,
                201);
    }
    add_channel(a, "wa", number, "support");
    auto p = a.call("PATCH", "/v1/channels/wa", {{"access_token", token}});
    ASSERT_EQ(p.status, 200) << p.body.dump();
    ana_ = add_agent(a, "ana", "Ana", "support");
    bia_ = add_agent(a, "bia", "Bia", "sales");
    ASSERT_FALSE(ana_.empty());
    ASSERT_FALSE(bia_.empty());
  }
  void TearDown() override {
    for (const char* v :
         {"ATENDE_WHATSAPP_GRAPH_URL", "ATENDE_WHATSAPP_RETRY_BASE_MS",
          "ATENDE_WHATSAPP_SEND_TIMEOUT_MS", "ATENDE_WHATSAPP_APP_SECRET",
          "ATENDE_SECRET_KEY"}) {
      unsetenv(v);
    }
  }

  void boot() {
    srv_ = std::make_unique<server_process>(dir_.path());
    ASSERT_TRUE(srv_->start());
  }

  api as(const std::string& t) { return api{srv_->port(), t}; }

  /// voice_webhook is Meta's webhook of the fixture's voice note, naming
  /// media `media_id` whose bytes are `bytes`.
  static std::string voice_webhook(const std::string& media_id,
                                   const std::string& bytes) {
    auto body = fixture("audio_voice.json");
    auto& audio = body["entry"][0]["changes"][0]["value"]["messages"][0]["audio"];
    audio["id"] = media_id;
    audio["sha256"] = hex_to_base64(sha256_hex(bytes));
    body["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] =
      std::to_string(now_ms() / 1000 - 60);
    return body.dump();
  }

  /// deliver posts a webhook and gives the conversation it opened,
  /// assigned to Ana, and the customer's message id.
  std::pair<std::string, std::string> deliver(const std::string& body) {
    auto r = deliver_whatsapp(srv_->port(), body, app_secret);
    EXPECT_EQ(r.status, 200) << r.body;
    auto list = as(admin_).get("/v1/conversations?limit=1").body;
    std::string conv = list["items"][0].value("id", "");
    EXPECT_EQ(as(ana_).post("/v1/conversations/" + conv + "/assign", {}).status,
              200);
    auto v = as(ana_).get("/v1/conversations/" + conv).body;
    return {conv, v["messages"][0].value("id", "")};
  }

  json message(const std::string& conv, const std::string& id) {
    auto v = as(ana_).get("/v1/conversations/" + conv);
    for (const auto& m : v.body["messages"]) {
      if (m["id"] == id) {
        return m;
      }
    }
    return nullptr;
  }

  api::reply upload(const std::string& who, const std::string& bytes,
                    const std::string& type, const std::string& query = "") {
    return as(who).post_text("/v1/media" + query, bytes, type);
  }

  fake_graph graph_;
  temp_dir dir_;
  std::unique_ptr<server_process> srv_;
  std::string admin_, ana_, bia_;
};

TEST_F(WhatsappMediaFlow, AVoiceNoteRoundTrips) {
  // In: Meta holds the customer's voice note; atende fetches and serves it.
  const auto in_bytes = voice_note('i');
  auto media_id = graph_.add_media(in_bytes, "audio/ogg");
  auto [conv, msg] = deliver(voice_webhook(media_id, in_bytes));
  ASSERT_TRUE(eventually([&, conv = conv, msg = msg] {
    return message(conv, msg)["media"].contains("id");
  }));
  auto m = message(conv, msg);
  EXPECT_EQ(m["kind"], "audio");
  EXPECT_EQ(m["media"]["id"], sha256_hex(in_bytes));
  EXPECT_EQ(m["media"]["provider_id"], media_id);
  EXPECT_EQ(m["media"]["size"], in_bytes.size());
  EXPECT_EQ(m["media"]["voice"], true);
  EXPECT_FALSE(m["media"].contains("error"));
  auto got = as(ana_).raw("GET", "/v1/media/" + sha256_hex(in_bytes), "", {});
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.content_type, "audio/ogg");
  EXPECT_EQ(got.body, in_bytes);
  // Both requests carried the channel's token.
  for (const auto& r : graph_.requests()) {
    EXPECT_EQ(r.authorization, std::string{"Bearer "} + token) << r.target;
  }

  // Out: Ana records a voice note; it is uploaded to Meta and sent by id.
  const auto out_bytes = voice_note('o');
  auto up = upload(ana_, out_bytes, "audio/ogg; codecs=opus");
  ASSERT_EQ(up.status, 201) << up.body.dump();
  EXPECT_EQ(up.body["kind"], "audio");
  EXPECT_EQ(up.body["mime_type"], "audio/ogg");
  EXPECT_EQ(up.body["size"], out_bytes.size());
  auto sent = as(ana_).post("/v1/conversations/" + conv + "/messages",
                            {{"media", {{"id", up.body["id"]}}}});
  ASSERT_EQ(sent.status, 201) << sent.body.dump();
  EXPECT_EQ(sent.body["message"]["kind"], "audio");
  ASSERT_TRUE(graph_.wait_sends(1, 10s));
  auto req = graph_.sends().at(0).json;
  EXPECT_EQ(req["type"], "audio");
  auto stored = graph_.uploaded(req["audio"]["id"].get<std::string>());
  ASSERT_TRUE(stored.has_value()) << req.dump();
  EXPECT_EQ(stored->first, out_bytes);
  EXPECT_EQ(stored->second, "audio/ogg");
  const auto out_id = sent.body["message"].value("id", "");
  ASSERT_TRUE(eventually([&, conv = conv] {
    auto t = as(ana_).get("/v1/conversations/" + conv + "/timeline");
    return t.body.dump().find("WhatsApp accepted message " + out_id) !=
           std::string::npos;
  }));
  // What Ana sent is hers to play back, from the conversation.
  EXPECT_EQ(message(conv, out_id)["media"]["id"], up.body["id"]);
}

TEST_F(WhatsappMediaFlow, AFetchThatFailsShowsOnTheMessageAndIsRetried) {
  auto a = as(admin_);
  ASSERT_EQ(a.call("PATCH", "/v1/channels/wa",
                   {{"access_token", "EAAG-expired-token"}})
              .status,
            200);
  const auto bytes = voice_note();
  auto media_id = graph_.add_media(bytes, "audio/ogg");
  auto [conv, msg] = deliver(voice_webhook(media_id, bytes));
  ASSERT_TRUE(eventually([&, conv = conv, msg = msg] {
    return message(conv, msg)["media"].contains("error");
  }));
  EXPECT_EQ(message(conv, msg)["media"]["error"]["code"], "190");
  // The conversation goes on meanwhile.
  EXPECT_EQ(as(ana_).post("/v1/conversations/" + conv + "/messages",
                          {{"text", "Recebi, um momento"}})
              .status,
            201);
  ASSERT_EQ(a.call("PATCH", "/v1/channels/wa", {{"access_token", token}})
              .status,
            200);
  ASSERT_TRUE(eventually([&, conv = conv, msg = msg] {
    return message(conv, msg)["media"].contains("id");
  }));
  auto m = message(conv, msg)["media"];
  EXPECT_FALSE(m.contains("error")) << m.dump();
  auto health = a.get("/v1/channels/wa").body["health"]["media"];
  EXPECT_EQ(health["fetched"], 1);
  EXPECT_GE(health["retried"], 1);
  EXPECT_EQ(health["last_error"]["code"], "190");
}

TEST_F(WhatsappMediaFlow, AMediaMetaNoLongerHasFailsAsExpired) {
  auto [conv, msg] = deliver(voice_webhook("1599999999999999", "gone"));
  ASSERT_TRUE(eventually([&, conv = conv, msg = msg] {
    return message(conv, msg)["media"].contains("error");
  }));
  EXPECT_EQ(message(conv, msg)["media"]["error"]["code"], "media_expired");
  auto metrics = as(admin_).raw("GET", "/metrics", "", {});
  EXPECT_NE(metrics.body.find("atende_whatsapp_media_fetch_failures_total{"
                              "tenant=\"acme\",channel=\"wa\",code=\"media_"
                              "expired\"} 1"),
            std::string::npos)
    << metrics.body;
}

TEST_F(WhatsappMediaFlow, GetMediaObeysTheConversationsVisibility) {
  const auto bytes = voice_note();
  auto media_id = graph_.add_media(bytes, "audio/ogg");
  auto [conv, msg] = deliver(voice_webhook(media_id, bytes));
  ASSERT_TRUE(eventually([&, conv = conv, msg = msg] {
    return message(conv, msg)["media"].contains("id");
  }));
  const auto path = "/v1/media/" + sha256_hex(bytes);
  EXPECT_EQ(as(ana_).raw("GET", path, "", {}).status, 200);
  EXPECT_EQ(as(admin_).raw("GET", path, "", {}).status, 200);
  auto other = as(bia_).raw("GET", path, "", {});
  EXPECT_EQ(other.status, 404) << other.body; // another team's conversation
  EXPECT_EQ(as("").raw("GET", path, "", {}).status, 401);
  // Another tenant does not reach it by its id.
  auto globex = new_tenant(srv_->port(), "globex");
  EXPECT_EQ(as(globex).raw("GET", path, "", {}).status, 404);
  // An upload is its uploader's (and the admins') until it is sent.
  auto up = upload(bia_, voice_note('b'), "audio/ogg");
  ASSERT_EQ(up.status, 201);
  const auto mine = "/v1/media/" + up.body["id"].get<std::string>();
  EXPECT_EQ(as(bia_).raw("GET", mine, "", {}).status, 200);
  EXPECT_EQ(as(ana_).raw("GET", mine, "", {}).status, 404);
}

TEST_F(WhatsappMediaFlow, UploadsAreCheckedAgainstWhatsappsLimits) {
  auto gif = upload(ana_, "GIF89a...", "image/gif");
  EXPECT_EQ(gif.status, 422);
  EXPECT_EQ(gif.body["error"]["code"], "unsupported_media");
  EXPECT_EQ(gif.body["error"]["field"], "Content-Type");
  auto big = upload(ana_, std::string(5 * 1024 * 1024 + 1, 'x'), "image/jpeg");
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.body["error"]["code"], "too_large");
  auto vorbis = upload(ana_, "OggS" + std::string(100, '\0'), "audio/ogg");
  EXPECT_EQ(vorbis.status, 422);
  EXPECT_EQ(vorbis.body["error"]["code"], "unsupported_media");
  auto empty = upload(ana_, "", "image/png");
  EXPECT_EQ(empty.status, 400);
  auto path = upload(ana_, "%PDF-1.7", "application/pdf", "?filename=../x.pdf");
  EXPECT_EQ(path.status, 422);
  EXPECT_EQ(path.body["error"]["field"], "filename");
  // A document over the general body limit but within its own is taken.
  auto pdf = upload(ana_, "%PDF-1.7" + std::string(17 * 1024 * 1024, ' '),
                    "application/pdf", "?filename=contrato.pdf");
  EXPECT_EQ(pdf.status, 201) << pdf.body.dump();
  EXPECT_EQ(pdf.body["kind"], "document");
  EXPECT_EQ(pdf.body["filename"], "contrato.pdf");
  // Sending a media the tenant does not hold names it.
  auto bytes = voice_note();
  auto [conv, msg] = deliver(voice_webhook(graph_.add_media(bytes, "audio/ogg"),
                                           bytes));
  auto unknown = as(ana_).post("/v1/conversations/" + conv + "/messages",
                               {{"media", {{"id", std::string(64, 'a')}}}});
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.body["error"]["field"], "media.id");
}

TEST_F(WhatsappMediaFlow, AReplyAndAReactionReachMetaWithTheWamids) {
  const auto bytes = voice_note();
  auto body = voice_webhook(graph_.add_media(bytes, "audio/ogg"), bytes);
  const auto wamid = json::parse(body)["entry"][0]["changes"][0]["value"]
                                      ["messages"][0]["id"]
                                        .get<std::string>();
  auto [conv, msg] = deliver(body);
  auto reply = as(ana_).post("/v1/conversations/" + conv + "/messages",
                             {{"text", "Ouvi seu áudio"}, {"reply_to", msg}});
  ASSERT_EQ(reply.status, 201) << reply.body.dump();
  EXPECT_EQ(reply.body["message"]["reply_to"], msg);
  auto react = as(ana_).post(
    "/v1/conversations/" + conv + "/messages/" + msg + "/reaction",
    {{"emoji", "👍"}});
  ASSERT_EQ(react.status, 200) << react.body.dump();
  EXPECT_EQ(react.body["message"]["reactions"][0]["by"], "ana");
  EXPECT_EQ(react.body["message"]["reactions"][0]["emoji"], "👍");
  ASSERT_TRUE(graph_.wait_sends(2, 10s));
  auto sends = graph_.sends();
  json text, reaction;
  for (const auto& s : sends) {
    (s.json["type"] == "reaction" ? reaction : text) = s.json;
  }
  EXPECT_EQ(text["context"]["message_id"], wamid);
  EXPECT_EQ(reaction["reaction"]["message_id"], wamid);
  EXPECT_EQ(reaction["reaction"]["emoji"], "👍");
  // Removing it: an empty emoji.
  auto undo = as(ana_).post(
    "/v1/conversations/" + conv + "/messages/" + msg + "/reaction",
    {{"emoji", ""}});
  ASSERT_EQ(undo.status, 200);
  EXPECT_FALSE(undo.body["message"].contains("reactions"));
  // A message of no conversation of hers is named.
  auto bad = as(ana_).post(
    "/v1/conversations/" + conv + "/messages/m999/reaction", {{"emoji", "👍"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["error"]["field"], "reaction.message_id");
  auto badq = as(ana_).post("/v1/conversations/" + conv + "/messages",
                            {{"text", "x"}, {"reply_to", "m999"}});
  EXPECT_EQ(badq.status, 422);
  EXPECT_EQ(badq.body["error"]["field"], "reply_to");
}

TEST_F(WhatsappMediaFlow, AFetchLeftByAKillIsDoneAfterTheRestart) {
  auto a = as(admin_);
  ASSERT_EQ(a.call("PATCH", "/v1/channels/wa",
                   {{"access_token", "EAAG-expired-token"}})
              .status,
            200);
  // The next attempt would wait ten minutes.
  setenv("ATENDE_WHATSAPP_RETRY_BASE_MS", "600000", 1);
  srv_->kill9();
  boot();
  const auto bytes = voice_note();
  auto [conv, msg] =
    deliver(voice_webhook(graph_.add_media(bytes, "audio/ogg"), bytes));
  ASSERT_TRUE(eventually([&, conv = conv, msg = msg] {
    return message(conv, msg)["media"].contains("error");
  }));
  ASSERT_EQ(as(admin_)
              .call("PATCH", "/v1/channels/wa", {{"access_token", token}})
              .status,
            200);
  srv_->kill9();
  boot();
  // The fetch was not forgotten: it is taken up at once on the restart.
  ASSERT_TRUE(eventually([&, conv = conv, msg = msg] {
    return message(conv, msg)["media"].contains("id");
  }));
  EXPECT_EQ(as(ana_).raw("GET", "/v1/media/" + sha256_hex(bytes), "", {}).body,
            bytes);
}

TEST_F(WhatsappMediaFlow, ReplayVerifiesAStoreWithMedia) {
  const auto bytes = voice_note();
  auto [conv, msg] =
    deliver(voice_webhook(graph_.add_media(bytes, "audio/ogg"), bytes));
  ASSERT_TRUE(eventually([&, conv = conv, msg = msg] {
    return message(conv, msg)["media"].contains("id");
  }));
  auto up = upload(ana_, voice_note('o'), "audio/ogg");
  ASSERT_EQ(as(ana_).post("/v1/conversations/" + conv + "/messages",
                          {{"media", {{"id", up.body["id"]}}},
                           {"reply_to", msg}})
              .status,
            201);
  ASSERT_EQ(as(ana_).post("/v1/conversations/" + conv + "/messages/" + msg +
                            "/reaction",
                          {{"emoji", "🙏"}})
              .status,
            200);
  ASSERT_TRUE(graph_.wait_sends(2, 10s));
  srv_->kill9();
  auto cmd = std::string{ATENDE_BINARY} + " replay --data " + dir_.path() +
             " --verify > " + dir_.path() + "/verify.txt 2>&1";
  int rc = std::system(cmd.c_str());
  std::ifstream out{dir_.path() + "/verify.txt"};
  std::stringstream text;
  text << out.rdbuf();
  EXPECT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 0) << text.str();
}

TEST_F(WhatsappMediaFlow, OpeningTheConversationMarksTheCustomersMessagesReadWhenTheChannelSaysSo) {
  auto read_marks = [&] {
    std::vector<json> out;
    for (const auto& r : graph_.requests()) {
      if (r.json.is_object() && r.json.value("status", "") == "read") {
        out.push_back(r.json);
      }
    }
    return out;
  };
  const auto bytes = voice_note();
  auto body = voice_webhook(graph_.add_media(bytes, "audio/ogg"), bytes);
  const auto wamid = json::parse(body)["entry"][0]["changes"][0]["value"]
                                      ["messages"][0]["id"]
                                        .get<std::string>();
  auto [conv, msg] = deliver(body);
  // Off by default: opening marks nothing.
  ASSERT_EQ(as(ana_).get("/v1/conversations/" + conv).status, 200);
  auto ch = as(admin_).call("PATCH", "/v1/channels/wa", {{"mark_read", true}});
  ASSERT_EQ(ch.status, 200) << ch.body.dump();
  EXPECT_EQ(ch.body["mark_read"], true);
  // Someone else (an admin) opening it marks nothing either.
  ASSERT_EQ(as(admin_).get("/v1/conversations/" + conv).status, 200);
  ASSERT_EQ(as(ana_).get("/v1/conversations/" + conv).status, 200);
  ASSERT_TRUE(eventually([&] { return read_marks().size() == 1; }));
  auto mark = read_marks()[0];
  EXPECT_EQ(mark["message_id"], wamid);
  EXPECT_EQ(mark["messaging_product"], "whatsapp");
  // Opening it again marks nothing more: the message is marked already.
  ASSERT_EQ(as(ana_).get("/v1/conversations/" + conv).status, 200);
  ASSERT_TRUE(eventually([&] {
    return as(admin_).get("/v1/channels/wa").body["health"]["read_marks"] == 1;
  }));
  EXPECT_EQ(read_marks().size(), 1u);
  EXPECT_EQ(graph_.count_sends(), 0u); // a mark is not a send
}

} // namespace
} // namespace atende::test

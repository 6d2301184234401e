// GET /v1/stream over real HTTP (CONTRACT "Live updates"): `atende serve` as
// a child process, a Server-Sent Events client on a loopback socket. What
// an agent may see arrives and leaves; a stream resumes from its last id
// after `kill -9` with nothing missed and nothing twice; a position the
// journal never had gets `reset`; limits answer 429.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "events/time.h"
#include "tests/e2e/server_process.h"
#include "tests/e2e/sse_client.h"

namespace atende::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

class StreamFlow : public ::testing::Test {
protected:
  void SetUp() override { boot(); }
  void TearDown() override {
    unsetenv("ATENDE_STREAM_MAX_PER_TOKEN");
    unsetenv("ATENDE_STREAM_HEARTBEAT_SECONDS");
  }

  void boot() {
    srv_ = std::make_unique<server_process>(dir_.path());
    ASSERT_TRUE(srv_->start());
    if (!admin_.empty()) {
      return;
    }
    admin_ = new_tenant(srv_->port(), "acme");
    auto a = as(admin_);
    for (const char* team : {"support", "sales"}) {
      ASSERT_EQ(a.post("/v1/teams", {{"id", team}, {"name", team}}).status,
                201);
    }
    add_channel(a, "wa", "1065", "support");
    ana_ = add_agent(a, "ana", "Ana", "support");
    carl_ = add_agent(a, "carl", "Carl", "sales");
  }

  api as(const std::string& token) { return api{srv_->port(), token}; }

  /// inbound posts a customer's message and returns its conversation.
  std::string inbound(const std::string& id, const std::string& from) {
    auto r = as(admin_).post(
      "/v1/events", text_envelope("acme", "1065", id, from, "olá " + id));
    EXPECT_EQ(r.status, 202) << r.body.dump();
    return r.body["results"][0].value("conversation", "");
  }

  std::unique_ptr<sse_client> stream(
      const std::string& token, const std::string& query = "",
      const std::string& last_id = "") {
    std::vector<std::pair<std::string, std::string>> h{
      {"Authorization", "Bearer " + token}};
    if (!last_id.empty()) {
      h.emplace_back("Last-Event-ID", last_id);
    }
    return std::make_unique<sse_client>(srv_->port(), "/v1/stream" + query,
                                        h);
  }

  static auto is(const std::string& id) {
    return [id](const json& d) { return d.value("id", "") == id; };
  }

  temp_dir dir_;
  std::unique_ptr<server_process> srv_;
  std::string admin_, ana_, carl_;
};

TEST_F(StreamFlow, WhatAnAgentMaySeeArrivesAndLeavesAsTheListsShowIt) {
  auto s = stream(ana_);
  ASSERT_EQ(s->status(), 200) << s->head();
  EXPECT_NE(s->head().find("text/event-stream"), std::string::npos);
  // The first frame: the counts, with the position the stream starts at.
  auto first = s->next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->event, "counts");
  EXPECT_FALSE(first->id.empty());
  EXPECT_EQ(first->data, (json{{"all", 0}, {"mine", 0}, {"unassigned", 0}}));

  auto conv = inbound("w1", "5531988887777");
  auto seen = s->until("conversation.updated", is(conv));
  ASSERT_FALSE(seen.empty());
  // The object is the one the list shows.
  auto list = as(ana_).get("/v1/conversations");
  EXPECT_EQ(seen.back().data, list.body["items"][0]);
  auto msg = s->until("message.created", [&](const json& d) {
    return d["conversation"] == conv;
  });
  ASSERT_FALSE(msg.empty());
  EXPECT_EQ(msg.back().data["message"]["text"], "olá w1");
  auto counts = s->until("counts", [](const json& d) {
    return d["unassigned"] == 1;
  });
  ASSERT_FALSE(counts.empty());
  EXPECT_EQ(counts.back().data, list.body["counts"]);

  // Carl (sales) sees nothing of it; a transfer to sales takes it from Ana
  // and gives it to him.
  auto c = stream(carl_);
  ASSERT_EQ(c->status(), 200);
  ASSERT_TRUE(c->next().has_value()); // counts
  auto t = as(admin_).post("/v1/conversations/" + conv + "/transfer",
                           {{"team", "sales"}});
  ASSERT_EQ(t.status, 200) << t.body.dump();
  EXPECT_FALSE(s->until("conversation.removed", is(conv)).empty());
  auto got = c->until("conversation.updated", is(conv));
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.back().data["team"], "sales");
}

TEST_F(StreamFlow, AStreamResumesAfterAKillWithNothingMissedAndNothingTwice) {
  auto s = stream(admin_);
  ASSERT_EQ(s->status(), 200);
  auto c1 = inbound("w1", "5531988887777");
  ASSERT_FALSE(s->until("message.created", [](const json& d) {
                  return d["message"]["text"] == "olá w1";
                }).empty());
  const auto resume_at = s->last_id();
  ASSERT_FALSE(resume_at.empty());
  s->close();
  // While it is away: two messages, then a crash.
  inbound("w2", "5531988887777");
  auto c3 = inbound("w3", "5531977776666");
  srv_->kill9();
  boot();
  auto r = stream(admin_, "", resume_at);
  ASSERT_EQ(r->status(), 200);
  std::vector<std::string> messages;
  std::set<std::string> ids;
  std::uint64_t last = std::stoull(resume_at);
  while (auto f = r->next(2s)) {
    if (f->event == "message.created") {
      messages.push_back(f->data["message"]["text"]);
    }
    if (!f->id.empty()) {
      // Positions only move forward.
      EXPECT_GE(std::stoull(f->id), last);
      last = std::stoull(f->id);
      ids.insert(f->id);
    }
    if (f->event == "counts") {
      break; // caught up
    }
  }
  EXPECT_EQ(messages, (std::vector<std::string>{"olá w2", "olá w3"}));
  // Live again after the catch-up.
  inbound("w4", "5531977776666");
  EXPECT_FALSE(r->until("message.created", [&](const json& d) {
                  return d["message"]["text"] == "olá w4" &&
                         d["conversation"] == c3;
                }).empty());
  (void)c1;
}

TEST_F(StreamFlow, APositionTheJournalNeverHadGetsAReset) {
  auto s = stream(ana_, "", "999999");
  ASSERT_EQ(s->status(), 200);
  auto f = s->next();
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->event, "reset");
  auto bad = stream(ana_, "", "12abc");
  EXPECT_EQ(bad->status(), 400);
  auto body = json::parse(bad->rest(), nullptr, false);
  EXPECT_EQ(body["error"]["field"], "Last-Event-ID") << body.dump();
}

TEST_F(StreamFlow, TheTokenMayComeInTheQueryAsEventSourceSendsIt) {
  sse_client s{srv_->port(),
               "/v1/stream?view=unassigned&access_token=" + ana_ +
                 "&last_event_id=0",
               {}};
  ASSERT_EQ(s.status(), 200) << s.head();
  auto conv = inbound("w1", "5531988887777");
  EXPECT_FALSE(s.until("conversation.updated", is(conv)).empty());
  auto bad = stream(ana_, "?view=everything");
  EXPECT_EQ(bad->status(), 400);
  EXPECT_NE(bad->rest().find("\"field\":\"view\""), std::string::npos);
}

TEST_F(StreamFlow, OpenStreamsPerTokenAreLimited) {
  srv_->kill9();
  setenv("ATENDE_STREAM_MAX_PER_TOKEN", "2", 1);
  boot();
  auto a = stream(ana_);
  auto b = stream(ana_);
  ASSERT_EQ(a->status(), 200);
  ASSERT_EQ(b->status(), 200);
  auto c = stream(ana_);
  EXPECT_EQ(c->status(), 429);
  EXPECT_NE(c->head().find("Retry-After"), std::string::npos);
  EXPECT_NE(c->rest().find("too_many_streams"), std::string::npos);
  // Another token is not held back by Ana's.
  auto d = stream(carl_);
  EXPECT_EQ(d->status(), 200);
  // Once one of Ana's closes, she may open another.
  a->close();
  bool opened = false;
  for (int i = 0; i < 100 && !opened; ++i) {
    // The server notices the close at the next heartbeat or frame: send it
    // a frame.
    inbound("w" + std::to_string(i), "5531988887777");
    auto e = stream(ana_);
    opened = e->status() == 200;
  }
  EXPECT_TRUE(opened);
}

TEST_F(StreamFlow, AClientThatDoesNotReadIsDisconnectedAndTheServerKeepsNothingForIt) {
  srv_->kill9();
  setenv("ATENDE_STREAM_BUFFER_BYTES", "65536", 1);
  boot();
  sse_client slow{srv_->port(), "/v1/stream",
                  {{"Authorization", "Bearer " + admin_}}, 4096};
  ASSERT_EQ(slow.status(), 200);
  auto open_streams = [&] {
    api plain{srv_->port(), ""};
    auto m = plain.raw("GET", "/metrics", "", {});
    auto at = m.body.find("\natende_streams_open ");
    return at == std::string::npos
             ? -1
             : std::stoi(m.body.substr(at + 21));
  };
  EXPECT_EQ(open_streams(), 1);
  // Far more than the socket buffers and the stream's own 64 KiB hold.
  const std::string text(8000, 'x');
  for (int b = 0; b < 8 && open_streams() != 0; ++b) {
    json batch = json::array();
    for (int i = 0; i < 200; ++i) {
      const auto id = "b" + std::to_string(b) + "-" + std::to_string(i);
      batch.push_back(
        text_envelope("acme", "1065", id, "5531988887777", text));
    }
    ASSERT_EQ(as(admin_).post("/v1/events", batch).status, 202);
  }
  // The server let it go: it holds no stream for it.
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    gone = open_streams() == 0;
    if (!gone) {
      std::this_thread::sleep_for(20ms);
    }
  }
  EXPECT_TRUE(gone);
  // What reached the client ends, short of the last change: it resumes
  // from its last id.
  while (slow.next(2s)) {
  }
  EXPECT_TRUE(slow.ended());
  EXPECT_FALSE(slow.last_id().empty());
  unsetenv("ATENDE_STREAM_BUFFER_BYTES");
}

TEST_F(StreamFlow, IdleStreamsGetHeartbeats) {
  srv_->kill9();
  setenv("ATENDE_STREAM_HEARTBEAT_SECONDS", "1", 1);
  boot();
  auto s = stream(ana_);
  ASSERT_EQ(s->status(), 200);
  ASSERT_TRUE(s->next().has_value()); // counts
  EXPECT_FALSE(s->next(2500ms).has_value()); // nothing happened…
  EXPECT_GE(s->comments(), 1);               // …but it was kept alive
}


TEST_F(StreamFlow, AMentionedAgentGetsANoteMentionAndANoteIsNeverSent) {
  auto conv = inbound("w1", "5531988887777");
  auto s = stream(ana_);
  ASSERT_EQ(s->status(), 200);
  auto c = stream(carl_); // sales: the conversation is support's
  ASSERT_EQ(c->status(), 200);
  auto n = as(ana_).post("/v1/conversations/" + conv + "/notes",
                         {{"text", "@carl conhece este cliente?"}});
  ASSERT_EQ(n.status, 201) << n.body.dump();
  const auto& note = n.body["message"];
  EXPECT_EQ(note["direction"], "note");
  EXPECT_EQ(note["author"], "ana");
  EXPECT_EQ(note["text"], "@carl conhece este cliente?");
  EXPECT_FALSE(note.contains("status"));
  // Ana sees the note as a message of the conversation, as GET shows it.
  auto created = s->until("message.created", [&](const json& d) {
    return d["message"]["id"] == note["id"];
  });
  ASSERT_FALSE(created.empty());
  EXPECT_EQ(created.back().data["message"], note);
  auto got = as(ana_).get("/v1/conversations/" + conv);
  EXPECT_EQ(got.body["messages"].back(), note);
  // Carl, mentioned, is told though he may not open it.
  auto mention = c->until("note.mention", [&](const json& d) {
    return d["conversation"] == conv;
  });
  ASSERT_FALSE(mention.empty());
  EXPECT_EQ(mention.back().data["message"], note);
  EXPECT_EQ(as(carl_).get("/v1/conversations/" + conv).status, 404);
  // Nothing for a connector to send.
  auto out = as(admin_).get("/v1/outbound");
  ASSERT_EQ(out.status, 200) << out.body.dump();
  EXPECT_TRUE(out.body["items"].empty()) << out.body.dump();
}

TEST_F(StreamFlow, ATransferCarriesANoteAndAnEmptyNoteIsRefused) {
  auto conv = inbound("w1", "5531988887777");
  auto bad = as(ana_).post("/v1/conversations/" + conv + "/notes",
                           {{"text", ""}});
  EXPECT_EQ(bad.status, 400) << bad.body.dump();
  EXPECT_EQ(bad.body["error"]["field"], "text");
  auto t = as(admin_).post("/v1/conversations/" + conv + "/transfer",
                           {{"team", "sales"}, {"note", "é venda, @carl"}});
  ASSERT_EQ(t.status, 200) << t.body.dump();
  auto got = as(carl_).get("/v1/conversations/" + conv);
  ASSERT_EQ(got.status, 200);
  const auto& last = got.body["messages"].back();
  EXPECT_EQ(last["direction"], "note");
  EXPECT_EQ(last["author"], "admin");
  EXPECT_EQ(last["text"], "é venda, @carl");
  auto timeline = as(admin_).get("/v1/conversations/" + conv + "/timeline");
  ASSERT_EQ(timeline.status, 200);
  std::vector<std::string> types;
  for (const auto& item : timeline.body["items"]) {
    types.push_back(item["type"].get<std::string>());
  }
  auto note_at = std::find(types.begin(), types.end(), "note.added");
  ASSERT_NE(note_at, types.end());
  ASSERT_NE(note_at + 1, types.end());
  EXPECT_EQ(*(note_at + 1), "conversation.transferred");
}

} // namespace
} // namespace atende::test

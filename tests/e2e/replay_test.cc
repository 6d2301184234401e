// `atende replay` against data written by a real `atende serve`: the journal
// replays to the live state after crashes at random points, a damaged or
// rewritten journal entry is named, the state as of a past moment gives the
// lists agents saw then, a conversation's timeline says who did what and
// why (the same items over HTTP), and the JSON lines recompute the chain.
//
// The random choices (workload, kill points, which conversations are taken)
// come from one seed, printed at the start; ATENDE_TEST_SEED=N repeats a run.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <poll.h>
#include <random>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <rocksdb/write_batch.h>

#include "actors/snapshot.h"
#include "actors/store.h"
#include "events/codec.h"
#include "events/json.h"
#include "events/time.h"
#include "gateways/crypto.h"
#include "tests/e2e/server_process.h"

namespace atende::test {
namespace {

using json = nlohmann::json;

// ---- the seed ---------------------------------------------------------------

/// suite_seed is the seed of this run: ATENDE_TEST_SEED when set, else a
/// fresh one, printed once so that a failing run can be repeated.
std::uint64_t suite_seed() {
  static const std::uint64_t seed = [] {
    std::uint64_t s = 0;
    if (const char* env = std::getenv("ATENDE_TEST_SEED");
        env != nullptr && *env != '\0') {
      s = std::strtoull(env, nullptr, 10);
    } else {
      std::random_device rd;
      s = (static_cast<std::uint64_t>(rd()) << 32) | rd();
    }
    std::printf("replay_test: ATENDE_TEST_SEED=%llu (set it to repeat this "
                "run)\n",
                static_cast<unsigned long long>(s));
    std::fflush(stdout);
    return s;
  }();
  return seed;
}

/// test_rng derives the current test's generator from the suite seed and the
/// test's name, so that a test draws the same numbers whatever runs before.
std::mt19937_64 test_rng() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::uint64_t h = 1469598103934665603ull; // FNV-1a
  for (char c : std::string{info->test_suite_name()} + "." + info->name()) {
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  }
  ::testing::Test::RecordProperty("seed", std::to_string(suite_seed()));
  return std::mt19937_64{suite_seed() ^ h};
}

int uniform(std::mt19937_64& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>{lo, hi}(rng);
}

#define SEED_TRACE()                                                           \
  SCOPED_TRACE("ATENDE_TEST_SEED=" + std::to_string(suite_seed()))

// ---- running `atende replay` ------------------------------------------------

struct cli_result {
  int code = -1;
  std::string out;
  std::string err;

  /// doc parses stdout as one JSON document (discarded when it is not).
  json doc() const { return json::parse(out, nullptr, false); }
};

std::ostream& operator<<(std::ostream& os, const cli_result& r) {
  return os << "exit " << r.code << "\nstdout: " << r.out
            << "\nstderr: " << r.err;
}

/// replay runs `atende replay ARGS`, reading its stdout and stderr apart. A
/// run that has not ended after two minutes is killed (exit -1).
cli_result run_replay(const std::vector<std::string>& args) {
  int out[2], err[2];
  if (pipe(out) != 0 || pipe(err) != 0) {
    return {};
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    close(out[0]);
    close(out[1]);
    close(err[0]);
    close(err[1]);
    std::vector<const char*> argv{ATENDE_BINARY, "replay"};
    for (const auto& a : args) {
      argv.push_back(a.c_str());
    }
    argv.push_back(nullptr);
    execv(ATENDE_BINARY, const_cast<char* const*>(argv.data()));
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  cli_result r;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes{2};
  bool timed_out = false;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    if (poll(fds, 2, static_cast<int>(left.count())) < 0) {
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP)) != 0) {
        char buf[65536];
        auto n = read(fds[i].fd, buf, sizeof buf);
        if (n <= 0) {
          close(fds[i].fd);
          fds[i].fd = -1;
          --open_fds;
        } else {
          sinks[i]->append(buf, static_cast<std::size_t>(n));
        }
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) {
      close(f.fd);
    }
  }
  if (timed_out) {
    ::kill(pid, SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  r.code = !timed_out && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in{text};
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

bool is_hex64(const json& v) {
  if (!v.is_string() || v.get<std::string>().size() != 64) {
    return false;
  }
  auto s = v.get<std::string>();
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

// ---- the tenant of the scenarios --------------------------------------------

std::string now_text() {
  return format_time(now_ms());
}

/// cast: the tenant acme with its admin and agents' tokens.
struct cast {
  std::string admin_id;
  std::string admin;
  std::map<std::string, std::string> agents; // id -> token
};

void created(const api::reply& r) {
  EXPECT_EQ(r.status, 201) << r.body.dump();
}

/// tenant creates tenant `id`, its team `sales` (`distribution`) and channel
/// `wa` (default team sales), and agents of sales.
cast make_tenant(std::uint16_t port, const std::string& id,
                 const std::string& distribution,
                 const std::vector<std::string>& agent_ids) {
  cast c;
  api root{port, root_token};
  auto t = root.post("/v1/tenants", {{"id", id}, {"name", id}});
  EXPECT_EQ(t.status, 201) << t.body.dump();
  c.admin = t.body["admin"]["token"];
  c.admin_id = t.body["admin"]["id"];
  api a{port, c.admin};
  created(a.post(
      "/v1/teams",
      {{"id", "sales"}, {"name", "Sales"}, {"distribution", distribution}}));
  created(a.post("/v1/channels", {{"id", "wa"},
                                  {"kind", "whatsapp"},
                                  {"name", "WA"},
                                  {"phone", "5511999990000"},
                                  {"default_team", "sales"}}));
  for (const auto& ag : agent_ids) {
    auto r = a.post(
        "/v1/agents",
        {{"id", ag}, {"name", ag}, {"role", "agent"}, {"teams", {"sales"}}});
    created(r);
    c.agents[ag] = r.body["token"];
  }
  return c;
}

json envelope(const std::string& tenant, const std::string& id,
              const std::string& from, const std::string& text) {
  return {{"id", id},
          {"type", "message.received"},
          {"tenant", tenant},
          {"at", now_text()},
          {"data",
           {{"channel", "wa"},
            {"from", from},
            {"message_id", id},
            {"kind", "text"},
            {"text", text}}}};
}

/// inbound posts a customer's message now and returns its conversation.
std::string inbound(api& a, const std::string& tenant, const std::string& id,
                    const std::string& from, const std::string& text = "oi") {
  auto r = a.post("/v1/events", envelope(tenant, id, from, text));
  EXPECT_EQ(r.status, 202) << r.body.dump();
  return r.body["results"][0].value("conversation", "");
}

std::string phone(int i) {
  return std::to_string(5531988880000ll + i);
}

/// list reads every open conversation of `view` as `a` sees it, in the
/// API's default order.
json list(api& a, const std::string& view) {
  auto items = json::array();
  std::string cursor;
  for (;;) {
    auto path = "/v1/conversations?limit=500&view=" + view;
    if (!cursor.empty()) {
      path += "&cursor=" + cursor;
    }
    auto r = a.get(path);
    EXPECT_EQ(r.status, 200) << r.body.dump();
    for (auto& c : r.body["items"]) {
      items.push_back(c);
    }
    if (!r.body["next_cursor"].is_string()) {
      return items;
    }
    cursor = r.body["next_cursor"];
  }
}

std::vector<std::string> ids(const json& items) {
  std::vector<std::string> out;
  for (const auto& c : items) {
    out.push_back(c.value("id", ""));
  }
  return out;
}

/// at reads j[k1][k2]… without inserting anything: null when a key is
/// missing or a value on the way is not an object.
json at(const json& j, std::initializer_list<const char*> path) {
  const json* v = &j;
  for (const char* k : path) {
    if (!v->is_object() || !v->contains(k)) {
      return nullptr;
    }
    v = &(*v)[k];
  }
  return *v;
}

// ---- the journal, read and changed in place (the server stopped) ------------

/// entry_parts splits a version-2 journal record
/// (`0x02 kind crc32c length payload hash`, events/codec.h) into its payload
/// and its 32-byte hash; nullopt when it is not one.
struct entry_parts {
  std::size_t payload_at = 0;
  std::string_view payload;
  std::string_view hash;
};

std::optional<entry_parts> split_entry(std::string_view v) {
  if (v.size() < 7 || static_cast<unsigned char>(v[0]) != 0x02) {
    return std::nullopt;
  }
  std::size_t at = 6;
  std::uint64_t len = 0;
  for (int shift = 0; at < v.size() && shift <= 28; shift += 7) {
    auto b = static_cast<unsigned char>(v[at++]);
    len |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      if (at + len + 32 != v.size()) {
        return std::nullopt;
      }
      return entry_parts{at, v.substr(at, len), v.substr(at + len, 32)};
    }
  }
  return std::nullopt;
}

std::unique_ptr<store> open_store(const std::string& data) {
  auto db = store::open(data + "/db");
  EXPECT_TRUE(db.has_value()) << db.error().message;
  return db ? std::move(*db) : nullptr;
}

std::string journal_entry(const store& db, std::uint64_t seq) {
  auto v = db.get(keys::journal("acme", seq));
  EXPECT_TRUE(v.has_value()) << v.error().message;
  EXPECT_TRUE(v && v->has_value()) << "no journal entry acme#" << seq;
  return v && v->has_value() ? **v : std::string{};
}

void put(store& db, const std::string& key, const std::string& value) {
  rocksdb::WriteBatch b;
  b.Put(key, value);
  auto w = db.write(b, true);
  ASSERT_TRUE(w.has_value()) << w.error().message;
}

/// first_of finds the seq of the first journal entry of type `type`.
std::uint64_t first_of(const store& db, const std::string& type) {
  std::uint64_t found = 0;
  auto prefix = keys::journal_prefix("acme");
  auto s = db.scan(prefix, [&](std::string_view key, std::string_view value) {
    auto parts = split_entry(value);
    if (!parts) {
      return true;
    }
    auto e = json::parse(parts->payload, nullptr, false);
    if (e.is_object() && e.value("type", "") == type) {
      found = keys::read_fixed64be(key.substr(prefix.size()));
      return false;
    }
    return true;
  });
  EXPECT_TRUE(s.has_value());
  return found;
}

// ---- the fixture ------------------------------------------------------------

class Replay : public ::testing::Test {
protected:
  void SetUp() override { rng_ = test_rng(); }

  /// start starts a server on the test's data directory.
  void start() {
    srv_ = std::make_unique<server_process>(dir_.path());
    ASSERT_TRUE(srv_->start());
  }
  void stop() { ASSERT_EQ(srv_->stop(), 0); }

  api as(const std::string& token) { return api{srv_->port(), token}; }

  cli_result verify(bool json_out = false) {
    std::vector<std::string> args{"--data", dir_.path(), "--verify"};
    if (json_out) {
      args.push_back("--json");
    }
    return run_replay(args);
  }

  std::string next_id() { return "wamid." + std::to_string(++messages_); }

  temp_dir dir_;
  std::unique_ptr<server_process> srv_;
  std::mt19937_64 rng_;
  int messages_ = 0;
};

// ---- a realistic workload, run until the server dies ------------------------

/// workload drives the tenant of ReplayVerifyPassesAfterKillsAtRandomPoints
/// with random steps, each reading what it acts on first: customers write
/// (now), a chatbot routes a portfolio contact, agents take, send, transfer
/// and finish, an admin assigns, agents pause, resume, go online and offline.
/// It counts the replies the server gave; a request without a reply means
/// the server is gone and ends the run.
class workload {
public:
  workload(std::uint16_t port, const cast& c, std::uint64_t seed,
           std::string tag)
      : port_(port), cast_(c), rng_(seed), tag_(std::move(tag)) {
    for (const auto& [id, _] : c.agents) {
      agent_ids_.push_back(id);
    }
  }

  /// run takes up to `steps` steps; false when the server went away.
  bool run(int steps) {
    for (int i = 0; i < steps; ++i) {
      if (!step()) {
        return false;
      }
    }
    return true;
  }

  /// wait_for_replies waits until `n` replies were counted or the run ended;
  /// true when they were.
  bool wait_for_replies(int n, std::chrono::seconds bound) {
    std::unique_lock lk{mtx_};
    return cv_.wait_for(lk, bound, [&] { return replies_ >= n || ended_; }) &&
           replies_ >= n;
  }

  void end() {
    std::lock_guard g{mtx_};
    ended_ = true;
    cv_.notify_all();
  }

  static constexpr int customers = 12;
  static constexpr int portfolio_customers = 4; // phone(0..3) are in "gold"

private:
  api::reply call(const std::string& token, const std::string& method,
                  const std::string& path, const json& body = nullptr) {
    auto& client = clients_.try_emplace(token, port_, token).first->second;
    auto r = client.call(method, path, body);
    if (r.status != 0) {
      EXPECT_LT(r.status, 500) << method << " " << path << " " << body.dump()
                               << " -> " << r.body.dump();
      EXPECT_NE(r.status, 400) << method << " " << path << " " << body.dump()
                               << " -> " << r.body.dump();
      std::lock_guard g{mtx_};
      ++replies_;
      cv_.notify_all();
    } else {
      gone_ = true;
    }
    return r;
  }

  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(
        uniform(rng_, 0, static_cast<int>(v.size()) - 1))];
  }

  /// some_conversation reads `view` as `token` and picks one, if any.
  std::optional<std::string> some_conversation(const std::string& token,
                                               const std::string& view) {
    auto r = call(token, "GET", "/v1/conversations?limit=100&view=" + view);
    if (r.status != 200 || r.body["items"].empty()) {
      return std::nullopt;
    }
    const auto& items = r.body["items"];
    return items[static_cast<std::size_t>(
        uniform(rng_, 0, static_cast<int>(items.size()) - 1))]["id"]
        .get<std::string>();
  }

  std::string envelope_id() { return tag_ + "." + std::to_string(++sent_); }

  bool step() {
    const auto& agent = pick(agent_ids_);
    const auto& token = cast_.agents.at(agent);
    switch (uniform(rng_, 0, 13)) {
    case 0:
    case 1:
    case 2:
    case 3: { // customers write, one to three messages in one request
      auto batch = json::array();
      for (int n = uniform(rng_, 1, 3); n > 0; --n) {
        batch.push_back(envelope("acme", envelope_id(),
                                 phone(uniform(rng_, 0, customers - 1)),
                                 "mensagem " + std::to_string(sent_)));
      }
      call(cast_.admin, "POST", "/v1/events", batch);
      break;
    }
    case 4: { // a chatbot flow sends a portfolio contact to the VIP desk
      json route = {
          {"id", envelope_id()},
          {"type", "conversation.route"},
          {"tenant", "acme"},
          {"at", now_text()},
          {"data",
           {{"channel", "wa"},
            {"contact", phone(uniform(rng_, 0, portfolio_customers - 1))},
            {"team", "vip"}}}};
      call(cast_.admin, "POST", "/v1/events", route);
      break;
    }
    case 5:
    case 6:
      if (auto c = some_conversation(token, "unassigned")) {
        call(token, "POST", "/v1/conversations/" + *c + "/assign",
             json::object());
      }
      break;
    case 7:
      if (auto c = some_conversation(cast_.admin, "unassigned")) {
        call(cast_.admin, "POST", "/v1/conversations/" + *c + "/assign",
             {{"agent", pick(agent_ids_)}});
      }
      break;
    case 8:
    case 9:
      if (auto c = some_conversation(token, "mine")) {
        call(token, "POST", "/v1/conversations/" + *c + "/messages",
             {{"text", "resposta " + std::to_string(++sent_)},
              {"idempotency_key", envelope_id()}});
      }
      break;
    case 10:
      if (auto c = some_conversation(token, "mine")) {
        json to =
            uniform(rng_, 0, 1) == 0
                ? json{{"team", uniform(rng_, 0, 1) == 0 ? "sales" : "vip"}}
                : json{{"agent", pick(agent_ids_)}};
        call(token, "POST", "/v1/conversations/" + *c + "/transfer", to);
      }
      break;
    case 11:
      if (auto c = some_conversation(token, "mine")) {
        call(token, "POST", "/v1/conversations/" + *c + "/finish",
             {{"reason", "solved"}, {"description", "ok"}});
      }
      break;
    case 12: {
      auto r = call(token, "POST", "/v1/agents/me/pause", {{"type", "coffee"}});
      if (r.status == 409) {
        call(token, "DELETE", "/v1/agents/me/pause");
      }
      break;
    }
    default:
      call(token, "POST", "/v1/agents/me/status",
           {{"status", uniform(rng_, 0, 2) == 0 ? "offline" : "online"}});
      break;
    }
    return !gone_;
  }

  std::uint16_t port_;
  const cast& cast_;
  std::mt19937_64 rng_;
  std::string tag_;
  std::vector<std::string> agent_ids_;
  std::map<std::string, api> clients_;
  int sent_ = 0;
  bool gone_ = false;
  std::mutex mtx_;
  std::condition_variable cv_;
  int replies_ = 0;
  bool ended_ = false;
};

/// kill_scenario sets up the tenant of the workload: a round-robin team
/// (the channel's) and a contact-group desk, four agents (three online), a
/// portfolio of four contacts owned by caio and ana, a pause type, a reason.
cast kill_scenario(std::uint16_t port) {
  auto c = make_tenant(port, "acme", "round_robin", {});
  api a{port, c.admin};
  created(a.post("/v1/teams", {{"id", "vip"},
                               {"name", "VIP desk"},
                               {"distribution", "contact_group"},
                               {"max_per_agent", 3}}));
  for (const auto& [id, teams] :
       std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"ana", {"sales", "vip"}},
           {"bia", {"sales"}},
           {"caio", {"vip"}},
           {"dora", {"sales", "vip"}}}) {
    auto r =
        a.post("/v1/agents",
               {{"id", id}, {"name", id}, {"role", "agent"}, {"teams", teams}});
    created(r);
    c.agents[id] = r.body["token"];
  }
  created(a.post("/v1/pause-types",
                 {{"id", "coffee"}, {"name", "Coffee"}, {"max_minutes", 10}}));
  created(a.post("/v1/reasons", {{"id", "solved"}, {"name", "Solved"}}));
  created(a.post("/v1/portfolios", {{"id", "gold"},
                                    {"name", "Gold"},
                                    {"code", "GOLD"},
                                    {"responsible", "caio"},
                                    {"members", {"ana"}}}));
  for (int i = 0; i < workload::portfolio_customers; ++i) {
    created(
        a.post("/v1/contacts", {{"id", "vip" + std::to_string(i)},
                                {"name", "Cliente VIP " + std::to_string(i)},
                                {"phone", phone(i)},
                                {"portfolios", {"gold"}}}));
  }
  for (const char* id : {"ana", "bia", "caio"}) {
    auto r = api{port, c.agents.at(id)}.post("/v1/agents/me/status",
                                             {{"status", "online"}});
    EXPECT_EQ(r.status, 200) << r.body.dump();
  }
  return c;
}

// ---- the tests --------------------------------------------------------------

TEST_F(Replay, ReplayVerifyPassesAfterKillsAtRandomPoints) {
  SEED_TRACE();
  cast c;
  const int rounds = uniform(rng_, 3, 4);
  const int idle_round = uniform(rng_, 0, rounds - 1);
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    start();
    if (round == 0) {
      c = kill_scenario(srv_->port());
      ASSERT_FALSE(HasFailure());
    }
    if (round == idle_round) {
      // A slice that runs to its end, then a verify while the server runs:
      // the store is read as of one commit.
      workload w{srv_->port(), c, rng_(), "idle" + std::to_string(round)};
      ASSERT_TRUE(w.run(uniform(rng_, 5, 30)));
      auto v = verify();
      EXPECT_EQ(v.code, 0) << v;
      EXPECT_NE(v.out.find("tenant acme (db): "), std::string::npos) << v;
      EXPECT_NE(v.out.find("verified: "), std::string::npos) << v;
    }
    const int kill_after = uniform(rng_, 5, 100);
    SCOPED_TRACE("kill after " + std::to_string(kill_after) + " replies");
    workload w{srv_->port(), c, rng_(), "r" + std::to_string(round)};
    std::thread worker{[&] {
      w.run(1 << 20);
      w.end();
    }};
    EXPECT_TRUE(w.wait_for_replies(kill_after, std::chrono::seconds{60}));
    srv_->kill9();
    worker.join();
  }
  auto v = verify();
  EXPECT_EQ(v.code, 0) << v;
  EXPECT_NE(v.out.find("verified: "), std::string::npos) << v;
  auto j = verify(true);
  ASSERT_EQ(j.code, 0) << j;
  auto doc = j.doc();
  ASSERT_TRUE(doc.is_object()) << j;
  EXPECT_EQ(doc["ok"], true) << j;
  EXPECT_GT(doc["events"].get<std::uint64_t>(), 0u) << j;
  EXPECT_TRUE(doc["difference"].is_null()) << j;
  ASSERT_EQ(doc["tenants"].size(), 1u) << j;
  auto& t = doc["tenants"][0];
  EXPECT_EQ(t["tenant"], "acme");
  EXPECT_EQ(t["store"], "db");
  EXPECT_EQ(t["events"], doc["events"]);
  EXPECT_GT(t["conversations"].get<std::uint64_t>(), 0u) << j;
  EXPECT_EQ(t["unchained"], 0) << j;
  EXPECT_TRUE(is_hex64(t["head"])) << j;
  EXPECT_TRUE(is_hex64(t["digest"])) << j;

  // The engine restarts on that data and the verify still passes after it
  // serves a little more.
  start();
  workload more{srv_->port(), c, rng_(), "last"};
  EXPECT_TRUE(more.run(10));
  stop();
  auto last = verify();
  EXPECT_EQ(last.code, 0) << last;
}

/// ReplayDamage runs a short scenario, then changes the stored journal:
/// tenant acme with agents ana and bob (manual team), four customers'
/// messages, ana takes and answers the first, a clean stop.
class ReplayDamage : public Replay {
protected:
  void run_short_scenario() {
    start();
    c_ = make_tenant(srv_->port(), "acme", "manual", {"ana", "bob"});
    auto a = as(c_.admin);
    std::vector<std::string> convs;
    for (int i = 0; i < 4; ++i) {
      convs.push_back(inbound(a, "acme", next_id(), phone(i),
                              "pedido " + std::to_string(i)));
    }
    auto ana = as(c_.agents.at("ana"));
    auto t =
        ana.post("/v1/conversations/" + convs[0] + "/assign", json::object());
    EXPECT_EQ(t.status, 200) << t.body.dump();
    auto m = ana.post("/v1/conversations/" + convs[0] + "/messages",
                      {{"text", "Olá!"}});
    EXPECT_EQ(m.status, 201) << m.body.dump();
    stop();
    auto v = verify();
    ASSERT_EQ(v.code, 0) << "the intact data verifies\n" << v;
  }

  cast c_;
};

TEST_F(ReplayDamage, AFlippedByteInAJournalEntryFailsVerifyNamingTheEntry) {
  SEED_TRACE();
  ASSERT_NO_FATAL_FAILURE(run_short_scenario());
  {
    auto db = open_store(dir_.path());
    ASSERT_NE(db, nullptr);
    auto value = journal_entry(*db, 5);
    auto parts = split_entry(value);
    ASSERT_TRUE(parts.has_value()) << "acme#5 is not a chained record";
    ASSERT_FALSE(parts->payload.empty());
    auto at = parts->payload_at +
              static_cast<std::size_t>(uniform(
                  rng_, 0, static_cast<int>(parts->payload.size()) - 1));
    value[at] = static_cast<char>(value[at] ^ (1 << uniform(rng_, 0, 7)));
    put(*db, keys::journal("acme", 5), value);
  }
  auto v = verify();
  EXPECT_EQ(v.code, 1) << v;
  EXPECT_NE(v.out.find("difference: tenant acme: journal entry acme#5 "),
            std::string::npos)
      << v;
  auto j = verify(true);
  EXPECT_EQ(j.code, 1) << j;
  auto doc = j.doc();
  ASSERT_TRUE(doc.is_object()) << j;
  EXPECT_EQ(doc["ok"], false);
  EXPECT_EQ(doc["difference"]["tenant"], "acme") << j;
  EXPECT_EQ(doc["difference"]["entry"], "acme#5") << j;
  EXPECT_FALSE(doc["difference"]["message"].get<std::string>().empty()) << j;

  // The damaged journal is not replayed for the other modes either.
  auto lines = run_replay({"--data", dir_.path(), "--json"});
  EXPECT_EQ(lines.code, 1) << lines;
  EXPECT_NE(lines.err.find("acme#5"), std::string::npos) << lines;
}

/// to_previous_format rewrites a stopped server's store as format 1 wrote
/// it: presence, round-robin turns and the next seq inside the tenant
/// snapshot, no keys of their own.
void to_previous_format(store& db) {
  auto t = db.get(keys::tenant("acme"));
  ASSERT_TRUE(t && t->has_value());
  auto rec = decode_record(**t);
  ASSERT_TRUE(rec);
  auto snapshot = json::parse(rec->payload);
  ASSERT_FALSE(snapshot.contains("next_seq"));
  rocksdb::WriteBatch b;
  auto presence = json::object();
  auto pp = keys::presence_prefix("acme");
  ASSERT_TRUE(db.scan(pp, [&](std::string_view k, std::string_view v) {
    auto r = decode_record(v);
    EXPECT_TRUE(r);
    presence[std::string{k.substr(pp.size())}] = json::parse(r->payload);
    b.Delete(k);
    return true;
  }));
  ASSERT_FALSE(presence.empty()) << "the scenario has an agent's presence";
  auto turns = json::object();
  auto tp = keys::turn_prefix("acme");
  ASSERT_TRUE(db.scan(tp, [&](std::string_view k, std::string_view v) {
    turns[std::string{k.substr(tp.size())}] = std::string{v};
    b.Delete(k);
    return true;
  }));
  auto last = db.last_key(keys::journal_prefix("acme"));
  ASSERT_TRUE(last && last->has_value());
  snapshot["presence"] = presence;
  snapshot["round_robin_turn"] = turns;
  snapshot["next_seq"] =
      keys::read_fixed64be(std::string_view{**last}.substr(
          keys::journal_prefix("acme").size())) + 1;
  b.Put(keys::tenant("acme"),
        encode_record(record_kind::snapshot, snapshot.dump()));
  b.Put(store::format_key, store::previous_format);
  auto w = db.write(b, true);
  ASSERT_TRUE(w.has_value()) << w.error().message;
}

TEST_F(ReplayDamage, ADataDirectoryOfThePreviousFormatOpensAndVerifies) {
  SEED_TRACE();
  ASSERT_NO_FATAL_FAILURE(run_short_scenario());
  {
    auto db = open_store(dir_.path());
    ASSERT_NE(db, nullptr);
    ASSERT_NO_FATAL_FAILURE(to_previous_format(*db));
  }
  // The audit reads a store as it is, and says what to do with an old one.
  auto old = verify();
  EXPECT_EQ(old.code, 2) << old;
  EXPECT_NE(old.err.find("data format 1"), std::string::npos) << old;
  // atende serve upgrades it, and goes on where it stopped.
  start();
  auto a = as(c_.admin);
  auto more = inbound(a, "acme", next_id(), phone(9), "depois da troca");
  EXPECT_FALSE(more.empty());
  stop();
  auto v = verify();
  EXPECT_EQ(v.code, 0) << v;
  EXPECT_NE(v.out.find("verified: "), std::string::npos) << v;
  auto db = open_store(dir_.path());
  ASSERT_NE(db, nullptr);
  EXPECT_FALSE(db->needs_upgrade());
}

/// to_json_entities rewrites every conversation and contact snapshot of a
/// stopped server's store in the JSON form written before the binary one,
/// and drops the core checkpoint, so that a load reads every snapshot.
void to_json_entities(store& db) {
  rocksdb::WriteBatch b;
  int conversations = 0;
  int contacts = 0;
  ASSERT_TRUE(db.scan(keys::conversation_prefix("acme"),
                      [&](std::string_view k, std::string_view v) {
                        auto c = decode_conversation(v);
                        EXPECT_TRUE(c);
                        b.Put(k, encode_snapshot(to_json(*c).dump()));
                        ++conversations;
                        return true;
                      }));
  ASSERT_TRUE(db.scan(keys::contact_prefix("acme"),
                      [&](std::string_view k, std::string_view v) {
                        auto c = decode_contact(v);
                        EXPECT_TRUE(c);
                        json j;
                        to_json(j, *c);
                        b.Put(k, encode_snapshot(j.dump()));
                        ++contacts;
                        return true;
                      }));
  ASSERT_GT(conversations, 0);
  ASSERT_GT(contacts, 0);
  const auto core = keys::core_prefix("acme");
  b.DeleteRange(core, core + "\xff");
  auto w = db.write(b, true);
  ASSERT_TRUE(w.has_value()) << w.error().message;
}

TEST_F(ReplayDamage, ADataDirectoryWithJsonEntitySnapshotsVerifiesAndServes) {
  SEED_TRACE();
  ASSERT_NO_FATAL_FAILURE(run_short_scenario());
  {
    auto db = open_store(dir_.path());
    ASSERT_NE(db, nullptr);
    ASSERT_NO_FATAL_FAILURE(to_json_entities(*db));
  }
  auto before = verify();
  EXPECT_EQ(before.code, 0) << "JSON snapshots hold the replayed entities\n"
                            << before;
  // The server reads them, and writes what changes in the binary form.
  start();
  auto a = as(c_.admin);
  auto again = inbound(a, "acme", next_id(), phone(0), "de novo");
  auto list = a.get("/v1/conversations?limit=50");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body["counts"]["all"], 4) << "joins the open conversation";
  EXPECT_FALSE(again.empty());
  stop();
  auto after = verify();
  EXPECT_EQ(after.code, 0) << after;
}

TEST_F(ReplayDamage, ARewrittenEntryBreaksTheChain) {
  SEED_TRACE();
  ASSERT_NO_FATAL_FAILURE(run_short_scenario());
  std::uint64_t s = 0;
  std::string original;
  {
    auto db = open_store(dir_.path());
    ASSERT_NE(db, nullptr);
    // A customer's message, rewritten as a well-formed entry with another
    // text, chained from the entry before it: only the next entry's hash
    // shows it.
    s = first_of(*db, "message.received");
    ASSERT_GT(s, 1u);
    original = journal_entry(*db, s);
    auto prev = decode_journal_entry(journal_entry(*db, s - 1));
    ASSERT_TRUE(prev.has_value()) << prev.error().message;
    ASSERT_TRUE(prev->hash.has_value()) << "acme#" << s - 1 << " is unchained";
    auto cur = decode_journal_entry(original);
    ASSERT_TRUE(cur.has_value()) << cur.error().message;
    auto changed = json::parse(cur->payload);
    ASSERT_TRUE(changed["data"].contains("text")) << changed.dump();
    changed["data"]["text"] = "um texto que o cliente nunca mandou";
    auto ev = event_from_text(changed.dump());
    ASSERT_TRUE(ev.has_value()) << ev.error().message;
    chain_hash next{};
    put(*db, keys::journal("acme", s),
        encode_chained_event(*ev, *prev->hash, &next));
  }
  auto name = "acme#" + std::to_string(s + 1);
  auto v = verify();
  EXPECT_EQ(v.code, 1) << v;
  EXPECT_NE(v.out.find("difference: tenant acme: journal entry " + name + " "),
            std::string::npos)
      << v;
  EXPECT_NE(v.out.find("chain breaks"), std::string::npos) << v;
  auto j = verify(true);
  EXPECT_EQ(j.code, 1) << j;
  EXPECT_EQ(j.doc()["difference"]["entry"], name) << j;

  // The original entry back: intact again.
  {
    auto db = open_store(dir_.path());
    ASSERT_NE(db, nullptr);
    put(*db, keys::journal("acme", s), original);
  }
  auto back = verify();
  EXPECT_EQ(back.code, 0) << back;

  // A journal cut short (its last entry gone) is a difference too: the live
  // tenant has seen more events than the journal holds.
  {
    auto db = open_store(dir_.path());
    ASSERT_NE(db, nullptr);
    auto last = db->last_key(keys::journal_prefix("acme"));
    ASSERT_TRUE(last.has_value() && last->has_value());
    rocksdb::WriteBatch b;
    b.Delete(**last);
    ASSERT_TRUE(db->write(b, true).has_value());
  }
  auto cut = verify(true);
  EXPECT_EQ(cut.code, 1) << cut;
  auto doc = cut.doc();
  ASSERT_TRUE(doc.is_object()) << cut;
  EXPECT_EQ(doc["ok"], false) << cut;
  EXPECT_EQ(doc["difference"]["tenant"], "acme") << cut;
}

TEST_F(Replay, UntilReproducesTheListsAnAgentSaw) {
  SEED_TRACE();
  start();
  auto c = make_tenant(srv_->port(), "acme", "manual", {"ana", "bob"});
  auto admin = as(c.admin);
  auto ana = as(c.agents.at("ana"));
  auto bob = as(c.agents.at("bob"));

  // Phase 1: conversations arrive; ana takes some of them, answers one.
  const int arrived = uniform(rng_, 4, 7);
  std::vector<std::string> convs;
  for (int i = 0; i < arrived; ++i) {
    convs.push_back(inbound(admin, "acme", next_id(), phone(i)));
  }
  std::vector<std::string> taken = convs;
  std::shuffle(taken.begin(), taken.end(), rng_);
  taken.resize(static_cast<std::size_t>(uniform(rng_, 2, 3)));
  for (const auto& id : taken) {
    auto r = ana.post("/v1/conversations/" + id + "/assign", json::object());
    EXPECT_EQ(r.status, 200) << r.body.dump();
  }
  auto m = ana.post("/v1/conversations/" + taken[0] + "/messages",
                    {{"text", "Já vejo isso"}});
  EXPECT_EQ(m.status, 201) << m.body.dump();
  // A later message moves its conversation to the top of the lists.
  inbound(admin, "acme", next_id(), phone(arrived - 1), "alô?");

  std::map<std::string, json> then;
  for (const char* view : {"mine", "unassigned", "all"}) {
    then[view] = list(ana, view);
  }
  ASSERT_EQ(then["mine"].size(), taken.size());
  const timestamp t = now_ms();
  // Everything from here on is stamped later than t.
  while (now_ms() <= t) {
  }

  // Phase 2: ana finishes one, bob takes one, more customers write.
  auto f = ana.post("/v1/conversations/" + taken[1] + "/finish",
                    {{"description", "resolvido"}});
  EXPECT_EQ(f.status, 200) << f.body.dump();
  auto waiting = ids(then["unassigned"]);
  ASSERT_FALSE(waiting.empty());
  auto b = bob.post("/v1/conversations/" + waiting.front() + "/assign",
                    json::object());
  EXPECT_EQ(b.status, 200) << b.body.dump();
  for (int i = arrived; i < arrived + 2; ++i) {
    inbound(admin, "acme", next_id(), phone(i));
  }
  std::map<std::string, json> now_ana, now_bob;
  for (const char* view : {"mine", "unassigned", "all"}) {
    now_ana[view] = list(ana, view);
    now_bob[view] = list(bob, view);
  }
  ASSERT_NE(ids(now_ana["all"]), ids(then["all"]));

  auto at_t = run_replay({"--data", dir_.path(), "--until", format_time(t),
                          "--tenant", "acme", "--agent", "ana", "--json"});
  ASSERT_EQ(at_t.code, 0) << at_t;
  auto doc = at_t.doc();
  ASSERT_TRUE(doc.is_object()) << at_t;
  EXPECT_EQ(doc["tenant"], "acme");
  EXPECT_EQ(doc["until"], format_time(t));
  EXPECT_GT(doc["last_seq"].get<std::uint64_t>(), 0u);
  ASSERT_TRUE(doc["last_at"].is_string()) << at_t;
  EXPECT_LE(*parse_time(doc["last_at"].get<std::string>()), t);
  ASSERT_EQ(doc["agents"].size(), 1u) << at_t;
  auto& seen = doc["agents"][0];
  EXPECT_EQ(seen["agent"], "ana");
  EXPECT_EQ(seen["role"], "agent");
  for (const char* view : {"mine", "unassigned", "all"}) {
    SCOPED_TRACE(view);
    EXPECT_EQ(ids(seen[view]), ids(then[view]));
    EXPECT_EQ(seen[view], then[view]);
  }

  // Until now: the lists as they are, for every agent of the tenant.
  auto at_now = run_replay({"--data", dir_.path(), "--until", now_text(),
                            "--tenant", "acme", "--json"});
  ASSERT_EQ(at_now.code, 0) << at_now;
  auto all = at_now.doc();
  ASSERT_TRUE(all.is_object()) << at_now;
  std::map<std::string, json> by_agent;
  for (const auto& l : all["agents"]) {
    by_agent[l["agent"].get<std::string>()] = l;
  }
  EXPECT_EQ(by_agent.size(), 3u) << at_now;
  ASSERT_TRUE(by_agent.contains(c.admin_id)) << at_now;
  EXPECT_EQ(by_agent[c.admin_id]["role"], "admin");
  ASSERT_TRUE(by_agent.contains("ana") && by_agent.contains("bob")) << at_now;
  for (const char* view : {"mine", "unassigned", "all"}) {
    SCOPED_TRACE(view);
    EXPECT_EQ(ids(by_agent["ana"][view]), ids(now_ana[view]));
    EXPECT_EQ(ids(by_agent["bob"][view]), ids(now_bob[view]));
  }
  EXPECT_EQ(ids(by_agent[c.admin_id]["all"]), ids(list(admin, "all")));

  // Before the tenant existed there was nothing to see.
  auto before =
      run_replay({"--data", dir_.path(), "--until", "2000-01-01T00:00:00Z",
                  "--tenant", "acme", "--json"});
  EXPECT_EQ(before.code, 0) << before;
  EXPECT_EQ(before.doc()["last_seq"], 0) << before;
  EXPECT_TRUE(before.doc()["agents"].empty()) << before;
}

/// timeline_pages reads the whole HTTP timeline of `conv`, `limit` items a
/// page.
json timeline_pages(api& a, const std::string& conv, int limit) {
  auto items = json::array();
  std::string cursor;
  for (int pages = 0; pages < 100; ++pages) {
    auto path = "/v1/conversations/" + conv +
                "/timeline?limit=" + std::to_string(limit);
    if (!cursor.empty()) {
      path += "&cursor=" + cursor;
    }
    auto r = a.get(path);
    EXPECT_EQ(r.status, 200) << r.body.dump();
    if (r.status != 200) {
      break;
    }
    EXPECT_LE(r.body["items"].size(), static_cast<std::size_t>(limit));
    for (auto& e : r.body["items"]) {
      items.push_back(e);
    }
    if (!r.body["next_cursor"].is_string()) {
      break;
    }
    cursor = r.body["next_cursor"];
  }
  return items;
}

TEST_F(Replay, TimelineShowsEveryEventWithWhoAndWhy) {
  SEED_TRACE();
  start();
  auto c = make_tenant(srv_->port(), "acme", "round_robin", {"ana"});
  auto admin = as(c.admin);
  created(admin.post("/v1/teams", {{"id", "support"}, {"name", "Support"}}));
  auto bob = admin.post("/v1/agents", {{"id", "bob"},
                                       {"name", "Bob"},
                                       {"role", "agent"},
                                       {"teams", {"support"}}});
  created(bob);
  created(admin.post("/v1/reasons", {{"id", "solved"}, {"name", "Solved"}}));
  auto ana = as(c.agents.at("ana"));
  auto online = ana.post("/v1/agents/me/status", {{"status", "online"}});
  ASSERT_EQ(online.status, 200) << online.body.dump();

  // It arrives and round robin gives it to ana, the one available agent.
  auto conv = inbound(admin, "acme", next_id(), phone(1), "meu pedido atrasou");
  ASSERT_FALSE(conv.empty());
  ASSERT_EQ(admin.get("/v1/conversations/" + conv).body["assignee"], "ana");
  const timestamp assigned_by = now_ms();
  while (now_ms() <= assigned_by) {
  }
  // Ana sends it to support, where nobody is assigned automatically; bob
  // takes it and finishes it.
  auto tr = ana.post("/v1/conversations/" + conv + "/transfer",
                     {{"team", "support"}});
  ASSERT_EQ(tr.status, 200) << tr.body.dump();
  ASSERT_EQ(tr.body["status"], "waiting");
  auto bob_api = as(bob.body["token"]);
  auto take =
      bob_api.post("/v1/conversations/" + conv + "/assign", json::object());
  ASSERT_EQ(take.status, 200) << take.body.dump();
  auto fin = bob_api.post("/v1/conversations/" + conv + "/finish",
                          {{"reason", "solved"}, {"description", "reenviado"}});
  ASSERT_EQ(fin.status, 200) << fin.body.dump();
  // Another customer's conversation stays out of this timeline.
  inbound(admin, "acme", next_id(), phone(2));

  auto r = run_replay({"--data", dir_.path(), "--conversation", conv,
                       "--tenant", "acme", "--json"});
  ASSERT_EQ(r.code, 0) << r;
  auto doc = r.doc();
  ASSERT_TRUE(doc.is_object()) << r;
  EXPECT_EQ(doc["tenant"], "acme");
  EXPECT_EQ(doc["conversation"], conv);
  const auto& items = doc["items"];
  std::vector<std::string> types;
  std::uint64_t last_seq = 0;
  for (const auto& e : items) {
    auto seq = at(e, {"seq"});
    ASSERT_TRUE(seq.is_number_unsigned()) << e.dump();
    EXPECT_GT(seq.get<std::uint64_t>(), last_seq) << e.dump();
    last_seq = seq;
    types.push_back(
        at(e, {"type"}).is_string() ? at(e, {"type"}).get<std::string>() : "");
    EXPECT_TRUE(at(e, {"summary"}).is_string() &&
                !at(e, {"summary"}).get<std::string>().empty())
        << e.dump();
    EXPECT_EQ(at(e, {"data", "conversation"}), conv) << e.dump();
  }
  ASSERT_EQ(types, (std::vector<std::string>{
                       "conversation.opened", "message.received",
                       "conversation.assigned", "conversation.transferred",
                       "conversation.assigned", "conversation.finished"}))
      << r;
  const auto& opened = items[0];
  EXPECT_EQ(at(opened, {"actor"}), "connector");
  ASSERT_TRUE(opened.contains("waiting")) << opened.dump();
  EXPECT_EQ(at(opened, {"waiting", "team"}), "sales") << opened.dump();
  EXPECT_FALSE(items[1].contains("waiting")) << items[1].dump();
  const auto& automatic = items[2];
  EXPECT_EQ(at(automatic, {"actor"}), "rule:round_robin") << automatic.dump();
  EXPECT_EQ(at(automatic, {"data", "agent"}), "ana");
  EXPECT_EQ(at(automatic, {"data", "rule"}), "round_robin");
  EXPECT_EQ(at(automatic, {"data", "eligible"}), json::array({"ana"}));
  ASSERT_TRUE(automatic.contains("waiting")) << automatic.dump();
  EXPECT_TRUE(at(automatic, {"waiting"}).is_null()) << automatic.dump();
  const auto& transfer = items[3];
  EXPECT_EQ(at(transfer, {"actor"}), "agent:ana");
  EXPECT_EQ(at(transfer, {"data", "to_team"}), "support");
  EXPECT_EQ(at(transfer, {"waiting", "team"}), "support") << transfer.dump();
  const auto& taken = items[4];
  EXPECT_EQ(at(taken, {"actor"}), "agent:bob");
  EXPECT_EQ(at(taken, {"data", "rule"}), "take");
  ASSERT_TRUE(taken.contains("waiting")) << taken.dump();
  EXPECT_TRUE(at(taken, {"waiting"}).is_null());
  const auto& finished = items[5];
  EXPECT_EQ(at(finished, {"actor"}), "agent:bob");
  EXPECT_EQ(at(finished, {"data", "reason"}), "solved");
  EXPECT_FALSE(finished.contains("waiting")) << finished.dump();

  // The dashboard reads the same items, page by page.
  auto http = timeline_pages(admin, conv, 2);
  EXPECT_EQ(http, items);

  // As of a moment: the events up to then.
  auto early = run_replay({"--data", dir_.path(), "--conversation", conv,
                           "--until", format_time(assigned_by), "--json"});
  ASSERT_EQ(early.code, 0) << early;
  auto first_three = json(std::vector<json>(items.begin(), items.begin() + 3));
  EXPECT_EQ(early.doc()["items"], first_three) << early;

  // Text: one line per event, `#seq  time  type  actor  summary`.
  auto text = run_replay({"--data", dir_.path(), "--conversation", conv});
  ASSERT_EQ(text.code, 0) << text;
  std::vector<std::string> event_lines;
  for (const auto& line : lines_of(text.out)) {
    if (line.starts_with("#")) {
      event_lines.push_back(line);
    }
  }
  ASSERT_EQ(event_lines.size(), items.size()) << text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& e = items[i];
    const auto& line = event_lines[i];
    EXPECT_TRUE(line.starts_with(
        "#" + std::to_string(e["seq"].get<std::uint64_t>()) + " "))
        << line;
    for (const char* field : {"at", "type", "actor", "summary"}) {
      EXPECT_NE(line.find(at(e, {field}).get<std::string>()), std::string::npos)
          << field << " in " << line;
    }
  }

  auto unknown = run_replay({"--data", dir_.path(), "--conversation", "nope"});
  EXPECT_EQ(unknown.code, 2) << unknown;
  EXPECT_NE(unknown.err.find("nope"), std::string::npos) << unknown;
}

/// chain_head recomputes h_n = SHA-256(h_{n-1} || line_n) from 32 zero bytes.
std::string chain_head(const std::vector<std::string>& lines) {
  std::string h(32, '\0');
  for (const auto& line : lines) {
    auto hex = sha256_hex(h + line);
    for (std::size_t i = 0; i < 32; ++i) {
      h[i] = static_cast<char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    }
  }
  std::string out;
  static const char* digits = "0123456789abcdef";
  for (unsigned char ch : h) {
    out += digits[ch >> 4];
    out += digits[ch & 15];
  }
  return out;
}

TEST_F(Replay, JsonLinesRecomputeTheChainHead) {
  SEED_TRACE();
  start();
  auto acme = make_tenant(srv_->port(), "acme", "round_robin", {"ana"});
  auto globex = make_tenant(srv_->port(), "globex", "manual", {"zoe"});
  auto a = as(acme.admin);
  auto g = as(globex.admin);
  EXPECT_EQ(as(acme.agents.at("ana"))
                .post("/v1/agents/me/status", {{"status", "online"}})
                .status,
            200);
  for (int i = uniform(rng_, 3, 8); i > 0; --i) {
    inbound(a, "acme", next_id(), phone(uniform(rng_, 0, 4)),
            "texto com acentuação e \"aspas\" " + std::to_string(i));
    inbound(g, "globex", next_id(), phone(uniform(rng_, 0, 4)));
  }
  stop();

  auto v = verify(true);
  ASSERT_EQ(v.code, 0) << v;
  auto doc = v.doc();
  ASSERT_TRUE(doc.is_object()) << v;
  std::map<std::string, json> reports;
  for (const auto& t : doc["tenants"]) {
    reports[t["tenant"].get<std::string>()] = t;
  }
  ASSERT_EQ(reports.size(), 2u) << v;

  for (const char* tenant_id : {"acme", "globex"}) {
    SCOPED_TRACE(tenant_id);
    auto r =
        run_replay({"--data", dir_.path(), "--tenant", tenant_id, "--json"});
    ASSERT_EQ(r.code, 0) << r;
    auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), reports[tenant_id]["events"].get<std::size_t>());
    for (std::size_t i = 0; i < lines.size(); ++i) {
      auto e = json::parse(lines[i], nullptr, false);
      ASSERT_TRUE(e.is_object()) << lines[i];
      EXPECT_EQ(e["seq"], i + 1) << lines[i];
      EXPECT_EQ(e["tenant"], tenant_id) << lines[i];
    }
    EXPECT_EQ(chain_head(lines), reports[tenant_id]["head"]) << r;
  }
  // Without --tenant: every tenant's lines.
  auto both = run_replay({"--data", dir_.path(), "--json"});
  ASSERT_EQ(both.code, 0) << both;
  EXPECT_EQ(lines_of(both.out).size(), doc["events"].get<std::size_t>());
}

TEST_F(Replay, ReplayFlagsAreChecked) {
  SEED_TRACE();
  start();
  make_tenant(srv_->port(), "acme", "manual", {"ana"});
  stop();
  const auto& data = dir_.path();
  temp_dir empty;

  struct bad {
    std::vector<std::string> args;
    std::string named;
  };
  for (const auto& [args, named] : std::vector<bad>{
           {{"--verify"}, "--data"},
           {{"--data", data, "--bogus"}, "--bogus"},
           {{"--data", data, "--until", "notatime", "--tenant", "acme"},
            "--until"},
           {{"--data", data, "--verify", "--until", "2026-11-21T13:00:00Z"},
            "--until"},
           {{"--data", data, "--agent", "ana"}, "--agent"},
           {{"--data", data, "--verify", "--tenant", "nobody"}, "nobody"},
           {{"--data", empty.path(), "--verify"}, empty.path()},
           {{"--data", empty.path() + "/missing", "--verify"}, "missing"}}) {
    std::string shown;
    for (const auto& a : args) {
      shown += a + " ";
    }
    SCOPED_TRACE(shown);
    auto r = run_replay(args);
    EXPECT_EQ(r.code, 2) << r;
    EXPECT_TRUE(r.out.empty()) << r;
    EXPECT_NE(r.err.find(named), std::string::npos) << r;
  }
  auto help = run_replay({"--help"});
  EXPECT_EQ(help.code, 0) << help;
  EXPECT_TRUE(help.out.starts_with("usage: atende replay")) << help;
  // The flags of a good run pass.
  auto ok = run_replay(
      {"--data", data, "--tenant", "acme", "--until", now_text(), "--json"});
  EXPECT_EQ(ok.code, 0) << ok;
}

} // namespace
} // namespace atende::test

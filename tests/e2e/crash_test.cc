// The crash invariant of DESIGN.md, end to end: kill -9 the server while it
// ingests, restart it, and every input is applied exactly once — nothing an
// acknowledged request carried is lost, and nothing is applied twice.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <mutex>
#include <set>
#include <thread>

#include "tests/e2e/server_process.h"

namespace atende::test {
namespace {

constexpr int customers = 150;
constexpr int batch_size = 100;
constexpr int batches = 40; // 4,000 envelopes

nlohmann::json envelope(int i) {
  auto customer = std::to_string(5511900000000ll + i % customers);
  return {{"id", "wamid.crash." + std::to_string(i)},
          {"type", "message.received"},
          {"tenant", "acme"},
          {"at", "2026-11-21T13:00:00.000Z"},
          {"data",
           {{"channel", "wa"},
            {"from", customer},
            {"message_id", "wamid.crash." + std::to_string(i)},
            {"kind", "text"},
            {"text", "message " + std::to_string(i)}}}};
}

nlohmann::json batch(int b) {
  auto arr = nlohmann::json::array();
  for (int i = b * batch_size; i < (b + 1) * batch_size; ++i) {
    arr.push_back(envelope(i));
  }
  return arr;
}

std::string setup_tenant(std::uint16_t port) {
  api root{port, root_token};
  auto t = root.post("/v1/tenants", {{"id", "acme"}, {"name", "Acme"}});
  EXPECT_EQ(t.status, 201) << t.body.dump();
  std::string admin = t.body["admin"]["token"];
  api a{port, admin};
  EXPECT_EQ(a.post("/v1/teams", {{"id", "support"}, {"name", "Support"}}).status,
            201);
  EXPECT_EQ(a.post("/v1/channels", {{"id", "wa"},
                                    {"kind", "whatsapp"},
                                    {"name", "WA"},
                                    {"phone", "5511999990000"},
                                    {"default_team", "support"}})
              .status,
            201);
  return admin;
}

/// message_total sums the messages of every conversation of the tenant.
std::size_t message_total(api& a) {
  std::size_t total = 0;
  std::string cursor;
  for (;;) {
    auto path = std::string{"/v1/conversations?limit=500&status=open"};
    if (!cursor.empty()) {
      path += "&cursor=" + cursor;
    }
    auto page = a.get(path);
    EXPECT_EQ(page.status, 200) << page.body.dump();
    for (const auto& c : page.body["items"]) {
      auto one = a.get("/v1/conversations/" + c["id"].get<std::string>());
      total += one.body["messages"].size();
    }
    if (page.body["next_cursor"].is_null()) {
      return total;
    }
    cursor = page.body["next_cursor"];
  }
}

TEST(Crash, KillDuringIngestLosesNothingAndAppliesNothingTwice) {
  temp_dir dir;
  std::string admin;
  std::set<int> acked;
  // Three rounds: each starts the server, posts the batches not yet
  // acknowledged from two clients, and kills it (-9) once `kill_after` more
  // batches were acknowledged, with requests still in flight.
  for (int round = 0; round < 3; ++round) {
    server_process srv{dir.path()};
    ASSERT_TRUE(srv.start());
    if (round == 0) {
      admin = setup_tenant(srv.port());
    }
    {
      // Nothing acknowledged before the crash was lost: every acked batch
      // now reads as duplicates only.
      api check{srv.port(), admin};
      for (int b : acked) {
        auto r = check.post("/v1/events", batch(b));
        ASSERT_EQ(r.status, 202);
        ASSERT_EQ(r.body["duplicates"], batch_size) << "batch " << b;
      }
    }
    std::vector<int> todo;
    for (int b = 0; b < batches; ++b) {
      if (!acked.contains(b)) {
        todo.push_back(b);
      }
    }
    std::mutex mtx;
    std::condition_variable cv;
    std::atomic<std::size_t> next{0};
    int acked_now = 0;
    const int kill_after = 5 + round * 3;
    std::vector<std::thread> clients;
    for (int c = 0; c < 2; ++c) {
      clients.emplace_back([&] {
        api a{srv.port(), admin};
        for (;;) {
          auto i = next.fetch_add(1);
          if (i >= todo.size()) {
            break;
          }
          auto r = a.post("/v1/events", batch(todo[i]));
          if (r.status != 202) {
            break; // the server is gone
          }
          std::lock_guard g{mtx};
          acked.insert(todo[i]);
          ++acked_now;
          cv.notify_all();
        }
      });
    }
    {
      std::unique_lock lk{mtx};
      cv.wait(lk, [&] {
        return acked_now >= kill_after ||
               acked.size() == static_cast<std::size_t>(batches);
      });
    }
    srv.kill9();
    for (auto& t : clients) {
      t.join();
    }
  }
  // Final round: deliver everything (duplicates are harmless), then count.
  server_process srv{dir.path()};
  ASSERT_TRUE(srv.start());
  api a{srv.port(), admin};
  std::size_t accepted = 0, duplicates = 0;
  for (int b = 0; b < batches; ++b) {
    auto r = a.post("/v1/events", batch(b));
    ASSERT_EQ(r.status, 202);
    accepted += r.body["accepted"].get<std::size_t>();
    duplicates += r.body["duplicates"].get<std::size_t>();
    if (acked.contains(b)) {
      EXPECT_EQ(r.body["duplicates"], batch_size) << "acked batch " << b;
    }
  }
  EXPECT_EQ(accepted + duplicates,
            static_cast<std::size_t>(batches * batch_size));
  EXPECT_EQ(message_total(a), static_cast<std::size_t>(batches * batch_size));
  auto list = a.get("/v1/conversations?limit=500");
  EXPECT_EQ(list.body["counts"]["all"], customers);
}

/// first_run: a server on `dir` gets the tenant and the first batch, is
/// asked what `read` reads (null when not given), and stops cleanly.
struct first_run_result {
  std::string admin;
  nlohmann::json seen;
};

first_run_result first_run(const std::string& dir,
                           const std::function<nlohmann::json(api&)>& read =
                             {}) {
  first_run_result out;
  server_process srv{dir};
  EXPECT_TRUE(srv.start());
  out.admin = setup_tenant(srv.port());
  api a{srv.port(), out.admin};
  EXPECT_EQ(a.post("/v1/events", batch(0)).status, 202);
  if (read) {
    out.seen = read(a);
  }
  EXPECT_EQ(srv.stop(), 0);
  return out;
}

TEST(Crash, CleanRestartKeepsEveryView) {
  temp_dir dir;
  auto [admin, before] = first_run(dir.path(), [](api& a) {
    return a.get("/v1/conversations?limit=500").body;
  });
  ASSERT_FALSE(::testing::Test::HasFailure());
  server_process srv{dir.path()};
  ASSERT_TRUE(srv.start());
  api a{srv.port(), admin};
  EXPECT_EQ(a.get("/v1/conversations?limit=500").body, before);
  // The restarted engine continues the tenant's state: a new message from a
  // known customer joins that customer's open conversation.
  std::string expected;
  for (const auto& c : before["items"]) {
    if (c["contact"]["phone"] == "5511900000000") {
      expected = c["id"];
    }
  }
  ASSERT_FALSE(expected.empty());
  auto r = a.post("/v1/events", nlohmann::json::array({envelope(customers)}));
  ASSERT_EQ(r.status, 202);
  EXPECT_EQ(r.body["results"][0]["conversation"], expected);
  EXPECT_EQ(a.get("/v1/conversations?limit=500").body["counts"]["all"],
            before["counts"]["all"]);
}

/// the_views: what the views answer about the whole tenant.
nlohmann::json the_views(api& a) {
  return {{"open", a.get("/v1/conversations?limit=500").body},
          {"finished",
           a.get("/v1/conversations?status=finished&limit=500").body},
          {"contacts", a.get("/v1/contacts?limit=500").body},
          {"messages", message_total(a)}};
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Crash, AStartAfterAKillReadsTheLastCheckpointAndTheJournalAfterIt) {
  temp_dir dir;
  const auto checkpoint = dir.path() + "/views.checkpoint";
  const auto admin = first_run(dir.path()).admin;
  ASSERT_FALSE(::testing::Test::HasFailure());
  const auto written = file_bytes(checkpoint);
  ASSERT_FALSE(written.empty()) << "a clean stop writes the checkpoint";
  {
    server_process srv{dir.path()};
    ASSERT_TRUE(srv.start());
    api a{srv.port(), admin};
    ASSERT_EQ(a.post("/v1/events", batch(1)).status, 202);
    srv.kill9();
  }
  ASSERT_EQ(file_bytes(checkpoint), written) << "a kill writes nothing";
  nlohmann::json restored;
  {
    server_process srv{dir.path()};
    ASSERT_TRUE(srv.start());
    api a{srv.port(), admin};
    restored = the_views(a);
    EXPECT_EQ(restored["messages"], 2 * batch_size);
    EXPECT_EQ(srv.stop(), 0);
  }
  // The same views rebuilt from the whole journal, without a checkpoint.
  ASSERT_EQ(std::remove(checkpoint.c_str()), 0);
  server_process srv{dir.path()};
  ASSERT_TRUE(srv.start());
  api a{srv.port(), admin};
  EXPECT_EQ(the_views(a), restored);
}

TEST(Crash, ADamagedCheckpointIsIgnoredAndTheViewsRebuiltFromTheJournal) {
  temp_dir dir;
  const auto checkpoint = dir.path() + "/views.checkpoint";
  auto [admin, before] = first_run(dir.path(), the_views);
  ASSERT_FALSE(::testing::Test::HasFailure());
  auto bytes = file_bytes(checkpoint);
  ASSERT_GT(bytes.size(), 100u);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
  std::ofstream(checkpoint, std::ios::binary | std::ios::trunc) << bytes;
  server_process srv{dir.path()};
  ASSERT_TRUE(srv.start());
  api a{srv.port(), admin};
  EXPECT_EQ(the_views(a), before);
}

} // namespace
} // namespace atende::test

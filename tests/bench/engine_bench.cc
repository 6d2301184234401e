// Ingest through the whole engine on the embedded log, without HTTP:
// inputs appended to the log, shards, tenant and conversation actors,
// journal + snapshots + offsets in synced RocksDB batches, views updated.
//
//   ./build/atende_bench --benchmark_filter=Engine
#include <benchmark/benchmark.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>

#include "events/time.h"
#include "gateways/crypto.h"
#include "tests/bench/run_sync.h"
#include "tools/engine.h"

namespace atende {
namespace {

input command(const std::string& type, nlohmann::json data) {
  nlohmann::json j{{"id", "cmd-" + type},
                   {"tenant", "bench"},
                   {"at", "2026-11-21T12:00:00.000Z"},
                   {"type", type},
                   {"actor", type == "tenant.create" ? "root" : "agent:admin"},
                   {"data", std::move(data)}};
  return *decode_input(j, input_scope::any);
}

input envelope(std::uint64_t i, std::uint64_t customers) {
  input in;
  in.id = "wamid." + std::to_string(i);
  in.tenant = "bench";
  in.at = 1'795'000'000'000 + static_cast<timestamp>(i);
  in.actor = "connector";
  message_received_in m;
  m.channel = "wa";
  m.from = std::to_string(5511000000000ull + i % customers);
  m.message_id = in.id;
  m.kind = "text";
  m.text = "Hello, I need help with my order " + std::to_string(i);
  in.data = m;
  return in;
}

/// distribute: team support assigns automatically (`how`) to 10 online
/// agents with room for every conversation of the run.
void distribute(engine_port& port, const std::string& how) {
  run_sync(port, {command("team.patch", {{"id", "support"},
                                         {"fields", {{"distribution", how}}}})});
  for (int a = 0; a < 10; ++a) {
    auto id = "ag" + std::to_string(a);
    run_sync(port,
             {command("agent.create", {{"id", id},
                                       {"name", id},
                                       {"role", "agent"},
                                       {"teams", {"support"}},
                                       {"max_concurrent", 10'000'000},
                                       {"token_hash", sha256_hex(id)}})});
    auto online = command("agent.status", {{"status", "online"}});
    online.id = "online-" + id;
    online.actor = "agent:" + id;
    run_sync(port, {online});
  }
}

void setup(engine_port& port) {
  nlohmann::json admin{{"id", "admin"},          {"name", "Admin"},
                       {"role", "admin"},        {"teams", nlohmann::json::array()},
                       {"max_concurrent", nullptr}, {"token_hash", sha256_hex("x")}};
  run_sync(port, {command("tenant.create",
                          {{"tenant", {{"id", "bench"}, {"name", "Bench"},
                                       {"timezone", "America/Sao_Paulo"}}},
                           {"admin", admin}})});
  run_sync(port, {command("team.create", {{"id", "support"},
                                          {"name", "Support"},
                                          {"distribution", "manual"},
                                          {"max_per_agent", 5},
                                          {"require_reason", false}})});
  run_sync(port, {command("channel.create", {{"id", "wa"},
                                             {"kind", "whatsapp"},
                                             {"name", "WA"},
                                             {"phone", "5511999990000"},
                                             {"phone_number_id", nullptr},
                                             {"default_team", "support"}})});
}

/// Engine_Ingest: arg 0 = envelopes per submit, arg 1 = sync (1) or not,
/// arg 2 = automatic distribution (1: least_busy over 10 online agents, so
/// every new conversation is also assigned) or none (0).
/// Four submitters keep the log fed, as concurrent HTTP requests would.
void Engine_Ingest(benchmark::State& state) {
  char tmpl[] = "/tmp/atende-bench-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  config cfg;
  cfg.data = dir;
  cfg.engine_sync = state.range(1) != 0;
  auto eng = tools::engine::start(cfg, true);
  if (!eng) {
    state.SkipWithError(eng.error().message.c_str());
    return;
  }
  auto& port = (*eng)->port();
  setup(port);
  if (state.range(2) != 0) {
    distribute(port, "least_busy");
  }
  const auto per_submit = static_cast<std::uint64_t>(state.range(0));
  constexpr std::uint64_t customers = 100'000;
  std::uint64_t next = 0;
  std::uint64_t total = 0;
  for (auto _ : state) {
    // 20 submits of `per_submit` in flight at once, then wait for all.
    std::mutex mtx;
    std::condition_variable cv;
    int pending = 20;
    for (int s = 0; s < 20; ++s) {
      std::vector<input> batch;
      batch.reserve(per_submit);
      for (std::uint64_t i = 0; i < per_submit; ++i) {
        batch.push_back(envelope(next++, customers));
      }
      port.submit(std::move(batch), [&](std::vector<outcome>) {
        std::lock_guard g{mtx};
        --pending;
        cv.notify_all();
      });
    }
    std::unique_lock lk{mtx};
    cv.wait(lk, [&] { return pending == 0; });
    total += 20 * per_submit;
  }
  state.counters["events/s"] =
    benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
  state.counters["conversations"] =
    static_cast<double>((*eng)->read_side().conversation_count());
  eng->reset();
  std::system(("rm -rf " + dir).c_str());
}

BENCHMARK(Engine_Ingest)
  ->Args({500, 1, 0})
  ->Args({500, 0, 0})
  ->Args({500, 1, 1})
  ->Unit(benchmark::kMillisecond)
  ->UseRealTime()
  ->MinTime(5.0);

} // namespace
} // namespace atende

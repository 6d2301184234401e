// Sending through Meta's Graph API: atende's sender against the suite's fake
// Graph API on loopback (tests/support/fake_graph.h), with the whole engine
// on the embedded log behind it: the agents' sends committed, the sender
// finding them, marking each attempt, posting it over keep-alive
// connections, and recording Meta's wamid through the log.
//
//   ./build/atende_bench --benchmark_filter=Sender
#include <benchmark/benchmark.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "gateways/crypto.h"
#include "gateways/secrets.h"
#include "tests/support/fake_graph.h"
#include "tools/engine.h"

namespace atende {
namespace {

constexpr timestamp t0 = 1'795'000'000'000;

input command(const std::string& id, const std::string& type,
              nlohmann::json data, timestamp at = t0) {
  nlohmann::json j{{"id", id},
                   {"tenant", "bench"},
                   {"at", format_time(at)},
                   {"type", type},
                   {"actor", type == "tenant.create" ? "root" : "agent:admin"},
                   {"data", std::move(data)}};
  auto in = decode_input(j, input_scope::any);
  if (!in) {
    std::fprintf(stderr, "bench: %s: %s\n", in.error().field.c_str(),
                 in.error().message.c_str());
    std::abort();
  }
  return *in;
}

std::vector<outcome> run_sync(engine_port& port, std::vector<input> inputs) {
  std::mutex mtx;
  std::condition_variable cv;
  bool done = false;
  std::vector<outcome> out;
  port.submit(std::move(inputs), [&](std::vector<outcome> o) {
    std::lock_guard g{mtx};
    out = std::move(o);
    done = true;
    cv.notify_all();
  });
  std::unique_lock lk{mtx};
  cv.wait(lk, [&] { return done; });
  return out;
}

/// Sender_Throughput: arg 0 = requests in flight. Each iteration commits
/// 2,000 agents' texts to 2,000 customers and waits until Meta accepted
/// every one and atende recorded its wamid.
void Sender_Throughput(benchmark::State& state) {
  char tmpl[] = "/tmp/atende-bench-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  test::fake_graph graph;
  graph.record(false);
  auto secrets = sealer::from_hex(std::string(64, '5'));
  config cfg;
  cfg.data = dir;
  auto eng = tools::engine::start(cfg, true);
  if (!eng) {
    state.SkipWithError(eng.error().message.c_str());
    return;
  }
  auto& port = (*eng)->port();
  nlohmann::json admin{{"id", "admin"},   {"name", "Admin"},
                       {"role", "admin"}, {"teams", nlohmann::json::array()},
                       {"max_concurrent", nullptr},
                       {"token_hash", sha256_hex("x")}};
  run_sync(port, {command("c1", "tenant.create",
                          {{"tenant", {{"id", "bench"}, {"name", "Bench"},
                                       {"timezone", "America/Sao_Paulo"}}},
                           {"admin", admin}})});
  run_sync(port, {command("c2", "team.create", {{"id", "support"},
                                                {"name", "Support"}})});
  run_sync(port,
           {command("c3", "channel.create",
                    {{"id", "wa"},
                     {"kind", "whatsapp"},
                     {"name", "WA"},
                     {"phone", "5511999990000"},
                     {"phone_number_id", "220000000000001"},
                     {"default_team", "support"},
                     {"access_token", *secrets->seal("EAAG-bench")}})});
  sender_options o;
  o.graph_url = graph.url();
  o.rate_per_number = 1'000'000;
  o.max_in_flight = static_cast<std::uint32_t>(state.range(0));
  if (auto r = (*eng)->start_sender(*secrets, o); !r) {
    state.SkipWithError(r.error().message.c_str());
    return;
  }
  constexpr int customers = 2000;
  std::vector<std::string> convs;
  {
    std::vector<input> batch;
    for (int i = 0; i < customers; ++i) {
      input in;
      in.id = "wamid.in" + std::to_string(i);
      in.tenant = "bench";
      in.at = t0 + i;
      in.type = "message.received";
      in.actor = "connector";
      message_received_in m;
      m.channel = "wa";
      m.from = std::to_string(5511900000000ull + static_cast<unsigned>(i));
      m.message_id = in.id;
      m.kind = "text";
      m.text = "Oi";
      in.data = m;
      batch.push_back(std::move(in));
    }
    for (const auto& out : run_sync(port, std::move(batch))) {
      convs.push_back(out.conversation);
    }
  }
  std::uint64_t sent = 0;
  std::uint64_t n = 0;
  for (auto _ : state) {
    std::vector<input> batch;
    for (const auto& c : convs) {
      batch.push_back(command("s" + std::to_string(n++), "conversation.send",
                              {{"conversation", c}, {"text", "Bom dia"}},
                              t0 + 60'000));
    }
    run_sync(port, std::move(batch));
    sent += convs.size();
    while ((*eng)->sender()->health("bench", "wa")["accepted"]
             .get<std::uint64_t>() < sent) {
      std::this_thread::sleep_for(std::chrono::microseconds{200});
    }
  }
  state.counters["sends/s"] =
    benchmark::Counter(static_cast<double>(sent), benchmark::Counter::kIsRate);
  eng->reset();
  std::system(("rm -rf " + dir).c_str());
}

BENCHMARK(Sender_Throughput)
  ->Arg(16)
  ->Arg(64)
  ->Unit(benchmark::kMillisecond)
  ->UseRealTime()
  ->MinTime(3);

} // namespace
} // namespace atende

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
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "gateways/crypto.h"
#include "gateways/secrets.h"
#include "tests/support/fake_graph.h"
#include "tests/bench/run_sync.h"
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

/// sending_engine: an engine with the sender on, a channel with a token,
/// and `customers` conversations whose 24-hour window is open.
struct sending_engine {
  std::string dir;
  test::fake_graph graph;
  std::optional<sealer> secrets;
  std::unique_ptr<tools::engine> eng;
  std::vector<std::string> convs;
  std::uint64_t next_send = 0;
  std::uint64_t sent = 0;

  bool start(std::uint32_t in_flight, int customers, std::string& why) {
    char tmpl[] = "/tmp/atende-bench-XXXXXX";
    dir = mkdtemp(tmpl);
    graph.record(false);
    secrets = *sealer::from_hex(std::string(64, '5'));
    config cfg;
    cfg.data = dir;
    auto e = tools::engine::start(cfg, true);
    if (!e) {
      why = e.error().message;
      return false;
    }
    eng = std::move(*e);
    auto& port = eng->port();
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
    o.max_in_flight = in_flight;
    if (auto r = eng->start_sender(*secrets, o); !r) {
      why = r.error().message;
      return false;
    }
    std::vector<input> batch;
    for (int i = 0; i < customers; ++i) {
      batch.push_back(inbound(static_cast<std::uint64_t>(i), t0 + i));
    }
    for (const auto& out : run_sync(port, std::move(batch))) {
      convs.push_back(out.conversation);
    }
    return true;
  }

  static input inbound(std::uint64_t i, timestamp at) {
    input in;
    in.id = "wamid.in" + std::to_string(i);
    in.tenant = "bench";
    in.at = at;
    in.actor = "connector";
    message_received_in m;
    m.channel = "wa";
    m.from = std::to_string(5511900000000ull + i % 100'000);
    m.message_id = in.id;
    m.kind = "text";
    m.text = "Oi, preciso de ajuda com o pedido " + std::to_string(i);
    in.data = m;
    return in;
  }

  /// send_all commits one text to every conversation and waits until Meta
  /// accepted them all.
  void send_all() {
    std::vector<input> batch;
    for (const auto& c : convs) {
      batch.push_back(command("s" + std::to_string(next_send++),
                              "conversation.send",
                              {{"conversation", c}, {"text", "Bom dia"}},
                              t0 + 60'000));
    }
    run_sync(eng->port(), std::move(batch));
    sent += convs.size();
    while (eng->sender()->health("bench", "wa")["accepted"]
             .get<std::uint64_t>() < sent) {
      std::this_thread::sleep_for(std::chrono::microseconds{200});
    }
  }

  ~sending_engine() {
    eng.reset();
    std::system(("rm -rf " + dir).c_str());
  }
};

/// Sender_Throughput: arg 0 = requests in flight. Each iteration commits
/// 2,000 agents' texts to 2,000 customers and waits until Meta accepted
/// every one.
void Sender_Throughput(benchmark::State& state) {
  sending_engine s;
  std::string why;
  if (!s.start(static_cast<std::uint32_t>(state.range(0)), 2000, why)) {
    state.SkipWithError(why.c_str());
    return;
  }
  const auto before = s.sent;
  for (auto _ : state) {
    s.send_all();
  }
  state.counters["sends/s"] = benchmark::Counter(
    static_cast<double>(s.sent - before), benchmark::Counter::kIsRate);
}

/// Sender_Ingest: customers' messages ingested (10 submits of 500 in
/// flight, as concurrent webhook posts would be) while the sender is idle
/// (arg 0 = 0) or sending 2,000 texts at a time without pause (1).
void Sender_Ingest(benchmark::State& state) {
  sending_engine s;
  std::string why;
  if (!s.start(64, 2000, why)) {
    state.SkipWithError(why.c_str());
    return;
  }
  std::atomic<bool> stop{false};
  std::thread sending;
  if (state.range(0) != 0) {
    sending = std::thread([&] {
      while (!stop) {
        s.send_all();
      }
    });
  }
  const auto sent_before = s.sent;
  std::uint64_t next = 1'000'000;
  std::uint64_t total = 0;
  for (auto _ : state) {
    std::mutex mtx;
    std::condition_variable cv;
    int pending = 10;
    for (int b = 0; b < 10; ++b) {
      std::vector<input> batch;
      for (int i = 0; i < 500; ++i) {
        batch.push_back(sending_engine::inbound(next, t0 + 120'000 +
                                                        static_cast<timestamp>(next)));
        ++next;
      }
      s.eng->port().submit(std::move(batch), [&](std::vector<outcome>) {
        std::lock_guard g{mtx};
        --pending;
        cv.notify_all();
      });
    }
    std::unique_lock lk{mtx};
    cv.wait(lk, [&] { return pending == 0; });
    total += 5000;
  }
  stop = true;
  if (sending.joinable()) {
    sending.join();
  }
  state.counters["events/s"] =
    benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
  state.counters["sends"] = static_cast<double>(s.sent - sent_before);
}

BENCHMARK(Sender_Throughput)
  ->Arg(16)
  ->Arg(64)
  ->Arg(128)
  ->Unit(benchmark::kMillisecond)
  ->UseRealTime()
  ->MinTime(3);
BENCHMARK(Sender_Ingest)
  ->Arg(0)
  ->Arg(1)
  ->Unit(benchmark::kMillisecond)
  ->UseRealTime()
  ->MinTime(3);

} // namespace
} // namespace atende

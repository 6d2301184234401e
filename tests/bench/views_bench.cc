// Views benchmarks: a 25-item page of the inbox over 1,000,000 conversations
// of one tenant (50 agents in 5 teams, 3 channels, 250,000 contacts), and the
// memory the views hold per conversation.
//
// Run: ./atende_bench --benchmark_filter=Views
// Each benchmark reports p50/p99 per query (µs) besides Google Benchmark's
// mean. The load reports bytes per conversation (RSS growth / count).
//
// The tenant: every contact has a stage (1 of 5) and tags ("vip" 10%, "b2b"
// 30%); every conversation one inbound message; 80% are finished, 15% are
// assigned (half with our reply last: awaiting the customer), 5% wait.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <ctime>
#include <string>
#include <unistd.h>
#include <vector>

#include "projections/views.h"

// Queries and events are spelled with designated initializers that leave
// members at their defaults on purpose; GCC 12 warns about exactly that.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace {

using namespace atende;

constexpr int conversation_total = 1'000'000;
constexpr int contact_total = 250'000;
constexpr int agent_total = 50;
constexpr int team_total = 5;
constexpr timestamp start = 1795266000000;

long rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

struct loader {
  views& v;
  std::vector<event> batch;
  std::uint64_t seq = 0;

  void add(event_data d, timestamp at) {
    batch.push_back({.seq = ++seq, .tenant = "bench", .at = at,
                     .actor = "root", .data = std::move(d)});
    if (batch.size() >= 10'000) {
      flush();
    }
  }
  void flush() {
    v.apply(batch);
    batch.clear();
  }
};

void add_config(loader& l) {
  l.add(tenant_created{.tenant = {.id = "bench", .name = "Bench",
                                  .timezone = "UTC"},
                       .admin = {.id = "boss", .name = "Boss", .role = agent_role::admin,
                                 .teams = {}, .max_concurrent = {},
                                 .token_hash = "hash-boss"}},
        start);
  for (int t = 0; t < team_total; ++t) {
    l.add(team_created{.value = {.id = "team" + std::to_string(t),
                                 .name = "Team"}},
          start);
  }
  for (int c = 0; c < 3; ++c) {
    l.add(channel_created{.value = {.id = "ch" + std::to_string(c),
                                    .kind = channel_kind::whatsapp, .name = "Channel",
                                    .phone = "551130000000" + std::to_string(c),
                                    .phone_number_id = {},
                                    .default_team = "team0"}},
          start);
  }
  for (int a = 0; a < agent_total; ++a) {
    l.add(agent_created{.value = {.id = "agent" + std::to_string(a),
                                  .name = "Agent " + std::to_string(a),
                                  .role = agent_role::agent,
                                  .teams = {"team" + std::to_string(a % 5)},
                                  .max_concurrent = {},
                                  .token_hash = "h" + std::to_string(a)}},
          start);
  }
}

void add_contacts(loader& l, std::mt19937& rng) {
  for (int c = 0; c < contact_total; ++c) {
    contact x{.id = "contact" + std::to_string(c),
              .name = "Cliente " + std::to_string(c),
              .phone = std::to_string(5511900000000LL + c),
              .tags = {}, .stage = "stage" + std::to_string(rng() % 5),
              .departments = {}, .portfolios = {}};
    if (rng() % 10 == 0) {
      x.tags.push_back("vip");
    }
    if (rng() % 10 < 3) {
      x.tags.push_back("b2b");
    }
    l.add(contact_created{.value = std::move(x)}, start);
  }
}

void add_conversation(loader& l, std::mt19937& rng, int i) {
  timestamp at = start + i * 1000LL;
  auto id = "conv" + std::to_string(i);
  auto team = static_cast<int>(rng() % team_total);
  l.add(conversation_opened{.conversation = id,
                            .contact = "contact" +
                                       std::to_string(rng() % contact_total),
                            .channel = "ch" + std::to_string(rng() % 3),
                            .team = "team" + std::to_string(team),
                            .origin = "inbound"},
        at);
  l.add(message_received{.conversation = id, .message_id = id + ":m1",
                         .provider_id = "wamid", .kind = "text",
                         .text = "Olá, preciso de ajuda com o pedido",
                         .media_url = {}, .input = {}, .content = {}},
        at);
  auto fate = rng() % 100;
  if (fate < 5) {
    return; // waiting
  }
  auto agent = "agent" + std::to_string(team + 5 * static_cast<int>(rng() % 10));
  l.add(conversation_assigned{.conversation = id, .agent = agent,
                              .previous = {}, .rule = "take", .eligible = {}},
        at + 1);
  if (fate % 2 == 0) {
    l.add(message_sent{.conversation = id, .message_id = id + ":m2",
                       .agent = agent, .kind = "text",
                       .text = "Claro! Qual o número?", .idempotency_key = {}},
          at + 2);
  }
  if (fate >= 20) {
    l.add(conversation_finished{.conversation = id, .reason = {},
                                .description = {}},
          at + 3);
  }
}

views& loaded() {
  static views* v = [] {
    auto* out = new views;
    loader l{*out, {}, 0};
    std::mt19937 rng(42);
    add_config(l);
    l.flush();
    long before = rss_bytes();
    add_contacts(l, rng);
    l.flush();
    long contacts = rss_bytes();
    auto seq_before = l.seq;
    auto t = std::chrono::steady_clock::now();
    for (int i = 0; i < conversation_total; ++i) {
      add_conversation(l, rng, i);
    }
    l.flush();
    double secs = std::chrono::duration<double>(
                    std::chrono::steady_clock::now() - t).count();
    long after = rss_bytes();
    std::fprintf(stderr,
                 "views: loaded %llu conversation events in %.1f s "
                 "(%.0f events/s, building the events included)\n",
                 static_cast<unsigned long long>(l.seq - seq_before), secs,
                 static_cast<double>(l.seq - seq_before) / secs);
    std::fprintf(stderr,
                 "views: %d conversations, %d contacts; RSS +%.1f MiB: "
                 "%.0f bytes/conversation (%.0f with contacts)\n",
                 conversation_total, contact_total,
                 static_cast<double>(after - before) / (1 << 20),
                 static_cast<double>(after - contacts) / conversation_total,
                 static_cast<double>(after - before) / conversation_total);
    return out;
  }();
  return *v;
}

double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 +
         static_cast<double>(ts.tv_nsec) / 1e3;
}

// run_page times one query per iteration and reports its percentiles.
void run_page(benchmark::State& state, const principal& who,
              conversation_query q, bool second_page = false) {
  auto& v = loaded();
  if (second_page) {
    q.cursor = v.conversations(who, q)->items.next_cursor;
  }
  std::vector<double> wall, cpu;
  std::size_t items = 0;
  for (auto _ : state) {
    auto t = std::chrono::steady_clock::now();
    auto c = thread_cpu_us();
    auto r = v.conversations(who, q);
    cpu.push_back(thread_cpu_us() - c);
    wall.push_back(std::chrono::duration<double, std::micro>(
                     std::chrono::steady_clock::now() - t).count());
    items = r->items.items.size();
    benchmark::DoNotOptimize(r);
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  state.counters["items"] = static_cast<double>(items);
  state.counters["p50_us"] = wall[wall.size() / 2];
  state.counters["p99_us"] = wall[wall.size() * 99 / 100];
  // CPU time of the calling thread: p99 without the scheduler's share.
  state.counters["p99_cpu_us"] = cpu[cpu.size() * 99 / 100];
}

const principal boss{.tenant = "bench", .agent = "boss", .admin = true,
                     .root = false};
const principal agent7{.tenant = "bench", .agent = "agent7", .admin = false,
                       .root = false};

void Views_AllAdmin(benchmark::State& s) { run_page(s, boss, {}); }
void Views_AllAgent(benchmark::State& s) { run_page(s, agent7, {}); }
void Views_MineAgent(benchmark::State& s) {
  run_page(s, agent7, {.view = "mine"});
}
void Views_UnassignedAgent(benchmark::State& s) {
  run_page(s, agent7, {.view = "unassigned"});
}
void Views_ChannelFilter(benchmark::State& s) {
  run_page(s, boss, {.channel = "ch1"});
}
void Views_TagFilter(benchmark::State& s) {
  run_page(s, boss, {.tag = "vip"});
}
void Views_OldestSort(benchmark::State& s) {
  run_page(s, boss, {.sort = "oldest"});
}
void Views_SecondPage(benchmark::State& s) {
  run_page(s, agent7, {}, true);
}
void Views_FinishedAgent(benchmark::State& s) {
  run_page(s, agent7, {.status = "finished"});
}
void Views_AwaitingMine(benchmark::State& s) {
  run_page(s, agent7, {.view = "mine", .status = "awaiting_customer"});
}
void Views_ChannelStageTagAgent(benchmark::State& s) {
  run_page(s, agent7,
           {.channel = "ch2", .tag = "b2b", .stage = "stage3"});
}
void Views_Detail(benchmark::State& s) {
  auto& v = loaded();
  for (auto _ : s) {
    benchmark::DoNotOptimize(v.conversation(boss, "conv999999"));
  }
}

// One message on a random conversation of the million: the cold worst case
// of re-keying its lanes (most live traffic touches recent, cached ones).
void Views_ApplyMessageRandom(benchmark::State& s) {
  auto& v = loaded();
  std::uint64_t seq = 100'000'000;
  std::mt19937 rng(7);
  std::vector<event> one(1);
  for (auto _ : s) {
    auto id = "conv" + std::to_string(rng() % conversation_total);
    one[0] = {.seq = ++seq, .tenant = "bench",
              .at = start + conversation_total * 1000LL +
                    static_cast<timestamp>(seq),
              .actor = "connector",
              .data = message_received{.conversation = id,
                                       .message_id = id + std::to_string(seq),
                                       .provider_id = {}, .kind = "text",
                                       .text = "mais uma", .media_url = {},
                                       .input = {}, .content = {}}};
    v.apply(one);
  }
}

// A whole conversation (opened, received, assigned, sent, finished: 5
// events) on top of the million, applied in one batch; time per event.
void Views_ApplyNewConversation(benchmark::State& s) {
  auto& v = loaded();
  loader l{v, {}, 200'000'000};
  std::mt19937 rng(9);
  int i = 2 * conversation_total;
  std::int64_t events = 0;
  for (auto _ : s) {
    s.PauseTiming();
    std::uint64_t first = l.seq;
    add_conversation(l, rng, i++);
    auto n = l.seq - first;
    s.ResumeTiming();
    l.flush();
    events += static_cast<std::int64_t>(n);
  }
  s.SetItemsProcessed(events);
}

BENCHMARK(Views_AllAdmin);
BENCHMARK(Views_AllAgent);
BENCHMARK(Views_MineAgent);
BENCHMARK(Views_UnassignedAgent);
BENCHMARK(Views_ChannelFilter);
BENCHMARK(Views_TagFilter);
BENCHMARK(Views_OldestSort);
BENCHMARK(Views_SecondPage);
BENCHMARK(Views_FinishedAgent);
BENCHMARK(Views_AwaitingMine);
BENCHMARK(Views_ChannelStageTagAgent);
BENCHMARK(Views_Detail);
BENCHMARK(Views_ApplyMessageRandom);
BENCHMARK(Views_ApplyNewConversation);

} // namespace

// loadgen: drives a running engine over HTTP with realistic traffic and prints
// throughput and latency percentiles.
//
// It creates its own tenant (with the root token), a team, channels and
// agents, then runs a scenario:
//   ingest: posts batches of WhatsApp-style inbound messages (message.received
//           envelopes) spread over --conversations customers;
//   query:  lists conversations (the inbox views) from --concurrency clients;
//   deliveries, streams: the live updates (loadgen_live.cc).
// Each request's latency is measured; the summary goes to stdout, progress to
// stderr.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/time.h"
#include "gateways/crypto.h"
#include "gateways/http_client.h"
#include "tools/commands.h"
#include "tools/flags.h"
#include "tools/loadgen.h"

namespace atende::tools {

namespace load {

result<target> parse_url(const std::string& url) {
  std::string rest = url;
  if (rest.starts_with("http://")) {
    rest = rest.substr(7);
  }
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    rest.resize(slash);
  }
  target t;
  auto colon = rest.rfind(':');
  if (colon == std::string::npos) {
    t.host = rest;
    return t;
  }
  t.host = rest.substr(0, colon);
  try {
    t.port = static_cast<std::uint16_t>(std::stoul(rest.substr(colon + 1)));
  } catch (...) {
    return fail(errc::invalid_value, "bad port in '" + url + "'", "--url");
  }
  return t;
}

result<nlohmann::json> call(http_client& c, const std::string& method,
                            const std::string& path, const nlohmann::json& body,
                            const std::string& token, int expect) {
  auto r = c.request(method, path, body.is_null() ? "" : body.dump(), token);
  if (!r) {
    return std::unexpected(r.error());
  }
  if (r->status != expect) {
    return fail(errc::internal, method + " " + path + " -> " +
                                  std::to_string(r->status) + ": " + r->body);
  }
  return nlohmann::json::parse(r->body, nullptr, false);
}

result<setup_result> setup(const target& t, const std::string& root) {
  http_client c{t.host, t.port};
  setup_result s;
  auto suffix = random_token();
  if (!suffix) {
    return std::unexpected(suffix.error());
  }
  s.tenant = "load-" + suffix->substr(0, 8);
  auto ten = call(c, "POST", "/v1/tenants",
                  {{"id", s.tenant}, {"name", "Load test"}}, root, 201);
  if (!ten) {
    return std::unexpected(ten.error());
  }
  s.admin_token = (*ten)["admin"]["token"];
  const auto& tok = s.admin_token;
  for (auto [path, body] :
       {std::pair{"/v1/teams", nlohmann::json{{"id", "support"},
                                             {"name", "Support"},
                                             {"max_per_agent", 1000000}}},
        std::pair{"/v1/channels",
                  nlohmann::json{{"id", "wa1"}, {"kind", "whatsapp"},
                                 {"name", "Sales"}, {"phone", "5511900000001"},
                                 {"default_team", "support"}}},
        std::pair{"/v1/channels",
                  nlohmann::json{{"id", "wa2"}, {"kind", "whatsapp"},
                                 {"name", "Support"}, {"phone", "5511900000002"},
                                 {"default_team", "support"}}},
        std::pair{"/v1/channels",
                  nlohmann::json{{"id", "wa3"}, {"kind", "whatsapp"},
                                 {"name", "Billing"}, {"phone", "5511900000003"},
                                 {"default_team", "support"}}}}) {
    if (auto r = call(c, "POST", path, body, tok, 201); !r) {
      return std::unexpected(r.error());
    }
  }
  for (int i = 0; i < 10; ++i) {
    auto a = call(c, "POST", "/v1/agents",
                  {{"id", "agent" + std::to_string(i)},
                   {"name", "Agent " + std::to_string(i)},
                   {"role", "agent"},
                   {"teams", {"support"}}},
                  tok, 201);
    if (!a) {
      return std::unexpected(a.error());
    }
    s.agent_tokens.push_back((*a)["token"]);
  }
  return s;
}

std::string envelopes(const std::string& tenant, std::uint64_t first,
                      std::size_t n, std::uint64_t customers,
                      timestamp base) {
  std::string out = "[";
  for (std::size_t i = 0; i < n; ++i) {
    auto k = first + i;
    auto customer = 5511000000000ull + (k % customers);
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "%s{\"id\":\"wamid.%llu\",\"type\":\"message.received\","
                  "\"tenant\":\"%s\",\"at\":\"%s\",\"data\":{\"channel\":"
                  "\"wa%llu\",\"from\":\"%llu\",\"name\":\"Customer %llu\","
                  "\"message_id\":\"wamid.%llu\",\"kind\":\"text\",\"text\":"
                  "\"Hello, I need help with my order number %llu\"}}",
                  i == 0 ? "" : ",", static_cast<unsigned long long>(k),
                  tenant.c_str(),
                  format_time(base + static_cast<timestamp>(k)).c_str(),
                  static_cast<unsigned long long>(1 + (k % customers) % 3),
                  static_cast<unsigned long long>(customer),
                  static_cast<unsigned long long>(customer),
                  static_cast<unsigned long long>(k),
                  static_cast<unsigned long long>(k));
    out += buf;
  }
  out += "]";
  return out;
}

void report(const char* what, std::uint64_t units, const char* unit,
            double secs, latencies& lat) {
  std::printf("%s: %llu %s in %.2f s = %.0f %s/s; latency ms p50 %.2f p99 "
              "%.2f p99.9 %.2f max %.2f\n",
              what, static_cast<unsigned long long>(units), unit, secs,
              static_cast<double>(units) / secs, unit, lat.pct(0.5),
              lat.pct(0.99), lat.pct(0.999), lat.pct(1.0));
  std::fflush(stdout);
}

/// run_clients runs `k` clients that call `next_request` with increasing
/// numbers until it says stop; returns the seconds taken, or -1 on failure.
double run_clients(const target& t, unsigned long k, latencies& lat,
                   const request_fn& next_request) {
  std::atomic<std::uint64_t> next{0};
  std::atomic<bool> failed{false};
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (unsigned long i = 0; i < k; ++i) {
    threads.emplace_back([&] {
      http_client c{t.host, t.port};
      std::vector<double> mine;
      while (!failed) {
        bool ok = true;
        auto a = std::chrono::steady_clock::now();
        if (!next_request(c, next.fetch_add(1), ok)) {
          break;
        }
        mine.push_back(std::chrono::duration<double, std::milli>(
                         std::chrono::steady_clock::now() - a)
                         .count());
        if (!ok) {
          failed = true;
        }
      }
      lat.add(mine);
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  if (failed) {
    return -1;
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
    .count();
}

bool check(const result<http_response>& r, int expect, const char* what) {
  if (r && r->status == expect) {
    return true;
  }
  std::fprintf(stderr, "loadgen: %s failed: %s\n", what,
               r ? r->body.substr(0, 300).c_str() : r.error().message.c_str());
  return false;
}

} // namespace load

namespace {

using namespace load;


constexpr const char* loadgen_help =
  "usage: atende loadgen --root-token T [--url http://127.0.0.1:8080]\n"
  "         [--scenario ingest|query|both|deliveries|streams] [--events N]\n"
  "         [--batch B] [--conversations C] [--requests R] [--concurrency K]\n"
  "         [--view all|mine|unassigned] [--filter channel|tag|none]\n"
  "         [--query-concurrency K1,K2,...] [--subscriptions S]\n"
  "         [--streams M] [--rate R] [--seconds D]\n\n"
  "Creates a tenant with a team, 3 channels and 10 agents, then:\n"
  "  ingest  posts N message.received envelopes (default 200000) in arrays of\n"
  "          B (default 500) over C customers (default 100000), K clients\n"
  "  query   runs R (default 20000) GET /v1/conversations from K clients\n"
  "          (once per value of --query-concurrency, default K)\n"
  "  both    ingest, then query (default)\n"
  "  deliveries  creates S subscriptions (default 4) to a receiver of its\n"
  "          own on 127.0.0.1 (the server needs\n"
  "          ATENDE_SUBSCRIPTIONS_ALLOW_PRIVATE=true), ingests N messages\n"
  "          (default 20000) and measures deliveries/s and the latency from\n"
  "          each batch's reply to its delivery; signatures are checked\n"
  "  streams opens M streams (default 1000) of 100 agents in 10 teams and\n"
  "          posts R new messages/s (default 1000) for D seconds (default\n"
  "          20): latency from each message's request to its frame\n"
  "Prints events/s, requests/s and latency p50/p99/p99.9/max.\n";

int ingest(const target& t, const setup_result& s, const flags& f) {
  auto total = std::stoull(f.get("events", "200000"));
  auto batch = std::stoull(f.get("batch", "500"));
  auto customers = std::stoull(f.get("conversations", "100000"));
  auto k = std::stoul(f.get("concurrency", "4"));
  auto base = now_ms() - 3600 * 1000;
  latencies lat;
  double secs = run_clients(
    t, k, lat, [&](http_client& c, std::uint64_t i, bool& ok) {
      auto first = i * batch;
      if (first >= total) {
        return false;
      }
      auto n = std::min<std::uint64_t>(batch, total - first);
      ok = check(c.request("POST", "/v1/events",
                           envelopes(s.tenant, first, n, customers, base),
                           s.admin_token),
                 202, "POST /v1/events");
      return true;
    });
  if (secs < 0) {
    return 1;
  }
  std::printf("ingest: batches of %llu envelopes, %lu clients\n",
              static_cast<unsigned long long>(batch), k);
  report("ingest", total, "events", secs, lat);
  return 0;
}

int query(const target& t, const setup_result& s, const flags& f,
          unsigned long k) {
  auto total = std::stoull(f.get("requests", "20000"));
  auto view = f.get("view", "all");
  auto filter = f.get("filter", "none");
  std::string path = "/v1/conversations?limit=25&view=" + view;
  if (filter == "channel") {
    path += "&channel=wa2";
  } else if (filter == "tag") {
    path += "&tag=vip";
  }
  const auto& token = view == "all" ? s.admin_token : s.agent_tokens.front();
  latencies lat;
  double secs = run_clients(
    t, k, lat, [&](http_client& c, std::uint64_t i, bool& ok) {
      if (i >= total) {
        return false;
      }
      ok = check(c.request("GET", path, {}, token), 200, "GET");
      return true;
    });
  if (secs < 0) {
    return 1;
  }
  std::printf("query: GET %s, %lu clients\n", path.c_str(), k);
  report("query", total, "requests", secs, lat);
  return 0;
}

} // namespace

int loadgen_main(int argc, char** argv) {
  auto f = parse_flags(argc, argv,
                       {"url", "root-token", "scenario", "events", "batch",
                        "conversations", "requests", "concurrency", "view",
                        "filter", "query-concurrency", "subscriptions",
                        "streams", "rate", "seconds"},
                       {"help"});
  if (!f) {
    std::fprintf(stderr, "atende loadgen: %s\n%s", f.error().message.c_str(),
                 loadgen_help);
    return 2;
  }
  if (f->has("help")) {
    std::printf("%s", loadgen_help);
    return 0;
  }
  if (!f->has("root-token")) {
    std::fprintf(stderr, "atende loadgen: --root-token: required\n");
    return 2;
  }
  auto t = parse_url(f->get("url", "http://127.0.0.1:8080"));
  if (!t) {
    std::fprintf(stderr, "atende loadgen: %s\n", t.error().message.c_str());
    return 2;
  }
  auto scenario = f->get("scenario", "both");
  if (scenario == "streams") {
    return streams(*t, f->get("root-token"), *f);
  }
  auto s = setup(*t, f->get("root-token"));
  if (!s) {
    std::fprintf(stderr, "atende loadgen: setup: %s\n",
                 s.error().message.c_str());
    return 1;
  }
  std::fprintf(stderr, "loadgen: tenant %s ready\n", s->tenant.c_str());
  if (scenario == "deliveries") {
    return deliveries(*t, *s, *f);
  }
  if (scenario == "ingest" || scenario == "both") {
    if (int rc = ingest(*t, *s, *f); rc != 0) {
      return rc;
    }
  }
  if (scenario == "query" || scenario == "both") {
    // --query-concurrency "1,4,8" runs the query scenario once per value.
    auto list = f->get("query-concurrency", f->get("concurrency", "4"));
    std::size_t pos = 0;
    while (pos <= list.size()) {
      auto comma = list.find(',', pos);
      auto item = list.substr(pos, comma == std::string::npos ? std::string::npos
                                                              : comma - pos);
      if (int rc = query(*t, *s, *f, std::stoul(item)); rc != 0) {
        return rc;
      }
      if (comma == std::string::npos) {
        break;
      }
      pos = comma + 1;
    }
  }
  return 0;
}

} // namespace atende::tools

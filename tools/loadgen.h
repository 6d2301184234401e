// loadgen: what the scenarios of `atende loadgen` share (loadgen.cc:
// ingest and query; loadgen_live.cc: deliveries and streams).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/errc.h"
#include "events/time.h"
#include "gateways/http_client.h"
#include "tools/flags.h"

namespace atende::tools::load {

struct target {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
};

/// parse_url reads --url (http://host:port).
[[nodiscard]] result<target> parse_url(const std::string& url);

struct latencies {
  std::mutex mtx;
  std::vector<double> ms;
  void add(const std::vector<double>& v) {
    std::lock_guard g{mtx};
    ms.insert(ms.end(), v.begin(), v.end());
  }
  double pct(double p) {
    if (ms.empty()) {
      return 0;
    }
    std::sort(ms.begin(), ms.end());
    auto i = static_cast<std::size_t>(p * static_cast<double>(ms.size() - 1));
    return ms[i];
  }
};

/// call makes one JSON request and expects status `expect`.
[[nodiscard]] result<nlohmann::json>
call(http_client& c, const std::string& method, const std::string& path,
     const nlohmann::json& body, const std::string& token, int expect);

struct setup_result {
  std::string tenant;
  std::string admin_token;
  std::vector<std::string> agent_tokens;
};

/// setup creates a tenant (team "support", channels wa1..wa3, agents
/// agent0..agent9) with the root token.
[[nodiscard]] result<setup_result> setup(const target& t,
                                         const std::string& root);

/// envelopes: `n` message.received envelopes from number `first` on, over
/// `customers` customers; envelope k's text ends with "order number k".
[[nodiscard]] std::string envelopes(const std::string& tenant,
                                    std::uint64_t first, std::size_t n,
                                    std::uint64_t customers, timestamp base);

/// report prints one summary line.
void report(const char* what, std::uint64_t units, const char* unit,
            double secs, latencies& lat);

/// request_fn makes the request number `i` on client `c`; it returns false
/// when there is nothing left to do, and sets `ok` to false on failure.
using request_fn =
  std::function<bool(http_client& c, std::uint64_t i, bool& ok)>;

/// run_clients runs `k` clients that call `next_request` with increasing
/// numbers until it says stop; returns the seconds taken, or -1 on failure.
double run_clients(const target& t, unsigned long k, latencies& lat,
                   const request_fn& next_request);

/// check tells whether `r` has status `expect`, saying why not on stderr.
bool check(const result<http_response>& r, int expect, const char* what);

/// deliveries and streams: the scenarios of loadgen_live.cc.
int deliveries(const target& t, const setup_result& s, const flags& f);
int streams(const target& t, const std::string& root, const flags& f);

} // namespace atende::tools::load

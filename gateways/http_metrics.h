// http_metrics: the gateway's counters and the Prometheus text of /metrics.
//
// Requests are counted per (route, method, status) and timed per (route,
// method); routes are the patterns of the route table
// (`/v1/conversations/{id}`), never raw paths, so the number of series stays
// fixed. Every slot is allocated up front, so `observe` is lock-free.
//
// Thread-safety: `observe` and `render` may run concurrently on any threads.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "actors/shard_probe.h"

namespace atende {

class http_metrics {
public:
  /// The statuses counted one by one; any other is counted as "other".
  static constexpr std::array<unsigned, 16> statuses{
      200, 201, 202, 204, 400, 401, 403, 404,
      405, 409, 413, 422, 431, 500, 501, 503};

  /// http_metrics allocates the slots of `routes` (plus "unmatched").
  explicit http_metrics(std::vector<std::string> routes);
  ~http_metrics();

  /// unmatched is the route index for requests that matched no route.
  [[nodiscard]] std::size_t unmatched() const { return routes_.size(); }

  /// observe counts one answered request.
  void observe(std::size_t route, std::string_view method, unsigned status,
               std::chrono::microseconds took);

  /// render returns the Prometheus text: the shards' probes, the HTTP
  /// requests and `conversations` (the views' size).
  [[nodiscard]] std::string
  render(const std::vector<const shard_probe*>& probes,
         std::size_t conversations) const;

private:
  struct slot;
  [[nodiscard]] std::string render_http() const;

  std::vector<std::string> routes_;
  std::unique_ptr<slot[]> slots_;
};

} // namespace atende

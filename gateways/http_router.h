// http_router: matches a request to a route of the API, authenticates the
// caller and calls the route's handler (api.h).
//
// Authentication (CONTRACT section 2): `Authorization: Bearer TOKEN`. The
// token's SHA-256 is compared with the root token's hash, else looked up in
// the views' token table; the principal it gives decides the tenant of
// everything the request does. The root may only use root routes (tenants);
// tenant tokens may not use them; admin routes need an admin agent.
//
// Every answer is counted in http_metrics under the route's pattern.
//
// Thread-safety: `handle` may run on any number of I/O threads at once.
//
// Example (what http_server does per request):
//   router.handle(std::move(req), send_on_this_connection,
//                 post_to_this_connection);
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/shard_probe.h"
#include "gateways/api.h"
#include "gateways/engine_port.h"
#include "gateways/http_exchange.h"
#include "gateways/http_metrics.h"
#include "gateways/http_options.h"
#include "projections/views.h"

namespace atende {

class http_router {
public:
  http_router(const http_options& options, engine_port& engine, views& view,
              std::vector<const shard_probe*> probes);

  /// handle answers `req` exactly once through `reply`, either now or from a
  /// continuation that `post` runs on the connection's executor.
  void handle(http_request req, exchange::reply_fn reply,
              exchange::post_fn post);

private:
  struct match {
    const route* r = nullptr;
    std::size_t pattern = 0; // index into table_.patterns, for metrics
    std::vector<std::string> params;
    std::string allow; // methods of the path when none matched
  };

  [[nodiscard]] match find(const std::string& method,
                           const std::string& path) const;
  [[nodiscard]] result<principal> authenticate(const http_request& req,
                                               access who) const;
  void dispatch(const std::shared_ptr<exchange>& ex, const match& m);
  /// placed_elsewhere answers (307 to the owner, or 503) a request about a
  /// tenant this instance does not serve, and says whether it did.
  bool placed_elsewhere(const std::shared_ptr<exchange>& ex);

  /// route_table: every route, and the distinct patterns metrics count by.
  struct route_table {
    std::vector<route> routes;
    std::vector<std::size_t> pattern_of; // routes[i] -> patterns index
    std::vector<std::vector<std::string_view>> segments; // of routes[i]
    std::vector<std::string> patterns;
  };
  [[nodiscard]] static route_table make_table();

  const http_options& options_;
  std::vector<const shard_probe*> probes_;
  route_table table_;
  http_metrics metrics_;
  login_throttle throttle_;
  unrouted_log unrouted_;
  channel_errors channel_errors_;
  api_context api_;
};

} // namespace atende

// http_server: the HTTP/1.1 front door of atende (CONTRACT sections 2-4).
//
// It accepts connections on a few I/O threads (Boost.Beast over Asio,
// keep-alive, TCP_NODELAY), reads each request, and hands it to the router
// (http_router.h), which answers queries from the views at once and hands
// commands to the engine. An I/O thread never waits for the engine: the
// engine's callback posts the reply back to the connection's executor.
//
// Thread-safety: `start`, `endpoint` and `stop` are called by the owner's
// thread. The engine and views must outlive the server; the engine may call
// back after `stop` (such replies are dropped).
//
// Example:
//   http_options o;
//   o.port = 0;  // any free port
//   o.root_token_hash = sha256_hex(root_token);
//   http_server server{o, engine, views, {&probe}};
//   if (auto ok = server.start(); !ok) { return ok.error(); }
//   std::cout << server.endpoint().port;
//   ...
//   server.stop();
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actors/shard_probe.h"
#include "events/errc.h"
#include "gateways/engine_port.h"
#include "gateways/http_options.h"
#include "projections/views.h"

namespace atende {

/// http_endpoint is the address the server listens on.
struct http_endpoint {
  std::string host;
  std::uint16_t port = 0;
};

class http_server {
public:
  http_server(http_options options, engine_port& engine, views& view,
              std::vector<const shard_probe*> probes);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// start binds and listens, then runs the I/O threads. An error names the
  /// address (`cannot listen on 127.0.0.1:8080: Address already in use`).
  [[nodiscard]] result<void> start();

  /// endpoint is the bound address; with port 0 in the options, the port
  /// the system picked. Valid after a successful start.
  [[nodiscard]] http_endpoint endpoint() const;

  /// stop closes the listener and every connection and joins the I/O
  /// threads. Idempotent; the destructor calls it.
  void stop();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace atende

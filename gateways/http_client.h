// http_client: a small blocking HTTP/1.1 client over one keep-alive
// connection, for loadgen and the end-to-end tests.
//
// Thread-safety: one client per thread.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "events/errc.h"

namespace atende {

struct http_response {
  int status = 0;
  std::string body;
  std::string content_type;
};

class http_client {
public:
  http_client(std::string host, std::uint16_t port);
  ~http_client();
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  /// request sends one request (reconnecting if the connection dropped) and
  /// reads the whole response. `token` becomes a Bearer Authorization header;
  /// `headers` are added as they are (name, value).
  [[nodiscard]] result<http_response>
  request(const std::string& method, const std::string& target,
          const std::string& body = {}, const std::string& token = {},
          const std::string& content_type = "application/json",
          const std::vector<std::pair<std::string, std::string>>& headers = {});

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace atende

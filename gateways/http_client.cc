#include "gateways/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace atende {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct http_client::impl {
  std::string host;
  std::string port;
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;
  bool connected = false;

  result<void> connect() {
    beast::error_code ec;
    tcp::resolver resolver{ioc};
    auto results = resolver.resolve(host, port, ec);
    if (!ec) {
      stream.connect(results, ec);
    }
    if (ec) {
      return fail(errc::internal, "connect " + host + ":" + port + ": " +
                                    ec.message());
    }
    stream.socket().set_option(tcp::no_delay{true});
    connected = true;
    return {};
  }

  result<http_response> once(http::request<http::string_body>& req) {
    beast::error_code ec;
    http::write(stream, req, ec);
    http::response<http::string_body> res;
    if (!ec) {
      http::read(stream, buffer, res, ec);
    }
    if (ec) {
      connected = false;
      stream.close();
      return fail(errc::internal, "http: " + ec.message());
    }
    if (!res.keep_alive()) {
      connected = false;
      stream.close();
    }
    return http_response{static_cast<int>(res.result_int()), res.body(),
                         std::string{res[http::field::content_type]}};
  }
};

http_client::http_client(std::string host, std::uint16_t port)
  : impl_(std::make_unique<impl>()) {
  impl_->host = std::move(host);
  impl_->port = std::to_string(port);
}

http_client::~http_client() = default;

result<http_response> http_client::request(const std::string& method,
                                           const std::string& target,
                                           const std::string& body,
                                           const std::string& token,
                                           const std::string& content_type,
                                           const std::vector<std::pair<std::string, std::string>>& headers) {
  http::request<http::string_body> req{http::string_to_verb(method), target,
                                       11};
  req.set(http::field::host, impl_->host);
  req.keep_alive(true);
  if (!token.empty()) {
    req.set(http::field::authorization, "Bearer " + token);
  }
  for (const auto& [name, value] : headers) {
    req.set(name, value);
  }
  if (!body.empty() || method == "POST" || method == "PATCH") {
    req.set(http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
  }
  // A kept-alive connection the server closed fails on first use: that one
  // case is retried once on a fresh connection.
  bool reused = impl_->connected;
  if (!impl_->connected) {
    if (auto r = impl_->connect(); !r) {
      return std::unexpected(r.error());
    }
  }
  auto res = impl_->once(req);
  if (res || !reused) {
    return res;
  }
  if (auto r = impl_->connect(); !r) {
    return std::unexpected(r.error());
  }
  return impl_->once(req);
}

} // namespace atende

// http_client: a small blocking HTTP/1.1 client for the gateway tests, over
// one keep-alive connection to 127.0.0.1 (reconnecting when the server
// closed it).
#pragma once

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

namespace atende::testing {

/// url_encode percent-encodes everything but unreserved characters.
inline std::string url_encode(const std::string& s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

/// reply is what the server answered.
struct reply {
  unsigned status = 0;
  std::string content_type;
  std::string allow;
  std::string body;
  std::string cache_control;

  /// json parses the body (null if it does not parse).
  [[nodiscard]] nlohmann::json json() const {
    auto j = nlohmann::json::parse(body, nullptr, false);
    return j.is_discarded() ? nlohmann::json{} : j;
  }
  /// code is the error body's code ("" if none).
  [[nodiscard]] std::string code() const {
    auto j = json();
    if (!j.is_object() || !j.contains("error")) {
      return {};
    }
    return j["error"].value("code", "");
  }
  /// field is the error body's field ("" if none).
  [[nodiscard]] std::string field() const {
    auto j = json();
    if (!j.is_object() || !j.contains("error")) {
      return {};
    }
    return j["error"].value("field", "");
  }
};

class http_client {
public:
  explicit http_client(std::uint16_t port) : port_(port) {}

  /// request sends one request; an empty `token` sends no Authorization.
  reply request(const std::string& method, const std::string& target,
                const std::string& token = {}, const std::string& body = {},
                const std::string& content_type = "application/json") {
    namespace http = boost::beast::http;
    http::request<http::string_body> req{http::string_to_verb(method), target,
                                         11};
    req.set(http::field::host, "127.0.0.1");
    if (!token.empty()) {
      req.set(http::field::authorization, "Bearer " + token);
    }
    if (!body.empty()) {
      req.set(http::field::content_type, content_type);
      req.body() = body;
    }
    req.keep_alive(true);
    req.prepare_payload();
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (auto r = exchange(req)) {
        return *r;
      }
      stream_.reset();
    }
    return reply{};
  }

  reply get(const std::string& target, const std::string& token = {}) {
    return request("GET", target, token);
  }
  reply post(const std::string& target, const nlohmann::json& body,
             const std::string& token = {}) {
    return request("POST", target, token, body.dump());
  }
  reply patch(const std::string& target, const nlohmann::json& body,
              const std::string& token = {}) {
    return request("PATCH", target, token, body.dump());
  }

  /// connections counts the TCP connections opened so far.
  [[nodiscard]] int connections() const { return connections_; }

private:
  using request_t =
      boost::beast::http::request<boost::beast::http::string_body>;

  std::optional<reply> exchange(const request_t& req) {
    namespace http = boost::beast::http;
    boost::beast::error_code ec;
    if (!stream_) {
      stream_.emplace(ioc_);
      boost::asio::ip::tcp::endpoint at{
          boost::asio::ip::make_address("127.0.0.1"), port_};
      stream_->connect(at, ec);
      if (ec) {
        return std::nullopt;
      }
      ++connections_;
    }
    http::write(*stream_, req, ec);
    if (ec) {
      return std::nullopt;
    }
    boost::beast::flat_buffer buf;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64u << 20);
    http::read(*stream_, buf, parser, ec);
    if (ec) {
      return std::nullopt;
    }
    auto res = parser.release();
    reply r{res.result_int(), std::string{res[http::field::content_type]},
            std::string{res[http::field::allow]}, std::move(res.body()),
            std::string{res[http::field::cache_control]}};
    if (!res.keep_alive()) {
      stream_.reset();
    }
    return r;
  }

  std::uint16_t port_;
  boost::asio::io_context ioc_;
  std::optional<boost::beast::tcp_stream> stream_;
  int connections_ = 0;
};

} // namespace atende::testing

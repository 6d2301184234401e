// http_session: one HTTP/1.1 connection, read and answered one request at a
// time (keep-alive; a pipelined request waits in the buffer until the
// previous one is answered).
//
// Lifetime: asynchronous operations hold the session while they run; while
// the router waits for the engine, the session holds itself (`self_`).
// Everything handed to the router (and thus possibly to the engine) holds
// only a weak pointer, and posts through `reply_gate`, so an engine that
// calls back after the server stopped touches no Asio object. `abandon`
// breaks the self-reference when the server stops.
//
// Thread-safety: all members run on the connection's strand, except
// `abandon`, which the server calls once its I/O threads are joined.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "gateways/http_exchange.h"
#include "gateways/http_options.h"
#include "gateways/http_router.h"

namespace atende {

/// reply_gate is closed by the server before its I/O context goes away;
/// replies posted through a closed gate are dropped.
struct reply_gate {
  std::mutex m;
  bool open = true;
};

class http_session : public std::enable_shared_from_this<http_session> {
public:
  http_session(boost::asio::ip::tcp::socket socket, http_router& router,
               const http_options& options, std::shared_ptr<reply_gate> gate);

  /// run starts reading requests.
  void run();

  /// abandon drops the self-reference and closes the socket.
  void abandon();

private:
  using request = boost::beast::http::request<boost::beast::http::string_body>;

  void read_header();
  void on_header(boost::beast::error_code ec);
  void read_body();
  void on_body(boost::beast::error_code ec);
  void on_request();
  void write(http_response r);
  void start_stream(
      std::function<void(std::shared_ptr<event_channel>)> on_stream);
  void on_write(bool close, boost::beast::error_code ec);
  void reject(unsigned status, const char* code, const std::string& message);
  void reject_body();
  void close();
  void linger();
  void drain(std::shared_ptr<std::vector<char>> buf, std::size_t left);
  [[nodiscard]] exchange::post_fn poster();
  friend class event_writer;

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<
      boost::beast::http::request_parser<boost::beast::http::string_body>>
      parser_;
  boost::beast::http::response<boost::beast::http::string_body> res_;
  http_router& router_;
  const http_options& options_;
  std::shared_ptr<reply_gate> gate_;
  std::shared_ptr<http_session> self_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool unread_body_ = false; // a rejected request's body is still coming
  std::size_t body_limit_ = 0; // this request's (http_options)
};

} // namespace atende

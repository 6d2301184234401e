// loopback_server: the plumbing of the HTTP stand-ins of the tests
// (fake_graph.h, fake_receiver.h): a listener on 127.0.0.1 and a keep-alive
// session that the fakes derive theirs from.
//
// A loopback_server listens on a free port of 127.0.0.1 from its
// construction; `start` accepts connections and runs the I/O threads, and
// hands each accepted socket (TCP_NODELAY set, on a strand of its own) to
// the callback. `stop` stops the I/O, joins the threads and closes the
// acceptor; what the owner holds of the sessions (sockets, timers) should be
// released after it and before the loopback_server is destroyed, since they
// live on its io_context. The destructor stops if that was not done.
//
// An http_session reads a request, hands it to `on_request`, and once a
// response was written (`write`, at once or later on the session's strand)
// reads the next one, as long as both sides keep the connection alive.
//
// Thread-safety: `port` may be called from any thread; `start` (once) and
// `stop` only from the owner's, never from an I/O thread. An http_session
// runs on its strand: only `run` and posting to `executor()` are for other
// threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace atende::test {

class loopback_server {
public:
  using socket = boost::asio::ip::tcp::socket;

  /// The constructor listens on a free port; `threads` I/O threads will run.
  explicit loopback_server(int threads);
  ~loopback_server();
  loopback_server(const loopback_server&) = delete;
  loopback_server& operator=(const loopback_server&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }

  /// start accepts connections, each handed to `on_accept` on an I/O thread,
  /// and starts the I/O threads.
  void start(std::function<void(socket)> on_accept);
  /// stop stops the I/O, joins the threads and closes the acceptor.
  void stop();

private:
  void accept();

  int concurrency_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_{ioc_};
  std::vector<std::thread> threads_;
  std::function<void(socket)> on_accept_;
  std::uint16_t port_ = 0;
};

class http_session : public std::enable_shared_from_this<http_session> {
public:
  using request = boost::beast::http::request<boost::beast::http::string_body>;
  using response =
      boost::beast::http::response<boost::beast::http::string_body>;

  /// A request body beyond `body_limit` bytes ends the connection.
  http_session(loopback_server::socket socket, std::size_t body_limit);
  virtual ~http_session() = default;
  http_session(const http_session&) = delete;
  http_session& operator=(const http_session&) = delete;

  /// run starts reading requests.
  void run();

  /// executor is the session's strand.
  [[nodiscard]] boost::beast::tcp_stream::executor_type executor() {
    return stream_.get_executor();
  }

protected:
  /// on_request takes a request read; it is answered by `write`.
  virtual void on_request(request msg) = 0;
  /// on_written follows the writing of a response (`ec` tells whether it
  /// was), before the next request is read.
  virtual void on_written(boost::beast::error_code /*ec*/) {}

  /// write sends `res` with the request's version and keep-alive.
  void write(response res);

  /// shared is this session as its own type, to keep it alive in a handler.
  template <class Session>
  std::shared_ptr<Session> shared() {
    return std::static_pointer_cast<Session>(shared_from_this());
  }

private:
  void read();
  void on_read(boost::beast::error_code ec);
  void on_write(boost::beast::error_code ec);
  void close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<
      boost::beast::http::request_parser<boost::beast::http::string_body>>
      parser_;
  response res_;
  std::size_t body_limit_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
};

} // namespace atende::test

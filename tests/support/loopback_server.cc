#include "tests/support/loopback_server.h"

#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>

namespace atende::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

loopback_server::loopback_server(int threads)
    : concurrency_(threads), ioc_(threads) {
  tcp::endpoint at{asio::ip::make_address("127.0.0.1"), 0};
  acceptor_.open(at.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(at);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
}

loopback_server::~loopback_server() {
  stop();
}

void loopback_server::start(std::function<void(socket)> on_accept) {
  on_accept_ = std::move(on_accept);
  accept();
  for (int i = 0; i < concurrency_; ++i) {
    threads_.emplace_back([this] { ioc_.run(); });
  }
}

void loopback_server::accept() {
  acceptor_.async_accept(
      asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket s) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
          return;
        }
        if (!ec) {
          s.set_option(tcp::no_delay(true), ec);
          on_accept_(std::move(s));
        }
        accept();
      });
}

void loopback_server::stop() {
  ioc_.stop();
  for (auto& t : threads_) {
    t.join();
  }
  threads_.clear();
  beast::error_code ec;
  acceptor_.close(ec);
}

http_session::http_session(loopback_server::socket socket,
                           std::size_t body_limit)
    : stream_(std::move(socket)), body_limit_(body_limit) {}

void http_session::run() {
  asio::dispatch(stream_.get_executor(),
                 [self = shared_from_this()] { self->read(); });
}

void http_session::read() {
  parser_.emplace();
  parser_->body_limit(body_limit_);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_read(ec);
      });
}

void http_session::on_read(beast::error_code ec) {
  if (ec) {
    return close();
  }
  auto msg = parser_->release();
  version_ = msg.version();
  keep_alive_ = msg.keep_alive();
  on_request(std::move(msg));
}

void http_session::write(response res) {
  res_ = std::move(res);
  res_.version(version_);
  res_.keep_alive(keep_alive_);
  res_.prepare_payload();
  http::async_write(
      stream_, res_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_write(ec);
      });
}

void http_session::on_write(beast::error_code ec) {
  on_written(ec);
  if (ec || !keep_alive_) {
    return close();
  }
  read();
}

void http_session::close() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
}

} // namespace atende::test

#include "gateways/http_server.h"

#include <mutex>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "gateways/http_router.h"
#include "gateways/http_session.h"

namespace atende {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct http_server::impl {
  impl(http_options o, engine_port& engine, views& view,
       std::vector<const shard_probe*> probes)
      : options(std::move(o)), router(options, engine, view, std::move(probes)),
        ioc(static_cast<int>(options.io_threads)) {}

  [[nodiscard]] result<tcp::endpoint> resolve();
  [[nodiscard]] result<void> listen(const tcp::endpoint& at);
  void accept();
  void on_accept(boost::system::error_code ec, tcp::socket socket);
  void keep(const std::shared_ptr<http_session>& s);

  http_options options;
  http_router router;
  std::shared_ptr<reply_gate> gate = std::make_shared<reply_gate>();
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::steady_timer retry{ioc};
  std::mutex sessions_mtx;
  std::vector<std::weak_ptr<http_session>> sessions;
  std::vector<std::thread> threads;
  http_endpoint bound;
};

namespace {

std::string address_of(const http_options& o) {
  return o.host + ":" + std::to_string(o.port);
}

} // namespace

result<tcp::endpoint> http_server::impl::resolve() {
  boost::system::error_code ec;
  auto addr = asio::ip::make_address(options.host, ec);
  if (!ec) {
    return tcp::endpoint{addr, options.port};
  }
  tcp::resolver resolver{ioc};
  auto found = resolver.resolve(options.host, std::to_string(options.port), ec);
  if (ec || found.empty()) {
    return fail(errc::invalid_value,
                "cannot resolve " + address_of(options) + ": " + ec.message());
  }
  return found.begin()->endpoint();
}

result<void> http_server::impl::listen(const tcp::endpoint& at) {
  boost::system::error_code ec;
  acceptor.open(at.protocol(), ec);
  if (!ec) {
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor.bind(at, ec);
  }
  if (!ec) {
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    acceptor.close();
    return fail(errc::internal, "cannot listen on " + address_of(options) +
                                    ": " + ec.message());
  }
  auto local = acceptor.local_endpoint(ec);
  bound = {local.address().to_string(), local.port()};
  return {};
}

void http_server::impl::accept() {
  acceptor.async_accept(
      asio::make_strand(ioc),
      [this](boost::system::error_code ec, tcp::socket socket) {
        on_accept(ec, std::move(socket));
      });
}

void http_server::impl::on_accept(boost::system::error_code ec,
                                  tcp::socket socket) {
  if (!acceptor.is_open() || ec == asio::error::operation_aborted) {
    return;
  }
  if (ec) {
    // Out of descriptors, say: wait a little instead of spinning.
    retry.expires_after(std::chrono::milliseconds{50});
    retry.async_wait([this](boost::system::error_code) { accept(); });
    return;
  }
  socket.set_option(tcp::no_delay(true), ec);
  auto s =
      std::make_shared<http_session>(std::move(socket), router, options, gate);
  keep(s);
  s->run();
  accept();
}

void http_server::impl::keep(const std::shared_ptr<http_session>& s) {
  std::lock_guard lock{sessions_mtx};
  if (sessions.size() >= 1024 && sessions.size() == sessions.capacity()) {
    std::erase_if(sessions, [](const auto& w) { return w.expired(); });
  }
  sessions.push_back(s);
}

http_server::http_server(http_options options, engine_port& engine, views& view,
                         std::vector<const shard_probe*> probes)
    : impl_(std::make_unique<impl>(std::move(options), engine, view,
                                   std::move(probes))) {}

http_server::~http_server() {
  stop();
}

result<void> http_server::start() {
  auto at = impl_->resolve();
  if (!at) {
    return std::unexpected(at.error());
  }
  if (auto ok = impl_->listen(*at); !ok) {
    return ok;
  }
  impl_->accept();
  auto n = impl_->options.io_threads == 0 ? 1 : impl_->options.io_threads;
  for (std::size_t i = 0; i < n; ++i) {
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  }
  return {};
}

http_endpoint http_server::endpoint() const {
  return impl_->bound;
}

void http_server::stop() {
  {
    std::lock_guard lock{impl_->gate->m};
    impl_->gate->open = false;
  }
  impl_->ioc.stop();
  for (auto& t : impl_->threads) {
    t.join();
  }
  impl_->threads.clear();
  boost::system::error_code ec;
  impl_->acceptor.close(ec);
  std::lock_guard lock{impl_->sessions_mtx};
  for (auto& w : impl_->sessions) {
    if (auto s = w.lock()) {
      s->abandon();
    }
  }
  impl_->sessions.clear();
}

} // namespace atende

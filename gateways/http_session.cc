#include "gateways/http_session.h"

#include <algorithm>
#include <deque>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace atende {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

http_session::http_session(asio::ip::tcp::socket socket, http_router& router,
                           const http_options& options,
                           std::shared_ptr<reply_gate> gate)
    : stream_(std::move(socket)), router_(router), options_(options),
      gate_(std::move(gate)) {}

void http_session::run() {
  asio::dispatch(stream_.get_executor(),
                 [self = shared_from_this()] { self->read_header(); });
}

void http_session::abandon() {
  self_.reset();
  beast::error_code ec;
  stream_.socket().close(ec);
}

void http_session::read_header() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
  // The larger of the limits until the target is known (on_header).
  body_limit_ = std::max(options_.max_body_bytes, options_.max_media_bytes);
  parser_->body_limit(body_limit_);
  stream_.expires_after(options_.read_timeout);
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_header(ec);
      });
}

void http_session::on_header(beast::error_code ec) {
  if (ec == http::error::header_limit) {
    return reject(431, "too_large", "the request head is too large");
  }
  // The parser checks a Content-Length against the body limit already.
  if (ec == http::error::body_limit) {
    return reject_body();
  }
  if (ec) {
    return close();
  }
  const auto& req = parser_->get();
  version_ = req.version();
  keep_alive_ = req.keep_alive();
  // Only a media upload may carry more than max_body_bytes.
  const bool upload = req.method() == http::verb::post &&
                      req.target().starts_with("/v1/media");
  body_limit_ = upload ? options_.max_media_bytes : options_.max_body_bytes;
  if (auto n = parser_->content_length(); n && *n > body_limit_) {
    return reject_body();
  }
  parser_->body_limit(body_limit_);
  if (parser_->is_done()) {
    return on_request();
  }
  if (!beast::iequals(req[http::field::expect], "100-continue")) {
    return read_body();
  }
  // curl and others wait for this before sending a large body.
  auto res = std::make_shared<http::response<http::empty_body>>(
      http::status::continue_, version_);
  http::async_write(
      stream_, *res,
      [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
        if (ec) {
          return self->close();
        }
        self->read_body();
      });
}

void http_session::read_body() {
  stream_.expires_after(options_.read_timeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_body(ec);
      });
}

void http_session::on_body(beast::error_code ec) {
  if (ec == http::error::body_limit) {
    return reject_body();
  }
  if (ec) {
    return close();
  }
  on_request();
}

void http_session::on_request() {
  // The engine may take a while; only reads and writes are timed.
  stream_.expires_never();
  auto req = parser_->release();
  http_request r;
  r.method = std::string{req.method_string()};
  r.target = std::string{req.target()};
  r.authorization = std::string{req[http::field::authorization]};
  r.content_type = std::string{req[http::field::content_type]};
  r.hub_signature = std::string{req["X-Hub-Signature-256"]};
  r.last_event_id = std::string{req["Last-Event-ID"]};
  r.body = std::move(req.body());
  self_ = shared_from_this();
  std::weak_ptr<http_session> weak = self_;
  router_.handle(
      std::move(r),
      [weak](http_response res) {
        if (auto s = weak.lock()) {
          s->write(std::move(res));
        }
      },
      poster());
}

exchange::post_fn http_session::poster() {
  return [weak = weak_from_this(), gate = gate_](std::function<void()> fn) {
    std::lock_guard lock{gate->m};
    if (!gate->open) {
      return;
    }
    if (auto s = weak.lock()) {
      asio::post(s->stream_.get_executor(), std::move(fn));
    }
  };
}

void http_session::write(http_response r) {
  if (r.on_stream) {
    return start_stream(std::move(r.on_stream));
  }
  auto self = shared_from_this();
  self_.reset();
  res_ = {};
  res_.version(version_);
  res_.result(r.status);
  if (!r.content_type.empty()) {
    res_.set(http::field::content_type, r.content_type);
  }
  if (!r.location.empty()) {
    res_.set(http::field::location, r.location);
  }
  if (!r.allow.empty()) {
    res_.set(http::field::allow, r.allow);
  }
  if (!r.retry_after.empty()) {
    res_.set(http::field::retry_after, r.retry_after);
  }
  if (!r.cache_control.empty()) {
    res_.set(http::field::cache_control, r.cache_control);
    res_.set("X-Content-Type-Options", "nosniff");
  }
  res_.keep_alive(keep_alive_);
  res_.body() = std::move(r.body);
  res_.prepare_payload();
  if (r.status == 204) {
    res_.erase(http::field::content_length); // RFC 9110: none on a 204
  }
  stream_.expires_after(options_.read_timeout);
  http::async_write(
      stream_, res_,
      [self, last = !keep_alive_](beast::error_code ec, std::size_t) {
        self->on_write(last, ec);
      });
}

/// event_writer: the event_channel of a streaming response. Frames queue
/// under a mutex and are written one after the other on the connection's
/// strand; the writer holds the session while it is open.
class event_writer final : public event_channel,
                           public std::enable_shared_from_this<event_writer> {
public:
  event_writer(std::shared_ptr<http_session> s, std::size_t limit)
      : session_(std::move(s)), limit_(limit) {}

  bool send(std::string bytes) override {
    std::lock_guard g{m_};
    if (closed_) {
      return false;
    }
    if (queued_ + bytes.size() > limit_) {
      // Too slow: it resumes from its last id on a new connection.
      closed_ = true;
      post([s = session_] { s->close(); });
      return false;
    }
    queued_ += bytes.size();
    queue_.push_back(std::move(bytes));
    if (!writing_) {
      writing_ = true;
      post([self = shared_from_this()] { self->write_next(); });
    }
    return true;
  }

  void close() override {
    std::lock_guard g{m_};
    if (closed_) {
      return;
    }
    closed_ = true;
    if (!writing_) {
      post([s = session_] { s->close(); });
    }
  }

  [[nodiscard]] bool closed() const override {
    std::lock_guard g{m_};
    return closed_;
  }

  /// write_head writes the response head, then calls `ready` — also when
  /// the write failed (the channel is closed then), so that whoever
  /// counted the stream learns it ended.
  void write_head(std::function<void()> ready) {
    head_ = "HTTP/1.1 200 OK\r\n"
            "Content-Type: text/event-stream; charset=utf-8\r\n"
            "Cache-Control: no-cache\r\n"
            "X-Accel-Buffering: no\r\n"
            "Connection: close\r\n\r\n";
    asio::async_write(session_->stream_.socket(), asio::buffer(head_),
                      [self = shared_from_this(), ready = std::move(ready)](
                          beast::error_code ec, std::size_t) {
                        if (ec) {
                          self->fail();
                        }
                        ready();
                      });
  }

private:
  void post(std::function<void()> fn) {
    std::lock_guard g{session_->gate_->m};
    if (session_->gate_->open) {
      asio::post(session_->stream_.get_executor(), std::move(fn));
    }
  }

  void fail() {
    std::lock_guard g{m_};
    closed_ = true;
    queue_.clear();
    queued_ = 0;
    writing_ = false;
  }

  /// write_next writes the oldest queued frames (on the strand).
  void write_next() {
    {
      std::lock_guard g{m_};
      if (queue_.empty()) {
        writing_ = false;
        if (closed_) {
          session_->close();
        }
        return;
      }
      out_.clear();
      while (!queue_.empty()) {
        out_ += queue_.front();
        queue_.pop_front();
      }
      queued_ = 0;
    }
    asio::async_write(session_->stream_.socket(), asio::buffer(out_),
                      [self = shared_from_this()](beast::error_code ec,
                                                  std::size_t) {
                        if (ec) {
                          self->fail();
                          self->session_->close();
                          return;
                        }
                        self->write_next();
                      });
  }

  std::shared_ptr<http_session> session_;
  const std::size_t limit_;
  mutable std::mutex m_;
  std::deque<std::string> queue_;
  std::size_t queued_ = 0;
  bool writing_ = false;
  bool closed_ = false;
  std::string head_;
  std::string out_; // being written (on the strand)
};

void http_session::start_stream(
    std::function<void(std::shared_ptr<event_channel>)> on_stream) {
  self_.reset();
  // A stream is not timed: heartbeats keep it alive, and a write that
  // cannot proceed fills the buffer until the client is dropped.
  stream_.expires_never();
  auto w = std::make_shared<event_writer>(shared_from_this(),
                                          options_.stream_buffer_bytes);
  w->write_head([w, on_stream = std::move(on_stream)] { on_stream(w); });
}

void http_session::on_write(bool close_after, beast::error_code ec) {
  if (!ec && close_after && unread_body_) {
    return linger();
  }
  if (ec || close_after) {
    return close();
  }
  read_header();
}

void http_session::reject(unsigned status, const char* code,
                          const std::string& message) {
  keep_alive_ = false;
  unread_body_ = true;
  write(json_response(status,
                      {{"error", {{"code", code}, {"message", message}}}}));
}

void http_session::reject_body() {
  reject(413, "too_large",
         "the body is larger than " + std::to_string(body_limit_) + " bytes");
}

void http_session::close() {
  beast::error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
}

// Closing a socket with unread input makes the kernel send a reset, which
// may destroy the 413 before the client reads it; so read and discard what
// the client still sends, for a while, before closing.
void http_session::linger() {
  close();
  stream_.expires_after(std::chrono::seconds{2});
  drain(std::make_shared<std::vector<char>>(16u << 10),
        body_limit_ + (1u << 20));
}

void http_session::drain(std::shared_ptr<std::vector<char>> buf,
                         std::size_t left) {
  auto b = asio::buffer(*buf);
  stream_.async_read_some(b,
                          [self = shared_from_this(), buf = std::move(buf),
                           left](beast::error_code ec, std::size_t n) mutable {
                            if (ec || n >= left) {
                              return;
                            }
                            self->drain(std::move(buf), left - n);
                          });
}

} // namespace atende

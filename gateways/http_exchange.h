// http_exchange: one HTTP request and the way to answer it, independent of
// the transport (Boost.Beast lives only in http_server.cc and
// http_session.cc).
//
// The router answers a request either at once, on the I/O thread that read
// it, or later, after the engine committed the request's inputs. The engine
// calls back on its own thread, which must never touch the connection: it
// hands the continuation to `post`, which runs it on the connection's
// executor. Exactly one `reply` per exchange.
//
// Thread-safety: `post` may be called from any thread; `request` and `reply`
// only on the connection's executor (inside the router or a posted
// continuation).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "events/errc.h"

namespace atende {

/// http_request is a request as read. The router fills `path` and `query`
/// (percent-decoded) from `target`.
struct http_request {
  std::string method; // "GET", "POST", ...
  std::string target; // "/v1/conversations?view=mine"
  std::string path;   // "/v1/conversations"
  std::map<std::string, std::string> query;
  std::string authorization; // the Authorization header, verbatim
  std::string content_type;
  std::string hub_signature; // X-Hub-Signature-256 (Meta's webhooks)
  std::string last_event_id; // Last-Event-ID (an event stream resuming)
  std::string body;
};

/// event_channel: an open Server-Sent Events response (GET /v1/stream).
/// Frames are written to it from any thread; the connection writes them in
/// order. It holds at most a bounded number of unwritten bytes: past that
/// the client is too slow, and the connection is closed (it resumes from
/// its last id).
class event_channel {
public:
  virtual ~event_channel() = default;
  /// send queues `bytes` (whole frames); false once the channel is closed
  /// (the client left, was too slow, or close was called).
  virtual bool send(std::string bytes) = 0;
  /// close ends the response after what was queued.
  virtual void close() = 0;
  [[nodiscard]] virtual bool closed() const = 0;
};

/// http_response is what goes back: a status and a body. An empty
/// `content_type` sends no Content-Type header (a 204).
struct http_response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::string allow;    // the Allow header of a 405
  std::string location; // the Location header of a 307 (Kafka mode)
  std::string cache_control; // set for the console's files
  std::string retry_after;   // the Retry-After header of a 429 (seconds)
  /// on_stream, when set, makes the response an event stream: status 200,
  /// `text/event-stream`, no length; it is called with the channel once
  /// the head is written, and the connection is the stream's until it
  /// closes.
  std::function<void(std::shared_ptr<event_channel>)> on_stream;
};

/// json_response renders `body` with `status`.
[[nodiscard]] http_response json_response(unsigned status,
                                          const nlohmann::json& body);

/// error_response renders `e` in the contract's error format, with the HTTP
/// status of its code (see http_errors.h).
[[nodiscard]] http_response error_response(const error& e);

/// exchange is one request awaiting its response.
class exchange {
public:
  using reply_fn = std::function<void(http_response)>;
  using post_fn = std::function<void(std::function<void()>)>;

  exchange(http_request req, reply_fn reply, post_fn post)
      : request_(std::move(req)), reply_(std::move(reply)),
        post_(std::move(post)) {}

  [[nodiscard]] const http_request& request() const { return request_; }

  /// reply sends the response; later calls are ignored.
  void reply(http_response r) {
    if (reply_) {
      auto fn = std::move(reply_);
      reply_ = nullptr;
      fn(std::move(r));
    }
  }

  /// post runs `fn` on the connection's executor; dropped if the server has
  /// stopped meanwhile.
  void post(std::function<void()> fn) const { post_(std::move(fn)); }

private:
  http_request request_;
  reply_fn reply_;
  post_fn post_;
};

/// request_target is a request target split and decoded.
struct request_target {
  std::string path;
  std::map<std::string, std::string> query;
};

/// parse_target splits a target (`/a%20b?x=1&y=2`) into a decoded path and
/// query map (a repeated key keeps its last value); errc::malformed when an
/// escape is bad.
[[nodiscard]] result<request_target> parse_target(std::string_view target);

/// percent_decode decodes `%XX` escapes, and `+` as a space when `plus`.
[[nodiscard]] result<std::string> percent_decode(std::string_view s, bool plus);

} // namespace atende

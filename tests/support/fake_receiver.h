// fake_receiver: a stand-in for the endpoint of a subscription, the HTTP
// receiver (a CRM, a customer's backend) that atende's outbound webhooks are
// delivered to, for the tests and benchmarks of the delivery.
//
// It is a real HTTP/1.1 server on 127.0.0.1 (a free port, keep-alive, two
// I/O threads of its own) that takes any method on any path. atende
// delivers an event as
//
//   POST <url>
//   Content-Type: application/json
//   X-Atende-Delivery: <id>
//   X-Atende-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
//                       t + "." + body)>
//   {"id", "seq", "type", "at", "tenant", "data"}
//
// and `signature_valid` checks such a signature as a receiver would.
//
// Every request goes first to the rule (`set_rule`), if any; a request the
// rule lets through takes the next scripted answer (`answer_next`), if any;
// otherwise it is answered 200 with `{}`. A reply with `delay` is written
// that long after it was decided (on a timer: the I/O threads go on serving
// other connections meanwhile). A reply with `hang` is not written until
// `release_hung` (then its status and body, after its delay if any); on
// destruction it is dropped unanswered, as are replies still delayed.
//
// Every request is recorded in arrival order; `record(false)` keeps only the
// counts, for benchmarks. A request is counted (`count`, `wait_count`) once
// its answer is decided: written, delayed or held, so that a test woken by
// `wait_count` may release what is held. It counts as delivered
// (`delivered`, `wait_delivered`) once a 2xx answer to it has been written,
// in the order the answers were written: what the receiver accepted.
//
// Thread-safety: every member may be called from any thread. The rule runs
// on an I/O thread, without the fake's lock held.
//
// Example:
//   fake_receiver crm;
//   crm.answer_next(2, {.status = 503});   // two failures, then accepted
//   // ... a subscription to crm.url() with secret "s3cret" ...
//   ASSERT_TRUE(crm.wait_delivered(1, std::chrono::seconds{5}));
//   auto got = crm.delivered()[0];
//   EXPECT_TRUE(signature_valid(got, "s3cret"));
//   EXPECT_EQ(got.json["type"], "message.received");
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace atende::test {

/// received is one request as the fake received it.
struct received {
  std::string method{};
  std::string target{}; // path and query, as sent
  std::string body{};
  /// The headers by lower-case name; a repeated header's values are joined
  /// with ", ".
  std::map<std::string, std::string> headers{};
  nlohmann::json json{}; // the body parsed, null when it is not JSON
  std::chrono::steady_clock::time_point at{}; // when it was read in full
};

/// reply is an answer to give; every member has a default, so that
/// `reply{.status = 503}` or `{.hang = true}` reads as what differs.
struct reply {
  unsigned status = 200;
  std::string body = "{}";            // sent as application/json when not empty
  bool hang = false;                  // answer only on release_hung
  std::chrono::milliseconds delay{0}; // wait this long before answering
  std::string location{}; // a Location header when not empty, for 3xx
};

class fake_receiver {
public:
  /// The constructor listens on a free port and starts the I/O threads.
  fake_receiver();
  /// The destructor stops; hung and delayed requests are dropped unanswered.
  ~fake_receiver();
  fake_receiver(const fake_receiver&) = delete;
  fake_receiver& operator=(const fake_receiver&) = delete;

  /// url is the address to subscribe: "http://127.0.0.1:<port>" + path.
  [[nodiscard]] std::string url(std::string path = "/hook") const;
  [[nodiscard]] std::uint16_t port() const;

  /// answer_next answers the next `n` requests (in arrival order) that the
  /// rule lets through with `r`, after what was already scripted.
  void answer_next(std::size_t n, reply r);
  /// set_rule installs a rule consulted first for every request; it returns
  /// nullopt to let the request through to the script or the default.
  /// nullptr removes it. A rule that throws gets the request a 500.
  void set_rule(std::function<std::optional<reply>(const received&)> rule);
  /// release_hung answers every request held by a `hang` reply.
  void release_hung();

  /// record(false) stops keeping requests (counts go on); true resumes.
  void record(bool on);
  /// requests is every request recorded, in arrival order.
  [[nodiscard]] std::vector<received> requests() const;
  /// count is the number of requests arrived and answered, delayed or held.
  [[nodiscard]] std::size_t count() const;
  /// wait_count blocks until `n` requests were counted in all, or `timeout`
  /// passed; it tells whether they were.
  [[nodiscard]] bool wait_count(std::size_t n,
                                std::chrono::milliseconds timeout) const;

  /// delivered is the recorded requests answered 2xx, in the order the
  /// answers were written.
  [[nodiscard]] std::vector<received> delivered() const;
  [[nodiscard]] std::size_t count_delivered() const;
  /// wait_delivered blocks until `n` requests were answered 2xx in all, or
  /// `timeout` passed; it tells whether they were.
  [[nodiscard]] bool wait_delivered(std::size_t n,
                                    std::chrono::milliseconds timeout) const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// signature_valid tells whether `r` carries a valid X-Atende-Signature for
/// `secret`: `t=<unix seconds>,v1=<hex>` where one v1 is the lower-case hex
/// HMAC-SHA256 of `t + "." + body` under `secret` (compared in constant
/// time), and `t` is within `tolerance` of the current time either way.
[[nodiscard]] bool
signature_valid(const received& r, const std::string& secret,
                std::chrono::seconds tolerance = std::chrono::seconds{300});

} // namespace atende::test

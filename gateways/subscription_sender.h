// subscription_sender: delivering the tenants' live updates to their
// subscriptions (outbound webhooks, CONTRACT "Live updates and
// subscriptions").
//
// What is delivered. A subscription follows its tenant as an admin sees it:
// the frames GET /v1/stream would carry for an admin following every status
// (conversation.updated / .removed, message.created / .updated,
// agent.updated: views.h watch), those its `events` patterns admit
// (events/live.h). Each frame is one `POST url` with the body
//
//   {"id": "<subscription>:<seq>:<n>", "seq": 1042, "type": "message.created",
//    "at": "2026-12-07T13:05:00.000Z", "tenant": "acme", "data": {…}}
//
// where `seq` is the tenant's event the frame follows (the journal's), `n`
// the frame's place among that event's frames, and `data` the object as it
// is when the delivery is made: a receiver that was down gets, for each
// change it missed, the object's state when it came back. Headers:
// `X-Atende-Delivery: <id>`, `X-Atende-Signature: t=<unix seconds>,v1=<hex
// HMAC-SHA256(secret, t + "." + body)>`, `Content-Type: application/json`,
// `User-Agent: atende`.
//
// Order and retries. Deliveries of one subscription go one at a time, in
// journal order: the next leaves only after the receiver answered the
// previous with a 2xx. Anything else — another status (redirects are not
// followed), a refused or failed connection (`connect_timeout_ms`), no
// complete answer within `timeout_ms`, a destination that is not public —
// is tried again after retry_base_ms, doubling up to `max_backoff_ms`, and
// again, for as long as the subscription exists and is active: never
// skipped. Subscriptions do not wait for each other: one thread drives
// every request at once (libcurl's multi interface, at most `max_in_flight`
// requests), and ingest never waits for a receiver.
//
// Where a subscription stands is durable. The sender reads the tenant's
// journal from the subscription's position; every `checkpoint_ms` at most
// it records how far the receiver accepted through the log, as a
// `subscription.progress` input (actor `rule:subscriptions`) that the
// engine turns into a subscription.delivered event. After a restart or a
// crash, delivery resumes at the recorded position: what was delivered
// since is delivered again with the same ids (at least once; receivers
// deduplicate by id); nothing is skipped. A stop records the position first.
// A redeliver (subscription.rewound) moves the position back; progress from
// before it is stale and recorded nowhere (the `epoch`).
//
// The delivery log: each attempt, kept in memory (the last `log_size` per
// subscription, since this process started): {delivery, seq, type,
// attempt, at, status (HTTP, or null), error (or null), duration_ms}.
//
// In Kafka mode each partition served here has its own sender, over the
// tenants of that partition (`serves`).
//
// Thread-safety: every member may be called from any thread; start once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/errc.h"
#include "events/event.h"

namespace atende {

class engine_port;
class views;
class sealer;

struct subscription_options {
  bool allow_private = false;
  std::uint32_t connect_timeout_ms = 5'000;
  std::uint32_t timeout_ms = 10'000;
  std::uint32_t retry_base_ms = 1'000;
  std::uint32_t max_backoff_ms = 3'600'000;
  std::uint32_t max_in_flight = 256;
  std::uint32_t checkpoint_ms = 1'000;
  std::size_t log_size = 1'000;
  std::size_t read_batch = 256; // journal events read at a time
};

class subscription_sender {
public:
  /// `serves(tenant)` tells which tenants are delivered here (all on the
  /// embedded log; a partition's in Kafka mode).
  subscription_sender(engine_port& port, const views& v, const sealer& secrets,
                      subscription_options o,
                      std::function<bool(const std::string&)> serves);
  /// Stops: requests on their way are dropped (delivered again next time),
  /// then the positions reached are recorded (waiting up to 5 s for the
  /// engine).
  ~subscription_sender();
  subscription_sender(const subscription_sender&) = delete;
  subscription_sender& operator=(const subscription_sender&) = delete;

  /// start loads the subscriptions from the views and starts delivering.
  [[nodiscard]] result<void> start();

  /// notify tells the sender about committed events (already applied).
  void notify(const std::vector<event>& events);

  /// state is how subscription `id` of `tenant` is doing here:
  /// {state: "delivering"|"retrying"|"idle"|"paused", delivered_seq,
  /// pending (deliveries read and not yet accepted), attempt,
  /// next_attempt_at?, last_error?: {status?, error?, at}}; null when this
  /// sender does not hold it.
  [[nodiscard]] nlohmann::json state(const std::string& tenant,
                                     const std::string& id) const;

  /// deliveries lists the delivery log of subscription `id` of `tenant`,
  /// newest first, at most `limit` entries.
  [[nodiscard]] std::vector<nlohmann::json>
  deliveries(const std::string& tenant, const std::string& id,
             std::size_t limit) const;

  /// counters: deliveries accepted and failed since the start, and
  /// deliveries read and not yet accepted.
  struct counters {
    std::uint64_t accepted = 0, failed = 0, pending = 0;
  };
  [[nodiscard]] counters count() const;

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

/// subscription_io: how the HTTP API reaches the sender of a tenant's
/// subscriptions (one on the embedded log; one per partition in Kafka mode,
/// visited under its owner's lock, so that it cannot go away meanwhile).
/// `of` calls `f` with the tenant's sender, if this instance runs one;
/// `each` with every sender (metrics).
struct subscription_io {
  using visit_fn = std::function<void(const subscription_sender&)>;
  std::function<void(const std::string& tenant, const visit_fn& f)> of;
  std::function<void(const visit_fn& f)> each;
};

/// subscription_metrics: the Prometheus lines of every sender of `io`,
/// summed: atende_subscription_deliveries_total{outcome="accepted"|"failed"}
/// and atende_subscription_deliveries_pending.
[[nodiscard]] std::string subscription_metrics(const subscription_io& io);

/// delivery_signature is the X-Atende-Signature of `body` sent at unix
/// second `t`: "t=<t>,v1=<hex HMAC-SHA256(secret, t + "." + body)>".
[[nodiscard]] std::string delivery_signature(const std::string& secret,
                                             std::int64_t t,
                                             const std::string& body);

} // namespace atende

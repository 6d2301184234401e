// whatsapp_sender: atende sending its outbound messages through Meta's
// Graph API, for the channels that have an access token.
//
// Its work list is the store's `sending` keys (actors/store.h "q/"), written
// in the same batch as the outbox record they belong to, so that a committed
// send is never forgotten. Each key moves through these states, each written
// (synced) before the step it guards:
//
//   ""                       committed, not tried yet
//   {"state": "sending", "attempt": n}
//                            the request is (or may be) on its way to Meta
//   {"state": "waiting", "attempt": n, "due": ms, "code", "title"}
//                            Meta was busy, down, limiting or silent: tried
//                            again at `due` (retry_base_ms doubling, at most
//                            5 minutes apart, whatsapp.max_attempts in all)
//   {"state": "accepted", "wamid", "at"} | {"state": "failed", "code",
//    "title", "at"} | {"state": "unknown", "at"}
//                            the outcome, recorded through the log as a
//                            `message.status` envelope ("accepted" with
//                            Meta's wamid, or "failed" with the code) whose
//                            id is `send:<record id>:<state>`; the key is
//                            deleted once the engine committed it, and an
//                            outcome found after a restart is submitted
//                            again (the engine drops the duplicate)
//
// The guarantee: every committed send is attempted; it is sent again only
// after Meta refused it with a retryable error, a connection failed before
// an answer, or a time-out (only this last case can reach the customer
// twice, and it is counted on the channel as `timeouts`). A crash while a
// request was on its way leaves "sending": on the next start the message
// becomes `failed` with code `unknown_outcome`, never sent again by atende;
// the agent sees it and sends it again if the customer did not get it.
//
// In Kafka mode each partition served here has its sender, over the
// partition's store (tools/kafka_engine.h); the attempt states stay in that
// instance's store, so the next owner of a moved partition finds the keys as
// the changelog wrote them ("", to send) and sends those whose outcome is
// not in the log yet (views::outbound_settled): one that was on its way
// when the previous owner died may reach the customer twice.
//
// A media send goes in two requests: the file is uploaded first
// (`POST {graph_url}/{phone_number_id}/media`, multipart/form-data with
// `messaging_product`, `type` and `file`, from the media store), then sent
// by the id Meta gave it. Both are one attempt: a failed upload is retried
// (or fails the message) as a failed send is.
//
// Throughput: at most `rate_per_number` sends per second for each
// phone_number_id (Meta's per-number limit), and `max_in_flight` requests
// at once, over keep-alive connections (libcurl's multi interface, on one
// thread of its own: ingest never waits for Meta).
//
// Thread-safety: notify, health and metrics_text may be called from any
// thread; start once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/errc.h"
#include "events/event.h"

namespace atende {

class store;
class engine_port;
class views;
class sealer;
class media_store;

struct sender_options {
  std::string graph_url = "https://graph.facebook.com/v21.0";
  std::uint32_t rate_per_number = 80;
  std::uint32_t timeout_ms = 20000;
  std::uint32_t retry_base_ms = 1000;
  std::uint32_t max_attempts = 12;
  std::uint32_t max_in_flight = 64;
};

class whatsapp_sender {
public:
  /// `media` holds the bytes of media sends (null: they fail with
  /// media_unavailable).
  whatsapp_sender(store& db, engine_port& port, const views& v,
                  const sealer& secrets, sender_options o,
                  const media_store* media = nullptr);
  /// Stops taking new sends, waits for the requests on their way (at most
  /// one time-out) and records their outcomes.
  ~whatsapp_sender();
  whatsapp_sender(const whatsapp_sender&) = delete;
  whatsapp_sender& operator=(const whatsapp_sender&) = delete;

  /// start picks up the sends left by an earlier run and starts sending.
  [[nodiscard]] result<void> start();

  /// notify tells the sender about committed events (it looks for sends).
  void notify(const std::vector<event>& events);

  /// mark_read marks customer message `message_id` of `conversation` (and
  /// the earlier ones) read at Meta, for a channel with `mark_read`: POST
  /// .../messages {"status": "read", "message_id": wamid}. Best effort: it
  /// is not recorded, nor tried again; a message already marked is not
  /// marked twice (in this process).
  void mark_read(const std::string& tenant, const std::string& channel,
                 const std::string& conversation,
                 const std::string& message_id) const;

  /// health is the channel's sending record since this process started:
  /// {accepted, failed: {code: n}, retried, timeouts, pending, read_marks,
  /// read_mark_failures, last_error?: {code, title, at}}.
  [[nodiscard]] nlohmann::json health(const std::string& tenant,
                                      const std::string& channel) const;

  /// metrics_text: Prometheus lines of the same counters.
  [[nodiscard]] std::string metrics_text() const;

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

} // namespace atende

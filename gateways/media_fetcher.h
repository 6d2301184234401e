// media_fetcher: atende fetching the media of customers' messages (photos,
// voice notes, documents…) from Meta's Graph API, for the channels that
// have an access token, into the media store (gateways/media_store.h).
//
// Its work list is the store's `fetching` keys (actors/store.h "f/"),
// written in the same batch as the message's event, so a committed media
// message is never forgotten. For each, with the channel's token:
//   1. GET {graph_url}/{media id}      → {url, mime_type, sha256, file_size}
//   2. GET url                         → the bytes (at most 100 MB)
//   3. the bytes' SHA-256 must be the one Meta gave (in the answer of step
//      1, in hex, or in the webhook, in base64)
//   4. stored (once per content), indexed for the tenant, and recorded
//      through the log as a `message.media` envelope with the media (id
//      `media:<message id>:stored`, actor `rule:media`): the message shows
//      `media.id`, and the key is deleted once that is committed.
// A failure that may pass (Meta down or limiting, a time-out, a refused or
// expired token, an expired URL, bytes that do not match) is retried with
// doubling waits (retry_base_ms, at most 5 minutes apart) up to
// max_attempts; the first one is recorded at once (`message.media` with an
// error, id `media:<message id>:retrying`), so the message shows
// `media.error` meanwhile and nothing else waits for it. Meta no longer
// having the media (code 100, subcode 33: an id older than 30 days) or the
// last attempt failing is recorded as the final error (`…:failed`).
// Fetches run one at a time on a thread of their own; a crash repeats at
// most the fetch that was under way (storing is idempotent). At start, a
// key whose message already shows its media id is only deleted: in Kafka
// mode that is every key the changelog brings along with a partition whose
// media an earlier owner fetched (one fetcher per partition served, over
// the partition's store).
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

struct fetcher_options {
  std::string graph_url = "https://graph.facebook.com/v21.0";
  std::uint32_t timeout_ms = 20000;
  std::uint32_t retry_base_ms = 1000;
  std::uint32_t max_attempts = 12;
  std::uint64_t max_bytes = 100u << 20;
};

class media_fetcher {
public:
  media_fetcher(store& db, engine_port& port, const views& v,
                const sealer& secrets, const media_store& media,
                fetcher_options o);
  /// Stops after the fetch under way (at most one time-out per request).
  ~media_fetcher();
  media_fetcher(const media_fetcher&) = delete;
  media_fetcher& operator=(const media_fetcher&) = delete;

  /// start picks up the fetches an earlier run left and starts fetching.
  [[nodiscard]] result<void> start();

  /// notify tells the fetcher about committed events (it looks for media).
  void notify(const std::vector<event>& events);

  /// health is the channel's fetching record since this process started:
  /// {fetched, failed: {code: n}, retried, pending, last_error?: {code,
  /// title, at}}.
  [[nodiscard]] nlohmann::json health(const std::string& tenant,
                                      const std::string& channel) const;

  /// metrics_text: Prometheus lines of the same counters.
  [[nodiscard]] std::string metrics_text() const;

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

} // namespace atende

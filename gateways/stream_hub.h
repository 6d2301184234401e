// stream_hub: the live streams of GET /v1/stream (CONTRACT "Live updates").
//
// Each stream follows one list of one caller (a watcher, views.h). After
// every commit the hub asks the views for the frames the committed events
// make for each stream of their tenant (projections/stream.cc: the list's
// own predicate decides) and writes them, as Server-Sent Events:
//
//   event: conversation.updated
//   data: {"id":"…",…}
//   id: 1042
//
// Positions. A frame's id is the seq of the tenant's event it follows (the
// journal's, durable); the frames of one event share it, and only the last
// of them carries `id:`, so a position always means "everything up to that
// event". A stream that resumes (`Last-Event-ID`) reads the journal after
// its position and gets the frames of those events, objects shown as they
// are now, then goes on live: nothing missed, across restarts and `kill
// -9`, since the journal is what was committed. A position more than
// `max_catchup` events behind, or past the journal's end (another data
// directory), gets one `reset` frame instead: reload. `counts` frames carry
// no id; a stream gets one when it opens and whenever its counts change.
//
// Threads. One thread of the hub does all the work, in commit order:
// `notify` (called by the commit path) only queues the events, so a slow
// client never holds up a commit. Each stream's connection holds at most
// http_options::stream_buffer_bytes unwritten; past that the client is
// disconnected and resumes from its last id. Every `heartbeat` a comment
// line (`: ping`) keeps idle connections open.
//
// Limits: at most `max_per_token` open streams per token and
// `max_per_tenant` per tenant (errc::too_many_streams, 429).
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "events/errc.h"
#include "events/event.h"
#include "gateways/http_exchange.h"
#include "projections/views.h"

namespace atende {

class engine_port;

struct stream_options {
  std::chrono::milliseconds heartbeat{15'000};
  std::size_t max_per_token = 16;
  std::size_t max_per_tenant = 10'000;
  std::uint64_t max_catchup = 10'000;
};

class stream_hub {
public:
  stream_hub(const views& v, const engine_port& port, stream_options o);
  /// Closes every stream and stops the thread.
  ~stream_hub();
  stream_hub(const stream_hub&) = delete;
  stream_hub& operator=(const stream_hub&) = delete;

  /// open checks a stream of `who` (authenticated by the token whose hash
  /// is `token_hash`) following list `q`, resuming after `last_event_id`
  /// ("" : from now), and gives what starts it once the response head is
  /// written. Errors: the query's (errc::malformed naming the field),
  /// `last_event_id` not a position (malformed, field "Last-Event-ID"),
  /// too_many_streams.
  [[nodiscard]] result<std::function<void(std::shared_ptr<event_channel>)>>
  open(const principal& who, const std::string& token_hash,
       const conversation_query& q, const std::string& last_event_id);

  /// notify queues committed events (already applied to the views).
  void notify(const std::vector<event>& events);

  /// close_where closes the streams of the tenants for which `gone` holds
  /// (Kafka mode: their partition left this instance; their clients
  /// reconnect, are sent to the new owner and resume there).
  void close_where(std::function<bool(const std::string&)> gone);

  /// stop closes every stream; later opens are refused as unavailable.
  void stop();

  /// metrics_text: atende_streams_open and atende_stream_frames_total.
  [[nodiscard]] std::string metrics_text() const;

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

/// parse_position reads a Last-Event-ID: the decimal seq of an event.
[[nodiscard]] result<std::uint64_t> parse_position(const std::string& id);

} // namespace atende

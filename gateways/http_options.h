// http_options: how the HTTP gateway listens and what it accepts.
//
// Thread-safety: a plain value, read-only once the server started.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace atende {

class console_files;
class media_store;
class sealer;
class whatsapp_io;
class stream_hub;
struct subscription_io;

struct http_options {
  /// host and port to listen on; port 0 picks a free port (see
  /// http_server::endpoint).
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  /// io_threads run the connections; engine work never runs on them.
  std::size_t io_threads = 2;
  /// root_token_hash is sha256_hex of the root token; empty: no root access.
  std::string root_token_hash;
  /// max_body_bytes: a larger body is answered 413 too_large.
  std::size_t max_body_bytes = 16u << 20;
  /// max_media_bytes: the largest body of `POST /v1/media` (WhatsApp's
  /// largest media, a 100 MB document); each kind's own limit is checked
  /// after (events/media.h).
  std::size_t max_media_bytes = 100u << 20;
  /// max_header_bytes: a larger request head closes the connection.
  std::size_t max_header_bytes = 16u << 10;
  /// max_envelopes: the most envelopes in one POST /v1/events.
  std::size_t max_envelopes = 10'000;
  /// read_timeout bounds reading one request (and keep-alive idleness).
  std::chrono::milliseconds read_timeout{60'000};
  /// stream_buffer_bytes: the unwritten bytes an event stream may hold
  /// before its client is deemed too slow and disconnected.
  std::size_t stream_buffer_bytes = 256u << 10;
  /// streams: the live streams of GET /v1/stream (null: none served).
  stream_hub* streams = nullptr;
  /// console: the web console's files, served at `/` (null: not built).
  const console_files* console = nullptr;
  /// WhatsApp webhook: the app secret its payloads are signed with and the
  /// token of Meta's verification handshake (empty: refused).
  std::string whatsapp_app_secret;
  std::string whatsapp_verify_token;
  /// unrouted_path: the file of webhook payloads that could not be applied
  /// (unrouted_log.h); empty keeps them in memory only.
  std::string unrouted_path;
  /// secrets seals a channel's access token and app secret before they
  /// enter the log, and opens the app secret for the webhook's signature
  /// check (null: channels refuse secrets).
  const sealer* secrets = nullptr;
  /// whatsapp: atende's own sending through the Graph API and fetching of
  /// customers' media (null: none runs here); their health shows on
  /// GET /v1/channels/{id} and /metrics.
  const whatsapp_io* whatsapp = nullptr;
  /// media: where uploaded and fetched media are kept (null: media are not
  /// stored here; `POST /v1/media` and `GET /v1/media/{id}` answer 422).
  const media_store* media = nullptr;
  /// subscriptions: the senders of the subscriptions' deliveries, for their
  /// state and delivery log (null: none runs here).
  const subscription_io* subscriptions = nullptr;
  /// subscriptions_allow_private: subscriptions may deliver to loopback and
  /// private networks (gateways/destination.h).
  bool subscriptions_allow_private = false;
};

} // namespace atende

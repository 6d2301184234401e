// The operational endpoints (CONTRACT section 2): /healthz and /metrics,
// both public; and the live stream, GET /v1/stream (gateways/stream_hub.h).
#include "gateways/api.h"
#include "gateways/crypto.h"
#include "gateways/stream_hub.h"
#include "gateways/subscription_sender.h"
#include "gateways/whatsapp_io.h"

namespace atende {

namespace {

/// healthz: 200 `{"status":"ok"}`, or 200 `{"status":"degraded","reason":…}`
/// while the engine cannot reach its broker (it keeps serving the views and
/// retries; a load balancer should not take it out for that), or 503
/// `{"status":"starting","reason":…}` while requests about some tenants
/// would be refused (Kafka mode: a partition that no instance serves yet).
/// In Kafka mode `partitions` lists the partitions served here.
void healthz(const call& c) {
  auto h = c.api->engine.health();
  nlohmann::json body = {{"status", h.status}};
  if (!h.reason.empty()) {
    body["reason"] = h.reason;
  }
  if (h.kafka) {
    body["partitions"] = h.owned;
  }
  c.reply(h.status == "starting" ? 503 : 200, body);
}

void metrics(const call& c) {
  http_response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body =
      c.api->metrics.render(c.api->probes, c.api->view.conversation_count());
  r.body += c.api->engine.metrics_text();
  r.body += c.api->number_errors.metrics_text();
  r.body += c.api->unrouted.metrics_text();
  if (const auto* w = c.api->options.whatsapp) {
    r.body += w->metrics_text();
  }
  if (const auto* h = c.api->options.streams) {
    r.body += h->metrics_text();
  }
  if (const auto* s = c.api->options.subscriptions) {
    r.body += subscription_metrics(*s);
  }
  c.ex->reply(std::move(r));
}

} // namespace

std::vector<route> system_routes() {
  return {{"GET", "/healthz", access::anyone, &healthz},
          {"GET", "/metrics", access::anyone, &metrics}};
}

namespace {

/// open_stream: GET /v1/stream?view=&status=&channel=&tag=&stage=&team=
/// &contact= — the caller's live stream of that list. The token may come
/// as `?access_token=` and the position as `?last_event_id=` (a browser's
/// EventSource sets no headers; the router moves them).
void open_stream(const call& c) {
  auto* hub = c.api->options.streams;
  if (hub == nullptr) {
    return c.reply_error(
      make_error(errc::unsupported, "this server serves no event streams"));
  }
  auto q = conversation_query_of(c);
  if (!q) {
    return c.reply_error(q.error());
  }
  // Without a status the stream follows every status.
  q->status = query_param(c, "status", "");
  const auto hash = sha256_hex(bearer_token(c.request().authorization));
  auto start = hub->open(c.who, hash, *q, c.request().last_event_id);
  if (!start) {
    if (start.error().code == errc::too_many_streams) {
      auto r = error_response(start.error());
      r.retry_after = "5";
      return c.ex->reply(std::move(r));
    }
    return c.reply_error(start.error());
  }
  http_response r;
  r.on_stream = std::move(*start);
  c.ex->reply(std::move(r));
}

} // namespace

std::vector<route> stream_routes() {
  return {{"GET", "/v1/stream", access::agent, &open_stream}};
}

} // namespace atende

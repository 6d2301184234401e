// The operational endpoints (CONTRACT section 2): /healthz and /metrics,
// both public; and the contract's endpoints this version does not serve
// yet, which answer 422 unsupported rather than 404 so that a client can
// tell "not yet" from "no such thing".
#include "gateways/api.h"
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
  c.ex->reply(std::move(r));
}

} // namespace

std::vector<route> system_routes() {
  return {{"GET", "/healthz", access::anyone, &healthz},
          {"GET", "/metrics", access::anyone, &metrics}};
}

std::vector<route> unsupported_routes() {
  constexpr auto a = access::agent;
  return {
      {"GET", "/v1/stream", a, &not_yet},
  };
}

} // namespace atende

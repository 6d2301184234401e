// Outbound records (CONTRACT section 5, `atende.outbound`) over HTTP: on the
// embedded log there is no broker, so connectors page through the outbox
// here. `GET /v1/outbound?cursor=&limit=` (admin) answers
// `{items: [record, ...], next_cursor}`, oldest first; a connector keeps the
// last cursor it processed and dedupes by record `id`.
#include "gateways/api.h"

namespace atende {

namespace {

void list_outbound(const call& c) {
  auto limit = parse_limit(c);
  if (!limit) {
    return c.reply_error(limit.error());
  }
  auto after = parse_seq_cursor(c);
  if (!after) {
    return c.reply_error(after.error());
  }
  auto records = c.api->engine.outbound(c.who.tenant, *after, *limit);
  if (!records) {
    return c.reply_error(records.error());
  }
  auto items = nlohmann::json::array();
  for (const auto& [seq, text] : *records) {
    items.push_back(nlohmann::json::parse(text));
  }
  nlohmann::json next = nullptr;
  if (records->size() == *limit) {
    next = std::to_string(records->back().first);
  }
  c.reply(200, {{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

} // namespace

std::vector<route> outbound_routes() {
  return {{"GET", "/v1/outbound", access::admin, &list_outbound}};
}

} // namespace atende

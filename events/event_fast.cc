// Replay's hot path: events read from simdjson's DOM through the same
// templates as event_from_json (detail/event_decode.h). Journal entries are
// valid events, so any failure is simply redone with nlohmann, whose answer
// is the reference.

#include "events/detail/event_decode.h"
#include "events/detail/simdjson_view.h"
#include "events/event.h"

namespace atende {

namespace {

result<event> event_from_text_slow(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    return fail(errc::malformed, "not valid JSON", "body");
  }
  return event_from_json(j);
}

} // namespace

result<event> event_from_text(std::string_view text) {
  simdjson::dom::element root;
  if (detail::parse_padded(text, root) != simdjson::SUCCESS) {
    return event_from_text_slow(text);
  }
  auto e = detail::read_event(detail::sj_view{root});
  if (!e) {
    return event_from_text_slow(text);
  }
  return e;
}

} // namespace atende

// The ingest hot path: envelopes decoded from simdjson's DOM through the same
// validation templates as decode_input (detail/input_decode.h). Whatever the
// two parsers could disagree on is handed to decode_input_text: texts that
// simdjson rejects (nlohmann then decides whether they are JSON and gives its
// error), numbers whose nlohmann rendering cannot be reproduced exactly, and
// the commands other than assign, transfer and finish (which a bulk load and
// the supervisors send by the thousand).

#include "events/detail/input_decode.h"
#include "events/detail/simdjson_view.h"
#include "events/input.h"

namespace atende {

namespace {

using detail::sj_view;

/// hot_commands decodes the conversation commands that come in volume; the
/// others go to the reference decoder.
result<input_data> hot_commands(std::size_t index, const sj_view& d) {
  switch (index) {
  case detail::input_index<conversation_assign>:
    return detail::decode_assign(d);
  case detail::input_index<conversation_transfer>:
    return detail::decode_transfer(d);
  case detail::input_index<conversation_finish>:
    return detail::decode_finish(d);
  default:
    return std::unexpected(detail::needs_fallback());
  }
}

} // namespace

result<input> decode_input_fast(std::string_view text, input_scope scope) {
  simdjson::dom::element root;
  if (detail::parse_padded(text, root) != simdjson::SUCCESS) {
    return decode_input_text(text, scope);
  }
  auto r = detail::decode_with(sj_view{root}, scope, hot_commands);
  if (!r && r.error().code == errc::ok) {
    return decode_input_text(text, scope);
  }
  return r;
}

} // namespace atende

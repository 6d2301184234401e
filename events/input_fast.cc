// The ingest hot path: envelopes decoded from simdjson's DOM through the same
// validation templates as decode_input (detail/input_decode.h). Whatever the
// two parsers could disagree on is handed to decode_input_text: texts that
// simdjson rejects (nlohmann then decides whether they are JSON and gives its
// error), numbers whose nlohmann rendering cannot be reproduced exactly, and
// commands, which are not on the hot path.

#include "events/detail/input_decode.h"
#include "events/detail/simdjson_view.h"
#include "events/input.h"

namespace atende {

namespace {

using detail::sj_view;

result<input_data> no_commands(std::size_t, const sj_view&) {
  return std::unexpected(detail::needs_fallback());
}

} // namespace

result<input> decode_input_fast(std::string_view text, input_scope scope) {
  simdjson::dom::element root;
  if (detail::parse_padded(text, root) != simdjson::SUCCESS) {
    return decode_input_text(text, scope);
  }
  auto r = detail::decode_with(sj_view{root}, scope, no_commands);
  if (!r && r.error().code == errc::ok) {
    return decode_input_text(text, scope);
  }
  return r;
}

} // namespace atende

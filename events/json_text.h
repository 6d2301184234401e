// json_text: a fast writer of compact JSON text (HTTP replies, lists rendered
// straight to text).
//
// Replies are built as nlohmann::json values (the views hand out items that
// way), and nlohmann's serializer was a third of the CPU time of a list
// query. This writer produces the same text as `dump()` for valid UTF-8
// (compact, keys in the object's order, the same escapes), copying runs of
// plain characters at once. Invalid UTF-8 is replaced by U+FFFD, as
// `dump(-1, ' ', false, error_handler_t::replace)` does.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace atende {

/// append_json_text appends the compact JSON text of `j` to `out`.
void append_json_text(std::string& out, const nlohmann::json& j);

/// json_text returns the compact JSON text of `j`.
[[nodiscard]] std::string json_text(const nlohmann::json& j);

/// append_json_string appends `s` as a JSON string (quoted and escaped as
/// `dump()` does), for writers that render straight to text.
void append_json_string(std::string& out, std::string_view s);

} // namespace atende

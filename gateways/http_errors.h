// http_errors: the one place where an errc becomes an HTTP status.
//
// CONTRACT section 2: 400 malformed request, 401 no/bad token, 403 not
// allowed, 404 unknown id, 409 conflict with current state, 413 body too
// large, 422 well-formed but breaks a rule. The body is always
//   {"error": {"code": "window_closed", "message": "...",
//              "field": "text"?, "conversation_id": "..."?}}
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "events/errc.h"

namespace atende {

/// http_status returns the HTTP status code for `c`.
[[nodiscard]] unsigned http_status(errc c) noexcept;

/// error_json renders the `{"code", "message", ...}` object of `e`, as used
/// in error bodies and in per-item results.
[[nodiscard]] nlohmann::json error_json(const error& e);

/// error_body renders the whole error body `{"error": error_json(e)}`.
[[nodiscard]] nlohmann::json error_body(const error& e);

} // namespace atende

// errc: the error vocabulary of atende.
//
// Every rejection the engine can give has one code here. The code's name is
// the string of the HTTP error body (`{"error": {"code": "window_closed"}}`);
// the HTTP status is chosen once, in gateways/http_errors.cc. Errors travel as
// values (`error`, `result<T>`): nothing here throws.
//
// Thread-safety: plain values, safe to copy between threads.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <system_error>

namespace atende {

enum class errc {
  ok = 0,
  malformed,          // 400: JSON or a field is missing/of the wrong type
  unauthorized,       // 401
  forbidden,          // 403
  not_found,          // 404 (also ids of another tenant)
  already_exists,     // 409
  conflict,           // 409: generic conflict with current state
  too_large,          // 413
  invalid_phone,      // 422
  invalid_value,      // 422: well-formed but outside the allowed values
  unknown_reference,  // 422: names a channel/team/agent that does not exist
  not_assignee,       // 403
  not_eligible,       // 403
  already_assigned,   // 409
  at_capacity,        // 409
  conversation_finished,  // 409
  conversation_open,      // 409
  reason_required,        // 422
  unknown_reason,         // 422
  window_closed,          // 422
  template_required,      // 422
  template_not_approved,  // 422
  template_params_mismatch,  // 422
  unsupported,               // 422: an input type this engine does not handle
  pause_not_allowed_yet,     // 422: before the pause type's allowed_from
  already_paused,            // 409
  not_paused,                // 409
  bad_credentials,           // 401: sign-in with a wrong tenant, login or
                             // password (one answer for all three)
  too_many_attempts,         // 429: sign-in failures for one login; wait
  too_many_streams,          // 429: open event streams of a token or a
                             // tenant at their limit
  unavailable,               // 503: the broker or the tenant's partition is
                             // not reachable now; retry
  unsupported_media,         // 422: a media type or file WhatsApp does not
                             // take (events/media.h)
  forbidden_destination,     // 422: a subscription URL on loopback or a
                             // private network (gateways/destination.h)
  internal,                  // 500
};

/// code_name returns the wire name of `c` (`"window_closed"`).
[[nodiscard]] std::string_view code_name(errc c) noexcept;

/// errc_from_name is the inverse of code_name; unknown names give internal.
[[nodiscard]] errc errc_from_name(std::string_view name) noexcept;

/// error_category makes errc usable as a std::error_code.
[[nodiscard]] const std::error_category& error_category() noexcept;

inline std::error_code make_error_code(errc c) noexcept {
  return {static_cast<int>(c), error_category()};
}

/// error is a rejection: a code, a human message and, where one input field is
/// to blame, its path (`data.channel`). `conversation` names the conversation a
/// conflict refers to (`conversation_open`).
struct error {
  errc code = errc::internal;
  std::string message;
  std::string field;
  std::string conversation;

  friend bool operator==(const error&, const error&) = default;
};

/// make_error builds an error value; a field is named in the message too.
[[nodiscard]] error make_error(errc code, std::string message,
                               std::string field = {});

/// result is the return type of everything that can be rejected.
template <class T>
using result = std::expected<T, error>;

/// fail is shorthand for `std::unexpected(make_error(...))`.
[[nodiscard]] inline std::unexpected<error>
fail(errc code, std::string message, std::string field = {}) {
  return std::unexpected(make_error(code, std::move(message), std::move(field)));
}

} // namespace atende

template <>
struct std::is_error_code_enum<atende::errc> : std::true_type {};

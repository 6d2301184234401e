#include "gateways/http_errors.h"

#include "gateways/http_exchange.h"

namespace atende {

unsigned http_status(errc c) noexcept {
  switch (c) {
  case errc::ok:
    return 200;
  case errc::malformed:
    return 400;
  case errc::unauthorized:
  case errc::bad_credentials:
    return 401;
  case errc::forbidden:
  case errc::not_assignee:
  case errc::not_eligible:
    return 403;
  case errc::not_found:
    return 404;
  case errc::already_exists:
  case errc::conflict:
  case errc::already_assigned:
  case errc::at_capacity:
  case errc::conversation_finished:
  case errc::conversation_open:
  case errc::already_paused:
  case errc::not_paused:
    return 409;
  case errc::too_large:
    return 413;
  case errc::invalid_phone:
  case errc::invalid_value:
  case errc::unknown_reference:
  case errc::reason_required:
  case errc::unknown_reason:
  case errc::window_closed:
  case errc::template_required:
  case errc::template_not_approved:
  case errc::template_params_mismatch:
  case errc::unsupported:
  case errc::unsupported_media:
  case errc::forbidden_destination:
  case errc::pause_not_allowed_yet:
    return 422;
  case errc::too_many_attempts:
  case errc::too_many_streams:
    return 429;
  case errc::unavailable:
    return 503;
  case errc::internal:
    return 500;
  }
  return 500;
}

nlohmann::json error_json(const error& e) {
  nlohmann::json j = {{"code", code_name(e.code)}, {"message", e.message}};
  if (!e.field.empty()) {
    j["field"] = e.field;
  }
  if (!e.conversation.empty()) {
    j["conversation_id"] = e.conversation;
  }
  return j;
}

nlohmann::json error_body(const error& e) {
  return {{"error", error_json(e)}};
}

http_response error_response(const error& e) {
  return json_response(http_status(e.code), error_body(e));
}

} // namespace atende

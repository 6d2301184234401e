#include "events/errc.h"

#include <utility>

namespace atende {

namespace {

constexpr std::pair<errc, std::string_view> names[] = {
  {errc::ok, "ok"},
  {errc::malformed, "malformed"},
  {errc::unauthorized, "unauthorized"},
  {errc::forbidden, "forbidden"},
  {errc::not_found, "not_found"},
  {errc::already_exists, "already_exists"},
  {errc::conflict, "conflict"},
  {errc::too_large, "too_large"},
  {errc::invalid_phone, "invalid_phone"},
  {errc::invalid_value, "invalid_value"},
  {errc::unknown_reference, "unknown_reference"},
  {errc::not_assignee, "not_assignee"},
  {errc::not_eligible, "not_eligible"},
  {errc::already_assigned, "already_assigned"},
  {errc::at_capacity, "at_capacity"},
  {errc::conversation_finished, "conversation_finished"},
  {errc::conversation_open, "conversation_open"},
  {errc::reason_required, "reason_required"},
  {errc::unknown_reason, "unknown_reason"},
  {errc::window_closed, "window_closed"},
  {errc::template_required, "template_required"},
  {errc::template_not_approved, "template_not_approved"},
  {errc::template_params_mismatch, "template_params_mismatch"},
  {errc::unsupported, "unsupported"},
  {errc::pause_not_allowed_yet, "pause_not_allowed_yet"},
  {errc::already_paused, "already_paused"},
  {errc::not_paused, "not_paused"},
  {errc::bad_credentials, "bad_credentials"},
  {errc::too_many_attempts, "too_many_attempts"},
  {errc::too_many_streams, "too_many_streams"},
  {errc::unavailable, "unavailable"},
  {errc::unsupported_media, "unsupported_media"},
  {errc::forbidden_destination, "forbidden_destination"},
  {errc::internal, "internal"},
};

class category final : public std::error_category {
public:
  const char* name() const noexcept override { return "atende"; }
  std::string message(int c) const override {
    return std::string{code_name(static_cast<errc>(c))};
  }
};

} // namespace

std::string_view code_name(errc c) noexcept {
  for (const auto& [code, name] : names) {
    if (code == c) {
      return name;
    }
  }
  return "internal";
}

errc errc_from_name(std::string_view name) noexcept {
  for (const auto& [code, n] : names) {
    if (n == name) {
      return code;
    }
  }
  return errc::internal;
}

const std::error_category& error_category() noexcept {
  static const category instance;
  return instance;
}

error make_error(errc code, std::string message, std::string field) {
  if (!field.empty()) {
    message = field + ": " + message;
  }
  return error{code, std::move(message), std::move(field), {}};
}

} // namespace atende

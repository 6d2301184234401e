// window: WhatsApp's 24-hour customer-service window of one (contact,
// channel).
//
// Free text may go to a contact on a channel only within 24 hours of the
// contact's last message there. The window belongs to the pair, across its
// conversations; only the contact's messages open or refresh it, and a send
// that the provider refused with error 131047 (it found the window closed)
// closes it until the contact writes again. Times are events' times, never a
// clock: the engine (actors/tenant.h) decides sends with it and the views
// (projections/tenant.h) show `window_expires_at` with it.
#pragma once

#include <algorithm>
#include <optional>

#include "events/event.h"
#include "events/time.h"

namespace atende {

/// window_ms: how long after the contact's last message free text may be
/// sent.
inline constexpr timestamp window_ms = 24LL * 60 * 60 * 1000;

/// contact_window: the times that decide the window of one (contact,
/// channel): the contact's last message there and the last 131047 failure
/// there (0: never).
struct contact_window {
  timestamp inbound = 0;
  timestamp closed = 0;

  /// received: the contact wrote at `at`.
  void received(timestamp at) { inbound = std::max(inbound, at); }

  /// refused: a send failed at `at` with 131047.
  void refused(timestamp at) { closed = std::max(closed, at); }

  /// closed_by_provider: a 131047 failure came after the contact's last
  /// message.
  [[nodiscard]] bool closed_by_provider() const { return closed > inbound; }

  /// expires_at: when free text stops being allowed, or nothing when the
  /// window is not open at all (never opened, or closed by the provider).
  [[nodiscard]] std::optional<timestamp> expires_at() const {
    if (inbound == 0 || closed_by_provider()) {
      return std::nullopt;
    }
    return inbound + window_ms;
  }

  /// open_at: free text may be sent at `at`.
  [[nodiscard]] bool open_at(timestamp at) const {
    auto end = expires_at();
    return end && at < *end;
  }

  friend bool operator==(const contact_window&,
                         const contact_window&) = default;
};

/// closes_window: the delivery report is the provider's refusal for a
/// closed window (failed, error 131047).
[[nodiscard]] inline bool closes_window(const message_status_changed& s) {
  return s.status == "failed" && s.error_code == "131047";
}

} // namespace atende

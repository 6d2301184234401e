// live: the types of the live updates (CONTRACT "Live updates and
// subscriptions") that subscriptions receive, and the patterns a
// subscription chooses them by.
#pragma once

#include <array>
#include <string_view>

namespace atende {

/// delivered_types: what a subscription may receive — the frames of
/// GET /v1/stream about the tenant's records. `counts`, `reset` and
/// `note.mention` belong to one person and are only streamed.
inline constexpr std::array<std::string_view, 5> delivered_types{
  "conversation.updated", "conversation.removed", "message.created",
  "message.updated", "agent.updated"};

/// pattern_matches: "*" is every type, "conversation.*" a family (the type
/// starts with "conversation."), anything else one type exactly.
[[nodiscard]] constexpr bool pattern_matches(std::string_view pattern,
                                             std::string_view type) {
  if (pattern == "*") {
    return true;
  }
  if (pattern.size() >= 2 && pattern.ends_with(".*")) {
    return type.starts_with(pattern.substr(0, pattern.size() - 1));
  }
  return pattern == type;
}

/// is_valid_pattern: "*", or a pattern that matches some delivered type.
[[nodiscard]] constexpr bool is_valid_pattern(std::string_view pattern) {
  if (pattern.empty()) {
    return false;
  }
  for (auto t : delivered_types) {
    if (pattern_matches(pattern, t)) {
      return true;
    }
  }
  return false;
}

} // namespace atende

// Internal to the tenant core: the state of one `route` call, shared by the
// files that implement it.
#pragma once

#include <string>

#include "actors/tenant.h"

namespace atende::detail {

/// route_ctx: the state, the input and the events decided so far.
struct route_ctx {
  const tenant_state& s;
  const input& in;
  plan p;

  /// next_seq is the sequence number the next decided event will get.
  std::uint64_t next_seq() const { return s.next_seq + p.events.size(); }
  std::string caller() const { return agent_of(in.actor); }
  bool admin() const { return is_admin(s, in.actor); }
};

/// route_conversation decides the conversation commands (assign, send,
/// transfer, finish).
[[nodiscard]] result<void> route_conversation(route_ctx& c);

} // namespace atende::detail

// agent: the pure core of one agent (atendente): its record and its
// availability (online, pauses). Team references and pause types (with
// their earliest start in the tenant's time zone) were checked by the tenant
// before a command reaches here.
#pragma once

#include <vector>

#include "actors/tenant.h"
#include "events/event.h"
#include "events/model.h"

namespace atende {

struct agent_state {
  agent record;
  agent_presence presence;
  friend bool operator==(const agent_state&, const agent_state&) = default;
};

[[nodiscard]] result<std::vector<event_data>> decide(const agent_state& s,
                                                     const agent_command& c);

/// apply folds agent events (and tenant_created for the first admin); `at`
/// is the event's time.
void apply(agent_state& s, const event_data& e, timestamp at);

} // namespace atende

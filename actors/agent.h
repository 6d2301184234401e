// agent: the pure core of one agent (atendente): its decisions on its record
// and its availability (online, pauses). Its state has one owner, the tenant
// core, which applies agent events (tenant.h); `agent_view` (entities.h)
// reads an agent_state from it. Team references and pause types (with
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

} // namespace atende

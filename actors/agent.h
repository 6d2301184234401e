// agent: the pure core of one agent (atendente). Its state is the agent's
// record; availability (online, pauses) joins it as those features land.
// Team references were checked by the tenant before a patch reaches here.
#pragma once

#include <vector>

#include "actors/tenant.h"
#include "events/event.h"
#include "events/model.h"

namespace atende {

[[nodiscard]] result<std::vector<event_data>> decide(const agent& s,
                                                     const agent_command& c);

/// apply folds agent events (and tenant_created for the first admin).
void apply(agent& s, const event_data& e);

} // namespace atende

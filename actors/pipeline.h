// pipeline: the one path from an input to what it does.
//
// `process` takes a tenant's core, its entities and one input, and returns
// the input's effects:
//   1. the tenant routes the input (tenant.h `route`): the events it decides
//      itself and at most one step for an entity;
//   2. the entity decides the step (its core's `decide`, after the plan's
//      events about it);
//   3. every event is stamped with the tenant's next sequence number and
//      folded (`fold`) into the tenant and the entity it concerns, with the
//      keys it implies (outbox record, contact snapshot, membership);
//   4. the automatic steps those events made possible (distribution, business
//      hours) are decided and folded the same way, as the rule that took them.
// The tenant actor, the tests' simulator and `atende replay` call these same
// functions: there is no second copy of the per-input path. `fold` alone is
// what a replay of the journal does, since the journal holds decisions and a
// replay never re-decides.
//
//   tenant_state core; tenant_entities ents;
//   effects fx = process(core, ents, in);
//   if (fx.out.st == outcome::status::rejected) ... fx.out.err
//   for (const event& e : fx.events) ...   // already applied
//
// Neither function reads a clock or does I/O (an entity that is not resident
// comes from the entities' loader). Thread-safety: none.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "actors/entities.h"
#include "actors/tenant.h"
#include "events/input.h"
#include "events/outcome.h"

namespace atende {

using key_writes = std::vector<std::pair<std::string, std::string>>;

/// effects: what one input did.
struct effects {
  std::vector<event> events; // stamped and applied, automatic steps included
  key_writes puts;           // outbox records, contact snapshots, memberships
  outcome out;               // the input's outcome (its events for a command)
  /// Automatic steps an entity refused (the tenant and the entity disagree):
  /// distribution stopped there for this input. Never expected; reported.
  std::vector<std::string> refused_steps;
};

/// process decides input `in` of the tenant in state `core` and folds what it
/// decided. A rejected input changes nothing. Duplicate envelope ids are the
/// caller's to find (they need the store).
[[nodiscard]] effects process(tenant_state& core, tenant_entities& entities,
                              const input& in);

/// fold applies stamped event `e` to the tenant and to the entity it
/// concerns, and adds to `puts` the keys it implies for `core`'s tenant.
void fold(tenant_state& core, tenant_entities& entities, const event& e,
          key_writes& puts);

} // namespace atende

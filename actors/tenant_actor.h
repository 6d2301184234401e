// tenant_actor: the CAF actor that owns one tenant's core and its entity
// actors (conversations, contacts, agents).
//
// The shard sends it the tenant's inputs of a commit cycle; for each input it
// asks the core for a plan, lets the entity actor decide the plan's final
// step, stamps the events with their sequence numbers and applies them. It
// answers with the events, the keys to write and one outcome per input; the
// shard writes them in one batch. Inputs are handled one after the other, in
// log order, so "first to take wins" and capacity limits hold by
// construction.
#pragma once

#include <caf/all.hpp>

#include "actors/store.h"

namespace atende {

/// spawn_tenant starts the actor of `tenant`, loading its state from `db`.
/// Returns an error if the stored state cannot be read.
[[nodiscard]] result<caf::actor> spawn_tenant(caf::local_actor* parent,
                                              const std::string& tenant,
                                              const store& db);

} // namespace atende

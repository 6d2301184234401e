// tenant_actor: the CAF actor that owns one tenant's core and its entities.
//
// The shard sends it the tenant's inputs of a commit cycle. It runs each one
// through the pipeline (pipeline.h) in log order, so "first to take wins" and
// capacity limits hold by construction, and answers with the events, the
// keys to write (seen ids, snapshots of the conversations that changed, the
// tenant's configuration when it changed) and one outcome per input; the shard writes them in one
// batch. Entities live inside it (entities.h), loaded from the store on first
// use and passivated when more than `resident` are held.
#pragma once

#include <cstddef>

#include <caf/all.hpp>

#include "actors/store.h"
#include "actors/tenant.h"

namespace atende {

/// default_resident_entities: how many entities a tenant keeps in memory
/// between inputs (the least recently used beyond it are passivated).
inline constexpr std::size_t default_resident_entities = 20000;

/// spawn_tenant starts the actor of `tenant`, loading its state from `db`.
/// Returns an error if the stored state cannot be read. With a `build`
/// (the program's identity), the load may use the core checkpoint and the
/// actor writes it when it stops (actors/snapshot.h).
[[nodiscard]] result<caf::actor>
spawn_tenant(caf::local_actor* parent, const std::string& tenant,
             store& db,
             std::size_t resident = default_resident_entities,
             std::string_view build = {});

/// spawn_loaded_tenant starts the actor of `tenant` with its core already
/// loaded (load_tenant, actors/snapshot.h).
[[nodiscard]] caf::actor spawn_loaded_tenant(caf::local_actor* parent,
                                             const std::string& tenant,
                                             store& db, tenant_state core,
                                             std::size_t resident,
                                             std::string_view build = {});

} // namespace atende

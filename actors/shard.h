// shard: the partition shard, which turns one partition of input into
// committed state.
//
// It reads the partition's records in offset order from its record_source,
// from the offset stored with the state, hands each tenant's inputs to that
// tenant's actor, and writes everything the cycle produced — snapshots,
// journal entries, seen ids and the next input offset — in one RocksDB
// WriteBatch. Its group commit (group_commit.h) then fsyncs the WAL, one
// fsync for every cycle written meanwhile, and only then tells the
// commit_sink (which updates the views and releases replies), in order,
// while the shard computes the next cycles (at most `unsynced_cycles` ahead).
// A crash at any point leaves either the whole cycle or none of it: restart
// resumes from the stored offset, so every input is applied exactly once.
//
// A failed write stops the process (fail-stop): the in-memory state is ahead
// of the durable one and only a restart can make them agree again.
//
// Send `wake_atom` when new records may be available; the shard then reads
// until the log is drained. A `drain_atom` request is answered once the
// cycles in flight (if any) are durable and handed to the sink; the shard then
// stops with its tenant actors (a Kafka partition moving to another
// instance).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/log.h"
#include "actors/shard_probe.h"
#include "actors/store.h"
#include "actors/tenant.h"

namespace atende {

/// loaded_cores: tenant cores by tenant id.
using loaded_cores = std::map<std::string, tenant_state>;

struct shard_config {
  std::uint32_t partition = 0;
  store* db = nullptr;
  record_source* source = nullptr;
  commit_sink* sink = nullptr;
  shard_probe* probe = nullptr;
  std::size_t max_batch = 2000; // inputs per commit cycle
  /// resident_entities: entities each tenant keeps in memory (tenant_actor.h)
  std::size_t resident_entities = 20000;
  bool sync = true; // fsync the WAL before a cycle is reported (group commit)
  /// unsynced_cycles: cycles written ahead of the last fsync (group
  /// commit); 1: each waits for its own fsync before the next is computed.
  std::size_t unsynced_cycles = 4;
  /// loaded: the cores of the partition's tenants, loaded before the shard
  /// reads its first input (load_cores), so that no input waits for a load.
  /// Others (new tenants) are loaded on their first input.
  std::shared_ptr<loaded_cores> loaded;
  /// build: the program's identity; when set, tenant actors write their
  /// core checkpoint when they stop and loads may read it (snapshot.h).
  std::string build;
};

/// load_cores reads the cores of `tenants` from `db` (snapshot.h
/// load_tenant); the first that cannot be read is the error.
[[nodiscard]] result<loaded_cores>
load_cores(const store& db, const std::vector<std::string>& tenants,
           std::string_view build = {});

/// spawn_shard starts the shard of `cfg.partition`, positioned at the offset
/// stored in `cfg.db`, with the tenant actors of `cfg.loaded`.
[[nodiscard]] result<caf::actor> spawn_shard(caf::actor_system& sys,
                                             const shard_config& cfg);

/// stored_offset reads the next input offset of `stream` of `partition` (0 if
/// none).
[[nodiscard]] result<std::uint64_t> stored_offset(const store& db,
                                                  std::uint32_t partition,
                                                  std::uint32_t stream = 0);

} // namespace atende

// audit: reading a data directory back for `atende replay` — walking each
// tenant's journal with its checks, rebuilding state from it into scratch
// space, and comparing that state with the live one.
//
// A data directory holds one RocksDB per partition store: `DIR/db` for the
// embedded log, `DIR/partitions/NNNN` in Kafka mode (actors/store.h has the
// key layout). Stores are opened read-only, so a running engine keeps
// writing; what is read is the state at the moment of opening (every
// commit cycle is one WriteBatch, so that state is one the engine was in).
//
// Walking a tenant's journal checks, entry by entry: the record's framing
// and checksum (events/codec.h), that seqs run 1, 2, 3… without a gap, that
// the entry decodes to an event of this tenant with this seq, and the hash
// chain (events/chain.h): each chained entry's hash is SHA-256 of the
// previous hash and its payload. The first entry that fails is a
// `difference` naming it (`acme#57`), and the walk stops there.
//
// Verifying a tenant replays its whole journal with the engine's reducers
// (actors/replay.h) and with the views (projections/views.h), then compares
//   - the replayed entities with the live store, key by key and byte by byte
//     (tenant, conversation and contact snapshots, portfolio memberships,
//     the by-conversation index and the outbox), and
//   - every replayed conversation as the views show it (status, team,
//     assignee, contact, channel, portfolio, times, messages) with its live
//     snapshot, and every agent's open count with the tenant's load,
// and reports the first difference. The tenant's state digest is SHA-256
// over the live entity keys and values compared, in key order.
//
// Thread-safety: functions are reentrant; a store may be read by several
// threads at once.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/store.h"
#include "events/chain.h"
#include "events/event.h"
#include "projections/views.h"

namespace atende::audit {

/// data_store: one store of a data directory; `name` is its path relative
/// to the directory ("db", "partitions/0003").
struct data_store {
  std::string name;
  std::unique_ptr<store> db;
};

/// open_data opens every store of `dir` read-only; an error names the
/// directory when it holds no atende data.
[[nodiscard]] result<std::vector<data_store>> open_data(const std::string& dir);

/// tenant_ref: a tenant found in a store, with the number of events its
/// snapshot says it has (for progress; the walk counts the real ones).
struct tenant_ref {
  const store* db = nullptr;
  std::string store_name;
  std::string tenant;
  std::uint64_t events = 0;
};

/// tenants lists the tenants of every store (every tenant with a snapshot
/// or a journal), in (store, tenant) order; with `only` non-empty, that one
/// tenant (not_found naming it when no store has it).
[[nodiscard]] result<std::vector<tenant_ref>>
tenants(const std::vector<data_store>& stores, const std::string& only = {});

/// difference: the first place where the data is not what it should be.
/// `entry` names a journal entry (`acme#57`) when the difference is there;
/// `key` the store key (printable form) when it is in a stored value.
struct difference {
  std::string tenant;
  std::string entry;
  std::string key;
  std::string message;
};

/// walk_result: what a walk read. `head` is the hash of the last chained
/// entry read; `unchained` counts version-1 entries (written before the
/// journal was chained), which may only come first.
struct walk_result {
  std::uint64_t events = 0;
  std::uint64_t last_seq = 0;
  timestamp last_at = 0;
  chain_hash head = chain_start;
  std::uint64_t unchained = 0;
  std::optional<difference> diff;
};

/// walk_options: `until` (0: none) stops before the first event later than
/// it, so that what is read is always a prefix of the journal — a state the
/// tenant really was in. `progress` is added the number of entries read, as
/// the walk goes.
struct walk_options {
  timestamp until = 0;
  std::atomic<std::uint64_t>* progress = nullptr;
};

/// walk reads `tenant`'s journal in seq order, checking every entry (see the
/// top of this file), and calls `f` with each event and its payload (the
/// JSON text exactly as stored). It stops at the first difference.
[[nodiscard]] result<walk_result>
walk(const store& db, const std::string& tenant, const walk_options& o,
     const std::function<void(event&&, std::string_view payload)>& f);

/// tenant_report: the verification of one tenant.
struct tenant_report {
  std::string tenant;
  std::string store_name;
  std::uint64_t events = 0;
  std::uint64_t conversations = 0;
  std::uint64_t unchained = 0;
  chain_hash head = chain_start;
  std::string digest; // SHA-256 hex of the live entity keys and values
  std::optional<difference> diff;
};

/// verify replays `t`'s journal into scratch space and compares it with the
/// live store (see the top of this file).
[[nodiscard]] result<tenant_report> verify(const tenant_ref& t,
                                           std::atomic<std::uint64_t>* progress);

/// replayed: a tenant rebuilt from a prefix of its journal (walk's
/// `until`), with the views as they were then. `principal` is an admin of
/// the tenant for queries that see everything.
struct replayed {
  std::string tenant;
  walk_result walked;
  std::unique_ptr<views> v;
  std::map<std::string, agent> agents; // as of then, by id
};

/// replay_tenant rebuilds `t` up to `until` (0: the whole journal).
[[nodiscard]] result<replayed> replay_tenant(const tenant_ref& t,
                                             timestamp until,
                                             std::atomic<std::uint64_t>* progress);

/// lists returns what agent `agent` saw at the end of `r`: the open
/// conversations of the views mine, unassigned and all (every page), as the
/// API renders them at `now` (the moment asked about).
[[nodiscard]] result<nlohmann::json> lists(const replayed& r,
                                           const std::string& agent,
                                           timestamp now);

/// printable_key renders a store key for a message: NULs as '/', a trailing
/// seq as `#N`.
[[nodiscard]] std::string printable_key(std::string_view key);

} // namespace atende::audit

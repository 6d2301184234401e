// replay: rebuilding a tenant's entities from its journal, with the same pure
// reducers as the live engine, into the form the engine stores them in.
//
// The live engine folds each event with pipeline.h `fold` (into the tenant
// core, into the entity it concerns, with the outbox record and the contact
// and membership keys it implies) and indexes it by conversation. An
// entity_replay calls the same `fold` on the journal alone, so that its
// stored ranges can be compared, key by key and byte by byte, with what the
// live store holds: "replay equals live" (DESIGN.md).
//
//   entity_replay r{"acme"};
//   for (const event& e : journal_of_acme) r.apply(e);
//   for (auto& range : r.stored_ranges()) ...  // s/ t/ u/ x/ keys, in order
//
// Thread-safety: none; one replay per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/entities.h"
#include "actors/tenant.h"
#include "events/event.h"

namespace atende {

class entity_replay {
public:
  explicit entity_replay(std::string tenant);

  /// apply folds the tenant's next event (seq order) into every entity it
  /// concerns.
  void apply(const event& e);

  /// events is how many events were applied.
  [[nodiscard]] std::uint64_t events() const { return events_; }

  [[nodiscard]] const tenant_state& core() const { return core_; }
  /// conversations: every conversation, by id (`.state`).
  [[nodiscard]] const auto& conversations() const {
    return entities_.conversations();
  }

  /// stored_range: the keys the engine writes under one prefix for the
  /// tenant's entities, produced in key order by `next`, which fills `key`
  /// and `value` and returns false after the last one.
  class stored_range {
  public:
    virtual ~stored_range() = default;
    [[nodiscard]] virtual const std::string& prefix() const = 0;
    virtual bool next(std::string& key, std::string& value) = 0;
  };

  /// stored_ranges returns, in key order, every range of keys the engine
  /// writes for the tenant's entities, with the values it writes there:
  /// conversation and contact snapshots and portfolio memberships (`s/`),
  /// the tenant snapshot (`t/`, a range of one exact key: `prefix` is the
  /// key itself), the outbox (`u/`) and the by-conversation index (`x/`).
  /// Input offsets, seen ids and the journal itself are not entities.
  [[nodiscard]] std::vector<std::unique_ptr<stored_range>> stored_ranges() const;

private:
  std::string tenant_;
  tenant_state core_;
  tenant_entities entities_; // no loader: every entity from its first event
  // The seqs of each conversation's events (its by-conversation index).
  std::unordered_map<std::string, std::vector<std::uint64_t>> seqs_;
  // Contacts and memberships: the latest value of each key.
  std::unordered_map<std::string, std::string> puts_;
  std::vector<std::pair<std::uint64_t, std::string>> outbox_; // seq order
  std::uint64_t events_ = 0;
};

} // namespace atende

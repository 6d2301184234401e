// replay: rebuilding a tenant's entities from its journal, with the same pure
// reducers as the live engine, into the form the engine stores them in.
//
// The live engine folds each event into the tenant core (tenant.h `apply`),
// into the entity it concerns (conversation.h `apply`; contacts and portfolio
// memberships through snapshot.h `put_snapshot_of`), writes the outbox record
// the event asks for (outbound.h) and indexes it by conversation. An
// entity_replay does the same from the journal alone, so that its
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

#include "actors/conversation.h"
#include "actors/tenant.h"
#include "events/event.h"

namespace atende {

/// replayed_conversation: a conversation's state and the seqs of its events
/// (its by-conversation index).
struct replayed_conversation {
  conversation_state state;
  std::vector<std::uint64_t> seqs;
};

class entity_replay {
public:
  explicit entity_replay(std::string tenant);

  /// apply folds the tenant's next event (seq order) into every entity it
  /// concerns.
  void apply(const event& e);

  /// events is how many events were applied.
  [[nodiscard]] std::uint64_t events() const { return events_; }

  [[nodiscard]] const tenant_state& core() const { return core_; }
  [[nodiscard]] const std::unordered_map<std::string, replayed_conversation>&
  conversations() const {
    return conversations_;
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
  std::unordered_map<std::string, replayed_conversation> conversations_;
  // Contacts and memberships: the latest value of each key.
  std::unordered_map<std::string, std::string> puts_;
  std::vector<std::pair<std::uint64_t, std::string>> outbox_; // seq order
  std::uint64_t events_ = 0;
};

} // namespace atende

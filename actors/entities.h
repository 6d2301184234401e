// entities: a tenant's entities (conversations, contacts, portfolios) as the
// pipeline sees them — states by id, loaded on first use, and passivated
// when idle.
//
// Each entity is an actor in the sense of the design: it owns its state, and
// its inputs reach it one at a time, in the tenant's log order, through its
// pure `decide`/`apply` core. Its host is the tenant's CAF actor, not a CAF
// actor of its own: a decision is a function call, not a message round trip,
// and an idle entity costs nothing but its stored snapshot. Agents have no
// entry here: an agent's record and presence have one owner, the tenant core
// (tenant.h), and `agent_view` builds the agent core's state from it.
//
//   tenant_entities ents{&loader};          // loader: the store, or nothing
//   conversation_state& c = ents.conversation("c12");
//   ...                                     // the pipeline folds events
//   for (auto& id : ents.take_dirty()) write(ents.conversation(id));
//   ents.passivate(10000);                  // keep at most ~10,000 resident
//
// Thread-safety: none; one tenant actor (or one test, one replay) owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/agent.h"
#include "actors/contact.h"
#include "actors/conversation.h"
#include "actors/portfolio.h"
#include "actors/tenant.h"

namespace atende {

/// entity_loader: where an entity that is not resident is read from (the
/// store, for the engine). The defaults answer "does not exist": what tests
/// and replays use, which hold every entity from its first event on.
class entity_loader {
public:
  virtual ~entity_loader() = default;
  [[nodiscard]] virtual conversation_state
  conversation(const std::string& id) const {
    (void)id;
    return {};
  }
  [[nodiscard]] virtual contact contact_of(const std::string& id) const {
    (void)id;
    return {};
  }
  /// portfolio: the portfolio's contacts; its record comes from `core`.
  [[nodiscard]] virtual portfolio_state
  portfolio(const tenant_state& core, const std::string& id) const {
    portfolio_state s;
    if (auto it = core.portfolios.find(id); it != core.portfolios.end()) {
      s.record = it->second;
    }
    return s;
  }
};

class tenant_entities {
public:
  /// With no loader, a missing entity does not exist (a fresh state).
  explicit tenant_entities(const entity_loader* loader = nullptr);

  /// conversation / contact / portfolio return the entity's state, loading it
  /// when it is not resident; `fresh` (the entity is created by the current
  /// input) skips the load.
  conversation_state& conversation(const std::string& id, bool fresh = false);
  contact& contact_of(const std::string& id, bool fresh = false);
  portfolio_state& portfolio(const tenant_state& core, const std::string& id,
                             bool fresh = false);

  /// mark_dirty records that a conversation changed since its last snapshot.
  void mark_dirty(const std::string& id) { dirty_.insert(id); }

  /// take_dirty returns the conversations changed since the last call (in id
  /// order) and forgets them.
  [[nodiscard]] std::vector<std::string> take_dirty();

  /// passivate drops idle entities while more than `keep` are resident: the
  /// least recently used first (by the cycle of their last use). Dirty
  /// conversations stay. Call it after their snapshots are written.
  void passivate(std::size_t keep);

  /// next_cycle starts a new commit cycle (the clock of "recently used").
  void next_cycle() { ++cycle_; }

  /// resident is how many entities are held.
  [[nodiscard]] std::size_t resident() const {
    return conversations_.size() + contacts_.size() + portfolios_.size();
  }

  /// The resident states, for tests and replays that hold everything.
  template <class T>
  struct slot {
    T state;
    std::uint64_t used = 0;
  };
  [[nodiscard]] const std::unordered_map<std::string, slot<conversation_state>>&
  conversations() const {
    return conversations_;
  }
  [[nodiscard]] const std::unordered_map<std::string, slot<contact>>&
  contacts() const {
    return contacts_;
  }
  [[nodiscard]] const std::unordered_map<std::string, slot<portfolio_state>>&
  portfolios() const {
    return portfolios_;
  }

private:
  template <class T, class Load>
  T& get(std::unordered_map<std::string, slot<T>>& m, const std::string& id,
         bool fresh, Load&& load);

  const entity_loader* loader_;
  entity_loader none_;
  std::unordered_map<std::string, slot<conversation_state>> conversations_;
  std::unordered_map<std::string, slot<contact>> contacts_;
  std::unordered_map<std::string, slot<portfolio_state>> portfolios_;
  std::set<std::string> dirty_;
  std::uint64_t cycle_ = 1;
};

/// agent_view: the agent core's state, read from the tenant (an unknown agent
/// has an empty record, which the agent core rejects).
[[nodiscard]] agent_state agent_view(const tenant_state& core,
                                     const std::string& id);

} // namespace atende

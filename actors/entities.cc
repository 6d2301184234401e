#include "actors/entities.h"

#include <algorithm>
#include <tuple>

namespace atende {

tenant_entities::tenant_entities(const entity_loader* loader)
  : loader_(loader != nullptr ? loader : &none_) {}

template <class T, class Load>
T& tenant_entities::get(std::unordered_map<std::string, slot<T>>& m,
                        const std::string& id, bool fresh, Load&& load) {
  auto it = m.find(id);
  if (it == m.end()) {
    it = m.emplace(id, slot<T>{fresh ? T{} : load(), cycle_}).first;
  }
  it->second.used = cycle_;
  return it->second.state;
}

conversation_state& tenant_entities::conversation(const std::string& id,
                                                  bool fresh) {
  return get(conversations_, id, fresh,
             [&] { return loader_->conversation(id); });
}

contact& tenant_entities::contact_of(const std::string& id, bool fresh) {
  return get(contacts_, id, fresh, [&] { return loader_->contact_of(id); });
}

portfolio_state& tenant_entities::portfolio(const tenant_state& core,
                                            const std::string& id,
                                            bool fresh) {
  return get(portfolios_, id, fresh,
             [&] { return loader_->portfolio(core, id); });
}

std::vector<std::string> tenant_entities::take_dirty() {
  std::vector<std::string> out{dirty_.begin(), dirty_.end()};
  dirty_.clear();
  return out;
}

void tenant_entities::passivate(std::size_t keep) {
  if (resident() <= keep) {
    return;
  }
  // Down to three quarters of `keep`, so that the sweep (linear in what is
  // resident) runs once every keep/4 new entities, not on every cycle.
  const std::size_t target = keep - keep / 4;
  // (last use, which map, id): oldest first.
  std::vector<std::tuple<std::uint64_t, int, const std::string*>> idle;
  idle.reserve(resident());
  for (const auto& [id, s] : conversations_) {
    if (!dirty_.contains(id)) {
      idle.emplace_back(s.used, 0, &id);
    }
  }
  for (const auto& [id, s] : contacts_) {
    idle.emplace_back(s.used, 1, &id);
  }
  for (const auto& [id, s] : portfolios_) {
    idle.emplace_back(s.used, 2, &id);
  }
  std::size_t drop = std::min(idle.size(), resident() - target);
  std::nth_element(
    idle.begin(), idle.begin() + static_cast<std::ptrdiff_t>(drop), idle.end(),
    [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
  // Copy the ids out before erasing: the pointers point into the maps.
  std::vector<std::pair<int, std::string>> gone;
  gone.reserve(drop);
  for (std::size_t i = 0; i < drop; ++i) {
    gone.emplace_back(std::get<1>(idle[i]), *std::get<2>(idle[i]));
  }
  for (const auto& [which, id] : gone) {
    if (which == 0) {
      conversations_.erase(id);
    } else if (which == 1) {
      contacts_.erase(id);
    } else {
      portfolios_.erase(id);
    }
  }
}

agent_state agent_view(const tenant_state& core, const std::string& id) {
  agent_state s;
  if (auto it = core.agents.find(id); it != core.agents.end()) {
    s.record = it->second;
  }
  if (auto it = core.presence.find(id); it != core.presence.end()) {
    s.presence = it->second;
  }
  return s;
}

} // namespace atende

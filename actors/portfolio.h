// portfolio: the pure core of one portfolio (carteira): its record and the
// contacts it holds. The tenant checked the cross-entity facts (agents and
// contacts exist, the code is free, the caller may change it); here the
// portfolio decides what really changes, so that its events list only real
// changes (a contact already in it is not "added" again).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "actors/tenant.h"
#include "events/event.h"
#include "events/model.h"

namespace atende {

struct portfolio_state {
  portfolio record; // id "" while it does not exist
  std::set<std::string> contacts;
  friend bool operator==(const portfolio_state&,
                         const portfolio_state&) = default;
};

[[nodiscard]] result<std::vector<event_data>>
decide(const portfolio_state& s, const portfolio_command& c);

/// apply folds portfolio events into `s`.
void apply(portfolio_state& s, const event_data& e);

} // namespace atende

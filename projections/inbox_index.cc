// inbox_index: keeping lanes, cubes and open counts in step with the rows.
#include <algorithm>

#include "events/visibility.h"
#include "projections/tenant.h"

namespace atende::projections {

namespace {

constexpr list_kind all_lists[] = {list_kind::active,   list_kind::finished,
                                   list_kind::waiting,  list_kind::awaiting,
                                   list_kind::failed,   list_kind::automation};

team_distribution distribution_of(const tenant& t, symbol team) {
  auto it = t.teams.find(t.symbols.name(team));
  return it == t.teams.end() ? team_distribution::manual
                             : it->second.distribution;
}

void sort_unique(std::vector<symbol>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// decide_restriction decides, with the rule of events/visibility.h, whether
// row `r` is restricted, and to which portfolios and owners.
std::optional<restriction> decide_restriction(tenant& t,
                                              const conversation_row& r) {
  if (r.status != conv_status::waiting) {
    return std::nullopt;
  }
  restriction out;
  bool restricted = governing_portfolios(
    t.symbols.name(r.portfolio), distribution_of(t, r.team),
    t.contacts[r.contact].portfolios, [&](const std::string& id) {
      out.portfolios.push_back(t.symbols.intern(id));
      auto it = t.portfolios.find(id);
      if (it == t.portfolios.end()) {
        return; // a deleted portfolio has no owners: admins only
      }
      // The owners, as owns_portfolio defines them.
      const auto& p = it->second.value;
      if (!p.responsible.empty()) {
        out.owners.push_back(t.symbols.intern(p.responsible));
      }
      for (const auto& m : p.members) {
        out.owners.push_back(t.symbols.intern(m));
      }
    });
  if (!restricted) {
    return std::nullopt;
  }
  sort_unique(out.portfolios);
  sort_unique(out.owners);
  return out;
}

// for_each_lane calls fn(lane id) for every lane row `r` belongs to, given
// its restriction `rs` (null: none).
template <class Fn>
void for_each_lane(const tenant& t, const conversation_row& r,
                   const restriction* rs, Fn&& fn) {
  const auto& c = t.contacts[r.contact];
  for (auto l : all_lists) {
    if (!in_list(r.status, r.flags, l)) {
      continue;
    }
    fn(lane_id(dim::tenant, l, 0));
    if (has_lane(dim::team, l) && rs == nullptr) {
      fn(lane_id(dim::team, l, r.team));
    }
    if (has_lane(dim::assignee, l) && r.assignee != 0) {
      fn(lane_id(dim::assignee, l, r.assignee));
    }
    if (!has_lane(dim::channel, l)) {
      continue; // the remaining dimensions have base lists only
    }
    fn(lane_id(dim::channel, l, r.channel));
    if (c.stage != 0) {
      fn(lane_id(dim::stage, l, c.stage));
    }
    for (auto tag : c.tags) {
      fn(lane_id(dim::tag, l, tag));
    }
  }
  if (rs == nullptr) {
    return;
  }
  fn(lane_id(dim::restricted, list_kind::waiting, r.team));
  for (auto o : rs->owners) {
    fn(lane_id(dim::owner, list_kind::waiting, o));
  }
  for (auto p : rs->portfolios) {
    fn(lane_id(dim::portfolio, list_kind::waiting, p));
  }
}

void count(tenant& t, const conversation_row& r, const restriction* rs,
           std::int64_t delta) {
  auto cell = cell_of(t, r);
  const auto& c = t.contacts[r.contact];
  for (auto tag : c.tags) {
    t.tag_counts[tag].add(cell, delta);
  }
  if (rs != nullptr) {
    // Owner cubes keep the stage: restricted rows are few.
    for (auto o : rs->owners) {
      t.owner_counts[o].add(cell, delta);
      for (auto tag : c.tags) {
        t.owner_tag_counts[owner_tag_key(o, tag)].add(cell, delta);
      }
    }
  }
  if (cell.stage != 0) {
    t.stage_counts[cell.stage].add(cell, delta);
  }
  cell.stage = 0;
  t.counts.add(cell, delta);
  if (r.assignee != 0 && r.status != conv_status::finished) {
    t.open_count[r.assignee] += delta;
  }
}

} // namespace

bool has_lane(dim d, list_kind l) {
  switch (d) {
    case dim::restricted:
    case dim::owner:
    case dim::portfolio: return l == list_kind::waiting;
    default: break;
  }
  switch (l) {
    case list_kind::active:
    case list_kind::finished: return true;
    case list_kind::waiting: return d == dim::tenant || d == dim::team;
    case list_kind::awaiting:
    case list_kind::failed:
    case list_kind::automation:
      return d == dim::tenant || d == dim::assignee;
  }
  return false;
}

bool holds_waiting(list_kind l) {
  return in_list(conv_status::waiting, last_failed | automated, l);
}

cell_key cell_of(const tenant& t, const conversation_row& r) {
  return {.team = r.team,
          .assignee = r.assignee,
          .channel = r.channel,
          .stage = t.contacts[r.contact].stage,
          .status = r.status,
          .flags = r.flags};
}

void index(tenant& t, std::uint32_t ord) {
  auto rs = decide_restriction(t, t.rows[ord]);
  auto& r = t.rows[ord];
  const restriction* stored = nullptr;
  if (rs) {
    r.flags |= restricted;
    stored = &(t.restrictions[ord] = std::move(*rs));
  }
  lane_key k{.at = r.last_activity_at, .ord = ord};
  for_each_lane(t, r, stored, [&](std::uint64_t id) { t.lanes[id].insert(k); });
  count(t, r, stored, +1);
  note_waiting(t, ord, stored);
}

void unindex(tenant& t, std::uint32_t ord) {
  auto& r = t.rows[ord];
  auto it = t.restrictions.end();
  if ((r.flags & restricted) != 0) {
    it = t.restrictions.find(ord);
  }
  const restriction* rs = it == t.restrictions.end() ? nullptr : &it->second;
  lane_key k{.at = r.last_activity_at, .ord = ord};
  for_each_lane(t, r, rs, [&](std::uint64_t id) { t.lanes[id].erase(k); });
  count(t, r, rs, -1);
  if (rs != nullptr) {
    t.restrictions.erase(it);
    r.flags &= static_cast<std::uint8_t>(~restricted);
  }
}

const restriction* restriction_of(const tenant& t, std::uint32_t ord) {
  if ((t.rows[ord].flags & restricted) == 0) {
    return nullptr;
  }
  auto it = t.restrictions.find(ord);
  return it == t.restrictions.end() ? nullptr : &it->second;
}

std::vector<std::uint32_t>
waiting_rows(const tenant& t,
             std::initializer_list<std::pair<dim, symbol>> lanes) {
  std::vector<std::uint32_t> out;
  for (auto [d, s] : lanes) {
    const lane* l = find_lane(t, d, list_kind::waiting, s);
    if (l == nullptr) {
      continue;
    }
    for (auto w = l->walk(false, std::nullopt); !w.done(); w.next()) {
      out.push_back(w.key().ord);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

const lane* find_lane(const tenant& t, dim d, list_kind l, symbol s) {
  auto it = t.lanes.find(lane_id(d, l, s));
  return it == t.lanes.end() ? nullptr : &it->second;
}

std::optional<std::uint32_t> find_row(const tenant& t, std::string_view id) {
  auto it = t.row_ids.find(id);
  if (it == t.row_ids.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::int64_t open_count_of(const tenant& t, std::string_view id) {
  auto sym = t.symbols.find(id);
  if (!sym) {
    return 0;
  }
  auto it = t.open_count.find(*sym);
  return it == t.open_count.end() ? 0 : it->second;
}

} // namespace atende::projections

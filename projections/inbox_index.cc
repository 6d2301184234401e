// inbox_index: keeping lanes, cubes and open counts in step with the rows.
#include "projections/tenant.h"

namespace atende::projections {

namespace {

constexpr list_kind all_lists[] = {list_kind::active,   list_kind::finished,
                                   list_kind::waiting,  list_kind::awaiting,
                                   list_kind::failed,   list_kind::automation};

// for_each_lane calls fn(lane id) for every lane row `r` belongs to.
template <class Fn>
void for_each_lane(const tenant& t, const conversation_row& r, Fn&& fn) {
  const auto& c = t.contacts[r.contact];
  for (auto l : all_lists) {
    if (!in_list(r.status, r.flags, l)) {
      continue;
    }
    fn(lane_id(dim::tenant, l, 0));
    if (has_lane(dim::team, l)) {
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
}

void count(tenant& t, const conversation_row& r, std::int64_t delta) {
  auto cell = cell_of(t, r);
  const auto& c = t.contacts[r.contact];
  for (auto tag : c.tags) {
    t.tag_counts[tag].add(cell, delta);
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

cell_key cell_of(const tenant& t, const conversation_row& r) {
  return {.team = r.team,
          .assignee = r.assignee,
          .channel = r.channel,
          .stage = t.contacts[r.contact].stage,
          .status = r.status,
          .flags = r.flags};
}

void index(tenant& t, std::uint32_t ord) {
  const auto& r = t.rows[ord];
  lane_key k{.at = r.last_activity_at, .ord = ord};
  for_each_lane(t, r, [&](std::uint64_t id) { t.lanes[id].insert(k); });
  count(t, r, +1);
}

void unindex(tenant& t, std::uint32_t ord) {
  const auto& r = t.rows[ord];
  lane_key k{.at = r.last_activity_at, .ord = ord};
  for_each_lane(t, r, [&](std::uint64_t id) { t.lanes[id].erase(k); });
  count(t, r, -1);
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

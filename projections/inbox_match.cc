#include "projections/inbox_match.h"

#include <algorithm>

namespace atende::projections {

namespace {

const std::vector<std::string> no_teams;

const std::vector<std::string>& teams_of(const tenant& t,
                                         const principal& who) {
  auto it = t.agents.find(who.agent);
  return it == t.agents.end() ? no_teams : it->second.teams;
}

void resolve_symbol(const tenant& t, const std::string& name, filters& f,
                    std::optional<symbol>& out) {
  if (name.empty()) {
    return;
  }
  if (auto s = t.symbols.find(name)) {
    out = *s;
  } else {
    f.impossible = true;
  }
}

// admission: what a viewer may do with the conversations of one (team,
// assignee) pair, restricted or not; counts decide it once per cube group.
struct admission {
  bool see = false, mine = false, take = false;
  [[nodiscard]] bool any() const { return see || mine || take; }
};

admission admit(const tenant& t, const viewer& v, symbol team, symbol assignee,
                bool restricted, bool owns) {
  return {.see = v.sees(t, team, assignee, restricted, owns),
          .mine = v.agent() != 0 && assignee == v.agent(),
          .take = v.takes(t, team, assignee, restricted, owns)};
}

// beyond: what `a` admits that `b` does not.
admission beyond(const admission& a, const admission& b) {
  return {.see = a.see && !b.see,
          .mine = a.mine && !b.mine,
          .take = a.take && !b.take};
}

void add_cell(tab_counts& out, const admission& a, const cell_key& k,
              std::size_t n) {
  if (a.see) {
    out.all += n;
  }
  if (a.mine) {
    out.mine += n;
  }
  if (a.take && k.status == conv_status::waiting) {
    out.unassigned += n;
  }
}

tab_counts count_rows(const tenant& t, const viewer& v, const inbox_query& q,
                      const filters& f) {
  tab_counts out;
  for (auto ord : t.contacts[*f.contact].conversations) {
    out.all += row_matches(t, q, f, v, view_kind::all, ord) ? 1 : 0;
    out.mine += row_matches(t, q, f, v, view_kind::mine, ord) ? 1 : 0;
    out.unassigned +=
      row_matches(t, q, f, v, view_kind::unassigned, ord) ? 1 : 0;
  }
  return out;
}

// pick_cube: the tag's cube (it keeps stages), else the stage's, else the
// tenant's (whose cells have the stage zeroed).
const cube* pick_cube(const tenant& t, const filters& f) {
  if (f.tag) {
    auto it = t.tag_counts.find(*f.tag);
    return it == t.tag_counts.end() ? nullptr : &it->second;
  }
  if (f.stage) {
    auto it = t.stage_counts.find(*f.stage);
    return it == t.stage_counts.end() ? nullptr : &it->second;
  }
  return &t.counts;
}

// pick_owner_cube: the owner's cube of restricted rows, per tag when the
// query filters by tag (both keep stages).
const cube* pick_owner_cube(const tenant& t, symbol owner, const filters& f) {
  if (f.tag) {
    auto it = t.owner_tag_counts.find(owner_tag_key(owner, *f.tag));
    return it == t.owner_tag_counts.end() ? nullptr : &it->second;
  }
  auto it = t.owner_counts.find(owner);
  return it == t.owner_counts.end() ? nullptr : &it->second;
}

// count_cube counts the matching cells of `c` that `admit_cell` admits.
template <class Admit>
void count_cube(const cube& c, const inbox_query& q, const filters& f,
                tab_counts& out, Admit&& admit_cell) {
  for (const auto& g : c.groups()) {
    if (f.team && g.team != *f.team) {
      continue;
    }
    auto a = admit_cell(g, false);
    auto shut = admit_cell(g, true);
    if (!a.any() && !shut.any()) {
      continue;
    }
    for (const auto& cell : g.cells) {
      if (cell.count > 0 && cell_matches(q, f, cell.key)) {
        add_cell(out, (cell.key.flags & restricted) != 0 ? shut : a, cell.key,
                 static_cast<std::size_t>(cell.count));
      }
    }
  }
}

} // namespace

filters resolve(const tenant& t, const inbox_query& q) {
  filters f;
  resolve_symbol(t, q.channel, f, f.channel);
  resolve_symbol(t, q.team, f, f.team);
  resolve_symbol(t, q.stage, f, f.stage);
  resolve_symbol(t, q.tag, f, f.tag);
  if (!q.contact.empty()) {
    auto it = t.contact_ids.find(q.contact);
    if (it == t.contact_ids.end()) {
      f.impossible = true;
    } else {
      f.contact = it->second;
    }
  }
  return f;
}

viewer::viewer(const tenant& t, const principal& who)
    : agent_name_(who.agent), teams_(teams_of(t, who)), admin_(who.admin) {
  if (!who.agent.empty()) {
    agent_ = t.symbols.find(who.agent).value_or(0);
  }
}

bool viewer::sees(const tenant& t, symbol team, symbol assignee,
                  bool restricted, bool owns) const {
  return may_see({agent_name_, admin_, teams_},
                 {t.symbols.name(team), t.symbols.name(assignee), restricted,
                  owns});
}

bool viewer::takes(const tenant& t, symbol team, symbol assignee,
                   bool restricted, bool owns) const {
  return may_take({agent_name_, admin_, teams_},
                  {t.symbols.name(team), t.symbols.name(assignee), restricted,
                   owns});
}

bool viewer::owns(const tenant& t, std::uint32_t ord) const {
  const restriction* rs = restriction_of(t, ord);
  return rs != nullptr && agent_ != 0 &&
         std::binary_search(rs->owners.begin(), rs->owners.end(), agent_);
}

bool viewer::sees(const tenant& t, std::uint32_t ord) const {
  const auto& r = t.rows[ord];
  bool restricted_row = (r.flags & restricted) != 0;
  return sees(t, r.team, r.assignee, restricted_row,
              restricted_row && owns(t, ord));
}

bool viewer::takes(const tenant& t, std::uint32_t ord) const {
  const auto& r = t.rows[ord];
  bool restricted_row = (r.flags & restricted) != 0;
  return takes(t, r.team, r.assignee, restricted_row,
               restricted_row && owns(t, ord));
}

bool cell_matches(const inbox_query& q, const filters& f, const cell_key& k) {
  return in_list(k.status, k.flags, q.list) &&
         (!f.channel || k.channel == *f.channel) &&
         (!f.team || k.team == *f.team) && (!f.stage || k.stage == *f.stage);
}

bool view_admits(const tenant& t, const viewer& v, view_kind view,
                 std::uint32_t ord) {
  const auto& r = t.rows[ord];
  switch (view) {
    case view_kind::all: return v.sees(t, ord);
    case view_kind::mine: return v.agent() != 0 && r.assignee == v.agent();
    case view_kind::unassigned:
      return r.status == conv_status::waiting && v.takes(t, ord);
  }
  return false;
}

bool row_matches(const tenant& t, const inbox_query& q, const filters& f,
                 const viewer& v, view_kind view, std::uint32_t ord) {
  const auto& r = t.rows[ord];
  auto k = cell_of(t, r);
  if (!cell_matches(q, f, k) || (f.contact && r.contact != *f.contact)) {
    return false;
  }
  if (f.tag) {
    const auto& tags = t.contacts[r.contact].tags;
    if (std::find(tags.begin(), tags.end(), *f.tag) == tags.end()) {
      return false;
    }
  }
  return view_admits(t, v, view, ord);
}

tab_counts count_tabs(const tenant& t, const viewer& v, const inbox_query& q,
                      const filters& f) {
  if (f.impossible) {
    return {};
  }
  if (f.contact) {
    return count_rows(t, v, q, f);
  }
  tab_counts out;
  // Restricted cells count for whom may_see admits them without owning a
  // portfolio (admins); the owners' cubes add what owning admits besides.
  if (const cube* c = pick_cube(t, f)) {
    count_cube(*c, q, f, out, [&](const cube::group& g, bool is_restricted) {
      return admit(t, v, g.team, g.assignee, is_restricted, false);
    });
  }
  if (v.agent() == 0) {
    return out;
  }
  if (const cube* c = pick_owner_cube(t, v.agent(), f)) {
    count_cube(*c, q, f, out, [&](const cube::group& g, bool is_restricted) {
      if (!is_restricted) {
        return admission{}; // owner cubes hold restricted rows only
      }
      return beyond(admit(t, v, g.team, g.assignee, true, true),
                    admit(t, v, g.team, g.assignee, true, false));
    });
  }
  return out;
}

} // namespace atende::projections

// portfolio_apply: folding the events that change who owns restricted
// conversations — portfolios, their contacts and a team's distribution.
//
// Each re-indexes only the waiting rows whose restriction may change (see
// tenant.h): unindex them, change the records, index them again.
#include <algorithm>

#include "projections/tenant.h"

namespace atende::projections {

namespace {

void unindex_all(tenant& t, const std::vector<std::uint32_t>& rows) {
  for (auto ord : rows) {
    unindex(t, ord);
  }
}

void index_all(tenant& t, const std::vector<std::uint32_t>& rows) {
  for (auto ord : rows) {
    index(t, ord);
  }
}

bool same_owners(const portfolio& a, const portfolio& b) {
  return a.responsible == b.responsible && a.members == b.members;
}

void insert_sorted(std::vector<std::string>& v, const std::string& s) {
  auto it = std::lower_bound(v.begin(), v.end(), s);
  if (it == v.end() || *it != s) {
    v.insert(it, s);
  }
}

void erase_sorted(std::vector<std::string>& v, const std::string& s) {
  auto it = std::lower_bound(v.begin(), v.end(), s);
  if (it != v.end() && *it == s) {
    v.erase(it);
  }
}

// contact_waiting_rows: the waiting conversations of contact `ord`.
std::vector<std::uint32_t> contact_waiting_rows(const tenant& t,
                                                std::uint32_t ord) {
  std::vector<std::uint32_t> out;
  for (auto conv : t.contacts[ord].conversations) {
    if (t.rows[conv].status == conv_status::waiting) {
      out.push_back(conv);
    }
  }
  return out;
}

// move_contact puts contact `id` into portfolio `p` or takes it out.
void move_contact(tenant& t, portfolio_row& p, const std::string& id,
                  bool into) {
  if (p.contacts.contains(id) == into) {
    return;
  }
  auto ord = contact_ord(t, id);
  auto rows = contact_waiting_rows(t, ord);
  unindex_all(t, rows);
  auto& mine = t.contacts[ord].portfolios;
  if (into) {
    insert_sorted(mine, p.value.id);
    p.contacts.insert(id);
  } else {
    erase_sorted(mine, p.value.id);
    p.contacts.erase(id);
  }
  index_all(t, rows);
}

} // namespace

std::vector<std::uint32_t> governed_rows(const tenant& t,
                                         const std::string& id) {
  auto s = t.symbols.find(id);
  if (!s) {
    return {};
  }
  return waiting_rows(t, {{dim::portfolio, *s}});
}

std::vector<std::uint32_t> team_waiting_rows(const tenant& t,
                                             const std::string& id) {
  auto s = t.symbols.find(id);
  if (!s) {
    return {};
  }
  return waiting_rows(t, {{dim::team, *s}, {dim::restricted, *s}});
}

void save_portfolio(tenant& t, const portfolio& p) {
  auto it = t.portfolios.find(p.id);
  if (it != t.portfolios.end() && same_owners(it->second.value, p)) {
    it->second.value = p;
    return;
  }
  // New owners (or a new portfolio, which rows may already be routed to).
  auto rows = governed_rows(t, p.id);
  unindex_all(t, rows);
  t.portfolios[p.id].value = p;
  index_all(t, rows);
}

void delete_portfolio(tenant& t, const portfolio_deleted& d) {
  auto it = t.portfolios.find(d.portfolio);
  if (it == t.portfolios.end()) {
    return;
  }
  auto rows = governed_rows(t, d.portfolio);
  unindex_all(t, rows);
  for (const auto& id : it->second.contacts) {
    if (auto c = t.contact_ids.find(id); c != t.contact_ids.end()) {
      erase_sorted(t.contacts[c->second].portfolios, d.portfolio);
    }
  }
  t.portfolios.erase(it);
  index_all(t, rows);
}

void change_portfolio_contacts(tenant& t,
                               const portfolio_contacts_changed& c) {
  auto it = t.portfolios.find(c.portfolio);
  if (it == t.portfolios.end()) {
    return;
  }
  for (const auto& id : c.added) {
    move_contact(t, it->second, id, true);
  }
  for (const auto& id : c.removed) {
    move_contact(t, it->second, id, false);
  }
}

void save_team(tenant& t, const team& x) {
  auto it = t.teams.find(x.id);
  bool was = it != t.teams.end() &&
             it->second.distribution == team_distribution::contact_group;
  bool is = x.distribution == team_distribution::contact_group;
  if (was == is) {
    t.teams.insert_or_assign(x.id, x);
    return;
  }
  auto rows = team_waiting_rows(t, x.id);
  unindex_all(t, rows);
  t.teams.insert_or_assign(x.id, x);
  index_all(t, rows);
}

} // namespace atende::projections

#include "projections/inbox_query.h"

#include <algorithm>
#include <limits>

#include "projections/cursor.h"
#include "projections/inbox_match.h"
#include "projections/render.h"

namespace atende::projections {

namespace {

// source: where a page walk reads keys — the union of some lanes, or the
// conversations of one contact. It must hold every match of the query.
struct source {
  std::vector<const lane*> lanes;
  const std::vector<std::uint32_t>* rows = nullptr;
  std::size_t cost = 0;
};

// lane_source: lanes (d, l, s) for each s; a missing pair reads the active
// lane of the dimension, a superset of every flag list.
source lane_source(const tenant& t, dim d, list_kind l,
                   const std::vector<symbol>& symbols) {
  source out;
  auto list = has_lane(d, l) ? l : list_kind::active;
  for (auto s : symbols) {
    if (const lane* p = find_lane(t, d, list, s)) {
      out.lanes.push_back(p);
      out.cost += p->size();
    }
  }
  return out;
}

std::vector<symbol> team_symbols(const tenant& t, const viewer& v) {
  std::vector<symbol> out;
  for (const auto& team : v.teams()) {
    if (auto s = t.symbols.find(team)) {
      out.push_back(*s);
    }
  }
  return out;
}

void add(source& out, source more) {
  out.lanes.insert(out.lanes.end(), more.lanes.begin(), more.lanes.end());
  out.cost += more.cost;
}

// team_source: lanes holding the conversations of team `s` in list `l`, the
// restricted ones included.
source team_source(const tenant& t, list_kind l, symbol s) {
  auto out = lane_source(t, dim::team, l, {s});
  if (holds_waiting(l)) {
    add(out, lane_source(t, dim::restricted, list_kind::waiting, {s}));
  }
  return out;
}

// view_source: lanes that hold everything the view may admit
// (events/visibility.h): for an agent, its teams' lanes (which leave
// restricted rows out), its own assignments and its owner lane (the
// restricted rows it may take).
source view_source(const tenant& t, const viewer& v, const inbox_query& q) {
  if (q.view == view_kind::mine) {
    return lane_source(t, dim::assignee, q.list, {v.agent()});
  }
  if (v.admin()) {
    auto l = q.view == view_kind::unassigned ? list_kind::waiting : q.list;
    return lane_source(t, dim::tenant, l, {0});
  }
  auto l = q.view == view_kind::unassigned ? list_kind::waiting : q.list;
  auto out = lane_source(t, dim::team, l, team_symbols(t, v));
  if (v.agent() == 0) {
    return out;
  }
  if (q.view == view_kind::all) {
    add(out, lane_source(t, dim::assignee, l, {v.agent()}));
  }
  if (holds_waiting(l)) {
    add(out, lane_source(t, dim::owner, list_kind::waiting, {v.agent()}));
  }
  return out;
}

// plan picks the cheapest source that holds every match.
source plan(const tenant& t, const viewer& v, const inbox_query& q,
            const filters& f) {
  if (q.view == view_kind::mine && v.agent() == 0) {
    return {}; // nothing was ever assigned to this agent
  }
  std::vector<source> options{lane_source(t, dim::tenant, q.list, {0}),
                              view_source(t, v, q)};
  auto by = [&](dim d, const std::optional<symbol>& s) {
    if (s) {
      options.push_back(lane_source(t, d, q.list, {*s}));
    }
  };
  if (f.team) {
    options.push_back(team_source(t, q.list, *f.team));
  }
  by(dim::channel, f.channel);
  by(dim::stage, f.stage);
  by(dim::tag, f.tag);
  if (f.contact) {
    const auto& rows = t.contacts[*f.contact].conversations;
    options.push_back({.lanes = {}, .rows = &rows, .cost = rows.size()});
  }
  return *std::min_element(options.begin(), options.end(),
                           [](const source& a, const source& b) {
                             return a.cost < b.cost;
                           });
}

bool before(bool descending, lane_key a, lane_key b) {
  return descending ? a > b : a < b;
}

// walk calls visit(key) in page order, from after `q.after`, until it
// returns false. Lanes of a union may share keys (a conversation of the
// viewer's team assigned to the viewer): each key is visited once.
template <class Visit>
void walk(const tenant& t, const source& s, const inbox_query& q,
          Visit&& visit) {
  bool desc = q.descending;
  if (s.rows != nullptr) {
    std::vector<lane_key> keys;
    for (auto ord : *s.rows) {
      lane_key k{.at = t.rows[ord].last_activity_at, .ord = ord};
      if (!q.after || before(desc, *q.after, k)) {
        keys.push_back(k);
      }
    }
    std::sort(keys.begin(), keys.end(), [&](lane_key a, lane_key b) {
      return before(desc, a, b);
    });
    for (auto k : keys) {
      if (!visit(k)) {
        return;
      }
    }
    return;
  }
  std::vector<lane::walker> ws;
  for (const lane* l : s.lanes) {
    ws.push_back(l->walk(desc, q.after));
  }
  for (;;) {
    std::optional<lane_key> best;
    for (const auto& w : ws) {
      if (!w.done() && (!best || before(desc, w.key(), *best))) {
        best = w.key();
      }
    }
    if (!best) {
      return;
    }
    for (auto& w : ws) {
      if (!w.done() && w.key() == *best) {
        w.next();
      }
    }
    if (!visit(*best)) {
      return;
    }
  }
}

void collect(const tenant& t, const viewer& v, const inbox_query& q,
             const filters& f, std::size_t total, conversation_page& page_out) {
  page& out = page_out.items;
  std::size_t taken = 0;
  // On a first page the count bounds the walk; after a cursor it cannot,
  // since matches before the cursor are not seen.
  std::size_t bound = q.after ? std::numeric_limits<std::size_t>::max()
                              : total;
  if (total == 0) {
    return;
  }
  std::size_t seen = 0;
  lane_key last;
  walk(t, plan(t, v, q, f), q, [&](lane_key k) {
    if (!row_matches(t, q, f, v, q.view, k.ord)) {
      return true;
    }
    if (taken == q.limit) {
      out.next_cursor = encode_position(last);
      return false;
    }
    ++taken;
    if (q.as_text) {
      if (taken > 1) {
        page_out.items_text += ',';
      }
      append_conversation_text(page_out.items_text, t, t.rows[k.ord], q.now);
    } else {
      out.items.push_back(conversation_json(t, t.rows[k.ord], q.now));
    }
    last = k;
    return ++seen < bound;
  });
}

} // namespace

result<inbox_query> parse_query(const conversation_query& q) {
  inbox_query out;
  if (q.view == "all") {
    out.view = view_kind::all;
  } else if (q.view == "mine") {
    out.view = view_kind::mine;
  } else if (q.view == "unassigned") {
    out.view = view_kind::unassigned;
  } else {
    return fail(errc::malformed, "must be all, mine or unassigned", "view");
  }
  if (q.status == "open") {
    out.list = list_kind::active;
  } else if (q.status == "awaiting_customer") {
    out.list = list_kind::awaiting;
  } else if (q.status == "send_failed") {
    out.list = list_kind::failed;
  } else if (q.status == "finished") {
    out.list = list_kind::finished;
  } else if (q.status == "automation") {
    out.list = list_kind::automation;
  } else {
    return fail(errc::malformed,
                "must be open, awaiting_customer, send_failed, finished or "
                "automation",
                "status");
  }
  if (q.sort != "recent" && q.sort != "oldest") {
    return fail(errc::malformed, "must be recent or oldest", "sort");
  }
  out.descending = q.sort == "recent";
  if (!q.cursor.empty()) {
    out.after = decode_position(q.cursor);
    if (!out.after) {
      return fail(errc::malformed, "is not a cursor of this list", "cursor");
    }
  }
  out.limit = std::clamp<std::size_t>(q.limit, 1, 500);
  out.channel = q.channel;
  out.tag = q.tag;
  out.stage = q.stage;
  out.team = q.team;
  out.contact = q.contact;
  return out;
}

conversation_page run_query(const tenant& t, const principal& who,
                            const inbox_query& q) {
  viewer v(t, who);
  auto f = resolve(t, q);
  auto counts = count_tabs(t, v, q, f);
  conversation_page out;
  out.all = counts.all;
  out.mine = counts.mine;
  out.unassigned = counts.unassigned;
  collect(t, v, q, f, counts.of(q.view), out);
  return out;
}

} // namespace atende::projections

// tenant_apply: folding one tenant's domain events into its read model.
#include <algorithm>
#include <utility>

#include "events/phone.h"
#include "projections/tenant.h"

namespace atende::projections {

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

std::vector<symbol> tag_symbols(tenant& t, const std::vector<std::string>& in) {
  std::vector<symbol> out;
  out.reserve(in.size());
  for (const auto& tag : in) {
    if (!tag.empty()) {
      out.push_back(t.symbols.intern(tag));
    }
  }
  // A tag listed twice must not put a row twice into the tag's lane.
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void save_contact(tenant& t, const contact& c) {
  auto ord = contact_ord(t, c.id);
  auto& row = t.contacts[ord];
  auto tags = tag_symbols(t, c.tags);
  auto stage = t.symbols.intern(c.stage);
  // Tags and stage are facts of the contact's conversations: move them.
  bool moves = tags != row.tags || stage != row.stage;
  if (moves) {
    for (auto conv : row.conversations) {
      unindex(t, conv);
    }
  }
  if (row.known && !row.value.phone.empty()) {
    auto it = t.contact_phones.find(phone_key(row.value.phone));
    if (it != t.contact_phones.end() && it->second == ord) {
      t.contact_phones.erase(it);
    }
  }
  row.value = c;
  row.tags = std::move(tags);
  row.stage = stage;
  row.known = true;
  if (!c.phone.empty()) {
    t.contact_phones[phone_key(c.phone)] = ord;
  }
  if (moves) {
    for (auto conv : row.conversations) {
      index(t, conv);
    }
  }
}

void open(tenant& t, timestamp at, const conversation_opened& o) {
  if (t.row_ids.contains(o.conversation)) {
    return;
  }
  auto ord = static_cast<std::uint32_t>(t.rows.size());
  auto contact = contact_ord(t, o.contact);
  auto& r = t.rows.emplace_back();
  r.id = o.conversation;
  r.created_at = at;
  r.last_activity_at = at;
  r.contact = contact;
  r.channel = t.symbols.intern(o.channel);
  r.team = t.symbols.intern(o.team);
  r.origin = t.symbols.intern(o.origin);
  t.row_ids.emplace(std::string_view{r.id}, ord);
  t.contacts[contact].conversations.push_back(ord);
  index(t, ord);
}

// touch changes a conversation through `change` and records the activity.
template <class Fn>
void touch(tenant& t, const std::string& id, timestamp at, Fn&& change) {
  auto ord = find_row(t, id);
  if (!ord) {
    return;
  }
  unindex(t, *ord);
  auto& r = t.rows[*ord];
  change(r);
  r.last_activity_at = at;
  index(t, *ord);
}

void receive(tenant& t, timestamp at, const message_received& m) {
  auto kind = t.symbols.intern(m.kind);
  touch(t, m.conversation, at, [&](conversation_row& r) {
    r.messages.push_back({.id = m.message_id,
                          .text = m.text,
                          .at = at,
                          .kind = kind,
                          .outbound = false,
                          .status = message_status::received});
    r.flags &= static_cast<std::uint8_t>(~(last_outbound | last_failed));
    r.last_inbound_at = std::max(r.last_inbound_at, at);
    r.composer_locked = false;
  });
}

void send(tenant& t, timestamp at, const message_sent& m) {
  auto kind = t.symbols.intern(m.kind);
  touch(t, m.conversation, at, [&](conversation_row& r) {
    r.messages.push_back({.id = m.message_id,
                          .text = m.text,
                          .at = at,
                          .kind = kind,
                          .outbound = true,
                          .status = message_status::pending});
    r.flags |= last_outbound;
    r.flags &= static_cast<std::uint8_t>(~last_failed);
  });
}

void assign(tenant& t, timestamp at, const conversation_assigned& a) {
  auto agent = t.symbols.intern(a.agent);
  touch(t, a.conversation, at, [&](conversation_row& r) {
    r.assignee = agent;
    r.status = conv_status::open;
    r.held = false;
  });
}

// transfer: a transfer to a team or an agent leaves the routed portfolio.
void transfer(tenant& t, timestamp at, const conversation_transferred& x) {
  auto team = t.symbols.intern(x.to_team);
  auto agent = t.symbols.intern(x.to_agent);
  touch(t, x.conversation, at, [&](conversation_row& r) {
    if (team != 0) {
      r.team = team;
    }
    r.assignee = agent;
    r.status = agent != 0 ? conv_status::open : conv_status::waiting;
    r.portfolio = 0;
    r.held = false;
  });
}

// route: the waiting conversation moves to `team`, for the owners of
// `portfolio` only when one is named.
void route(tenant& t, timestamp at, const conversation_routed& x) {
  auto team = t.symbols.intern(x.team);
  auto portfolio = t.symbols.intern(x.portfolio);
  touch(t, x.conversation, at, [&](conversation_row& r) {
    if (team != 0) {
      r.team = team;
    }
    r.portfolio = portfolio;
    r.held = false;
  });
}

// hold is not an activity of the conversation, and no index depends on it.
void hold(tenant& t, const conversation_held& x) {
  if (auto ord = find_row(t, x.conversation)) {
    t.rows[*ord].held = x.held;
  }
}

void set_status(tenant& t, const agent_status_changed& x) {
  t.presence[x.agent].online = x.status == "online";
}

void start_pause(tenant& t, timestamp at, const agent_pause_started& x) {
  auto& p = t.presence[x.agent];
  p.pause_type = x.pause_type;
  p.pause_since = at;
}

void end_pause(tenant& t, const agent_pause_ended& x) {
  auto& p = t.presence[x.agent];
  p.pause_type.clear();
  p.pause_since = 0;
}

void finish(tenant& t, timestamp at, const conversation_finished& f) {
  auto reason = t.symbols.intern(f.reason);
  touch(t, f.conversation, at, [&](conversation_row& r) {
    // The assignee stays: the history shows who served the conversation.
    r.status = conv_status::finished;
    r.finished_at = at;
    r.reason = reason;
    r.description = f.description;
  });
}

template <class T, int Tag>
void save(std::map<std::string, T, std::less<>>& records,
          const saved<T, Tag>& s) {
  records.insert_or_assign(s.value.id, s.value);
}

} // namespace

std::uint32_t contact_ord(tenant& t, const std::string& id) {
  if (auto it = t.contact_ids.find(id); it != t.contact_ids.end()) {
    return it->second;
  }
  auto ord = static_cast<std::uint32_t>(t.contacts.size());
  t.contacts.emplace_back().value.id = id;
  t.contact_ids.emplace(id, ord);
  return ord;
}

void apply_event(tenant& t, const event& e) {
  t.clock = std::max(t.clock, e.at);
  std::visit(
    overloaded{
      [&](const tenant_created& x) {
        t.info = x.tenant;
        t.created = true;
        t.agents.insert_or_assign(x.admin.id, x.admin);
      },
      [&](const channel_created& x) { save(t.channels, x); },
      [&](const channel_updated& x) { save(t.channels, x); },
      [&](const team_created& x) { save_team(t, x.value); },
      [&](const team_updated& x) { save_team(t, x.value); },
      [&](const agent_created& x) { save(t.agents, x); },
      [&](const agent_updated& x) { save(t.agents, x); },
      [&](const reason_created& x) { save(t.reasons, x); },
      [&](const reason_updated& x) { save(t.reasons, x); },
      [&](const contact_created& x) { save_contact(t, x.value); },
      [&](const contact_updated& x) { save_contact(t, x.value); },
      [&](const conversation_opened& x) { open(t, e.at, x); },
      [&](const message_received& x) { receive(t, e.at, x); },
      [&](const message_sent& x) { send(t, e.at, x); },
      [&](const conversation_assigned& x) { assign(t, e.at, x); },
      [&](const conversation_transferred& x) { transfer(t, e.at, x); },
      [&](const conversation_finished& x) { finish(t, e.at, x); },
      [&](const conversation_routed& x) { route(t, e.at, x); },
      [&](const conversation_held& x) { hold(t, x); },
      [&](const pause_type_created& x) { save(t.pause_types, x); },
      [&](const pause_type_updated& x) { save(t.pause_types, x); },
      [&](const portfolio_created& x) { save_portfolio(t, x.value); },
      [&](const portfolio_updated& x) { save_portfolio(t, x.value); },
      [&](const portfolio_deleted& x) { delete_portfolio(t, x); },
      [&](const portfolio_contacts_changed& x) {
        change_portfolio_contacts(t, x);
      },
      [&](const agent_status_changed& x) { set_status(t, x); },
      [&](const agent_pause_started& x) { start_pause(t, e.at, x); },
      [&](const agent_pause_ended& x) { end_pause(t, x); },
      // Events the views do not show yet (automation_requested) change
      // nothing here.
      [](const auto&) {},
    },
    e.data);
}

} // namespace atende::projections

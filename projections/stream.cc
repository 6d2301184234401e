// stream: the frames of GET /v1/stream (CONTRACT "Live updates") that
// committed events make for each subscriber (views.h watch, watch_counts).
//
// The rules, each applied with the list's own code (inbox_match.h), so that
// a client applying the frames to a GET holds what a fresh GET shows:
//
// - Touched conversations. An event touches its own conversation; a
//   contact's change, every conversation of the contact (its tags and
//   stage filter the lists); contacts joining or leaving a portfolio, the
//   conversations of those contacts; a portfolio created or changed (its
//   owners), the conversations routed to it and those of its contacts; a
//   team's change, the team's waiting conversations (its distribution
//   decides whether portfolios restrict them); a customer's message or a
//   send failure, the contact's other conversations too (their 24-hour
//   window moved).
// - conversation.updated / conversation.removed. For each touched
//   conversation, a subscriber whose list it matches (row_matches, as
//   GET /v1/conversations) gets the object as the list shows it; one whose
//   list it does not match gets `conversation.removed {id}` when it may
//   have held it: it still sees the conversation (its status or a filter
//   left the list), or the event moved the conversation between audiences
//   and names the subscriber or one of its teams (an assignment, a
//   transfer, a routing), or changed the restriction of portfolios (whose
//   earlier owners are not known here). A client that does not hold the
//   conversation ignores the removal.
// - message.created (a message received or sent, an internal note) and
//   message.updated (a status, a stored media, a reaction: the message
//   reacted to) go to the subscribers that see the conversation, as
//   GET /v1/conversations/{id}: `{conversation, message}`.
// - note.mention `{conversation, message}`: to the streams of each agent a
//   note names as `@<id>`, whether or not it may see the conversation (the
//   author addressed it).
// - agent.updated: the board row (GET /v1/agents/{id}, which every agent
//   reads) of each agent an event concerns — its record, status or pause,
//   or its open count through an assignment, a transfer or a finish.
// - reset: an agent's record changing (its teams, its role) changes what
//   it may see wholesale: its own streams get `reset` (reload). A
//   portfolio's deletion resets every stream of the tenant: the contacts it
//   held are gone with it.
// - counts (watch_counts): `{all, mine, unassigned}` under status open with
//   the subscriber's filters, when they changed.
#include "projections/stream.h"

#include <algorithm>
#include <array>
#include <map>

#include "events/content.h"
#include "projections/inbox_match.h"
#include "projections/render.h"

namespace atende::projections {
namespace {

using json = nlohmann::json;

std::shared_ptr<const std::string> shared_text(const json& j) {
  return std::make_shared<const std::string>(j.dump());
}

void add_rows(std::vector<std::uint32_t>& out,
              const std::vector<std::uint32_t>& rows) {
  out.insert(out.end(), rows.begin(), rows.end());
}

void add_contact(const tenant& t, const std::string& id,
                 std::vector<std::uint32_t>& out) {
  if (auto c = t.contact_ids.find(id); c != t.contact_ids.end()) {
    add_rows(out, t.contacts[c->second].conversations);
  }
}

/// touched_rows: the conversations event `e` touches (rules above), each
/// once, in ordinal order.
std::vector<std::uint32_t> touched_rows(const tenant& t, const event& e) {
  std::vector<std::uint32_t> out;
  if (const auto& conv = conversation_of(e.data); !conv.empty()) {
    if (auto ord = find_row(t, conv)) {
      out.push_back(*ord);
      // A customer's message, or a failure that closes the window, moves
      // the window of the contact's other conversations too.
      if (std::holds_alternative<message_received>(e.data) ||
          std::holds_alternative<message_status_changed>(e.data)) {
        add_rows(out, t.contacts[t.rows[*ord].contact].conversations);
      }
    }
  }
  auto governed = [&](const std::string& portfolio) {
    add_rows(out, governed_rows(t, portfolio));
    // Its owners decide who sees its contacts' waiting conversations.
    if (auto p = t.portfolios.find(portfolio); p != t.portfolios.end()) {
      for (const auto& id : p->second.contacts) {
        add_contact(t, id, out);
      }
    }
  };
  std::visit(
    [&](const auto& x) {
      using T = std::decay_t<decltype(x)>;
      if constexpr (std::is_same_v<T, contact_updated>) {
        add_contact(t, x.value.id, out);
      } else if constexpr (std::is_same_v<T, portfolio_contacts_changed>) {
        for (const auto& id : x.added) {
          add_contact(t, id, out);
        }
        for (const auto& id : x.removed) {
          add_contact(t, id, out);
        }
      } else if constexpr (std::is_same_v<T, portfolio_created> ||
                           std::is_same_v<T, portfolio_updated>) {
        governed(x.value.id);
      } else if constexpr (std::is_same_v<T, team_updated>) {
        add_rows(out, team_waiting_rows(t, x.value.id));
      }
    },
    e.data);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool in(const std::vector<std::string>& teams, const std::string& team) {
  return !team.empty() &&
         std::find(teams.begin(), teams.end(), team) != teams.end();
}

/// moved_from: event `e` moved conversation `ord` between audiences in a
/// way that may have taken it from subscriber `v` (agent `agent`), so that
/// a subscriber that no longer sees it gets a removal: an assignment takes
/// a waiting conversation from its team and from the owners of the
/// portfolios that restricted it; a transfer from its agents and teams; a
/// portfolio or contact change, from owners this projection no longer
/// knows.
bool moved_from(const tenant& t, const event& e, const viewer& v,
                const std::string& agent, std::uint32_t ord) {
  const auto& teams = v.teams();
  const auto& row = t.rows[ord];
  const auto& team = t.symbols.name(row.team);
  // Whether `agent` owns a portfolio that restricts or restricted the
  // conversation while it waited (one holding its contact, or the one it
  // was routed to): an assignment or a transfer ends that.
  auto owner = [&] {
    auto owns = [&](const std::string& id) {
      auto p = t.portfolios.find(id);
      return p != t.portfolios.end() && owns_portfolio(p->second.value, agent);
    };
    const auto& held = t.contacts[row.contact].portfolios;
    return std::any_of(held.begin(), held.end(), owns) ||
           (row.portfolio != 0 && owns(t.symbols.name(row.portfolio)));
  };
  return std::visit(
    [&](const auto& x) {
      using T = std::decay_t<decltype(x)>;
      if constexpr (std::is_same_v<T, conversation_assigned>) {
        return x.agent == agent || x.previous == agent || in(teams, team) ||
               owner();
      } else if constexpr (std::is_same_v<T, conversation_transferred>) {
        return x.from_agent == agent || x.to_agent == agent ||
               in(teams, x.from_team) || in(teams, x.to_team) || owner();
      } else if constexpr (std::is_same_v<T, conversation_routed>) {
        return in(teams, x.team) || owner();
      } else if constexpr (std::is_same_v<T, contact_updated> ||
                           std::is_same_v<T, portfolio_contacts_changed> ||
                           std::is_same_v<T, portfolio_created> ||
                           std::is_same_v<T, portfolio_updated> ||
                           std::is_same_v<T, team_updated> ||
                           std::is_same_v<T, conversation_held>) {
        return true;
      } else {
        return false;
      }
    },
    e.data);
}

/// message_change: the message event `e` created or changed, and whether
/// it created it. A reaction changes the message reacted to (in this
/// conversation or, for a customer, an earlier one of the contact).
struct message_change {
  std::uint32_t ord = 0;
  std::string id;
  bool created = false;
};

std::optional<message_change> message_of(const tenant& t, const event& e) {
  auto ord = find_row(t, conversation_of(e.data));
  if (!ord) {
    return std::nullopt;
  }
  return std::visit(
    [&](const auto& x) -> std::optional<message_change> {
      using T = std::decay_t<decltype(x)>;
      if constexpr (std::is_same_v<T, message_received>) {
        if (auto r = reaction_of(x)) {
          std::uint32_t where = *ord;
          if (const auto* m = find_by_provider(t, *ord, r->message_id,
                                               &where)) {
            return message_change{where, m->id, false};
          }
        }
        return message_change{*ord, x.message_id, true};
      } else if constexpr (std::is_same_v<T, message_sent>) {
        if (x.kind == "reaction" && x.content.is_object() &&
            x.content.contains("reaction")) {
          return message_change{
            *ord, content_string(x.content["reaction"], "message_id"),
            false};
        }
        return message_change{*ord, x.message_id, true};
      } else if constexpr (std::is_same_v<T, automation_message_sent> ||
                           std::is_same_v<T, note_added>) {
        return message_change{*ord, x.message_id, true};
      } else if constexpr (std::is_same_v<T, message_status_changed> ||
                           std::is_same_v<T, message_media_changed>) {
        return message_change{*ord, x.message_id, false};
      } else {
        return std::nullopt;
      }
    },
    e.data);
}

/// agents_of: the agents whose board row event `e` changes.
std::vector<std::string> agents_of(const tenant& t, const event& e) {
  std::vector<std::string> out;
  std::visit(
    [&](const auto& x) {
      using T = std::decay_t<decltype(x)>;
      if constexpr (std::is_same_v<T, agent_created> ||
                    std::is_same_v<T, agent_updated>) {
        out.push_back(x.value.id);
      } else if constexpr (std::is_same_v<T, agent_status_changed> ||
                           std::is_same_v<T, agent_pause_started> ||
                           std::is_same_v<T, agent_pause_ended>) {
        out.push_back(x.agent);
      } else if constexpr (std::is_same_v<T, conversation_assigned>) {
        out.push_back(x.agent);
        out.push_back(x.previous);
      } else if constexpr (std::is_same_v<T, conversation_transferred>) {
        out.push_back(x.from_agent);
        out.push_back(x.to_agent);
      } else if constexpr (std::is_same_v<T, conversation_finished>) {
        // The assignee it was finished by: the row keeps it.
        if (auto ord = find_row(t, x.conversation)) {
          out.push_back(std::string{t.symbols.name(t.rows[*ord].assignee)});
        }
      }
    },
    e.data);
  std::erase_if(out, [&](const std::string& a) {
    return a.empty() || !t.agents.contains(a);
  });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

/// resets: whether event `e` resets the streams of `who`: its own record
/// changed (its teams, its role), or a portfolio was deleted (the contacts
/// it restricted are no longer known here).
bool resets(const event& e, const principal& who) {
  if (const auto* u = std::get_if<agent_updated>(&e.data)) {
    return u->value.id == who.agent;
  }
  return std::holds_alternative<portfolio_deleted>(e.data);
}

/// subscriber: a watcher with its list query resolved for one batch. A
/// watcher without a status follows every status: the open list and the
/// finished one (`finished`), which together hold every conversation.
struct subscriber {
  watcher* w;
  viewer v;
  inbox_query q;
  filters f;
  std::optional<inbox_query> finished;

  [[nodiscard]] bool matches(const tenant& t, std::uint32_t ord) const {
    return row_matches(t, q, f, v, q.view, ord) ||
           (finished && row_matches(t, *finished, f, v, q.view, ord));
  }
};

} // namespace

result<inbox_query> list_of(const conversation_query& query,
                            std::optional<inbox_query>* finished) {
  if (!query.status.empty()) {
    return parse_query(query);
  }
  auto open = query;
  open.status = "open";
  if (finished != nullptr) {
    auto fin = query;
    fin.status = "finished";
    if (auto f = parse_query(fin)) {
      *finished = std::move(*f);
    }
  }
  return parse_query(open);
}

/// mention gives the streams of each agent a note mentions a note.mention
/// frame {conversation, message}: the author addressed them, whether or
/// not they may see the conversation.
void mention(const tenant& t, const note_added& n,
             std::vector<subscriber>& subs, std::uint64_t seq) {
  auto ord = find_row(t, n.conversation);
  if (!ord) {
    return;
  }
  const auto& r = t.rows[*ord];
  auto x = std::find_if(r.messages.rbegin(), r.messages.rend(),
                        [&](const message_row& m) {
                          return m.id == n.message_id;
                        });
  if (x == r.messages.rend()) {
    return;
  }
  std::shared_ptr<const std::string> text;
  for (auto& s : subs) {
    if (s.w->reset || std::find(n.mentions.begin(), n.mentions.end(),
                                s.w->who.agent) == n.mentions.end()) {
      continue;
    }
    if (!text) {
      text = shared_text(
        json{{"conversation", r.id}, {"message", message_json(t, *x)}});
    }
    s.w->frames.push_back({"note.mention", text, seq});
  }
}

void watch_events(const tenant& t, const std::vector<event>& events,
                  const std::vector<watcher*>& ws, timestamp now) {
  std::vector<subscriber> subs;
  subs.reserve(ws.size());
  for (auto* w : ws) {
    std::optional<inbox_query> finished;
    auto q = list_of(w->query, &finished);
    if (!q) {
      continue; // checked when the stream opened
    }
    q->now = now;
    if (finished) {
      finished->now = now;
    }
    auto f = resolve(t, *q);
    subs.push_back(
      {w, viewer(t, w->who), std::move(*q), std::move(f), std::move(finished)});
  }
  for (const auto& e : events) {
    if (e.tenant != t.info.id) {
      continue;
    }
    for (auto& s : subs) {
      s.w->reset = s.w->reset || resets(e, s.w->who);
    }
    for (auto ord : touched_rows(t, e)) {
      const auto& r = t.rows[ord];
      std::shared_ptr<const std::string> updated, removed;
      for (auto& s : subs) {
        if (s.w->reset) {
          continue;
        }
        if (s.matches(t, ord)) {
          if (!updated) {
            updated = shared_text(conversation_json(t, r, now));
          }
          s.w->frames.push_back({"conversation.updated", updated, e.seq});
        } else if (s.v.sees(t, ord) ||
                   moved_from(t, e, s.v, s.w->who.agent, ord)) {
          if (!removed) {
            removed = shared_text(json{{"id", r.id}});
          }
          s.w->frames.push_back({"conversation.removed", removed, e.seq});
        }
      }
    }
    if (auto m = message_of(t, e)) {
      std::shared_ptr<const std::string> text;
      for (auto& s : subs) {
        if (s.w->reset || !s.v.sees(t, m->ord)) {
          continue;
        }
        if (!text) {
          const auto& r = t.rows[m->ord];
          auto x = std::find_if(r.messages.rbegin(), r.messages.rend(),
                                [&](const message_row& row) {
                                  return row.id == m->id;
                                });
          if (x == r.messages.rend()) {
            break; // not a message the conversation shows
          }
          text = shared_text(
            json{{"conversation", r.id}, {"message", message_json(t, *x)}});
        }
        s.w->frames.push_back(
          {m->created ? "message.created" : "message.updated", text, e.seq});
      }
    }
    if (const auto* n = std::get_if<note_added>(&e.data);
        n != nullptr && !n->mentions.empty()) {
      mention(t, *n, subs, e.seq);
    }
    for (const auto& a : agents_of(t, e)) {
      auto text = shared_text(agent_json(t, t.agents.at(a), now));
      for (auto& s : subs) {
        if (!s.w->reset) {
          s.w->frames.push_back({"agent.updated", text, e.seq});
        }
      }
    }
  }
}

void watch_tab_counts(const tenant& t, const std::vector<watcher*>& ws,
                      bool always) {
  // Streams of one agent following one list share their counts: counted
  // once per call.
  struct tabs {
    std::array<std::size_t, 3> n;
    std::shared_ptr<const std::string> text;
  };
  std::map<std::string, tabs> counted;
  for (auto* w : ws) {
    auto query = w->query;
    query.status = "open";
    if (w->reset) {
      continue;
    }
    std::string key = w->who.agent;
    for (const auto* part : {&w->who.tenant, &query.view, &query.channel,
                             &query.tag, &query.stage, &query.team,
                             &query.contact}) {
      key += '\0';
      key += *part;
    }
    key += w->who.admin ? "\0a" : "\0-";
    auto it = counted.find(key);
    if (it == counted.end()) {
      auto q = parse_query(query);
      if (!q) {
        continue;
      }
      viewer v(t, w->who);
      auto c = count_tabs(t, v, *q, resolve(t, *q));
      it = counted
             .emplace(std::move(key),
                      tabs{{c.all, c.mine, c.unassigned},
                           shared_text(json{{"all", c.all},
                                            {"mine", c.mine},
                                            {"unassigned", c.unassigned}})})
             .first;
    }
    const auto& now = it->second;
    if (!always && w->counted && now.n == w->counts) {
      continue;
    }
    w->counts = now.n;
    w->counted = true;
    w->frames.push_back({"counts", now.text, 0});
  }
}

} // namespace atende::projections

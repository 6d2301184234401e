// Automatic distribution: which waiting conversation goes to which agent,
// and when. The rules (CONTRACT section 3, "Who gets a conversation"):
//
// - Only agents that are online, not paused and under capacity are picked.
// - round_robin: the next available team member after the team's last turn,
//   in id order (the turn is tenant state: it survives restarts and replays).
// - least_busy: fewest open assigned conversations; ties go to the agent
//   idle longest (oldest last assignment), then by id.
// - contact_group, and any conversation routed to a portfolio: only the
//   owners of the governing portfolios (events/visibility.h), least busy
//   first; outside every governing portfolio's business hours the
//   conversation is held (flagged, not assigned) until an input arrives
//   with a time inside them.
// - When an agent frees up, the oldest waiting conversation that agent may
//   be given goes first (rule `freed_agent`).
// - Not a distribution, but an automatic step too: a customer who told
//   WhatsApp it changed numbers (a `system` message, events/content.h
//   changed_number_of) gets the new number on its contact (rule
//   `changed_number`), so the contact keeps its history; unless the number
//   is not one, or another contact has it.
#include <algorithm>
#include <limits>
#include <unordered_map>

#include "actors/tenant.h"
#include "events/content.h"
#include "events/hours.h"
#include "events/phone.h"
#include "events/visibility.h"

namespace atende {

namespace {

const std::set<std::string>& portfolios_of(const tenant_state& s,
                                           const std::string& contact) {
  static const std::set<std::string> none;
  auto it = s.contact_portfolios.find(contact);
  return it == s.contact_portfolios.end() ? none : it->second;
}

team_distribution distribution_of(const tenant_state& s,
                                  const std::string& team) {
  auto t = s.teams.find(team);
  return t == s.teams.end() ? team_distribution::manual
                            : t->second.distribution;
}

/// governing: the portfolios that restrict conversation `c` while it waits.
std::vector<const portfolio*> governing(const tenant_state& s,
                                        const conversation_summary& c) {
  std::vector<const portfolio*> out;
  governing_portfolios(c.portfolio, distribution_of(s, c.team),
                       portfolios_of(s, c.contact), [&](const std::string& id) {
                         if (auto p = s.portfolios.find(id);
                             p != s.portfolios.end()) {
                           out.push_back(&p->second);
                         }
                       });
  return out;
}

bool available(const tenant_state& s, const std::string& agent) {
  auto p = s.presence.find(agent);
  return p != s.presence.end() && p->second.online &&
         p->second.pause_type.empty();
}

/// pool: who automatic distribution may give a waiting conversation now.
struct pool {
  std::string rule; // empty: not distributed automatically
  std::vector<std::string> agents; // available and eligible, by id
  bool held = false;               // every governing portfolio is closed
  std::string closed;              // one of them, for the record
};

/// may_get: agent `a` is eligible for `c` under pool rules (without looking
/// at availability): an owner of an open governing portfolio, or a member of
/// the team; and under capacity.
bool may_get(const tenant_state& s, const agent& a,
             const conversation_summary& c,
             const std::vector<const portfolio*>& open_portfolios,
             bool restricted) {
  if (!has_room(s, a, c.team)) {
    return false;
  }
  if (!restricted) {
    return in_team(a, c.team);
  }
  return std::any_of(open_portfolios.begin(), open_portfolios.end(),
                     [&](const portfolio* p) { return owns_portfolio(*p, a.id); });
}

/// pool_for: `gov` is governing(s, c).
pool pool_for(const tenant_state& s, const conversation_summary& c,
              const std::vector<const portfolio*>& gov, timestamp at) {
  pool out;
  const auto dist = distribution_of(s, c.team);
  bool restricted = !gov.empty();
  if (!restricted && (dist == team_distribution::manual ||
                      dist == team_distribution::contact_group)) {
    return out; // waits for a manual take
  }
  std::vector<const portfolio*> open;
  for (const auto* p : gov) {
    if (hours_open(p->hours, at, s.info.timezone)) {
      open.push_back(p);
    }
  }
  out.rule = !c.portfolio.empty() ? "portfolio"
             : restricted         ? "contact_group"
                                  : std::string{name_of(dist)};
  if (restricted && open.empty()) {
    out.held = true;
    out.closed = gov.front()->id;
    return out;
  }
  for (const auto& [id, a] : s.agents) {
    if (available(s, id) && may_get(s, a, c, open, restricted)) {
      out.agents.push_back(id);
    }
  }
  return out;
}

std::string choose(const tenant_state& s, const pool& p,
                   const conversation_summary& c) {
  if (p.rule == "round_robin") {
    auto turn = s.round_robin_turn.find(c.team);
    if (turn != s.round_robin_turn.end()) {
      auto next = std::upper_bound(p.agents.begin(), p.agents.end(),
                                   turn->second);
      if (next != p.agents.end()) {
        return *next;
      }
    }
    return p.agents.front();
  }
  // least_busy, contact_group, portfolio
  auto key = [&s](const std::string& id) {
    auto pr = s.presence.find(id);
    timestamp last = pr == s.presence.end() ? 0 : pr->second.last_assigned_at;
    return std::tuple{load_of(s, id), last, id};
  };
  return *std::min_element(
    p.agents.begin(), p.agents.end(),
    [&](const std::string& a, const std::string& b) { return key(a) < key(b); });
}

entity_step assign_step(const std::string& conversation, std::string agent,
                        std::string rule, std::vector<std::string> eligible) {
  return entity_step{entity_kind::conversation, conversation,
                     conversation_command{assign_cmd{
                       std::move(agent), std::move(rule), std::move(eligible)}}};
}

entity_step hold_step(const std::string& conversation, std::string portfolio,
                      bool held) {
  return entity_step{entity_kind::conversation, conversation,
                     conversation_command{hold_cmd{std::move(portfolio), held}}};
}

bool waiting(const tenant_state& s, const std::string& id,
             const conversation_summary& c) {
  return !c.finished && c.assignee.empty() &&
         s.queue.contains({c.waiting_since, id});
}

std::optional<entity_step> try_conversation(const tenant_state& s,
                                            const std::string& id,
                                            routing_work& w, timestamp at) {
  auto it = s.conversations.find(id);
  if (it == s.conversations.end() || !waiting(s, id, it->second)) {
    return std::nullopt;
  }
  const auto& c = it->second;
  auto p = pool_for(s, c, governing(s, c), at);
  if (p.held) {
    if (c.held) {
      return std::nullopt;
    }
    return hold_step(id, p.closed, true);
  }
  if (c.held) {
    // Hours are open again: release, then look at it once more.
    w.conversations.insert(w.conversations.begin(), id);
    return hold_step(id, c.portfolio, false);
  }
  if (p.agents.empty()) {
    return std::nullopt;
  }
  auto chosen = choose(s, p, c);
  return assign_step(id, std::move(chosen), p.rule, std::move(p.agents));
}

std::optional<entity_step> try_agent(const tenant_state& s,
                                     const std::string& agent_id,
                                     timestamp at) {
  auto a = s.agents.find(agent_id);
  if (a == s.agents.end() || !available(s, agent_id)) {
    return std::nullopt;
  }
  for (const auto& [since, id] : s.queue) {
    const auto& c = s.conversations.at(id);
    if (c.held || !c.assignee.empty()) {
      continue;
    }
    // A cheap test first: most waiting conversations are not for this agent.
    auto gov = governing(s, c);
    if (gov.empty() && !in_team(a->second, c.team)) {
      continue;
    }
    auto p = pool_for(s, c, gov, at);
    if (std::find(p.agents.begin(), p.agents.end(), agent_id) !=
        p.agents.end()) {
      return assign_step(id, agent_id, "freed_agent", std::move(p.agents));
    }
  }
  return std::nullopt;
}

} // namespace

bool conversation_visible(const tenant_state& s, const agent& a,
                          const conversation_summary& c) {
  auto gov = governing(s, c);
  bool owns = std::any_of(gov.begin(), gov.end(), [&](const portfolio* p) {
    return owns_portfolio(*p, a.id);
  });
  return may_see(viewer_facts{a.id, a.role == agent_role::admin, a.teams},
                 conversation_facts{c.team, c.assignee, !gov.empty(), owns});
}

void note(routing_work& w, const tenant_state& s, const event& e) {
  std::visit(
    [&](const auto& d) {
      using T = std::decay_t<decltype(d)>;
      if constexpr (std::is_same_v<T, message_received>) {
        // The contact keeps its history under its new number.
        if (auto number = changed_number_of(d)) {
          if (auto c = s.conversations.find(d.conversation);
              c != s.conversations.end()) {
            w.numbers.emplace_back(c->second.contact, *number);
          }
        }
      } else if constexpr (std::is_same_v<T, conversation_opened> ||
                    std::is_same_v<T, conversation_routed>) {
        w.conversations.push_back(d.conversation);
      } else if constexpr (std::is_same_v<T, conversation_transferred>) {
        if (d.to_agent.empty()) {
          w.conversations.push_back(d.conversation);
        }
        if (!d.from_agent.empty() && d.from_agent != d.to_agent) {
          w.agents.push_back(d.from_agent);
        }
      } else if constexpr (std::is_same_v<T, conversation_assigned>) {
        if (!d.previous.empty() && d.previous != d.agent) {
          w.agents.push_back(d.previous);
        }
      } else if constexpr (std::is_same_v<T, conversation_finished>) {
        if (auto c = s.conversations.find(d.conversation);
            c != s.conversations.end() && !c->second.assignee.empty()) {
          w.agents.push_back(c->second.assignee);
        }
      } else if constexpr (std::is_same_v<T, agent_status_changed>) {
        if (d.status == "online") {
          w.agents.push_back(d.agent);
        }
      } else if constexpr (std::is_same_v<T, agent_pause_ended>) {
        w.agents.push_back(d.agent);
      } else if constexpr (std::is_same_v<T, agent_updated>) {
        w.agents.push_back(d.value.id);
      } else if constexpr (std::is_same_v<T, team_updated> ||
                           std::is_same_v<T, portfolio_created> ||
                           std::is_same_v<T, portfolio_updated> ||
                           std::is_same_v<T, portfolio_deleted> ||
                           std::is_same_v<T, portfolio_contacts_changed>) {
        w.sweep = true;
      }
    },
    e.data);
}

void note_time(routing_work& w, const tenant_state& s, timestamp at) {
  // Many conversations may be held by few portfolios: read each portfolio's
  // hours once per input.
  std::unordered_map<const portfolio*, bool> open;
  auto is_open = [&](const portfolio* p) {
    auto [it, fresh] = open.try_emplace(p, false);
    if (fresh) {
      it->second = hours_open(p->hours, at, s.info.timezone);
    }
    return it->second;
  };
  for (const auto& id : s.held) {
    auto c = s.conversations.find(id);
    if (c == s.conversations.end()) {
      continue;
    }
    auto gov = governing(s, c->second);
    if (std::any_of(gov.begin(), gov.end(), is_open)) {
      w.conversations.push_back(id);
    }
  }
}

std::optional<entity_step> next_auto_step(const tenant_state& s,
                                          routing_work& w, timestamp at) {
  for (;;) {
    if (!w.numbers.empty()) {
      auto [contact, number] = std::move(w.numbers.front());
      w.numbers.erase(w.numbers.begin());
      // A number that is not one, or that another contact has, is left: the
      // system message stays in the conversation for an agent to act on.
      auto phone = normalize_phone(number);
      auto other = phone ? s.contact_by_key.find(phone_key(*phone))
                         : s.contact_by_key.end();
      if (!phone || other != s.contact_by_key.end() ||
          !s.contact_phone.contains(contact)) {
        continue;
      }
      return entity_step{
        entity_kind::contact, contact,
        contact_command{contact_patch_cmd{{{"phone", *phone}}}}};
    }
    if (w.sweep) {
      w.sweep = false;
      for (const auto& [since, id] : s.queue) {
        w.conversations.push_back(id);
      }
      continue;
    }
    if (!w.conversations.empty()) {
      auto id = std::move(w.conversations.front());
      w.conversations.erase(w.conversations.begin());
      if (auto step = try_conversation(s, id, w, at)) {
        return step;
      }
      continue;
    }
    if (!w.agents.empty()) {
      if (auto step = try_agent(s, w.agents.front(), at)) {
        ++w.agent_steps;
        return step;
      }
      w.agents.erase(w.agents.begin());
      w.agent_steps = 0;
      continue;
    }
    return std::nullopt;
  }
}

std::string rule_of(const entity_step& step) {
  if (std::holds_alternative<contact_command>(step.command)) {
    return "changed_number";
  }
  const auto* cmd = std::get_if<conversation_command>(&step.command);
  if (cmd != nullptr) {
    if (const auto* a = std::get_if<assign_cmd>(cmd)) {
      return a->rule;
    }
  }
  return "business_hours";
}

} // namespace atende

// harness: what the actors tests share — input builders, a tenant simulator
// that plays the tenant actor's role without CAF, and a scratch directory.
//
// tenant_sim::run does what tenant_actor.cc does for one input: route it,
// let the entity decide the plan's step (with the plan's events about that
// entity applied first), stamp every event with the next sequence number and
// fold it into the tenant, conversation and contact states.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actors/agent.h"
#include "actors/contact.h"
#include "actors/conversation.h"
#include "actors/portfolio.h"
#include "actors/tenant.h"
#include "events/errc.h"
#include "events/event.h"
#include "events/input.h"

namespace atende {

// gtest prints error codes by name.
inline void PrintTo(errc c, std::ostream* os) {
  *os << code_name(c);
}

} // namespace atende

namespace atende::testing {

inline constexpr timestamp t0 = 1795266300000; // 2026-11-21T13:05:00.000Z
inline const std::string admin_actor = "agent:boss";

// ---- records and inputs -----------------------------------------------------

inline agent make_agent(std::string id, std::string role,
                        std::vector<std::string> teams,
                        std::optional<int> max_concurrent = std::nullopt) {
  agent a;
  a.name = "Agent " + id;
  a.id = std::move(id);
  a.role = std::move(role);
  a.teams = std::move(teams);
  a.max_concurrent = max_concurrent;
  a.token_hash = "hash-of-" + a.id;
  return a;
}

inline team make_team(std::string id, int max_per_agent = 5,
                      bool require_reason = false) {
  team t;
  t.name = "Team " + id;
  t.id = std::move(id);
  t.max_per_agent = max_per_agent;
  t.require_reason = require_reason;
  return t;
}

inline channel make_channel(std::string id, std::string pnid,
                            std::string default_team) {
  return {std::move(id),   "whatsapp",      "Main number",
          "5511999990000", std::move(pnid), std::move(default_team)};
}

inline tenant_create make_tenant(std::string id = "acme") {
  return {tenant_info{id, "Tenant " + id, "America/Sao_Paulo"},
          make_agent("boss", "admin", {})};
}

inline contact make_contact(std::string id, std::string name,
                            std::string phone) {
  contact c;
  c.id = std::move(id);
  c.name = std::move(name);
  c.phone = std::move(phone);
  return c;
}

/// upsert: a CRM's contact.upsert naming only the number (and a name).
inline contact_upsert_in upsert(std::string phone,
                                std::optional<std::string> name = {}) {
  contact_upsert_in u;
  u.phone = std::move(phone);
  u.name = std::move(name);
  return u;
}

inline message_received_in inbound(std::string channel, std::string from,
                                   std::string wamid, std::string text = "Oi") {
  return {std::move(channel),
          std::move(from),
          "Maria",
          std::move(wamid),
          "text",
          std::move(text),
          ""};
}

inline input make_input(std::string id, std::string actor, timestamp at,
                        input_data d, std::string tenant = "acme") {
  input in;
  in.id = std::move(id);
  in.tenant = std::move(tenant);
  in.at = at;
  in.type = std::string{input_type_name(d)};
  in.actor = std::move(actor);
  in.data = std::move(d);
  return in;
}

/// code_of gives the error code of `r`, errc::ok when it holds a value.
template <class T>
errc code_of(const result<T>& r) {
  return r ? errc::ok : r.error().code;
}

template <class T>
std::string field_of(const result<T>& r) {
  return r ? std::string{} : r.error().field;
}

// ---- the simulator ----------------------------------------------------------

/// step: what one input did in the simulator.
struct step {
  std::vector<event> events;
  std::string conversation;
  std::string matched;

  template <class T>
  const T* find() const {
    for (const auto& e : events) {
      if (auto* x = std::get_if<T>(&e.data)) {
        return x;
      }
    }
    return nullptr;
  }
};

class tenant_sim {
public:
  tenant_state tenant;
  std::map<std::string, conversation_state> conversations;
  std::map<std::string, contact> contacts;
  std::vector<event> journal;
  timestamp clock = t0;

  /// run handles `in` after a trip through its JSON form (so that every input
  /// a test uses is one the decoder accepts).
  result<step> run(const input& raw) {
    auto in = decode_input(encode_input(raw), input_scope::any);
    if (!in) {
      ADD_FAILURE() << "input " << raw.id
                    << " does not decode: " << in.error().field << ": "
                    << in.error().message;
      return std::unexpected(in.error());
    }
    auto p = route(tenant, *in);
    if (!p) {
      return std::unexpected(p.error());
    }
    step out;
    out.conversation = p->conversation;
    std::vector<event_data> all = p->events;
    if (p->step) {
      auto decided = decide_step(*p, in->at);
      if (!decided) {
        return std::unexpected(decided.error());
      }
      out.matched = decided->matched;
      for (auto& d : decided->events) {
        all.push_back(std::move(d));
      }
    }
    routing_work work;
    note_time(work, tenant, in->at);
    for (auto& d : all) {
      event e{tenant.next_seq, in->tenant, in->at, in->actor, std::move(d)};
      note(work, tenant, e);
      fold(e);
      out.events.push_back(e);
      journal.push_back(std::move(e));
    }
    // Automatic distribution, as tenant_actor.cc does after each input.
    while (auto st = next_auto_step(tenant, work, in->at)) {
      plan auto_plan;
      auto_plan.step = *st;
      auto decided = decide_step(auto_plan, in->at);
      if (!decided) {
        ADD_FAILURE() << "automatic step rejected: "
                      << decided.error().message;
        break;
      }
      for (auto& d : decided->events) {
        event e{tenant.next_seq, in->tenant, in->at, "rule:" + rule_of(*st),
                std::move(d)};
        note(work, tenant, e);
        fold(e);
        out.events.push_back(e);
        journal.push_back(std::move(e));
      }
    }
    return out;
  }

  /// as runs `d` from `actor`, one second after the previous input.
  result<step> as(const std::string& actor, input_data d) {
    clock += 1000;
    return run(make_input("in-" + std::to_string(++inputs_), actor, clock,
                          std::move(d), tenant_id));
  }

  /// must is `as` for a step that has to succeed.
  step must(const std::string& actor, input_data d) {
    auto r = as(actor, std::move(d));
    if (!r) {
      ADD_FAILURE() << "rejected: " << code_name(r.error().code) << " "
                    << r.error().field << ": " << r.error().message;
      return {};
    }
    return *r;
  }

  /// fold applies a stamped event to every state it concerns.
  void fold(const event& e) {
    apply(tenant, e);
    if (const auto& conv = conversation_of(e.data); !conv.empty()) {
      apply(conversations[conv], e.data, e.at);
    }
    if (auto* c = std::get_if<contact_created>(&e.data)) {
      apply(contacts[c->value.id], e.data);
    } else if (auto* u = std::get_if<contact_updated>(&e.data)) {
      apply(contacts[u->value.id], e.data);
    }
    std::string agent_id;
    if (auto* a = std::get_if<agent_created>(&e.data)) {
      agent_id = a->value.id;
    } else if (auto* a = std::get_if<agent_updated>(&e.data)) {
      agent_id = a->value.id;
    } else if (auto* a = std::get_if<tenant_created>(&e.data)) {
      agent_id = a->admin.id;
    } else if (auto* a = std::get_if<agent_status_changed>(&e.data)) {
      agent_id = a->agent;
    } else if (auto* a = std::get_if<agent_pause_started>(&e.data)) {
      agent_id = a->agent;
    } else if (auto* a = std::get_if<agent_pause_ended>(&e.data)) {
      agent_id = a->agent;
    }
    if (!agent_id.empty()) {
      apply(agents[agent_id], e.data, e.at);
    }
    std::string portfolio_id;
    if (auto* p = std::get_if<portfolio_created>(&e.data)) {
      portfolio_id = p->value.id;
    } else if (auto* p = std::get_if<portfolio_updated>(&e.data)) {
      portfolio_id = p->value.id;
    } else if (auto* p = std::get_if<portfolio_deleted>(&e.data)) {
      portfolio_id = p->portfolio;
    } else if (auto* p = std::get_if<portfolio_contacts_changed>(&e.data)) {
      portfolio_id = p->portfolio;
    }
    if (!portfolio_id.empty()) {
      apply(portfolios[portfolio_id], e.data);
    }
  }

  std::map<std::string, agent_state> agents;
  std::map<std::string, portfolio_state> portfolios;

  std::string tenant_id = "acme";

private:
  result<decision> decide_step(const plan& p, timestamp at) {
    const auto& st = *p.step;
    if (st.kind == entity_kind::conversation) {
      conversation_state c;
      if (auto it = conversations.find(st.id); it != conversations.end()) {
        c = it->second;
      }
      for (const auto& d : p.events) {
        if (conversation_of(d) == st.id) {
          apply(c, d, at);
        }
      }
      return decide(c, std::get<conversation_command>(st.command));
    }
    if (st.kind == entity_kind::portfolio) {
      auto r = decide(portfolios[st.id],
                      std::get<portfolio_command>(st.command));
      if (!r) {
        return std::unexpected(r.error());
      }
      return decision{std::move(*r), {}};
    }
    std::vector<event_data> evs;
    if (st.kind == entity_kind::contact) {
      contact k;
      if (auto it = contacts.find(st.id); it != contacts.end()) {
        k = it->second;
      }
      auto r = decide(k, std::get<contact_command>(st.command));
      if (!r) {
        return std::unexpected(r.error());
      }
      evs = std::move(*r);
    } else {
      auto r = decide(agents[st.id], std::get<agent_command>(st.command));
      if (!r) {
        return std::unexpected(r.error());
      }
      evs = std::move(*r);
    }
    return decision{std::move(evs), {}};
  }

  int inputs_ = 0;
};

/// configured_sim: tenant "acme" with admin boss, teams sales and support,
/// channel wa-main (Meta id 310000000000001) into sales, agents ana and bia
/// (sales) and caio (support), reason "sold".
inline void configure(tenant_sim& sim) {
  sim.must("root", make_tenant());
  sim.must(admin_actor, create<team>{make_team("sales")});
  sim.must(admin_actor, create<team>{make_team("support")});
  sim.must(admin_actor, create<channel>{make_channel(
                            "wa-main", "310000000000001", "sales")});
  sim.must(admin_actor, create<agent>{make_agent("ana", "agent", {"sales"})});
  sim.must(admin_actor, create<agent>{make_agent("bia", "agent", {"sales"})});
  sim.must(admin_actor,
           create<agent>{make_agent("caio", "agent", {"support"})});
  sim.must(admin_actor, create<reason>{reason{"sold", "Sold"}});
}

/// nonzero drops the zero entries of a load map (an agent whose last
/// conversation ended keeps a 0 after apply(), and has no entry after a
/// restore; both mean "no load").
inline std::map<std::string, int>
nonzero(const std::unordered_map<std::string, int>& m) {
  std::map<std::string, int> out;
  for (const auto& [k, v] : m) {
    if (v != 0) {
      out[k] = v;
    }
  }
  return out;
}

template <class K, class V>
std::map<K, V> sorted(const std::unordered_map<K, V>& m) {
  return {m.begin(), m.end()};
}

// ---- scratch directory ------------------------------------------------------

/// temp_dir is a fresh directory under /tmp, removed with its contents.
class temp_dir {
public:
  temp_dir() {
    std::string tmpl = "/tmp/atende-actors-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
    }
    path_ = tmpl;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

} // namespace atende::testing

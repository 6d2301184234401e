// harness: what the actors tests share — input builders, a tenant simulator
// that runs inputs through the engine's pipeline without CAF or a store, and
// a scratch directory.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actors/entities.h"
#include "actors/pipeline.h"
#include "actors/snapshot.h"
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
  a.role = from_name<agent_role>(role).value();
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
  return {std::move(id),   channel_kind::whatsapp, "Main number",
          "5511999990000", std::move(pnid), std::move(default_team),
          "",              "",              "",
          false};
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
          "",
          nullptr};
}

inline input make_input(std::string id, std::string actor, timestamp at,
                        input_data d, std::string tenant = "acme") {
  input in;
  in.id = std::move(id);
  in.tenant = std::move(tenant);
  in.at = at;
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

/// tenant_sim: one tenant run through the engine's own pipeline (pipeline.h),
/// without CAF or a store: the states the tests inspect are copies of the
/// pipeline's, refreshed after every input.
class tenant_sim {
public:
  /// stored_entities: what a restarted simulator finds in its "store": an
  /// entity that is not resident is read from here (absent: it does not
  /// exist), as the engine reads a snapshot.
  struct stored_entities final : entity_loader {
    std::map<std::string, conversation_state> conversations;
    std::map<std::string, contact> contacts;
    conversation_state conversation(const std::string& id) const override {
      auto it = conversations.find(id);
      return it == conversations.end() ? conversation_state{} : it->second;
    }
    contact contact_of(const std::string& id) const override {
      auto it = contacts.find(id);
      return it == contacts.end() ? contact{} : it->second;
    }
  };
  stored_entities stored;

  tenant_state tenant;
  std::map<std::string, conversation_state> conversations;
  std::map<std::string, contact> contacts;
  std::map<std::string, agent_state> agents;
  std::map<std::string, portfolio_state> portfolios;
  std::vector<event> journal;
  // Every key the pipeline asked to write besides snapshots of conversations
  // (presence, turns, contacts, memberships, outbox), last value per key.
  std::map<std::string, std::string> kept;
  timestamp clock = t0;
  std::string tenant_id = "acme";

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
    auto fx = process(tenant, entities_, *in);
    keep(fx.puts);
    for (const auto& why : fx.refused_steps) {
      ADD_FAILURE() << why;
    }
    if (fx.out.st == outcome::status::rejected) {
      return std::unexpected(fx.out.err);
    }
    step out;
    out.conversation = fx.out.conversation;
    if (fx.out.st == outcome::status::duplicate) {
      out.matched = fx.out.message;
    }
    for (const auto& e : fx.events) {
      journal.push_back(e);
    }
    out.events = std::move(fx.events);
    refresh();
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

  /// fold applies a journaled event as a replay does (pipeline.h `fold`).
  void fold(const event& e) {
    key_writes puts;
    atende::fold(tenant, entities_, e, puts);
    keep(puts);
    refresh();
  }

  /// restored is the tenant core as a restart finds it: the configuration
  /// snapshot, the keys stored apart (presence, turns), the next seq after
  /// the journal, and the indexes rebuilt from the entities' snapshots.
  [[nodiscard]] tenant_state restored() const {
    auto s = tenant_state_from_json(nlohmann::json::parse(to_json(tenant).dump()));
    EXPECT_TRUE(s) << s.error().message;
    for (const auto& [k, v] : kept) {
      auto r = restore_part(*s, tenant_id, k, v);
      EXPECT_TRUE(r) << k;
    }
    s->next_seq = journal.empty() ? 1 : journal.back().seq + 1;
    for (const auto& [id, c] : contacts) {
      restore_contact(*s, c);
    }
    for (const auto& [pid, p] : portfolios) {
      for (const auto& k : p.contacts) {
        restore_membership(*s, pid, k);
      }
    }
    for (const auto& [id, c] : conversations) {
      restore_conversation(*s, c);
    }
    return *s;
  }

private:
  void keep(const key_writes& puts) {
    for (const auto& [k, v] : puts) {
      kept[k] = v;
    }
  }

  /// refresh copies the pipeline's entity states into the public maps.
  void refresh() {
    conversations.clear();
    for (const auto& [id, c] : entities_.conversations()) {
      conversations.emplace(id, c.state);
    }
    contacts.clear();
    for (const auto& [id, c] : entities_.contacts()) {
      contacts.emplace(id, c.state);
    }
    portfolios.clear();
    for (const auto& [id, p] : entities_.portfolios()) {
      portfolios.emplace(id, p.state);
    }
    agents.clear();
    for (const auto& [id, a] : tenant.agents) {
      agents.emplace(id, agent_view(tenant, id));
    }
  }

  tenant_entities entities_{&stored};
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
nonzero(const tenant_state::by_id<int>& m) {
  std::map<std::string, int> out;
  for (const auto& [k, v] : m) {
    if (v != 0) {
      out[k] = v;
    }
  }
  return out;
}

/// sorted: a hash map's entries in key order, for comparing two of them.
template <class Map>
std::map<typename Map::key_type, typename Map::mapped_type>
sorted(const Map& m) {
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

#include "actors/tenant_actor.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>

#include "actors/entity_actor.h"
#include "actors/outbound.h"
#include "actors/snapshot.h"

namespace atende {

namespace {

struct tenant_holder {
  static inline const char* name = "atende.tenant";
  std::string id;
  const store* db = nullptr;
  tenant_state core;
  std::unordered_map<std::string, caf::actor> conversations;
  std::unordered_map<std::string, caf::actor> contacts;
  std::unordered_map<std::string, caf::actor> agents;
  std::unordered_map<std::string, caf::actor> portfolios;
  std::unordered_set<std::string> seen; // envelope ids of the current batch
  routing_work work;   // automatic distribution after the current input
  timestamp work_at = 0;
  tenant_batch_ptr batch;
  tenant_result_ptr out;
  std::size_t next = 0;
  bool dirty = false;
  caf::response_promise promise;
};

using tenant_self = caf::stateful_actor<tenant_holder>*;

void run(tenant_self self);

/// entity returns the actor of an entity, spawning it with its stored state;
/// `fresh` (the entity is created by this input) skips the store read.
caf::actor& entity(tenant_self self, entity_kind kind, const std::string& id,
                   bool fresh = false) {
  auto& st = self->state;
  if (kind == entity_kind::conversation) {
    auto& a = st.conversations[id];
    if (!a) {
      a = self->spawn<caf::linked>(entity_actor<conversation_state>,
                      fresh ? conversation_state{}
                            : load_conversation(*st.db, st.id, id));
    }
    return a;
  }
  if (kind == entity_kind::contact) {
    auto& a = st.contacts[id];
    if (!a) {
      a = self->spawn<caf::linked>(entity_actor<contact>,
                      fresh ? contact{} : load_contact(*st.db, st.id, id));
    }
    return a;
  }
  if (kind == entity_kind::portfolio) {
    auto& a = st.portfolios[id];
    if (!a) {
      a = self->spawn<caf::linked>(entity_actor<portfolio_state>,
                      fresh ? portfolio_state{}
                            : load_portfolio(*st.db, st.core, st.id, id));
    }
    return a;
  }
  auto& a = st.agents[id];
  if (!a) {
    agent_state init;
    if (auto it = st.core.agents.find(id); it != st.core.agents.end()) {
      init.record = it->second;
    }
    if (auto it = st.core.presence.find(id); it != st.core.presence.end()) {
      init.presence = it->second;
    }
    a = self->spawn<caf::linked>(entity_actor<agent_state>, std::move(init));
  }
  return a;
}

/// entity_of tells which entity actor an event concerns (other than the
/// conversation, whose events always arrive through a decide step).
std::pair<entity_kind, std::string> entity_of(const event_data& d) {
  if (auto* c = std::get_if<contact_created>(&d)) {
    return {entity_kind::contact, c->value.id};
  }
  if (auto* c = std::get_if<contact_updated>(&d)) {
    return {entity_kind::contact, c->value.id};
  }
  if (auto* a = std::get_if<agent_created>(&d)) {
    return {entity_kind::agent, a->value.id};
  }
  if (auto* a = std::get_if<agent_updated>(&d)) {
    return {entity_kind::agent, a->value.id};
  }
  if (auto* t = std::get_if<tenant_created>(&d)) {
    return {entity_kind::agent, t->admin.id};
  }
  if (auto* a = std::get_if<agent_status_changed>(&d)) {
    return {entity_kind::agent, a->agent};
  }
  if (auto* a = std::get_if<agent_pause_started>(&d)) {
    return {entity_kind::agent, a->agent};
  }
  if (auto* a = std::get_if<agent_pause_ended>(&d)) {
    return {entity_kind::agent, a->agent};
  }
  if (auto* p = std::get_if<portfolio_created>(&d)) {
    return {entity_kind::portfolio, p->value.id};
  }
  if (auto* p = std::get_if<portfolio_updated>(&d)) {
    return {entity_kind::portfolio, p->value.id};
  }
  if (auto* p = std::get_if<portfolio_deleted>(&d)) {
    return {entity_kind::portfolio, p->portfolio};
  }
  if (auto* p = std::get_if<portfolio_contacts_changed>(&d)) {
    return {entity_kind::portfolio, p->portfolio};
  }
  const auto& conv = conversation_of(d);
  if (!conv.empty()) {
    return {entity_kind::conversation, conv};
  }
  return {entity_kind::conversation, {}};
}

/// stamp makes the tenant's next event, at `at` by `actor`.
event stamp(tenant_self self, timestamp at, std::string actor, event_data d) {
  event e;
  e.seq = self->state.core.next_seq;
  e.tenant = self->state.id;
  e.at = at;
  e.actor = std::move(actor);
  e.data = std::move(d);
  return e;
}

/// put_conversation writes a conversation's snapshot from its decision.
void put_conversation(tenant_self self, const std::string& id,
                      const std::string& snapshot) {
  if (!snapshot.empty()) {
    auto& st = self->state;
    st.out->puts.emplace_back(keys::conversation(st.id, id),
                              encode_snapshot(snapshot));
  }
}

/// put_outbound writes the outbound record an applied event asks for into
/// the outbox, in the batch that records the event.
void put_outbound(tenant_self self, const event& e) {
  auto& st = self->state;
  if (auto r = outbound_record(st.core, e)) {
    st.out->puts.emplace_back(keys::outbox(st.id, e.seq), r->dump());
  }
}

void reject(tenant_self self, std::uint64_t offset, error err) {
  outcome o;
  o.st = outcome::status::rejected;
  o.err = std::move(err);
  self->state.out->outcomes.push_back({offset, std::move(o)});
}

std::string message_of(const event_data& d) {
  if (auto* m = std::get_if<message_received>(&d)) {
    return m->message_id;
  }
  if (auto* m = std::get_if<message_sent>(&d)) {
    return m->message_id;
  }
  return {};
}

/// commit_input stamps and applies the events of an accepted input and
/// records its outcome.
void commit_input(tenant_self self, const tenant_batch::item& item,
                  plan p, entity_reply reply,
                  const std::optional<entity_step>& step) {
  auto& st = self->state;
  const input& in = *item.in;
  std::vector<event_data> all = std::move(p.events);
  for (auto& d : *reply.events) {
    all.push_back(std::move(d));
  }
  outcome o;
  o.conversation = p.conversation;
  std::string message;
  st.work = routing_work{};
  st.work_at = in.at;
  note_time(st.work, st.core, in.at);
  for (auto& d : all) {
    auto e = stamp(self, in.at, in.actor, std::move(d));
    note(st.work, st.core, e);
    apply(st.core, e);
    put_outbound(self, e);
    auto [kind, id] = entity_of(e.data);
    bool decided_there = step && step->kind == kind && step->id == id;
    if (!id.empty() && !decided_there && kind != entity_kind::conversation) {
      bool fresh = std::holds_alternative<contact_created>(e.data) ||
                   std::holds_alternative<agent_created>(e.data) ||
                   std::holds_alternative<portfolio_created>(e.data);
      self->send(entity(self, kind, id, fresh), apply_atom_v, e);
    }
    put_snapshot_of(*st.out, st.id, e);
    if (message.empty()) {
      message = message_of(e.data);
    }
    // A connector only needs the conversation; a command's reply is built
    // from its events.
    if (!in.is_envelope()) {
      o.events.push_back(e);
    }
    st.out->events.push_back(std::move(e));
    st.dirty = true;
  }
  if (step && step->kind == entity_kind::conversation) {
    put_conversation(self, step->id, reply.snapshot);
  }
  if (in.is_envelope()) {
    st.seen.insert(in.id);
    st.out->puts.emplace_back(keys::seen(st.id, in.id), std::string{});
  }
  o.message = reply.matched.empty() ? std::move(message) : reply.matched;
  if (!reply.matched.empty()) {
    o.st = outcome::status::duplicate;
  }
  st.out->outcomes.push_back({item.offset, std::move(o)});
}

result<bool> is_duplicate(tenant_self self, const input& in) {
  auto& st = self->state;
  if (!in.is_envelope()) {
    return false;
  }
  if (st.seen.contains(in.id)) {
    return true;
  }
  auto v = st.db->get(keys::seen(st.id, in.id));
  if (!v) {
    return std::unexpected(v.error());
  }
  return v->has_value();
}

/// handle decides one input; returns false when it waits for an entity.
bool handle(tenant_self self, const tenant_batch::item& item) {
  if (!item.in) {
    reject(self, item.offset, item.in.error());
    return true;
  }
  const input& in = *item.in;
  auto dup = is_duplicate(self, in);
  if (!dup) {
    reject(self, item.offset, dup.error());
    return true;
  }
  if (*dup) {
    outcome o;
    o.st = outcome::status::duplicate;
    self->state.out->outcomes.push_back({item.offset, std::move(o)});
    return true;
  }
  auto p = route(self->state.core, in);
  if (!p) {
    reject(self, item.offset, p.error());
    return true;
  }
  if (!p->step) {
    commit_input(self, item, std::move(*p), entity_reply{}, std::nullopt);
    return true;
  }
  entity_request req;
  req.step = *p->step;
  req.at = in.at;
  auto seq = self->state.core.next_seq;
  for (const auto& d : p->events) {
    event e = stamp(self, in.at, in.actor, d);
    e.seq = seq++;
    if (entity_of(d) == std::pair{req.step.kind, req.step.id}) {
      req.pre.push_back(std::move(e));
    }
  }
  bool fresh = std::any_of(req.pre.begin(), req.pre.end(), [](const event& e) {
    return std::holds_alternative<conversation_opened>(e.data);
  });
  auto target = entity(self, req.step.kind, req.step.id, fresh);
  auto step = p->step;
  self->request(target, caf::infinite, decide_atom_v, std::move(req))
    .then([self, &item, p = std::move(*p), step](entity_reply r) mutable {
      if (!r.events) {
        reject(self, item.offset, r.events.error());
      } else {
        commit_input(self, item, std::move(p), std::move(r), step);
      }
      run(self);
    },
    [self, &item](caf::error& err) {
      // The entity actor is gone: nothing of this input was applied.
      reject(self, item.offset,
             make_error(errc::internal,
                        "entity actor failed: " + to_string(err)));
      run(self);
    });
  return false;
}

/// commit_auto stamps and applies the events of an automatic step, whose
/// actor is the rule that decided it; the input's outcome is unchanged.
void commit_auto(tenant_self self, const entity_step& step, entity_reply r) {
  auto& st = self->state;
  const auto actor = "rule:" + rule_of(step);
  for (auto& d : *r.events) {
    auto e = stamp(self, st.work_at, actor, std::move(d));
    note(st.work, st.core, e);
    apply(st.core, e);
    put_outbound(self, e);
    st.out->events.push_back(std::move(e));
    st.dirty = true;
  }
  put_conversation(self, step.id, r.snapshot);
}

/// distribute asks the next automatic step of the current input's routing
/// work; returns false while it waits for the conversation's decision.
bool distribute(tenant_self self) {
  auto& st = self->state;
  auto step = next_auto_step(st.core, st.work, st.work_at);
  if (!step) {
    return true;
  }
  entity_request req;
  req.step = *step;
  req.at = st.work_at;
  self->request(entity(self, step->kind, step->id), caf::infinite,
                decide_atom_v, std::move(req))
    .then(
      [self, step = *step](entity_reply r) {
        if (r.events) {
          commit_auto(self, step, std::move(r));
        } else {
          // The tenant and the conversation disagree: stop distributing for
          // this input rather than retry the same step.
          std::fprintf(stderr, "atende: %s: automatic step on %s: %s\n",
                       self->state.id.c_str(), step.id.c_str(),
                       r.events.error().message.c_str());
          self->state.work = routing_work{};
        }
        run(self);
      },
      [self](caf::error& err) {
        std::fprintf(stderr, "atende: %s: automatic step failed: %s\n",
                     self->state.id.c_str(), to_string(err).c_str());
        self->state.work = routing_work{};
        run(self);
      });
  return false;
}

/// keep_last_puts drops every put that a later put of the same key in the
/// cycle overwrites (a conversation written once per cycle, not per message).
void keep_last_puts(std::vector<std::pair<std::string, std::string>>& puts) {
  std::unordered_set<std::string_view> seen_keys;
  std::vector<bool> keep(puts.size());
  for (std::size_t i = puts.size(); i-- > 0;) {
    keep[i] = seen_keys.insert(puts[i].first).second;
  }
  std::size_t out = 0;
  for (std::size_t i = 0; i < puts.size(); ++i) {
    if (keep[i]) {
      if (out != i) {
        puts[out] = std::move(puts[i]);
      }
      ++out;
    }
  }
  puts.resize(out);
}

/// run handles the batch's inputs from `next` on, pausing at each entity
/// request; at the end it delivers the result.
void run(tenant_self self) {
  auto& st = self->state;
  for (;;) {
    if (!st.work.empty()) {
      if (!distribute(self)) {
        return;
      }
      st.work = routing_work{};
      continue;
    }
    if (st.next >= st.batch->items.size()) {
      break;
    }
    const auto& item = st.batch->items[st.next++];
    if (!handle(self, item)) {
      return;
    }
  }
  if (st.dirty) {
    st.out->puts.emplace_back(keys::tenant(st.id),
                              encode_snapshot(to_json(st.core).dump()));
  }
  keep_last_puts(st.out->puts);
  st.seen.clear();
  st.batch.reset();
  st.promise.deliver(std::move(st.out));
}

caf::behavior tenant_actor(tenant_self self, std::string id, const store* db,
                           tenant_state core) {
  self->state.id = std::move(id);
  self->state.db = db;
  self->state.core = std::move(core);
  return {
    [self](process_atom, tenant_batch_ptr batch) {
      auto& st = self->state;
      st.promise = self->make_response_promise();
      st.batch = std::move(batch);
      st.out = std::make_shared<tenant_result>();
      st.next = 0;
      st.dirty = false;
      run(self);
    },
  };
}

} // namespace

result<caf::actor> spawn_tenant(caf::local_actor* parent,
                                const std::string& tenant, const store& db) {
  auto core = load_tenant(db, tenant);
  if (!core) {
    return std::unexpected(core.error());
  }
  return parent->spawn(tenant_actor, tenant, &db, std::move(*core));
}

} // namespace atende

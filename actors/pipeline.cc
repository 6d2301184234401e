#include "actors/pipeline.h"

#include <algorithm>

#include "actors/outbound.h"
#include "actors/snapshot.h"
#include "actors/store.h"

namespace atende {

namespace {

/// entity_id: the contact or portfolio an event is about ("" for others).
const std::string* contact_id_of(const event_data& d) {
  if (auto* c = std::get_if<contact_created>(&d)) {
    return &c->value.id;
  }
  if (auto* c = std::get_if<contact_updated>(&d)) {
    return &c->value.id;
  }
  return nullptr;
}

const std::string* portfolio_id_of(const event_data& d) {
  if (auto* p = std::get_if<portfolio_created>(&d)) {
    return &p->value.id;
  }
  if (auto* p = std::get_if<portfolio_updated>(&d)) {
    return &p->value.id;
  }
  if (auto* p = std::get_if<portfolio_deleted>(&d)) {
    return &p->portfolio;
  }
  if (auto* p = std::get_if<portfolio_contacts_changed>(&d)) {
    return &p->portfolio;
  }
  return nullptr;
}

/// about tells whether plan event `d` concerns the entity of `step`.
bool about(const event_data& d, const entity_step& step) {
  switch (step.kind) {
  case entity_kind::conversation:
    return conversation_of(d) == step.id;
  case entity_kind::contact: {
    const auto* id = contact_id_of(d);
    return id != nullptr && *id == step.id;
  }
  case entity_kind::portfolio: {
    const auto* id = portfolio_id_of(d);
    return id != nullptr && *id == step.id;
  }
  case entity_kind::agent:
    return false; // agents are the tenant's: no plan event is applied first
  }
  return false;
}

/// decide_with runs the entity core's `decide` on `base` after the plan's
/// events about it (`pre`), on a copy when there are any: a rejected step
/// leaves the entity as it was.
template <class State, class Decide>
auto decide_with(const State& base, const std::vector<const event_data*>& pre,
                 timestamp at, Decide&& decide_fn) {
  if (pre.empty()) {
    return decide_fn(base);
  }
  State next = base;
  for (const auto* d : pre) {
    if constexpr (requires { apply(next, *d, at); }) {
      apply(next, *d, at);
    } else {
      apply(next, *d);
    }
  }
  return decide_fn(next);
}

template <class E>
bool creates(const std::vector<const event_data*>& pre) {
  return std::any_of(pre.begin(), pre.end(), [](const event_data* d) {
    return std::holds_alternative<E>(*d);
  });
}

/// decide_step lets the step's entity decide, after `plan_events` about it.
result<decision> decide_step(const tenant_state& core, tenant_entities& ents,
                             const entity_step& step,
                             const std::vector<event_data>& plan_events,
                             timestamp at) {
  std::vector<const event_data*> pre;
  for (const auto& d : plan_events) {
    if (about(d, step)) {
      pre.push_back(&d);
    }
  }
  auto as_decision = [](result<std::vector<event_data>> r) -> result<decision> {
    if (!r) {
      return std::unexpected(r.error());
    }
    return decision{std::move(*r), {}};
  };
  switch (step.kind) {
  case entity_kind::conversation: {
    const auto& cmd = std::get<conversation_command>(step.command);
    auto run = [&](const conversation_state& s) { return decide(s, cmd); };
    if (creates<conversation_opened>(pre)) {
      return decide_with(conversation_state{}, pre, at, run);
    }
    return decide_with(ents.conversation(step.id), pre, at, run);
  }
  case entity_kind::contact: {
    const auto& cmd = std::get<contact_command>(step.command);
    auto run = [&](const contact& s) { return as_decision(decide(s, cmd)); };
    if (creates<contact_created>(pre)) {
      return decide_with(contact{}, pre, at, run);
    }
    return decide_with(ents.contact_of(step.id), pre, at, run);
  }
  case entity_kind::portfolio: {
    const auto& cmd = std::get<portfolio_command>(step.command);
    auto run = [&](const portfolio_state& s) {
      return as_decision(decide(s, cmd));
    };
    if (creates<portfolio_created>(pre)) {
      return decide_with(portfolio_state{}, pre, at, run);
    }
    return decide_with(ents.portfolio(core, step.id), pre, at, run);
  }
  case entity_kind::agent:
    return as_decision(
      decide(agent_view(core, step.id), std::get<agent_command>(step.command)));
  }
  return fail(errc::internal, "unknown entity kind");
}

event stamp(const tenant_state& core, const input& in, std::string actor,
            event_data d) {
  return event{core.next_seq, in.tenant, in.at, std::move(actor),
               std::move(d)};
}

const std::string& message_of(const event_data& d) {
  static const std::string none;
  if (auto* m = std::get_if<message_received>(&d)) {
    return m->message_id;
  }
  if (auto* m = std::get_if<message_sent>(&d)) {
    return m->message_id;
  }
  if (auto* n = std::get_if<note_added>(&d)) {
    return n->message_id;
  }
  return none;
}

/// distribute decides and folds the automatic steps that `work` finds, each
/// as the rule that took it, until there are none.
void distribute(tenant_state& core, tenant_entities& ents, const input& in,
                routing_work& work, effects& fx) {
  while (auto step = next_auto_step(core, work, in.at)) {
    auto r = decide_step(core, ents, *step, {}, in.at);
    if (!r) {
      fx.refused_steps.push_back("automatic step on " + step->id + ": " +
                                 r.error().message);
      return;
    }
    const auto actor = "rule:" + rule_of(*step);
    for (auto& d : r->events) {
      auto e = stamp(core, in, actor, std::move(d));
      note(work, core, e);
      fold(core, ents, e, fx.puts);
      fx.events.push_back(std::move(e));
    }
  }
}

} // namespace

void fold(tenant_state& core, tenant_entities& ents, const event& e,
          key_writes& puts) {
  apply(core, e);
  if (const auto& conv = conversation_of(e.data); !conv.empty()) {
    bool opened = std::holds_alternative<conversation_opened>(e.data);
    apply(ents.conversation(conv, opened), e.data, e.at);
    ents.mark_dirty(conv);
  } else if (const auto* k = contact_id_of(e.data)) {
    bool created = std::holds_alternative<contact_created>(e.data);
    apply(ents.contact_of(*k, created), e.data);
  } else if (const auto* p = portfolio_id_of(e.data)) {
    bool created = std::holds_alternative<portfolio_created>(e.data);
    apply(ents.portfolio(core, *p, created), e.data);
  }
  if (auto r = outbound_record(core, e)) {
    const bool ours = sent_by_atende(core, *r);
    if (ours) {
      (*r)["sent_by"] = "atende"; // connectors skip it
    }
    puts.emplace_back(keys::outbox(e.tenant, e.seq), r->dump());
    if (ours) {
      puts.emplace_back(keys::sending(e.tenant, e.seq), std::string{});
    }
  }
  if (fetched_by_atende(core, e)) {
    puts.emplace_back(keys::fetching(e.tenant, e.seq),
                      fetch_work(core, e).dump());
  }
  put_snapshot_of(puts, e.tenant, e);
  put_presence_changes(core, e.tenant, puts);
}

effects process(tenant_state& core, tenant_entities& ents, const input& in) {
  effects fx;
  auto p = route(core, in);
  decision decided;
  if (p && p->step) {
    auto r = decide_step(core, ents, *p->step, p->events, in.at);
    if (r) {
      decided = std::move(*r);
    } else {
      p = std::unexpected(r.error());
    }
  }
  if (!p) {
    fx.out.st = outcome::status::rejected;
    fx.out.err = p.error();
    return fx;
  }
  std::vector<event_data> all = std::move(p->events);
  for (auto& d : decided.events) {
    all.push_back(std::move(d));
  }
  fx.out.conversation = std::move(p->conversation);
  routing_work work;
  note_time(work, core, in.at);
  for (auto& d : all) {
    auto e = stamp(core, in, in.actor, std::move(d));
    note(work, core, e);
    fold(core, ents, e, fx.puts);
    if (fx.out.message.empty()) {
      fx.out.message = message_of(e.data);
    }
    // A connector only needs the conversation; a command's reply is built
    // from its events.
    if (!in.is_envelope()) {
      fx.out.events.push_back(e);
    }
    fx.events.push_back(std::move(e));
  }
  if (!decided.matched.empty()) {
    fx.out.st = outcome::status::duplicate;
    fx.out.message = std::move(decided.matched);
  }
  distribute(core, ents, in, work, fx);
  return fx;
}

} // namespace atende

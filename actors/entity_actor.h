// entity_actor: the CAF actor around one entity's pure core.
//
// The actor owns the entity's state and nothing else: it applies the events
// the tenant decided about it, decides the final step of a plan with the
// core's `decide`, and replies with the events and its new snapshot. All
// rules live in the core (conversation.h, contact.h, agent.h); this file is
// wiring.
#pragma once

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/agent.h"
#include "actors/contact.h"
#include "actors/conversation.h"
#include "actors/messages.h"
#include "actors/portfolio.h"
#include "events/json.h"

namespace atende {

/// entity_traits<State> adapts a core to the actor.
template <class State>
struct entity_traits;

template <>
struct entity_traits<conversation_state> {
  static void apply_event(conversation_state& s, const event& e) {
    apply(s, e.data, e.at);
  }
  static void apply_data(conversation_state& s, const event_data& d,
                         timestamp at) {
    apply(s, d, at);
  }
  static result<decision> decide_step(const conversation_state& s,
                                      const entity_step& st) {
    return decide(s, std::get<conversation_command>(st.command));
  }
  static std::string snapshot(const conversation_state& s) {
    return to_json(s).dump();
  }
};

/// record_traits: entities whose stored form follows from their events alone
/// (snapshot.h `put_snapshot_of`), so the actor returns no snapshot.
template <class Record, class Command>
struct record_traits {
  static void apply_event(Record& s, const event& e) {
    apply_data(s, e.data, e.at);
  }
  static void apply_data(Record& s, const event_data& d, timestamp at) {
    if constexpr (requires { apply(s, d, at); }) {
      apply(s, d, at);
    } else {
      apply(s, d);
    }
  }
  static result<decision> decide_step(const Record& s, const entity_step& st) {
    auto evs = decide(s, std::get<Command>(st.command));
    if (!evs) {
      return std::unexpected(evs.error());
    }
    return decision{std::move(*evs), {}};
  }
  static std::string snapshot(const Record&) { return {}; }
};

template <>
struct entity_traits<contact> : record_traits<contact, contact_command> {};
template <>
struct entity_traits<agent_state>
    : record_traits<agent_state, agent_command> {};
template <>
struct entity_traits<portfolio_state>
    : record_traits<portfolio_state, portfolio_command> {};

template <class State>
struct entity_holder {
  State state;
  static inline const char* name = "atende.entity";
};

template <class State>
caf::behavior entity_actor(caf::stateful_actor<entity_holder<State>>* self,
                           State initial) {
  using traits = entity_traits<State>;
  self->state.state = std::move(initial);
  return {
    [self](apply_atom, const event& e) {
      traits::apply_event(self->state.state, e);
    },
    [self](decide_atom, const entity_request& req) -> entity_reply {
      State next = self->state.state;
      for (const auto& e : req.pre) {
        traits::apply_event(next, e);
      }
      auto d = traits::decide_step(next, req.step);
      if (!d) {
        return entity_reply{std::unexpected(d.error()), {}, {}};
      }
      for (const auto& ev : d->events) {
        traits::apply_data(next, ev, req.at);
      }
      self->state.state = std::move(next);
      return entity_reply{std::move(d->events), std::move(d->matched),
                          traits::snapshot(self->state.state)};
    },
  };
}

} // namespace atende

// visibility: who may see and serve a conversation. One set of functions,
// used by the write side (eligibility on assign, automatic distribution) and
// the read side (lists and counts), so that the two can never disagree.
//
// The rules (CONTRACT section 3, "Who gets a conversation"):
// - an admin sees the whole tenant;
// - an agent sees the conversations of its teams plus those assigned to it;
// - a *restricted* waiting conversation is seen, and may be taken, only by
//   the owners (responsible or members) of the portfolios that govern it —
//   whatever their teams. It is restricted when it was routed to a
//   portfolio, or when it waits in a `contact_group` team and its contact is
//   in at least one portfolio (then those are the governing portfolios). A
//   contact in no portfolio waits for any agent of the team.
#pragma once

#include <string>
#include <vector>

#include "events/model.h"

namespace atende {

/// A viewer as the rules need it.
struct viewer_facts {
  const std::string& agent;
  bool admin;
  const std::vector<std::string>& teams;
};

/// A conversation as the rules need it. `restricted` and `viewer_owns` only
/// matter while it waits (no assignee): see governing_portfolios.
struct conversation_facts {
  const std::string& team;
  const std::string& assignee;
  bool restricted = false;  // waits for portfolio owners only
  bool viewer_owns = false; // the viewer owns one of the governing portfolios
};

/// may_see: see the rules at the top of this file.
[[nodiscard]] inline bool may_see(const viewer_facts& v,
                                  const conversation_facts& c) {
  if (v.admin || (!c.assignee.empty() && c.assignee == v.agent)) {
    return true;
  }
  if (c.assignee.empty() && c.restricted) {
    return c.viewer_owns;
  }
  for (const auto& t : v.teams) {
    if (t == c.team) {
      return true;
    }
  }
  return false;
}

/// may_take: a waiting conversation may be taken by an agent who may see it.
[[nodiscard]] inline bool may_take(const viewer_facts& v,
                                   const conversation_facts& c) {
  return c.assignee.empty() && may_see(v, c);
}

/// governing_portfolios calls `f(portfolio id)` for each portfolio that
/// restricts a waiting conversation: the one it was routed to, else (in a
/// `contact_group` team) each of the contact's portfolios. It returns whether
/// there was any, i.e. whether the conversation is restricted.
/// `contact_portfolios` is any range of portfolio ids.
template <class Range, class F>
bool governing_portfolios(const std::string& routed_portfolio,
                          team_distribution distribution,
                          const Range& contact_portfolios, F&& f) {
  if (!routed_portfolio.empty()) {
    f(routed_portfolio);
    return true;
  }
  if (distribution != team_distribution::contact_group) {
    return false;
  }
  bool any = false;
  for (const auto& p : contact_portfolios) {
    f(p);
    any = true;
  }
  return any;
}

/// owns_portfolio: the responsible or a member.
template <class Portfolio>
[[nodiscard]] bool owns_portfolio(const Portfolio& p,
                                  const std::string& agent) {
  if (p.responsible == agent) {
    return true;
  }
  for (const auto& m : p.members) {
    if (m == agent) {
      return true;
    }
  }
  return false;
}

} // namespace atende

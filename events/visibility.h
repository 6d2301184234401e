// visibility: who may see and serve a conversation. One function, used by the
// write side (eligibility on assign) and the read side (lists and counts), so
// that the two can never disagree.
#pragma once

#include <string>
#include <vector>

namespace atende {

/// A viewer as the rules need it.
struct viewer_facts {
  const std::string& agent;
  bool admin;
  const std::vector<std::string>& teams;
};

/// A conversation as the rules need it.
struct conversation_facts {
  const std::string& team;
  const std::string& assignee;
};

/// may_see: an admin sees the whole tenant; an agent sees the conversations of
/// its teams plus those assigned to it.
[[nodiscard]] inline bool may_see(const viewer_facts& v,
                                  const conversation_facts& c) {
  if (v.admin || (!c.assignee.empty() && c.assignee == v.agent)) {
    return true;
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

} // namespace atende

// route_conversation: eligibility, capacity and visibility for the commands
// on a conversation. The conversation itself then checks its own state.
#include "actors/detail/route_ctx.h"

#include <algorithm>
#include <cctype>

#include "events/visibility.h"

namespace atende::detail {

namespace {

/// eligible_for: the non-admin agents who may take it and have room, for
/// the audit record of an assignment.
std::vector<std::string> eligible_for(const tenant_state& s,
                                      const conversation_summary& cs) {
  std::vector<std::string> out;
  for (const auto& [id, a] : s.agents) {
    if (a.role != agent_role::admin && conversation_visible(s, a, cs) && has_room(s, a, cs.team)) {
      out.push_back(id);
    }
  }
  return out;
}

result<const agent*> target_agent(const tenant_state& s,
                                  const std::string& id) {
  auto it = s.agents.find(id);
  if (it == s.agents.end()) {
    return fail(errc::unknown_reference, "no agent '" + id + "'", "agent");
  }
  return &it->second;
}

result<void> check_assign(route_ctx& c, const conversation_summary& cs,
                          const conversation_assign& a) {
  const auto target_id = a.agent.empty() ? c.caller() : a.agent;
  if (target_id != c.caller() && !c.admin()) {
    return fail(errc::forbidden, "only an admin may assign to another agent",
                "agent");
  }
  auto target = target_agent(c.s, target_id);
  if (!target) {
    return std::unexpected(target.error());
  }
  const agent& t = **target;
  if (!cs.assignee.empty() && (target_id == c.caller() ||
                               cs.assignee == target_id)) {
    // Already served: the conversation rejects with already_assigned.
  } else if (!conversation_visible(c.s, t, cs)) {
    return fail(errc::not_eligible,
                "agent '" + t.id + "' may not serve this conversation");
  } else if (!has_room(c.s, t, cs.team)) {
    return fail(errc::at_capacity,
                "agent '" + t.id + "' is at capacity (" +
                  std::to_string(capacity_of(c.s, t, cs.team)) + ")");
  }
  c.p.step = entity_step{
    entity_kind::conversation, a.conversation,
    conversation_command{assign_cmd{target_id,
                                    target_id == c.caller() ? "take" : "admin",
                                    eligible_for(c.s, cs)}}};
  return {};
}

/// mentions_in: the agents of the tenant that `text` names as `@<id>`,
/// each once, in order of appearance.
std::vector<std::string> mentions_in(const tenant_state& s,
                                     const std::string& text) {
  auto id_char = [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '.' ||
           ch == '_' || ch == ':' || ch == '-';
  };
  std::vector<std::string> out;
  for (std::size_t at = text.find('@'); at != std::string::npos;
       at = text.find('@', at + 1)) {
    auto end = at + 1;
    while (end < text.size() && id_char(text[end])) {
      ++end;
    }
    // A trailing dot ends a sentence, not the id ("@ana.").
    while (end > at + 1 && text[end - 1] == '.') {
      --end;
    }
    auto id = text.substr(at + 1, end - at - 1);
    if (s.agents.contains(id) &&
        std::find(out.begin(), out.end(), id) == out.end()) {
      out.push_back(std::move(id));
    }
  }
  return out;
}

/// add_note decides the note `text` of the caller on conversation `id`.
void add_note(route_ctx& c, const std::string& id, const std::string& text) {
  c.p.events.push_back(note_added{id, "m" + std::to_string(c.next_seq()),
                                  c.caller(), text, mentions_in(c.s, text)});
}

result<void> check_transfer(route_ctx& c, const conversation_summary& cs,
                            const conversation_transfer& t) {
  if (!c.admin() && cs.assignee != c.caller() && !cs.assignee.empty()) {
    return fail(errc::not_assignee,
                "only the assignee or an admin may transfer it");
  }
  // The note goes first: the transfer it explains is decided after it, and
  // a refused transfer records neither.
  if (!t.note.empty()) {
    add_note(c, t.conversation, t.note);
  }
  if (!t.team.empty()) {
    if (!c.s.teams.contains(t.team)) {
      return fail(errc::unknown_reference, "no team '" + t.team + "'",
                  "team");
    }
    c.p.step = entity_step{entity_kind::conversation, t.conversation,
                           conversation_command{transfer_cmd{t.team, {}}}};
    return {};
  }
  auto target = target_agent(c.s, t.agent);
  if (!target) {
    return std::unexpected(target.error());
  }
  const agent& a = **target;
  std::string team =
    in_team(a, cs.team) || a.teams.empty() ? cs.team : a.teams.front();
  if (cs.assignee != a.id && !has_room(c.s, a, team)) {
    return fail(errc::at_capacity, "agent '" + a.id + "' is at capacity");
  }
  c.p.step = entity_step{entity_kind::conversation, t.conversation,
                         conversation_command{transfer_cmd{team, a.id}}};
  return {};
}

result<void> check_finish(route_ctx& c, const conversation_summary& cs,
                          const conversation_finish& f) {
  bool required = false;
  if (auto it = c.s.teams.find(cs.team); it != c.s.teams.end()) {
    required = it->second.require_reason;
  }
  c.p.step = entity_step{
    entity_kind::conversation, f.conversation,
    conversation_command{finish_cmd{c.caller(), c.admin(), f.reason,
                                    f.description, required,
                                    f.reason.empty() ||
                                      c.s.reasons.contains(f.reason)}}};
  return {};
}

} // namespace

result<void> route_conversation(route_ctx& c) {
  const auto& id = std::visit(
    [](const auto& d) -> const std::string& {
      if constexpr (requires { d.conversation; }) {
        return d.conversation;
      } else {
        static const std::string none;
        return none;
      }
    },
    c.in.data);
  auto it = c.s.conversations.find(id);
  auto caller = c.s.agents.find(c.caller());
  if (it == c.s.conversations.end() || caller == c.s.agents.end() ||
      !conversation_visible(c.s, caller->second, it->second)) {
    return fail(errc::not_found, "no conversation '" + id + "'");
  }
  c.p.conversation = id;
  const auto& cs = it->second;
  if (auto* a = std::get_if<conversation_assign>(&c.in.data)) {
    return check_assign(c, cs, *a);
  }
  if (auto* t = std::get_if<conversation_transfer>(&c.in.data)) {
    return check_transfer(c, cs, *t);
  }
  if (auto* f = std::get_if<conversation_finish>(&c.in.data)) {
    return check_finish(c, cs, *f);
  }
  if (auto* n = std::get_if<conversation_note>(&c.in.data)) {
    add_note(c, id, n->text);
    return {};
  }
  if (auto* a = std::get_if<conversation_automate>(&c.in.data)) {
    c.p.step = entity_step{
      entity_kind::conversation, id,
      conversation_command{automate_cmd{c.caller(), a->automation}}};
    return {};
  }
  const auto& snd = std::get<conversation_send>(c.in.data);
  send_cmd cmd{c.caller(),       c.admin(),
               "m" + std::to_string(c.next_seq()), snd.text,
               snd.idempotency_key, snd.tmpl,
               std::nullopt,     snd.content};
  cmd.refused = send_refusal(c, cs, cmd);
  c.p.step = entity_step{entity_kind::conversation, id,
                         conversation_command{std::move(cmd)}};
  return {};
}

} // namespace atende::detail

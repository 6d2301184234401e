#include "actors/conversation.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "events/media.h"
#include "events/window.h"

namespace atende {

namespace {

result<decision> one(event_data e) {
  decision d;
  d.events.push_back(std::move(e));
  return d;
}

result<decision> decide_receive(const conversation_state&,
                                const receive_cmd& c) {
  return one(c.message);
}

result<decision> decide_assign(const conversation_state& s,
                               const assign_cmd& c) {
  if (s.status == "finished") {
    return fail(errc::conversation_finished, "the conversation is finished");
  }
  if (!s.assignee.empty()) {
    if (s.assignee == c.agent) {
      return fail(errc::already_assigned, "already assigned to this agent");
    }
    if (c.rule == "take" || is_automatic(c.rule)) {
      return fail(errc::already_assigned,
                  "already assigned to another agent");
    }
  }
  return one(conversation_assigned{s.id, c.agent, s.assignee, c.rule,
                                   c.eligible});
}

message_sent sent_event(const conversation_state& s, const send_cmd& c) {
  message_sent m{s.id, c.message_id, c.caller, "text", c.text,
                 c.idempotency_key, "", "", {}, c.content};
  if (c.content.is_object()) {
    if (auto media = c.content.find("media"); media != c.content.end()) {
      m.kind = media_kind(media->value("mime_type", ""));
    } else if (c.content.contains("reaction")) {
      m.kind = "reaction";
    }
  }
  if (c.tmpl) {
    m.kind = "template";
    m.template_name = c.tmpl->name;
    m.language = c.tmpl->language;
    m.params = c.tmpl->params;
  }
  return m;
}

/// provider_id_of is the provider's id of message `id` of the conversation
/// ("" when it has none yet), or nullopt when the conversation has no such
/// message.
std::optional<std::string> provider_id_of(const conversation_state& s,
                                          const std::string& id) {
  if (auto in = s.inbound_ids.find(id); in != s.inbound_ids.end()) {
    return in->second;
  }
  if (!s.outbound.contains(id)) {
    return std::nullopt;
  }
  auto p = s.provider_ids.find(id);
  return p == s.provider_ids.end() ? std::string{} : p->second;
}

/// resolve_targets checks that the message a send quotes or reacts to is
/// the conversation's, and records its provider id in the content (a
/// reaction needs one: the provider names the message by it).
result<void> resolve_targets(const conversation_state& s,
                             nlohmann::json& content) {
  if (!content.is_object()) {
    return {};
  }
  if (auto q = content.find("reply_to"); q != content.end()) {
    auto p = provider_id_of(s, q->get<std::string>());
    if (!p) {
      return fail(errc::unknown_reference,
                  "no message '" + q->get<std::string>() +
                    "' in this conversation",
                  "reply_to");
    }
    content.erase("reply_to_provider");
    if (!p->empty()) {
      content["reply_to_provider"] = *p;
    }
  }
  if (auto r = content.find("reaction"); r != content.end()) {
    auto target = r->value("message_id", "");
    auto p = provider_id_of(s, target);
    if (!p) {
      return fail(errc::unknown_reference,
                  "no message '" + target + "' in this conversation",
                  "reaction.message_id");
    }
    if (p->empty()) {
      return fail(errc::conflict,
                  "message '" + target +
                    "' has no WhatsApp id yet: it cannot be reacted to",
                  "reaction.message_id");
    }
    (*r)["provider_id"] = *p;
  }
  return {};
}

result<decision> decide_send(const conversation_state& s, const send_cmd& c) {
  if (s.status == "finished") {
    return fail(errc::conversation_finished, "the conversation is finished");
  }
  if (!c.caller_admin && c.caller != s.assignee) {
    return fail(errc::not_assignee,
                "only the assignee or an admin may send messages");
  }
  if (!c.idempotency_key.empty()) {
    if (auto i = s.sent_by_key.find(c.idempotency_key);
        i != s.sent_by_key.end()) {
      return decision{{}, i->second};
    }
  }
  if (c.refused) {
    return std::unexpected(*c.refused);
  }
  auto ev = sent_event(s, c);
  if (auto r = resolve_targets(s, ev.content); !r) {
    return std::unexpected(r.error());
  }
  return one(std::move(ev));
}

result<decision> decide_start(const conversation_state& s,
                              const start_cmd& c) {
  if (s.status != "waiting" || !s.assignee.empty() || s.messages != 0) {
    return fail(errc::conversation_open, "the conversation already started");
  }
  if (c.first.refused) {
    return std::unexpected(*c.first.refused);
  }
  decision d;
  d.events.push_back(
    conversation_assigned{s.id, c.first.caller, "", "start", {}});
  d.events.push_back(sent_event(s, c.first));
  return d;
}

/// decide_status moves an outbound message forward only: a status at or
/// behind the current one (a late "delivered" after "read", a repeat) is
/// accepted and changes nothing; a failure after delivery is ignored, and
/// nothing follows a failure.
result<decision> decide_status(const conversation_state& s,
                               const status_cmd& c) {
  auto it = s.outbound.find(c.message_id);
  if (it == s.outbound.end()) {
    return fail(errc::unknown_reference,
                "no outbound message '" + c.message_id + "'",
                "data.message_id");
  }
  const auto& now = it->second;
  if (c.status == "accepted") {
    // The provider's id is recorded once; a failed message keeps none.
    if (now == "failed" || s.provider_ids.contains(c.message_id)) {
      return decision{};
    }
    return one(message_status_changed{s.id, c.message_id, c.status, "", "",
                                      c.provider_id});
  }
  bool forward = now != "failed" &&
                 (c.status == "failed"
                    ? status_rank(now) < status_rank("delivered")
                    : status_rank(c.status) > status_rank(now));
  if (!forward) {
    return decision{};
  }
  return one(message_status_changed{s.id, c.message_id, c.status,
                                    c.error_code, c.error_title, ""});
}

result<decision> decide_transfer(const conversation_state& s,
                                 const transfer_cmd& c) {
  if (s.status == "finished") {
    return fail(errc::conversation_finished, "the conversation is finished");
  }
  if (c.to_agent.empty() && c.to_team == s.team && s.assignee.empty()) {
    return fail(errc::conflict, "the conversation already waits in this team");
  }
  if (!c.to_agent.empty() && c.to_agent == s.assignee) {
    return fail(errc::already_assigned, "already assigned to this agent");
  }
  return one(conversation_transferred{s.id, s.team, c.to_team, s.assignee,
                                      c.to_agent});
}

result<decision> decide_finish(const conversation_state& s,
                               const finish_cmd& c) {
  if (s.status == "finished") {
    return fail(errc::conversation_finished, "already finished");
  }
  if (!c.caller_admin && c.caller != s.assignee) {
    return fail(errc::not_assignee,
                "only the assignee or an admin may finish it");
  }
  if (c.reason.empty() && c.reason_required) {
    return fail(errc::reason_required, "this team requires a reason",
                "reason");
  }
  if (!c.reason.empty() && !c.reason_known) {
    return fail(errc::unknown_reason, "no reason with id '" + c.reason + "'",
                "reason");
  }
  return one(conversation_finished{s.id, c.reason, c.description});
}

result<decision> decide_route(const conversation_state& s,
                              const route_cmd& c) {
  if (s.status == "finished") {
    return fail(errc::conversation_finished, "the conversation is finished");
  }
  if (!s.assignee.empty()) {
    return fail(errc::already_assigned,
                "the conversation is served by '" + s.assignee + "'");
  }
  return one(conversation_routed{s.id, c.team, c.portfolio});
}

result<decision> decide_hold(const conversation_state& s, const hold_cmd& c) {
  if (s.status != "waiting") {
    return fail(errc::conflict, "the conversation is not waiting");
  }
  if (s.held == c.held) {
    return decision{};
  }
  return one(conversation_held{s.id, c.portfolio, c.held});
}

result<decision> decide_automate(const conversation_state& s,
                                 const automate_cmd& c) {
  if (s.status == "finished") {
    return fail(errc::conversation_finished, "the conversation is finished");
  }
  return one(automation_requested{s.id, c.automation, c.caller});
}

} // namespace

int status_rank(std::string_view status) {
  constexpr std::string_view order[] = {"pending", "sent", "delivered",
                                        "read"};
  for (int i = 0; i < 4; ++i) {
    if (order[i] == status) {
      return i;
    }
  }
  return -1;
}

result<decision> decide(const conversation_state& s,
                        const conversation_command& c) {
  if (s.status.empty()) {
    return fail(errc::not_found, "no such conversation");
  }
  return std::visit(
    [&s](const auto& cmd) -> result<decision> {
      using T = std::decay_t<decltype(cmd)>;
      if constexpr (std::is_same_v<T, receive_cmd>) {
        return decide_receive(s, cmd);
      } else if constexpr (std::is_same_v<T, assign_cmd>) {
        return decide_assign(s, cmd);
      } else if constexpr (std::is_same_v<T, send_cmd>) {
        return decide_send(s, cmd);
      } else if constexpr (std::is_same_v<T, transfer_cmd>) {
        return decide_transfer(s, cmd);
      } else if constexpr (std::is_same_v<T, finish_cmd>) {
        return decide_finish(s, cmd);
      } else if constexpr (std::is_same_v<T, route_cmd>) {
        return decide_route(s, cmd);
      } else if constexpr (std::is_same_v<T, hold_cmd>) {
        return decide_hold(s, cmd);
      } else if constexpr (std::is_same_v<T, start_cmd>) {
        return decide_start(s, cmd);
      } else if constexpr (std::is_same_v<T, status_cmd>) {
        return decide_status(s, cmd);
      } else if constexpr (std::is_same_v<T, automation_message_cmd>) {
        if (s.status == "finished") {
          return fail(errc::conversation_finished,
                      "the conversation is finished");
        }
        return one(cmd.message);
      } else {
        return decide_automate(s, cmd);
      }
    },
    c);
}

void apply(conversation_state& s, const event_data& e, timestamp at) {
  if (auto* o = std::get_if<conversation_opened>(&e)) {
    s = conversation_state{};
    s.id = o->conversation;
    s.contact = o->contact;
    s.channel = o->channel;
    s.team = o->team;
    s.status = "waiting";
    s.origin = o->origin;
    s.created_at = at;
    s.waiting_since = at;
  } else if (auto* r = std::get_if<message_received>(&e)) {
    s.messages += r->kind == "reaction" ? 0 : 1; // a reaction is on a message
    if (!r->provider_id.empty()) {
      s.inbound_ids[r->message_id] = r->provider_id;
    }
    s.last_inbound_at = std::max(s.last_inbound_at, at);
  } else if (auto* m = std::get_if<message_sent>(&e)) {
    s.messages += m->kind == "reaction" ? 0 : 1;
    if (!m->idempotency_key.empty()) {
      s.sent_by_key[m->idempotency_key] = m->message_id;
    }
    s.outbound[m->message_id] = "pending";
  } else if (auto* st = std::get_if<message_status_changed>(&e)) {
    if (st->status == "accepted") {
      s.provider_ids[st->message_id] = st->provider_id;
      return;
    }
    s.outbound[st->message_id] = st->status;
    if (closes_window(*st)) {
      s.window_closed_at = std::max(s.window_closed_at, at);
    }
    return; // a delivery report is not an activity of the conversation
  } else if (std::holds_alternative<automation_message_sent>(e)) {
    s.messages += 1;
  } else if (auto* a = std::get_if<conversation_assigned>(&e)) {
    s.assignee = a->agent;
    s.status = "open";
    s.held = false;
  } else if (auto* t = std::get_if<conversation_transferred>(&e)) {
    s.team = t->to_team;
    s.assignee = t->to_agent;
    s.status = t->to_agent.empty() ? "waiting" : "open";
    s.portfolio.clear();
    s.held = false;
    if (t->to_agent.empty()) {
      s.waiting_since = at;
    }
  } else if (auto* r = std::get_if<conversation_routed>(&e)) {
    s.team = r->team;
    s.portfolio = r->portfolio;
    s.held = false;
  } else if (auto* h = std::get_if<conversation_held>(&e)) {
    s.held = h->held;
    return; // not an activity of the conversation
  } else if (std::holds_alternative<automation_requested>(e) ||
             std::holds_alternative<message_media_changed>(e)) {
    return; // not an activity of the conversation
  } else if (auto* f = std::get_if<conversation_finished>(&e)) {
    s.status = "finished";
    s.finished_at = at;
    s.reason = f->reason;
    s.description = f->description;
  } else {
    return;
  }
  s.last_activity_at = at;
}

nlohmann::json to_json(const conversation_state& s) {
  nlohmann::json j = {{"id", s.id},
          {"contact", s.contact},
          {"channel", s.channel},
          {"team", s.team},
          {"assignee", s.assignee},
          {"status", s.status},
          {"origin", s.origin},
          {"created_at", s.created_at},
          {"last_activity_at", s.last_activity_at},
          {"finished_at", s.finished_at},
          {"last_inbound_at", s.last_inbound_at},
          {"waiting_since", s.waiting_since},
          {"portfolio", s.portfolio},
          {"held", s.held},
          {"reason", s.reason},
          {"description", s.description},
          {"messages", s.messages},
          {"sent_by_key", s.sent_by_key},
          {"outbound", s.outbound},
          {"window_closed_at", s.window_closed_at}};
  if (!s.provider_ids.empty()) {
    j["provider_ids"] = s.provider_ids;
  }
  if (!s.inbound_ids.empty()) {
    j["inbound_ids"] = s.inbound_ids;
  }
  return j;
}

result<conversation_state> conversation_from_json(const nlohmann::json& j) {
  conversation_state s;
  try {
    s.id = j.at("id").get<std::string>();
    s.contact = j.at("contact").get<std::string>();
    s.channel = j.at("channel").get<std::string>();
    s.team = j.at("team").get<std::string>();
    s.assignee = j.at("assignee").get<std::string>();
    s.status = j.at("status").get<std::string>();
    s.origin = j.at("origin").get<std::string>();
    s.created_at = j.at("created_at").get<timestamp>();
    s.last_activity_at = j.at("last_activity_at").get<timestamp>();
    s.finished_at = j.at("finished_at").get<timestamp>();
    s.last_inbound_at = j.at("last_inbound_at").get<timestamp>();
    // Absent in snapshots written before routing existed.
    s.waiting_since = j.value("waiting_since", s.created_at);
    s.portfolio = j.value("portfolio", std::string{});
    s.held = j.value("held", false);
    s.reason = j.at("reason").get<std::string>();
    s.description = j.at("description").get<std::string>();
    s.messages = j.at("messages").get<std::uint64_t>();
    s.sent_by_key =
      j.at("sent_by_key").get<std::map<std::string, std::string>>();
    // Absent in snapshots written before delivery statuses existed.
    s.outbound = j.value("outbound", std::map<std::string, std::string>{});
    s.window_closed_at = j.value("window_closed_at", timestamp{0});
    s.provider_ids =
      j.value("provider_ids", std::map<std::string, std::string>{});
    s.inbound_ids =
      j.value("inbound_ids", std::map<std::string, std::string>{});
  } catch (const nlohmann::json::exception& ex) {
    return fail(errc::internal,
                std::string{"corruption: conversation snapshot: "} + ex.what());
  }
  return s;
}

} // namespace atende

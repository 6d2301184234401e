#include "projections/render.h"

#include "events/json.h"

namespace atende::projections {

namespace {

using nlohmann::json;

json time_or_null(timestamp t) {
  return t == never ? json(nullptr) : json(format_time(t));
}

json symbol_or_null(const tenant& t, symbol s) {
  return s == 0 ? json(nullptr) : json(t.symbols.name(s));
}

std::string_view status_name(conv_status s) {
  switch (s) {
    case conv_status::waiting: return "waiting";
    case conv_status::open: return "open";
    case conv_status::finished: return "finished";
  }
  return "waiting";
}

std::string_view status_name(message_status s) {
  switch (s) {
    case message_status::received: return "received";
    case message_status::pending: return "pending";
    case message_status::sent: return "sent";
    case message_status::delivered: return "delivered";
    case message_status::read: return "read";
    case message_status::failed: return "failed";
  }
  return "pending";
}

json message_json(const tenant& t, const message_row& m) {
  return {{"id", m.id},
          {"direction", m.outbound ? "out" : "in"},
          {"kind", t.symbols.name(m.kind)},
          {"text", m.text},
          {"at", format_time(m.at)},
          {"status", status_name(m.status)}};
}

json contact_json(const contact_row& c) {
  return {{"id", c.value.id},
          {"name", c.value.name},
          {"phone", c.value.phone}};
}

} // namespace

json conversation_json(const tenant& t, const conversation_row& r) {
  const auto& c = t.contacts[r.contact];
  json j = {
    {"id", r.id},
    {"contact", contact_json(c)},
    {"channel", t.symbols.name(r.channel)},
    {"team", t.symbols.name(r.team)},
    {"assignee", symbol_or_null(t, r.assignee)},
    {"portfolio", nullptr},
    {"status", status_name(r.status)},
    // The flags read as list membership: a conversation says it awaits the
    // customer exactly when it is in the awaiting_customer list.
    {"awaiting_customer", in_list(r.status, r.flags, list_kind::awaiting)},
    {"send_failed", in_list(r.status, r.flags, list_kind::failed)},
    {"automation", in_list(r.status, r.flags, list_kind::automation)},
    {"composer_locked", r.composer_locked},
    {"window_expires_at", r.last_inbound_at == never
                            ? json(nullptr)
                            : json(format_time(r.last_inbound_at + window_ms))},
    {"tags", c.value.tags},
    {"stage", c.value.stage.empty() ? json(nullptr) : json(c.value.stage)},
    {"created_at", format_time(r.created_at)},
    {"last_activity_at", format_time(r.last_activity_at)},
    {"finished_at", time_or_null(r.finished_at)},
    {"reason", symbol_or_null(t, r.reason)},
    {"description",
     r.description.empty() ? json(nullptr) : json(r.description)},
    {"last_message",
     r.messages.empty() ? json(nullptr) : message_json(t, r.messages.back())},
  };
  return j;
}

json messages_json(const tenant& t, const conversation_row& r) {
  json out = json::array();
  for (const auto& m : r.messages) {
    out.push_back(message_json(t, m));
  }
  return out;
}

json agent_json(const tenant& t, const agent& a) {
  json j = public_agent(a);
  j["status"] = "offline";
  j["pause"] = nullptr;
  j["open_count"] = open_count_of(t, a.id);
  return j;
}

} // namespace atende::projections

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

// Objects are filled by emplace: nlohmann's initializer lists copy every
// nested value, which made rendering most of the cost of a page.
json message_json(const tenant& t, const message_row& m) {
  json j(json::value_t::object);
  auto& o = j.get_ref<json::object_t&>();
  o.emplace("id", m.id);
  o.emplace("direction", m.outbound ? "out" : "in");
  o.emplace("kind", t.symbols.name(m.kind));
  o.emplace("text", m.text);
  o.emplace("at", format_time(m.at));
  o.emplace("status", status_name(m.status));
  return j;
}

json contact_json(const contact_row& c) {
  json j(json::value_t::object);
  auto& o = j.get_ref<json::object_t&>();
  o.emplace("id", c.value.id);
  o.emplace("name", c.value.name);
  o.emplace("phone", c.value.phone);
  return j;
}

json string_or_null(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

} // namespace

json conversation_json(const tenant& t, const conversation_row& r) {
  const auto& c = t.contacts[r.contact];
  json j(json::value_t::object);
  auto& o = j.get_ref<json::object_t&>();
  o.emplace("id", r.id);
  o.emplace("contact", contact_json(c));
  o.emplace("channel", t.symbols.name(r.channel));
  o.emplace("team", t.symbols.name(r.team));
  o.emplace("assignee", symbol_or_null(t, r.assignee));
  o.emplace("portfolio", nullptr);
  o.emplace("status", status_name(r.status));
  // The flags read as list membership: a conversation says it awaits the
  // customer exactly when it is in the awaiting_customer list.
  o.emplace("awaiting_customer",
            in_list(r.status, r.flags, list_kind::awaiting));
  o.emplace("send_failed", in_list(r.status, r.flags, list_kind::failed));
  o.emplace("automation", in_list(r.status, r.flags, list_kind::automation));
  o.emplace("composer_locked", r.composer_locked);
  o.emplace("window_expires_at", r.last_inbound_at == never
                                   ? json(nullptr)
                                   : json(format_time(r.last_inbound_at +
                                                      window_ms)));
  o.emplace("tags", c.value.tags);
  o.emplace("stage", string_or_null(c.value.stage));
  o.emplace("created_at", format_time(r.created_at));
  o.emplace("last_activity_at", format_time(r.last_activity_at));
  o.emplace("finished_at", time_or_null(r.finished_at));
  o.emplace("reason", symbol_or_null(t, r.reason));
  o.emplace("description", string_or_null(r.description));
  o.emplace("last_message", r.messages.empty()
                              ? json(nullptr)
                              : message_json(t, r.messages.back()));
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

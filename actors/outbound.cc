#include "actors/outbound.h"

#include "events/time.h"

namespace atende {

namespace {

/// address: where the conversation's messages go — the channel (with Meta's
/// number id) and the contact's number.
nlohmann::json address(const tenant_state& s, const std::string& conv) {
  nlohmann::json data = nlohmann::json::object();
  auto it = s.conversations.find(conv);
  if (it == s.conversations.end()) {
    return data;
  }
  const auto& c = it->second;
  data["channel"] = c.channel;
  if (auto ch = s.channels.find(c.channel); ch != s.channels.end() &&
                                            !ch->second.phone_number_id.empty()) {
    data["phone_number_id"] = ch->second.phone_number_id;
  }
  if (auto p = s.contact_phone.find(c.contact); p != s.contact_phone.end()) {
    data["to"] = p->second;
  }
  data["conversation"] = conv;
  return data;
}

nlohmann::json record(const event& e, const char* type, nlohmann::json data) {
  return {{"id", e.id()},
          {"tenant", e.tenant},
          {"at", format_time(e.at)},
          {"type", type},
          {"data", std::move(data)}};
}

} // namespace

std::optional<nlohmann::json> outbound_record(const tenant_state& s,
                                              const event& e) {
  if (const auto* m = std::get_if<message_sent>(&e.data)) {
    auto data = address(s, m->conversation);
    data["message_id"] = m->message_id;
    data["text"] = m->text;
    if (m->kind == "template") {
      data["template"] = {{"name", m->template_name},
                          {"language", m->language},
                          {"params", m->params}};
    }
    return record(e, "message.send", std::move(data));
  }
  if (const auto* a = std::get_if<automation_requested>(&e.data)) {
    auto data = address(s, a->conversation);
    data["automation"] = a->automation;
    data["agent"] = a->agent;
    return record(e, "automation.run", std::move(data));
  }
  return std::nullopt;
}

bool sent_by_atende(const tenant_state& s, const nlohmann::json& r) {
  if (r.value("type", "") != "message.send") {
    return false;
  }
  auto ch = s.channels.find(r["data"].value("channel", ""));
  return ch != s.channels.end() && !ch->second.access_token.empty() &&
         !ch->second.phone_number_id.empty();
}

} // namespace atende

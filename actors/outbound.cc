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

/// put_content adds a send's media, reaction and quote to its record.
void put_content(nlohmann::json& data, const message_sent& m) {
  const auto& c = m.content;
  if (!c.is_object()) {
    return;
  }
  if (auto media = c.find("media"); media != c.end()) {
    data["media"] = *media;
    data["media"]["kind"] = m.kind;
    data.erase("text");
  }
  if (auto r = c.find("reaction"); r != c.end()) {
    nlohmann::json reaction = {{"message_id", r->value("message_id", "")},
                               {"emoji", r->value("emoji", "")}};
    if (auto p = r->value("provider_id", ""); !p.empty()) {
      reaction["provider_message_id"] = p;
    }
    data["reaction"] = std::move(reaction);
    data.erase("text");
  }
  if (auto q = c.value("reply_to", ""); !q.empty()) {
    data["reply_to"] = q;
    if (auto p = c.value("reply_to_provider", ""); !p.empty()) {
      data["reply_to_provider_id"] = p;
    }
  }
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
    put_content(data, *m);
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

nlohmann::json fetch_work(const tenant_state& s, const event& e) {
  const auto& m = std::get<message_received>(e.data);
  const auto& media = m.content["media"];
  nlohmann::json w = {
    {"channel", s.conversations.at(m.conversation).channel},
    {"conversation", m.conversation},
    {"message_id", m.message_id},
    {"media_id", media.value("id", "")},
    {"mime_type", media.value("mime_type", "")}};
  if (auto sha = media.find("sha256"); sha != media.end() && sha->is_string()) {
    w["sha256"] = *sha;
  }
  return w;
}

bool fetched_by_atende(const tenant_state& s, const event& e) {
  const auto* m = std::get_if<message_received>(&e.data);
  if (m == nullptr || !m->content.is_object()) {
    return false;
  }
  auto media = m->content.find("media");
  if (media == m->content.end() || !media->is_object() ||
      media->value("id", "").empty()) {
    return false;
  }
  auto conv = s.conversations.find(m->conversation);
  if (conv == s.conversations.end()) {
    return false;
  }
  auto ch = s.channels.find(conv->second.channel);
  return ch != s.channels.end() && !ch->second.access_token.empty();
}

} // namespace atende

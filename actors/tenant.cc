#include "actors/tenant.h"

#include "events/json.h"
#include "events/phone.h"

namespace atende {

namespace {

void index_contact(tenant_state& s, const contact& c) {
  if (auto old = s.contact_phone.find(c.id); old != s.contact_phone.end()) {
    s.contact_by_key.erase(phone_key(old->second));
  }
  s.contact_phone[c.id] = c.phone;
  s.contact_by_key[phone_key(c.phone)] = c.id;
}

void index_channel(tenant_state& s, const channel& c) {
  if (auto old = s.channels.find(c.id); old != s.channels.end()) {
    s.channel_by_pnid.erase(old->second.phone_number_id);
  }
  s.channels[c.id] = c;
  if (!c.phone_number_id.empty()) {
    s.channel_by_pnid[c.phone_number_id] = c.id;
  }
}

void add_load(tenant_state& s, const std::string& agent, int delta) {
  if (agent.empty()) {
    return;
  }
  // Agents with no open conversation have no entry, after apply() as after a
  // restore, so that both build the same index.
  if (auto n = s.open_count[agent] += delta; n == 0) {
    s.open_count.erase(agent);
  }
}

void apply_conversation(tenant_state& s, const event_data& d) {
  if (auto* o = std::get_if<conversation_opened>(&d)) {
    s.conversations[o->conversation] =
      conversation_summary{o->contact, o->channel, o->team, {}, false};
    s.open_conversation[conversation_open_key(o->contact, o->channel)] =
      o->conversation;
    return;
  }
  auto it = s.conversations.find(conversation_of(d));
  if (it == s.conversations.end()) {
    return;
  }
  auto& c = it->second;
  if (auto* a = std::get_if<conversation_assigned>(&d)) {
    add_load(s, c.assignee, -1);
    c.assignee = a->agent;
    add_load(s, c.assignee, +1);
  } else if (auto* t = std::get_if<conversation_transferred>(&d)) {
    add_load(s, c.assignee, -1);
    c.team = t->to_team;
    c.assignee = t->to_agent;
    add_load(s, c.assignee, +1);
  } else if (std::holds_alternative<conversation_finished>(d)) {
    add_load(s, c.assignee, -1);
    c.finished = true;
    s.open_conversation.erase(conversation_open_key(c.contact, c.channel));
  }
}

template <class T>
nlohmann::json map_json(const std::map<std::string, T>& m) {
  auto arr = nlohmann::json::array();
  for (const auto& [id, v] : m) {
    nlohmann::json j;
    to_json(j, v);
    arr.push_back(std::move(j));
  }
  return arr;
}

template <class T, class F>
result<void> read_map(const nlohmann::json& j, const char* key,
                      std::map<std::string, T>& out, F from_json) {
  if (!j.contains(key) || !j.at(key).is_array()) {
    return fail(errc::internal, std::string{"corruption: tenant snapshot: "} +
                                  key);
  }
  for (const auto& item : j.at(key)) {
    auto v = from_json(item);
    if (!v) {
      return std::unexpected(v.error());
    }
    out[v->id] = std::move(*v);
  }
  return {};
}

} // namespace

std::string conversation_open_key(const std::string& contact,
                                  const std::string& ch) {
  std::string k = contact;
  k += '\0';
  k += ch;
  return k;
}

void apply(tenant_state& s, const event& e) {
  s.next_seq = e.seq + 1;
  std::visit(
    [&s, &e](const auto& d) {
      using T = std::decay_t<decltype(d)>;
      if constexpr (std::is_same_v<T, tenant_created>) {
        s.exists = true;
        s.info = d.tenant;
        s.agents[d.admin.id] = d.admin;
      } else if constexpr (std::is_same_v<T, channel_created> ||
                           std::is_same_v<T, channel_updated>) {
        index_channel(s, d.value);
      } else if constexpr (std::is_same_v<T, team_created> ||
                           std::is_same_v<T, team_updated>) {
        s.teams[d.value.id] = d.value;
      } else if constexpr (std::is_same_v<T, agent_created> ||
                           std::is_same_v<T, agent_updated>) {
        s.agents[d.value.id] = d.value;
      } else if constexpr (std::is_same_v<T, reason_created> ||
                           std::is_same_v<T, reason_updated>) {
        s.reasons[d.value.id] = d.value;
      } else if constexpr (std::is_same_v<T, contact_created> ||
                           std::is_same_v<T, contact_updated>) {
        index_contact(s, d.value);
      } else {
        apply_conversation(s, e.data);
      }
    },
    e.data);
}

void restore_contact(tenant_state& s, const contact& c) {
  index_contact(s, c);
}

void restore_conversation(tenant_state& s, const conversation_state& c) {
  s.conversations[c.id] = conversation_summary{
    c.contact, c.channel, c.team, c.assignee, c.status == "finished"};
  if (c.status != "finished") {
    s.open_conversation[conversation_open_key(c.contact, c.channel)] = c.id;
    add_load(s, c.assignee, +1);
  }
}

nlohmann::json to_json(const tenant_state& s) {
  nlohmann::json info;
  to_json(info, s.info);
  return {{"exists", s.exists},
          {"info", std::move(info)},
          {"channels", map_json(s.channels)},
          {"teams", map_json(s.teams)},
          {"agents", map_json(s.agents)},
          {"reasons", map_json(s.reasons)},
          {"next_seq", s.next_seq}};
}

result<tenant_state> tenant_state_from_json(const nlohmann::json& j) {
  tenant_state s;
  if (!j.is_object() || !j.contains("exists") || !j.contains("info") ||
      !j.contains("next_seq") || !j.at("next_seq").is_number_unsigned()) {
    return fail(errc::internal, "corruption: tenant snapshot header");
  }
  s.exists = j.at("exists").get<bool>();
  auto info = atende::tenant_from_json(j.at("info"));
  if (!info) {
    return std::unexpected(info.error());
  }
  s.info = *info;
  s.next_seq = j.at("next_seq").get<std::uint64_t>();
  std::map<std::string, channel> channels;
  if (auto r = read_map(j, "channels", channels, channel_from_json); !r) {
    return std::unexpected(r.error());
  }
  for (const auto& [id, c] : channels) {
    index_channel(s, c);
  }
  if (auto r = read_map(j, "teams", s.teams, team_from_json); !r) {
    return std::unexpected(r.error());
  }
  if (auto r = read_map(j, "agents", s.agents, agent_from_json); !r) {
    return std::unexpected(r.error());
  }
  if (auto r = read_map(j, "reasons", s.reasons, reason_from_json); !r) {
    return std::unexpected(r.error());
  }
  return s;
}

int capacity_of(const tenant_state& s, const agent& a,
                const std::string& team) {
  if (a.max_concurrent) {
    return *a.max_concurrent;
  }
  if (auto t = s.teams.find(team); t != s.teams.end()) {
    return t->second.max_per_agent;
  }
  return 5;
}

bool is_admin(const tenant_state& s, const std::string& actor) {
  auto id = agent_of(actor);
  auto a = s.agents.find(id);
  return a != s.agents.end() && a->second.role == "admin";
}

} // namespace atende

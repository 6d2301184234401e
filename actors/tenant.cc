#include "actors/tenant.h"

#include <algorithm>

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

/// distributes: whether automatic distribution may assign conversation `c`
/// while it waits.
bool distributes(const tenant_state& s, const conversation_summary& c) {
  if (!c.portfolio.empty()) {
    return true;
  }
  auto t = s.teams.find(c.team);
  return t != s.teams.end() && t->second.distribution != team_distribution::manual;
}

void enqueue(tenant_state& s, const std::string& id,
             const conversation_summary& c) {
  if (!c.finished && c.assignee.empty() && distributes(s, c)) {
    s.queue.insert({c.waiting_since, id});
  }
}

void dequeue(tenant_state& s, const std::string& id,
             const conversation_summary& c) {
  s.queue.erase({c.waiting_since, id});
}

void rebuild_queue(tenant_state& s) {
  s.queue.clear();
  for (const auto& [id, c] : s.conversations) {
    enqueue(s, id, c);
  }
}

void set_held(tenant_state& s, const std::string& id, conversation_summary& c,
              bool held) {
  c.held = held;
  if (held) {
    s.held.insert(id);
  } else {
    s.held.erase(id);
  }
}

void assigned_to(tenant_state& s, const std::string& agent, timestamp at) {
  if (!agent.empty()) {
    s.presence[agent].last_assigned_at = at;
    s.changed.presence.insert(agent);
  }
}

void apply_conversation(tenant_state& s, const event& e) {
  const auto& d = e.data;
  if (auto* o = std::get_if<conversation_opened>(&d)) {
    conversation_summary c;
    c.contact = o->contact;
    c.channel = o->channel;
    c.team = o->team;
    c.waiting_since = e.at;
    s.open_conversation[conversation_open_key(o->contact, o->channel)] =
      o->conversation;
    enqueue(s, o->conversation, c);
    s.conversations[o->conversation] = std::move(c);
    return;
  }
  auto it = s.conversations.find(conversation_of(d));
  if (it == s.conversations.end()) {
    return;
  }
  const auto& id = it->first;
  auto& c = it->second;
  if (std::holds_alternative<message_received>(d)) {
    s.windows[conversation_open_key(c.contact, c.channel)].received(e.at);
  } else if (auto* m = std::get_if<message_sent>(&d)) {
    s.outbound[m->message_id] = id;
  } else if (auto* st = std::get_if<message_status_changed>(&d)) {
    if (!st->provider_id.empty()) {
      s.provider_ids[st->provider_id] = st->message_id;
    }
    if (closes_window(*st)) {
      s.windows[conversation_open_key(c.contact, c.channel)].refused(e.at);
    }
  } else if (auto* a = std::get_if<conversation_assigned>(&d)) {
    dequeue(s, id, c);
    set_held(s, id, c, false);
    add_load(s, c.assignee, -1);
    c.assignee = a->agent;
    add_load(s, c.assignee, +1);
    assigned_to(s, a->agent, e.at);
    if (a->rule == "round_robin") {
      s.round_robin_turn[c.team] = a->agent;
      s.changed.turns.insert(c.team);
    }
  } else if (auto* t = std::get_if<conversation_transferred>(&d)) {
    dequeue(s, id, c);
    set_held(s, id, c, false);
    add_load(s, c.assignee, -1);
    c.team = t->to_team;
    c.assignee = t->to_agent;
    c.portfolio.clear();
    add_load(s, c.assignee, +1);
    if (t->to_agent.empty()) {
      c.waiting_since = e.at;
    }
    assigned_to(s, t->to_agent, e.at);
    enqueue(s, id, c);
  } else if (auto* r = std::get_if<conversation_routed>(&d)) {
    dequeue(s, id, c);
    set_held(s, id, c, false);
    c.team = r->team;
    c.portfolio = r->portfolio;
    enqueue(s, id, c);
  } else if (auto* h = std::get_if<conversation_held>(&d)) {
    set_held(s, id, c, h->held);
  } else if (std::holds_alternative<conversation_finished>(d)) {
    dequeue(s, id, c);
    set_held(s, id, c, false);
    add_load(s, c.assignee, -1);
    c.finished = true;
    s.open_conversation.erase(conversation_open_key(c.contact, c.channel));
  }
}

void index_portfolio(tenant_state& s, const portfolio& p) {
  if (auto old = s.portfolios.find(p.id); old != s.portfolios.end()) {
    s.portfolio_by_code.erase(old->second.code);
  }
  s.portfolios[p.id] = p;
  if (!p.code.empty()) {
    s.portfolio_by_code[p.code] = p.id;
  }
}

void apply_membership(tenant_state& s, const portfolio_contacts_changed& m) {
  for (const auto& k : m.added) {
    s.contact_portfolios[k].insert(m.portfolio);
  }
  for (const auto& k : m.removed) {
    if (auto it = s.contact_portfolios.find(k);
        it != s.contact_portfolios.end()) {
      it->second.erase(m.portfolio);
      if (it->second.empty()) {
        s.contact_portfolios.erase(it);
      }
    }
  }
}

void apply_presence(tenant_state& s, const event& e) {
  if (auto* st = std::get_if<agent_status_changed>(&e.data)) {
    s.presence[st->agent].online = st->status == "online";
    s.changed.presence.insert(st->agent);
  } else if (auto* p = std::get_if<agent_pause_started>(&e.data)) {
    auto& pr = s.presence[p->agent];
    pr.pause_type = p->pause_type;
    pr.pause_since = e.at;
    s.changed.presence.insert(p->agent);
  } else if (auto* p = std::get_if<agent_pause_ended>(&e.data)) {
    auto& pr = s.presence[p->agent];
    pr.pause_type.clear();
    pr.pause_since = 0;
    s.changed.presence.insert(p->agent);
  }
}

/// read_presence reads the presence and turns that snapshots of the previous
/// form held.
result<void> read_presence(const nlohmann::json& j, tenant_state& s) {
  if (!j.contains("presence")) {
    return {}; // the current form, or written before presence existed
  }
  if (!j.at("presence").is_object()) {
    return fail(errc::internal, "corruption: tenant snapshot: presence");
  }
  for (const auto& [id, p] : j.at("presence").items()) {
    auto a = presence_from_json(p);
    if (!a) {
      return std::unexpected(a.error());
    }
    s.presence[id] = std::move(*a);
  }
  try {
    if (j.contains("round_robin_turn")) {
      s.round_robin_turn = j.at("round_robin_turn")
                             .get<std::map<std::string, std::string>>();
    }
  } catch (const nlohmann::json::exception& ex) {
    return fail(errc::internal,
                std::string{"corruption: tenant snapshot: round_robin_turn: "} +
                  ex.what());
  }
  return {};
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

nlohmann::json places_json(
  const std::map<std::string, subscription_place>& places) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [id, p] : places) {
    j[id] = {{"position", p.position}, {"rewinds", p.rewinds}};
  }
  return j;
}

result<void> read_places(const nlohmann::json& j,
                         std::map<std::string, subscription_place>& out) {
  if (!j.is_object()) {
    return fail(errc::internal, "corruption: subscription places");
  }
  for (const auto& [id, p] : j.items()) {
    if (!p.is_object() || !p.contains("position") ||
        !p.at("position").is_number_integer() || !p.contains("rewinds") ||
        !p.at("rewinds").is_number_integer()) {
      return fail(errc::internal,
                  "corruption: subscription place '" + id + "'");
    }
    out[id] = {p.at("position").get<std::int64_t>(),
               p.at("rewinds").get<std::int64_t>()};
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
        s.changed.config = true;
        s.info = d.tenant;
        s.agents[d.admin.id] = d.admin;
      } else if constexpr (std::is_same_v<T, channel_created> ||
                           std::is_same_v<T, channel_updated>) {
        index_channel(s, d.value);
        s.changed.config = true;
      } else if constexpr (std::is_same_v<T, team_created> ||
                           std::is_same_v<T, team_updated>) {
        bool changed = s.teams[d.value.id].distribution != d.value.distribution;
        s.teams[d.value.id] = d.value;
        s.changed.config = true;
        if (changed) {
          rebuild_queue(s);
        }
      } else if constexpr (std::is_same_v<T, pause_type_created> ||
                           std::is_same_v<T, pause_type_updated>) {
        s.pause_types[d.value.id] = d.value;
        s.changed.config = true;
      } else if constexpr (std::is_same_v<T, portfolio_created> ||
                           std::is_same_v<T, portfolio_updated>) {
        index_portfolio(s, d.value);
        s.changed.config = true;
      } else if constexpr (std::is_same_v<T, template_created> ||
                           std::is_same_v<T, template_updated>) {
        s.templates[d.value.id] = d.value;
        s.changed.config = true;
      } else if constexpr (std::is_same_v<T, portfolio_deleted>) {
        if (auto it = s.portfolios.find(d.portfolio);
            it != s.portfolios.end()) {
          s.portfolio_by_code.erase(it->second.code);
          s.portfolios.erase(it);
          s.changed.config = true;
        }
      } else if constexpr (std::is_same_v<T, portfolio_contacts_changed>) {
        apply_membership(s, d);
      } else if constexpr (std::is_same_v<T, agent_status_changed> ||
                           std::is_same_v<T, agent_pause_started> ||
                           std::is_same_v<T, agent_pause_ended>) {
        apply_presence(s, e);
      } else if constexpr (std::is_same_v<T, agent_created> ||
                           std::is_same_v<T, agent_updated>) {
        s.agents[d.value.id] = d.value;
        s.changed.config = true;
      } else if constexpr (std::is_same_v<T, reason_created> ||
                           std::is_same_v<T, reason_updated>) {
        s.reasons[d.value.id] = d.value;
        s.changed.config = true;
      } else if constexpr (std::is_same_v<T, contact_created> ||
                           std::is_same_v<T, contact_updated>) {
        index_contact(s, d.value);
      } else if constexpr (std::is_same_v<T, subscription_created>) {
        // Delivered from its own creation on.
        s.subscriptions[d.value.id] = d.value;
        s.subscription_places[d.value.id] = {
          static_cast<std::int64_t>(e.seq), 0};
        s.changed.config = true;
      } else if constexpr (std::is_same_v<T, subscription_updated>) {
        s.subscriptions[d.value.id] = d.value;
        s.changed.config = true;
      } else if constexpr (std::is_same_v<T, subscription_deleted>) {
        s.subscriptions.erase(d.subscription);
        s.subscription_places.erase(d.subscription);
        s.changed.config = true;
      } else if constexpr (std::is_same_v<T, subscription_rewound>) {
        auto& place = s.subscription_places[d.subscription];
        place.position = d.position;
        ++place.rewinds;
        s.changed.config = true;
      } else if constexpr (std::is_same_v<T, subscription_delivered>) {
        // Not worth rewriting the configuration snapshot every second: a
        // restart may find an older position here, which only lets the
        // sender's next record (never behind the views') through.
        s.subscription_places[d.subscription].position = d.position;
      } else {
        apply_conversation(s, e);
      }
    },
    e.data);
}

void restore_contact(tenant_state& s, const contact& c) {
  index_contact(s, c);
}

void restore_conversation(tenant_state& s, const conversation_state& c) {
  conversation_summary sum;
  sum.contact = c.contact;
  sum.channel = c.channel;
  sum.team = c.team;
  sum.assignee = c.assignee;
  sum.finished = c.status == "finished";
  sum.portfolio = c.portfolio;
  sum.waiting_since = c.waiting_since;
  auto& stored = s.conversations[c.id] = std::move(sum);
  if (c.last_inbound_at != 0 || c.window_closed_at != 0) {
    auto& w = s.windows[conversation_open_key(c.contact, c.channel)];
    w.received(c.last_inbound_at);
    w.refused(c.window_closed_at);
  }
  for (const auto& [message, status] : c.outbound) {
    s.outbound[message] = c.id;
  }
  for (const auto& [message, provider] : c.provider_ids) {
    s.provider_ids[provider] = message;
  }
  if (c.status != "finished") {
    s.open_conversation[conversation_open_key(c.contact, c.channel)] = c.id;
    add_load(s, c.assignee, +1);
    set_held(s, c.id, stored, c.held);
    enqueue(s, c.id, stored);
  }
}

void restore_membership(tenant_state& s, const std::string& portfolio,
                        const std::string& contact) {
  s.contact_portfolios[contact].insert(portfolio);
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
          {"pause_types", map_json(s.pause_types)},
          {"portfolios", map_json(s.portfolios)},
          {"templates", map_json(s.templates)},
          {"subscriptions", map_json(s.subscriptions)},
          {"subscription_places", places_json(s.subscription_places)}};
}

nlohmann::json to_json(const agent_presence& p) {
  return {{"online", p.online},
          {"pause_type", p.pause_type},
          {"pause_since", p.pause_since},
          {"last_assigned_at", p.last_assigned_at}};
}

result<agent_presence> presence_from_json(const nlohmann::json& j) {
  try {
    agent_presence a;
    a.online = j.at("online").get<bool>();
    a.pause_type = j.at("pause_type").get<std::string>();
    a.pause_since = j.at("pause_since").get<timestamp>();
    a.last_assigned_at = j.at("last_assigned_at").get<timestamp>();
    return a;
  } catch (const nlohmann::json::exception& ex) {
    return fail(errc::internal,
                std::string{"corruption: presence snapshot: "} + ex.what());
  }
}

result<tenant_state> tenant_state_from_json(const nlohmann::json& j) {
  tenant_state s;
  if (!j.is_object() || !j.contains("exists") || !j.contains("info") ||
      (j.contains("next_seq") && !j.at("next_seq").is_number_unsigned())) {
    return fail(errc::internal, "corruption: tenant snapshot header");
  }
  s.exists = j.at("exists").get<bool>();
  auto info = atende::tenant_from_json(j.at("info"));
  if (!info) {
    return std::unexpected(info.error());
  }
  s.info = *info;
  if (j.contains("next_seq")) { // the previous form
    s.next_seq = j.at("next_seq").get<std::uint64_t>();
  }
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
  // Pause types, portfolios and presence are absent from snapshots written
  // before they existed.
  if (j.contains("pause_types")) {
    if (auto r = read_map(j, "pause_types", s.pause_types,
                          pause_type_from_json);
        !r) {
      return std::unexpected(r.error());
    }
  }
  if (j.contains("portfolios")) {
    std::map<std::string, portfolio> portfolios;
    if (auto r = read_map(j, "portfolios", portfolios, portfolio_from_json);
        !r) {
      return std::unexpected(r.error());
    }
    for (const auto& [id, p] : portfolios) {
      index_portfolio(s, p);
    }
  }
  if (j.contains("templates")) {
    if (auto r = read_map(j, "templates", s.templates,
                          message_template_from_json);
        !r) {
      return std::unexpected(r.error());
    }
  }
  // Subscriptions are absent from snapshots written before they existed.
  if (j.contains("subscriptions")) {
    if (auto r = read_map(j, "subscriptions", s.subscriptions,
                          subscription_from_json);
        !r) {
      return std::unexpected(r.error());
    }
  }
  if (j.contains("subscription_places")) {
    if (auto r = read_places(j.at("subscription_places"),
                             s.subscription_places);
        !r) {
      return std::unexpected(r.error());
    }
  }
  if (auto r = read_presence(j, s); !r) {
    return std::unexpected(r.error());
  }
  return s;
}

bool window_open(const tenant_state& s, const std::string& contact,
                 const std::string& channel, timestamp at) {
  auto it = s.windows.find(conversation_open_key(contact, channel));
  return it != s.windows.end() && it->second.open_at(at);
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

int load_of(const tenant_state& s, const std::string& agent) {
  auto it = s.open_count.find(agent);
  return it == s.open_count.end() ? 0 : it->second;
}

bool has_room(const tenant_state& s, const agent& a, const std::string& team) {
  return load_of(s, a.id) < capacity_of(s, a, team);
}

bool in_team(const agent& a, const std::string& team) {
  return std::find(a.teams.begin(), a.teams.end(), team) != a.teams.end();
}

bool is_admin(const tenant_state& s, const std::string& actor) {
  auto id = agent_of(actor);
  auto a = s.agents.find(id);
  return a != s.agents.end() && a->second.role == agent_role::admin;
}

} // namespace atende

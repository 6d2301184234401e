// route: the tenant's decisions, one function per input type.
#include "actors/tenant.h"
#include "actors/detail/route_ctx.h"

#include "events/hours.h"
#include "events/json.h"
#include "events/phone.h"
#include "events/visibility.h"

namespace atende {

namespace {

using ctx = detail::route_ctx;
using detail::fresh_id;
using detail::find_channel;
using detail::contact_by_number;

/// ATENDE_TRY_VOID returns the error of a result<void> expression.
#define ATENDE_TRY_VOID(expr)                                                  \
  do {                                                                         \
    if (auto atende_r_ = (expr); !atende_r_) {                                 \
      return atende_r_;                                                        \
    }                                                                          \
  } while (false)

result<void> need_admin(const ctx& c) {
  if (!c.admin()) {
    return fail(errc::forbidden, "only an admin may change the configuration");
  }
  return {};
}

result<void> need_team(const tenant_state& s, const std::string& team,
                       const std::string& field) {
  if (!s.teams.contains(team)) {
    return fail(errc::unknown_reference, "no team '" + team + "'", field);
  }
  return {};
}

result<void> check_channel(const tenant_state& s, const channel& ch) {
  if (auto r = need_team(s, ch.default_team, "default_team"); !r) {
    return r;
  }
  if (!ch.phone_number_id.empty()) {
    auto it = s.channel_by_pnid.find(ch.phone_number_id);
    if (it != s.channel_by_pnid.end() && it->second != ch.id) {
      return fail(errc::already_exists,
                  "belongs to channel '" + it->second + "'",
                  "phone_number_id");
    }
  }
  return {};
}

result<void> check_agent_teams(const tenant_state& s,
                               const std::vector<std::string>& teams) {
  for (const auto& t : teams) {
    if (auto r = need_team(s, t, "teams"); !r) {
      return r;
    }
  }
  return {};
}

result<void> check_portfolio(const tenant_state& s, const portfolio& p) {
  if (!s.agents.contains(p.responsible)) {
    return fail(errc::unknown_reference, "no agent '" + p.responsible + "'",
                "responsible");
  }
  for (const auto& m : p.members) {
    if (!s.agents.contains(m)) {
      return fail(errc::unknown_reference, "no agent '" + m + "'", "members");
    }
  }
  if (!p.code.empty()) {
    auto it = s.portfolio_by_code.find(p.code);
    if (it != s.portfolio_by_code.end() && it->second != p.id) {
      return fail(errc::already_exists,
                  "code belongs to portfolio '" + it->second + "'", "code");
    }
  }
  return {};
}

/// The configuration records the tenant decides itself, by type: where they
/// live, what they are called in errors, and their cross-entity checks.
const std::map<std::string, channel>& records_of(const tenant_state& s,
                                                 const channel*) {
  return s.channels;
}
const std::map<std::string, team>& records_of(const tenant_state& s,
                                              const team*) {
  return s.teams;
}
const std::map<std::string, reason>& records_of(const tenant_state& s,
                                                const reason*) {
  return s.reasons;
}
const std::map<std::string, pause_type>& records_of(const tenant_state& s,
                                                    const pause_type*) {
  return s.pause_types;
}
const std::map<std::string, portfolio>& records_of(const tenant_state& s,
                                                   const portfolio*) {
  return s.portfolios;
}
const std::map<std::string, message_template>&
records_of(const tenant_state& s, const message_template*) {
  return s.templates;
}
const std::map<std::string, subscription>& records_of(const tenant_state& s,
                                                      const subscription*) {
  return s.subscriptions;
}

/// tenant_record: the records above (contacts and agents have actors).
template <class T>
constexpr bool tenant_record =
  std::is_same_v<T, channel> || std::is_same_v<T, team> ||
  std::is_same_v<T, reason> || std::is_same_v<T, pause_type> ||
  std::is_same_v<T, portfolio> || std::is_same_v<T, message_template> ||
  std::is_same_v<T, subscription>;

template <class C>
struct record_of_command;
template <class T>
struct record_of_command<create<T>> {
  using type = T;
};
template <class T>
struct record_of_command<patch<T>> {
  using type = T;
};

std::string noun_of(const channel*) { return "channel"; }
std::string noun_of(const team*) { return "team"; }
std::string noun_of(const reason*) { return "reason"; }
std::string noun_of(const pause_type*) { return "pause type"; }
std::string noun_of(const portfolio*) { return "portfolio"; }
std::string noun_of(const message_template*) { return "template"; }
std::string noun_of(const subscription*) { return "subscription"; }

result<void> check_record(const tenant_state& s, const channel& x) {
  return check_channel(s, x);
}
result<void> check_record(const tenant_state& s, const portfolio& x) {
  return check_portfolio(s, x);
}
/// A template belongs to an existing channel, and (channel, name, language)
/// names one template: that is how sends and Meta's status updates find it.
result<void> check_record(const tenant_state& s, const message_template& x) {
  if (!s.channels.contains(x.channel)) {
    return fail(errc::unknown_reference, "no channel '" + x.channel + "'",
                "channel");
  }
  for (const auto& [id, t] : s.templates) {
    if (id != x.id && t.channel == x.channel && t.name == x.name &&
        t.language == x.language) {
      return fail(errc::already_exists,
                  "template '" + id + "' has this channel, name and language",
                  "name");
    }
  }
  return {};
}
template <class T>
result<void> check_record(const tenant_state&, const T&) {
  return {};
}

/// create_record / patch_record: a configuration record created or changed
/// whole, as one saved<T> event; a patch that changes nothing records none.
template <class T>
result<void> create_record(ctx& c, const T& value) {
  const T* tag = nullptr;
  if (records_of(c.s, tag).contains(value.id)) {
    return fail(errc::already_exists, noun_of(tag) + " exists", "id");
  }
  ATENDE_TRY_VOID(check_record(c.s, value));
  c.p.events.push_back(saved<T, 0>{value});
  return {};
}

template <class T>
result<void> patch_record(ctx& c, const patch<T>& d) {
  const T* tag = nullptr;
  const auto& records = records_of(c.s, tag);
  auto it = records.find(d.id);
  if (it == records.end()) {
    return fail(errc::not_found, "no " + noun_of(tag) + " '" + d.id + "'");
  }
  auto merged = merge_patch<T>(it->second, d.fields);
  if (!merged) {
    return std::unexpected(merged.error());
  }
  ATENDE_TRY_VOID(check_record(c.s, *merged));
  if (*merged != it->second) {
    c.p.events.push_back(saved<T, 1>{std::move(*merged)});
  }
  return {};
}

/// check_login: `login` is free in the tenant (an agent may keep its own).
result<void> check_login(const tenant_state& s, const std::string& login,
                         const std::string& agent_id) {
  if (login.empty()) {
    return {};
  }
  for (const auto& [id, a] : s.agents) {
    if (id != agent_id && a.login == login) {
      return fail(errc::already_exists,
                  "login '" + login + "' belongs to another agent", "login");
    }
  }
  return {};
}

/// own_password_change: an agent's patch of its own record that changes only
/// its password (POST /v1/agents/me/password), which needs no admin.
bool own_password_change(const ctx& c) {
  const auto* p = std::get_if<patch<agent>>(&c.in.data);
  return p != nullptr && p->id == c.caller() && p->fields.size() == 1 &&
         p->fields.contains("password_hash");
}

result<void> route_config(ctx& c) {
  if (!own_password_change(c)) {
    if (auto r = need_admin(c); !r) {
      return r;
    }
  }
  const auto& s = c.s;
  return std::visit(
    [&](const auto& d) -> result<void> {
      using T = std::decay_t<decltype(d)>;
      if constexpr (std::is_same_v<T, create<agent>>) {
        if (s.agents.contains(d.value.id)) {
          return fail(errc::already_exists, "agent exists", "id");
        }
        ATENDE_TRY_VOID(check_agent_teams(s, d.value.teams));
        ATENDE_TRY_VOID(check_login(s, d.value.login, d.value.id));
        c.p.events.push_back(agent_created{d.value});
      } else if constexpr (std::is_same_v<T, patch<agent>>) {
        if (!s.agents.contains(d.id)) {
          return fail(errc::not_found, "no agent '" + d.id + "'");
        }
        if (d.fields.contains("teams")) {
          auto teams = d.fields.at("teams").template get<std::vector<std::string>>();
          ATENDE_TRY_VOID(check_agent_teams(s, teams));
        }
        if (auto l = d.fields.find("login");
            l != d.fields.end() && l->is_string()) {
          ATENDE_TRY_VOID(
            check_login(s, l->template get<std::string>(), d.id));
        }
        c.p.step = entity_step{entity_kind::agent, d.id,
                               agent_command{agent_patch_cmd{d.fields}}};
      } else if constexpr (std::is_same_v<T, portfolio_delete>) {
        if (!s.portfolios.contains(d.portfolio)) {
          return fail(errc::not_found, "no portfolio '" + d.portfolio + "'");
        }
        c.p.step = entity_step{entity_kind::portfolio, d.portfolio,
                               portfolio_command{portfolio_delete_cmd{}}};
      } else if constexpr (std::is_same_v<T, subscription_delete>) {
        if (!s.subscriptions.contains(d.subscription)) {
          return fail(errc::not_found,
                      "no subscription '" + d.subscription + "'");
        }
        c.p.events.push_back(subscription_deleted{d.subscription});
      } else if constexpr (std::is_same_v<T, subscription_redeliver>) {
        if (!s.subscriptions.contains(d.subscription)) {
          return fail(errc::not_found,
                      "no subscription '" + d.subscription + "'");
        }
        // The tenant's next event is the first that could be asked for.
        const auto next = static_cast<std::int64_t>(s.next_seq);
        if (d.from_seq > next) {
          return fail(errc::invalid_value,
                      "is past the tenant's last event (" +
                        std::to_string(next - 1) + ")",
                      "from_seq");
        }
        c.p.events.push_back(
          subscription_rewound{d.subscription, d.from_seq - 1});
      } else if constexpr (requires { typename record_of_command<T>::type; }) {
        using R = typename record_of_command<T>::type;
        if constexpr (tenant_record<R> && std::is_same_v<T, create<R>>) {
          return create_record(c, d.value);
        } else if constexpr (tenant_record<R>) {
          return patch_record(c, d);
        }
      }
      return {};
    },
    c.in.data);
}

/// route_subscription_progress: the sender's record of how far a
/// subscription's receiver accepted. Progress from before the latest rewind
/// (another epoch), or not past what is recorded, records nothing.
result<void> route_subscription_progress(const tenant_state& s,
                                         const std::string& actor,
                                         const subscription_progress& p,
                                         plan& out) {
  if (actor != "rule:subscriptions") {
    return fail(errc::forbidden,
                "only the subscriptions' sender records their progress");
  }
  if (!s.subscriptions.contains(p.subscription)) {
    return fail(errc::not_found, "no subscription '" + p.subscription + "'");
  }
  subscription_place place;
  if (auto it = s.subscription_places.find(p.subscription);
      it != s.subscription_places.end()) {
    place = it->second;
  }
  if (p.epoch == place.rewinds && p.position > place.position &&
      p.position < static_cast<std::int64_t>(s.next_seq)) {
    out.events.push_back(subscription_delivered{p.subscription, p.position});
  }
  return {};
}

result<void> check_phone_free(const tenant_state& s, const std::string& phone,
                              const std::string& id) {
  auto it = s.contact_by_key.find(phone_key(phone));
  if (it != s.contact_by_key.end() && it->second != id) {
    return fail(errc::already_exists,
                "number belongs to contact '" + it->second + "'", "phone");
  }
  return {};
}

result<void> check_portfolios_exist(const tenant_state& s,
                                    const std::vector<std::string>& ids) {
  for (const auto& p : ids) {
    if (!s.portfolios.contains(p)) {
      return fail(errc::unknown_reference, "no portfolio '" + p + "'",
                  "portfolios");
    }
  }
  return {};
}

/// set_portfolios decides the membership events that put contact `k` in
/// exactly `wanted` portfolios. A contact's portfolios live in portfolio
/// events, never in the contact record.
void set_portfolios(ctx& c, const std::string& k,
                    const std::vector<std::string>& wanted) {
  std::set<std::string> want(wanted.begin(), wanted.end());
  std::set<std::string> have;
  if (auto it = c.s.contact_portfolios.find(k);
      it != c.s.contact_portfolios.end()) {
    have = it->second;
  }
  for (const auto& p : want) {
    if (!have.contains(p)) {
      c.p.events.push_back(portfolio_contacts_changed{p, {k}, {}});
    }
  }
  for (const auto& p : have) {
    if (!want.contains(p)) {
      c.p.events.push_back(portfolio_contacts_changed{p, {}, {k}});
    }
  }
}

result<void> route_contact(ctx& c) {
  const auto& s = c.s;
  if (auto* cr = std::get_if<create<contact>>(&c.in.data)) {
    if (s.contact_phone.contains(cr->value.id)) {
      return fail(errc::already_exists, "contact exists", "id");
    }
    if (auto r = check_phone_free(s, cr->value.phone, cr->value.id); !r) {
      return r;
    }
    if (auto r = check_portfolios_exist(s, cr->value.portfolios); !r) {
      return r;
    }
    contact k = cr->value;
    k.portfolios.clear();
    c.p.events.push_back(contact_created{k});
    set_portfolios(c, k.id, cr->value.portfolios);
    return {};
  }
  if (auto* pa = std::get_if<patch<contact>>(&c.in.data)) {
    if (!s.contact_phone.contains(pa->id)) {
      return fail(errc::not_found, "no contact '" + pa->id + "'");
    }
    if (pa->fields.contains("phone")) {
      auto phone = pa->fields.at("phone").get<std::string>();
      if (auto r = check_phone_free(s, phone, pa->id); !r) {
        return r;
      }
    }
    auto fields = pa->fields;
    if (auto it = fields.find("portfolios"); it != fields.end()) {
      auto wanted = it->is_null() ? std::vector<std::string>{}
                                  : it->get<std::vector<std::string>>();
      if (auto r = check_portfolios_exist(s, wanted); !r) {
        return r;
      }
      set_portfolios(c, pa->id, wanted);
      fields.erase(it);
    }
    if (!fields.empty()) {
      c.p.step = entity_step{entity_kind::contact, pa->id,
                             contact_command{contact_patch_cmd{fields}}};
    }
    return {};
  }
  const auto& up = std::get<contact_upsert_in>(c.in.data);
  auto it = s.contact_by_key.find(phone_key(up.phone));
  if (it != s.contact_by_key.end()) {
    c.p.step = entity_step{entity_kind::contact, it->second,
                           contact_command{contact_upsert_cmd{up}}};
    return {};
  }
  contact k;
  k.id = fresh_id('k', c.next_seq(), s.contact_phone);
  k.phone = up.phone;
  k.name = up.name.value_or(up.phone);
  k.tags = up.tags.value_or(std::vector<std::string>{});
  k.stage = up.stage.value_or("");
  k.departments = up.departments.value_or(std::vector<std::string>{});
  c.p.events.push_back(contact_created{std::move(k)});
  return {};
}

result<void> route_message_received(ctx& c) {
  const auto& s = c.s;
  const auto& m = std::get<message_received_in>(c.in.data);
  auto ch = find_channel(s, m.channel);
  if (!ch) {
    return std::unexpected(ch.error());
  }
  auto contact_id = contact_by_number(c, m.from, m.name);
  std::string conv;
  if (auto it = s.open_conversation.find(conversation_open_key(contact_id, *ch));
      it != s.open_conversation.end()) {
    conv = it->second;
  } else {
    conv = fresh_id('c', c.next_seq(), s.conversations);
    c.p.events.push_back(conversation_opened{
      conv, contact_id, *ch, s.channels.at(*ch).default_team, "inbound"});
  }
  c.p.conversation = conv;
  message_received ev{conv,   "m" + std::to_string(c.next_seq()),
                      m.message_id, m.kind, m.text, m.media_url, c.in.id,
                      m.content};
  c.p.step = entity_step{entity_kind::conversation, conv,
                         conversation_command{receive_cmd{std::move(ev)}}};
  return {};
}

/// contact_for_route: the contact a chatbot flow names, by id or by phone;
/// a new phone number creates the contact.
result<std::string> contact_for_route(ctx& c, const std::string& ref) {
  const auto& s = c.s;
  if (s.contact_phone.contains(ref)) {
    return ref;
  }
  auto phone = normalize_phone(ref, "data.contact");
  if (!phone) {
    return fail(errc::unknown_reference,
                "no contact '" + ref + "' (an id or a phone number)",
                "data.contact");
  }
  return contact_by_number(c, *phone, "");
}

result<void> route_conversation_route(ctx& c) {
  const auto& s = c.s;
  const auto& r = std::get<conversation_route_in>(c.in.data);
  auto ch = find_channel(s, r.channel);
  if (!ch) {
    return std::unexpected(ch.error());
  }
  if (!r.team.empty() && !s.teams.contains(r.team)) {
    return fail(errc::unknown_reference, "no team '" + r.team + "'",
                "data.team");
  }
  std::string portfolio_id;
  if (!r.portfolio_code.empty()) {
    auto p = s.portfolio_by_code.find(r.portfolio_code);
    if (p == s.portfolio_by_code.end()) {
      return fail(errc::unknown_reference,
                  "no portfolio with code '" + r.portfolio_code + "'",
                  "data.portfolio_code");
    }
    portfolio_id = p->second;
  }
  auto contact_id = contact_for_route(c, r.contact);
  if (!contact_id) {
    return std::unexpected(contact_id.error());
  }
  std::string conv;
  std::string team = r.team;
  if (auto it = s.open_conversation.find(conversation_open_key(*contact_id, *ch));
      it != s.open_conversation.end()) {
    conv = it->second;
    if (team.empty()) {
      team = s.conversations.at(conv).team;
    }
  } else {
    conv = fresh_id('c', c.next_seq(), s.conversations);
    if (team.empty()) {
      team = s.channels.at(*ch).default_team;
    }
    c.p.events.push_back(
      conversation_opened{conv, *contact_id, *ch, team, "route"});
  }
  c.p.conversation = conv;
  c.p.step = entity_step{entity_kind::conversation, conv,
                         conversation_command{route_cmd{team, portfolio_id}}};
  return {};
}

result<void> route_portfolio_contacts(ctx& c) {
  const auto& s = c.s;
  const auto& pc = std::get<portfolio_contacts>(c.in.data);
  auto p = s.portfolios.find(pc.portfolio);
  if (p == s.portfolios.end()) {
    return fail(errc::not_found, "no portfolio '" + pc.portfolio + "'");
  }
  if (!c.admin() && !owns_portfolio(p->second, c.caller())) {
    return fail(errc::forbidden,
                "only an admin or an owner may change a portfolio's contacts");
  }
  for (const auto* list : {&pc.add, &pc.remove}) {
    for (const auto& k : *list) {
      if (!s.contact_phone.contains(k)) {
        return fail(errc::unknown_reference, "no contact '" + k + "'",
                    list == &pc.add ? "add" : "remove");
      }
    }
  }
  c.p.step = entity_step{
    entity_kind::portfolio, pc.portfolio,
    portfolio_command{portfolio_contacts_cmd{pc.add, pc.remove}}};
  return {};
}

/// route_session records a sign-in or sign-out of the calling agent; the
/// gateway checked the password (or the session's token) first.
result<void> route_session(ctx& c) {
  auto me = c.caller();
  if (me.empty()) {
    return fail(errc::forbidden, "only an agent has sessions");
  }
  if (auto* st = std::get_if<session_start>(&c.in.data)) {
    c.p.events.push_back(
      agent_session_started{me, st->token_hash, st->expires_at});
    return {};
  }
  const auto& end = std::get<session_end>(c.in.data);
  c.p.events.push_back(agent_session_ended{me, end.token_hash});
  return {};
}

result<void> route_agent(ctx& c) {
  const auto& s = c.s;
  auto me = c.caller();
  if (me.empty()) {
    return fail(errc::forbidden, "only an agent has a status");
  }
  if (auto* st = std::get_if<agent_set_status>(&c.in.data)) {
    c.p.step = entity_step{entity_kind::agent, me,
                           agent_command{agent_status_cmd{st->status}}};
    return {};
  }
  if (auto* pa = std::get_if<agent_pause>(&c.in.data)) {
    auto t = s.pause_types.find(pa->type);
    if (t == s.pause_types.end()) {
      return fail(errc::unknown_reference, "no pause type '" + pa->type + "'",
                  "type");
    }
    if (!t->second.allowed_from.empty()) {
      auto from = parse_clock(t->second.allowed_from);
      auto local = local_clock_at(c.in.at, s.info.timezone);
      if (from && local && local->minute < *from) {
        return fail(errc::pause_not_allowed_yet,
                    "'" + t->second.name + "' may start from " +
                      t->second.allowed_from + " (" + s.info.timezone + ")",
                    "type");
      }
    }
    c.p.step = entity_step{entity_kind::agent, me,
                           agent_command{agent_pause_cmd{pa->type}}};
    return {};
  }
  int max_minutes = 0;
  if (auto pr = s.presence.find(me); pr != s.presence.end()) {
    if (auto t = s.pause_types.find(pr->second.pause_type);
        t != s.pause_types.end()) {
      max_minutes = t->second.max_minutes;
    }
  }
  c.p.step = entity_step{entity_kind::agent, me,
                         agent_command{agent_resume_cmd{max_minutes, c.in.at}}};
  return {};
}

} // namespace

result<plan> route(const tenant_state& s, const input& in) {
  ctx c{s, in, {}};
  if (auto* tc = std::get_if<tenant_create>(&in.data)) {
    if (in.actor != "root") {
      return fail(errc::forbidden, "only the root token may create tenants");
    }
    if (tc->tenant.id != in.tenant) {
      return fail(errc::invalid_value,
                  "names tenant '" + tc->tenant.id + "' in an input of '" +
                    in.tenant + "'",
                  "data.tenant.id");
    }
    if (s.exists) {
      return fail(errc::already_exists, "tenant exists", "id");
    }
    c.p.events.push_back(tenant_created{tc->tenant, tc->admin});
    return std::move(c.p);
  }
  if (!s.exists) {
    return fail(errc::not_found, "no tenant '" + in.tenant + "'");
  }
  if (std::holds_alternative<tenant_tick>(in.data)) {
    return std::move(c.p); // time passes: distribution looks at held ones
  }
  if (const auto* p = std::get_if<subscription_progress>(&in.data)) {
    if (auto r = route_subscription_progress(s, in.actor, *p, c.p); !r) {
      return std::unexpected(r.error());
    }
    return std::move(c.p);
  }
  if (!in.is_envelope() && in.actor != "root" &&
      !s.agents.contains(agent_of(in.actor))) {
    return fail(errc::unauthorized, "unknown agent");
  }
  result<void> r = std::visit(
    [&c](const auto& d) -> result<void> {
      using T = std::decay_t<decltype(d)>;
      if constexpr (std::is_same_v<T, message_received_in>) {
        return route_message_received(c);
      } else if constexpr (std::is_same_v<T, contact_upsert_in> ||
                           std::is_same_v<T, create<contact>> ||
                           std::is_same_v<T, patch<contact>>) {
        return route_contact(c);
      } else if constexpr (std::is_same_v<T, conversation_route_in>) {
        return route_conversation_route(c);
      } else if constexpr (std::is_same_v<T, message_status_in> ||
                           std::is_same_v<T, template_status_in> ||
                           std::is_same_v<T, message_media_in> ||
                           std::is_same_v<T, automation_message_in> ||
                           std::is_same_v<T, conversation_start>) {
        return detail::route_messages(c);
      } else if constexpr (std::is_same_v<T, tenant_create>) {
        return fail(errc::already_exists, "tenant exists", "id");
      } else if constexpr (std::is_same_v<T, conversation_assign> ||
                           std::is_same_v<T, conversation_send> ||
                           std::is_same_v<T, conversation_transfer> ||
                           std::is_same_v<T, conversation_finish> ||
                           std::is_same_v<T, conversation_automate> ||
                           std::is_same_v<T, conversation_note>) {
        return detail::route_conversation(c);
      } else if constexpr (std::is_same_v<T, portfolio_contacts>) {
        return route_portfolio_contacts(c);
      } else if constexpr (std::is_same_v<T, agent_set_status> ||
                           std::is_same_v<T, agent_pause> ||
                           std::is_same_v<T, agent_resume>) {
        return route_agent(c);
      } else if constexpr (std::is_same_v<T, session_start> ||
                           std::is_same_v<T, session_end>) {
        return route_session(c);
      } else {
        return route_config(c);
      }
    },
    in.data);
  if (!r) {
    return std::unexpected(r.error());
  }
  return std::move(c.p);
}

} // namespace atende

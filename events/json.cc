#include "events/json.h"

#include <cctype>

#include <initializer_list>

#include "events/detail/records.h"
#include "events/hours.h"
#include "events/live.h"
#include "events/phone.h"
#include "events/templates.h"

namespace atende {

namespace detail {

namespace {

result<void> one_of(const std::string& v,
                    std::initializer_list<std::string_view> allowed,
                    std::string_view prefix, std::string_view key) {
  std::string listed;
  for (auto a : allowed) {
    if (v == a) {
      return {};
    }
    listed += listed.empty() ? "" : ", ";
    listed += a;
  }
  return fail(errc::invalid_value, "must be one of " + listed,
              join_path(prefix, key));
}

result<void> non_empty(const std::string& v, std::string_view prefix,
                       std::string_view key) {
  if (v.empty()) {
    return fail(errc::invalid_value, "must not be empty",
                join_path(prefix, key));
  }
  return {};
}

result<void> at_least_one(int v, std::string_view prefix,
                          std::string_view key) {
  if (v < 1) {
    return fail(errc::invalid_value, "must be at least 1",
                join_path(prefix, key));
  }
  return {};
}

} // namespace

result<void> check_value(const channel& x, std::string_view key,
                         std::string_view prefix) {
  if (key == "name") {
    return non_empty(x.name, prefix, key);
  }
  return {};
}

result<void> check_value(const team& x, std::string_view key,
                         std::string_view prefix) {
  if (key == "name") {
    return non_empty(x.name, prefix, key);
  }
  if (key == "max_per_agent") {
    return at_least_one(x.max_per_agent, prefix, key);
  }
  return {};
}

result<void> check_value(const agent& x, std::string_view key,
                         std::string_view prefix) {
  if (key == "name") {
    return non_empty(x.name, prefix, key);
  }
  if (key == "max_concurrent" && x.max_concurrent) {
    return at_least_one(*x.max_concurrent, prefix, key);
  }
  if (key == "token_hash") {
    return non_empty(x.token_hash, prefix, key);
  }
  if (key == "login" && !x.login.empty() && !is_valid_login(x.login)) {
    return fail(errc::invalid_value,
                "must be 1 to 128 letters, digits or . _ @ + -",
                join_path(prefix, key));
  }
  return {};
}

result<void> check_value(const reason& x, std::string_view key,
                         std::string_view prefix) {
  if (key == "name") {
    return non_empty(x.name, prefix, key);
  }
  return {};
}

result<void> check_value(const contact& x, std::string_view key,
                         std::string_view prefix) {
  if (key == "name") {
    return non_empty(x.name, prefix, key);
  }
  if (key == "phone") {
    auto p = normalize_phone(x.phone, join_path(prefix, key));
    if (!p) {
      return std::unexpected(std::move(p.error()));
    }
  }
  return {};
}

result<void> check_value(const pause_type& x, std::string_view key,
                         std::string_view prefix) {
  if (key == "name") {
    return non_empty(x.name, prefix, key);
  }
  if (key == "max_minutes") {
    return at_least_one(x.max_minutes, prefix, key);
  }
  if (key == "allowed_from" && !x.allowed_from.empty() &&
      !parse_clock(x.allowed_from)) {
    return fail(errc::invalid_value, "must be a time of day HH:MM",
                join_path(prefix, key));
  }
  return {};
}

result<void> check_value(const portfolio& x, std::string_view key,
                         std::string_view prefix) {
  if (key == "name") {
    return non_empty(x.name, prefix, key);
  }
  if (key == "code" && !x.code.empty() && !is_valid_id(x.code)) {
    return fail(errc::invalid_value, "must match [A-Za-z0-9._:-]{1,128}",
                join_path(prefix, key));
  }
  if (key == "responsible") {
    return non_empty(x.responsible, prefix, key);
  }
  if (key == "hours") {
    return check_hours(x.hours, join_path(prefix, key));
  }
  return {};
}

result<void> check_value(const message_template& x, std::string_view key,
                         std::string_view prefix) {
  if (key == "channel" || key == "name" || key == "language") {
    const auto& v = key == "channel" ? x.channel
                    : key == "name"  ? x.name
                                     : x.language;
    return non_empty(v, prefix, key);
  }
  if (key == "status") {
    return one_of(x.status,
                  {"approved", "pending", "rejected", "paused", "disabled"},
                  prefix, key);
  }
  if (key == "body") {
    if (auto n = placeholder_count(x.body); !n) {
      return fail(errc::invalid_value, n.error().message,
                  join_path(prefix, key));
    }
  }
  return {};
}

/// A subscription's url is http or https with a host, at most 2048 bytes,
/// without spaces or a fragment; where it points is the gateway's check
/// (gateways/destination.h). Its events are known patterns (events/live.h).
result<void> check_value(const subscription& x, std::string_view key,
                         std::string_view prefix) {
  if (key == "url") {
    const auto& u = x.url;
    const auto scheme = u.starts_with("https://") ? 8U
                        : u.starts_with("http://") ? 7U
                                                   : 0U;
    if (scheme == 0 || u.size() == scheme || u[scheme] == '/' ||
        u.size() > 2048 ||
        u.find_first_of(" \t\r\n#") != std::string::npos) {
      return fail(errc::invalid_value,
                  "must be an http:// or https:// URL with a host, at most "
                  "2048 bytes, without spaces or #",
                  join_path(prefix, key));
    }
  }
  if (key == "events") {
    if (x.events.empty()) {
      return fail(errc::invalid_value, "must name at least one event type",
                  join_path(prefix, key));
    }
    for (const auto& p : x.events) {
      if (!is_valid_pattern(p)) {
        return fail(errc::invalid_value,
                    "'" + p + "' is not a type or family a subscription "
                    "receives (conversation.updated, conversation.removed, "
                    "message.created, message.updated, agent.updated, "
                    "conversation.*, message.*, agent.*, *)",
                    join_path(prefix, key));
      }
    }
  }
  if (key == "secret") {
    return non_empty(x.secret, prefix, key);
  }
  return {};
}

result<void> check_value(const tenant_info& x, std::string_view key,
                         std::string_view prefix) {
  if (key == "name") {
    return non_empty(x.name, prefix, key);
  }
  if (key == "timezone") {
    return non_empty(x.timezone, prefix, key);
  }
  return {};
}

} // namespace detail

void to_json(nlohmann::json& j, const channel& x) {
  j = detail::render(x);
}

void to_json(nlohmann::json& j, const team& x) {
  j = detail::render(x);
}

void to_json(nlohmann::json& j, const agent& x) {
  j = detail::render(x);
}

void to_json(nlohmann::json& j, const reason& x) {
  j = detail::render(x);
}

void to_json(nlohmann::json& j, const contact& x) {
  j = detail::render(x);
}

void to_json(nlohmann::json& j, const tenant_info& x) {
  j = detail::render(x);
}

void to_json(nlohmann::json& j, const pause_type& x) {
  j = detail::render(x);
}

void to_json(nlohmann::json& j, const portfolio& x) {
  j = detail::render(x);
}

result<channel> channel_from_json(const nlohmann::json& j) {
  return detail::read_record<channel>(j, "", detail::form::stored);
}

result<team> team_from_json(const nlohmann::json& j) {
  return detail::read_record<team>(j, "", detail::form::stored);
}

result<agent> agent_from_json(const nlohmann::json& j) {
  return detail::read_record<agent>(j, "", detail::form::stored);
}

result<reason> reason_from_json(const nlohmann::json& j) {
  return detail::read_record<reason>(j, "", detail::form::stored);
}

result<contact> contact_from_json(const nlohmann::json& j) {
  return detail::read_record<contact>(j, "", detail::form::stored);
}

result<tenant_info> tenant_from_json(const nlohmann::json& j) {
  return detail::read_record<tenant_info>(j, "", detail::form::stored);
}

result<pause_type> pause_type_from_json(const nlohmann::json& j) {
  return detail::read_record<pause_type>(j, "", detail::form::stored);
}

result<portfolio> portfolio_from_json(const nlohmann::json& j) {
  return detail::read_record<portfolio>(j, "", detail::form::stored);
}

void to_json(nlohmann::json& j, const message_template& x) {
  j = detail::render(x);
}

result<message_template> message_template_from_json(const nlohmann::json& j) {
  return detail::read_record<message_template>(j, "", detail::form::stored);
}

void to_json(nlohmann::json& j, const subscription& x) {
  j = detail::render(x);
}

result<subscription> subscription_from_json(const nlohmann::json& j) {
  return detail::read_record<subscription>(j, "", detail::form::stored);
}

nlohmann::json public_subscription(const subscription& s) {
  nlohmann::json j = detail::render(s);
  j.erase("secret");
  return j;
}

bool is_valid_login(std::string_view login) {
  if (login.empty() || login.size() > 128) {
    return false;
  }
  for (unsigned char ch : login) {
    if (!std::isalnum(ch) && ch != '.' && ch != '_' && ch != '@' &&
        ch != '+' && ch != '-') {
      return false;
    }
  }
  return true;
}

nlohmann::json public_channel(const channel& c) {
  nlohmann::json j = detail::render(c);
  j.erase("access_token");
  j.erase("app_secret");
  j["has_access_token"] = !c.access_token.empty();
  j["has_app_secret"] = !c.app_secret.empty();
  j["mark_read"] = c.mark_read;
  return j;
}

nlohmann::json public_agent(const agent& a) {
  nlohmann::json j = detail::render(a);
  j.erase("token_hash");
  j.erase("password_hash");
  if (!j.contains("login")) {
    j["login"] = nullptr;
  }
  j["has_password"] = !a.password_hash.empty();
  return j;
}

template <class T>
result<void> check_patch(const nlohmann::json& fields) {
  return detail::check_fields<T>(fields, "");
}

template <class T>
result<T> merge_patch(T x, const nlohmann::json& fields) {
  ATENDE_TRY(check_patch<T>(fields));
  for (const auto& [key, value] : fields.items()) {
    const auto* f = detail::find_field<T>(key);
    ATENDE_TRY(detail::read_field(*f, detail::nl_view{value}, {"", key}, x));
  }
  for (const auto& [key, value] : fields.items()) {
    ATENDE_TRY(detail::check_value(x, key, ""));
  }
  return x;
}

template result<void> check_patch<channel>(const nlohmann::json&);
template result<void> check_patch<team>(const nlohmann::json&);
template result<void> check_patch<agent>(const nlohmann::json&);
template result<void> check_patch<reason>(const nlohmann::json&);
template result<void> check_patch<contact>(const nlohmann::json&);

template result<channel> merge_patch<channel>(channel, const nlohmann::json&);
template result<team> merge_patch<team>(team, const nlohmann::json&);
template result<agent> merge_patch<agent>(agent, const nlohmann::json&);
template result<reason> merge_patch<reason>(reason, const nlohmann::json&);
template result<contact> merge_patch<contact>(contact, const nlohmann::json&);
template result<void> check_patch<pause_type>(const nlohmann::json&);
template result<void> check_patch<portfolio>(const nlohmann::json&);
template result<pause_type> merge_patch<pause_type>(pause_type,
                                                    const nlohmann::json&);
template result<portfolio> merge_patch<portfolio>(portfolio,
                                                  const nlohmann::json&);
template result<void> check_patch<message_template>(const nlohmann::json&);
template result<void> check_patch<subscription>(const nlohmann::json&);
template result<subscription> merge_patch<subscription>(subscription,
                                                        const nlohmann::json&);
template result<message_template>
merge_patch<message_template>(message_template, const nlohmann::json&);

} // namespace atende

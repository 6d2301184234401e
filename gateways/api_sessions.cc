// Sign-in (CONTRACT section 3, "Sign-in (people)"): a person signs in with
// tenant, login and password and gets a session token that works like the
// agent's own token until it expires or is ended; an agent changes its own
// password. Passwords are checked here (crypto.h scrypt); the engine records
// only the session token's hash (agent.session_started / _ended), so that a
// session survives a restart and a replay shows every sign-in.
#include "events/json.h"
#include "events/time.h"
#include "gateways/api.h"
#include "gateways/crypto.h"
#include "gateways/http_errors.h"

namespace atende {

namespace {

/// session_ms: how long a session lasts (a working day and some).
constexpr timestamp session_ms = 12 * 60 * 60 * 1000;

/// dummy_hash: checked when the login is unknown, so that an unknown login
/// takes as long to refuse as a wrong password.
const std::string& dummy_hash() {
  static const std::string h = password_hash("no such login").value_or("");
  return h;
}

result<std::string> required_string(const nlohmann::json& body,
                                    const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    return fail(errc::malformed, "is required", key);
  }
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    return fail(errc::malformed, "must be a non-empty string", key);
  }
  return it->get<std::string>();
}

void refuse_throttled(const call& c, const error& e, std::int64_t seconds) {
  auto r = error_response(e);
  r.retry_after = std::to_string(seconds);
  c.ex->reply(std::move(r));
}

/// create_session: POST /v1/sessions `{tenant, login, password}` (no token).
void create_session(const call& c) {
  auto body = json_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  auto tenant = required_string(*body, "tenant");
  auto login = tenant ? required_string(*body, "login") : tenant;
  auto password = login ? required_string(*body, "password") : login;
  if (!password) {
    return c.reply_error(password.error());
  }
  auto now = now_ms();
  auto key = *tenant + '\n' + *login;
  auto& throttle = c.api->throttle;
  if (auto ok = throttle.check(key, now); !ok) {
    return refuse_throttled(c, ok.error(),
                            throttle.retry_after_seconds(key, now));
  }
  auto a = c.api->view.agent_by_login(*tenant, *login);
  bool known = a && !a->password_hash.empty();
  bool matches = password_matches(*password, known ? a->password_hash
                                                    : dummy_hash());
  if (!known || !matches) {
    throttle.failed(key, now);
    return c.reply_error(make_error(errc::bad_credentials,
                                    "wrong tenant, login or password"));
  }
  throttle.succeeded(key);
  auto token = agent_token(*tenant);
  if (!token) {
    return c.reply_error(token.error());
  }
  call as = c;
  as.who = principal{.tenant = *tenant,
                     .agent = a->id,
                     .admin = a->role == agent_role::admin,
                     .root = false,
                     .session = {}};
  auto expires = format_time(now + session_ms);
  auto in = make_command(as, "session.start",
                         {{"token_hash", sha256_hex(*token)},
                          {"expires_at", expires}});
  if (!in) {
    return c.reply_error(in.error());
  }
  nlohmann::json reply = {
    {"token", *token},
    {"agent", {{"id", a->id}, {"name", a->name}, {"role", a->role}}},
    {"expires_at", expires}};
  submit_one(as, std::move(*in), [reply](const call& c, const outcome&) {
    c.reply(201, reply);
  });
}

/// end_session: DELETE /v1/sessions/current, with the session's token.
void end_session(const call& c) {
  if (c.who.session.empty()) {
    return c.reply_error(make_error(
      errc::conflict, "this token is the agent's API token, not a sign-in "
                      "session: there is no session to end"));
  }
  auto in = make_command(c, "session.end", {{"token_hash", c.who.session}});
  if (!in) {
    return c.reply_error(in.error());
  }
  submit_one(c, std::move(*in),
             [](const call& c, const outcome&) { c.reply_no_content(); });
}

/// change_password: POST /v1/agents/me/password `{current, new}`.
void change_password(const call& c) {
  auto body = json_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  auto current = required_string(*body, "current");
  auto next = current ? required_string(*body, "new") : current;
  if (!next) {
    return c.reply_error(next.error());
  }
  auto me = c.api->view.find_agent(c.who.tenant, c.who.agent);
  if (!me) {
    return c.reply_error(make_error(errc::not_found, "no such agent"));
  }
  if (me->password_hash.empty()) {
    return c.reply_error(make_error(
      errc::conflict, "no password is set yet: an admin sets the first one "
                      "(PATCH /v1/agents/{id} with password)"));
  }
  auto now = now_ms();
  auto key = c.who.tenant + "\n#" + c.who.agent;
  auto& throttle = c.api->throttle;
  if (auto ok = throttle.check(key, now); !ok) {
    return refuse_throttled(c, ok.error(),
                            throttle.retry_after_seconds(key, now));
  }
  if (!password_matches(*current, me->password_hash)) {
    throttle.failed(key, now);
    return c.reply_error(make_error(errc::invalid_value,
                                    "is not the current password", "current"));
  }
  throttle.succeeded(key);
  nlohmann::json fields = {{"password", *next}};
  if (auto ok = hash_password_field(fields, "new"); !ok) {
    return c.reply_error(ok.error());
  }
  auto in = make_command(c, "agent.patch",
                         {{"id", c.who.agent}, {"fields", std::move(fields)}});
  if (!in) {
    return c.reply_error(in.error());
  }
  submit_one(c, std::move(*in),
             [](const call& c, const outcome&) { c.reply_no_content(); });
}

} // namespace

std::size_t password_length(std::string_view password) {
  std::size_t n = 0;
  for (unsigned char ch : password) {
    n += (ch & 0xC0) != 0x80 ? 1 : 0; // count UTF-8 code points
  }
  return n;
}

result<void> hash_password_field(nlohmann::json& fields,
                                 const char* field_name) {
  if (fields.contains("password_hash")) {
    return fail(errc::malformed, "unknown field", "password_hash");
  }
  auto it = fields.find("password");
  if (it == fields.end()) {
    return {};
  }
  if (!it->is_string()) {
    return fail(errc::malformed, "must be a string", field_name);
  }
  const auto& text = it->get_ref<const std::string&>();
  if (password_length(text) < min_password_length) {
    return fail(errc::invalid_value,
                "must be at least " + std::to_string(min_password_length) +
                  " characters",
                field_name);
  }
  auto hash = password_hash(text);
  if (!hash) {
    return std::unexpected(hash.error());
  }
  fields.erase(it);
  fields["password_hash"] = std::move(*hash);
  return {};
}

std::vector<route> session_routes() {
  return {
    {"POST", "/v1/sessions", access::anyone, &create_session},
    {"DELETE", "/v1/sessions/current", access::agent, &end_session},
    {"POST", "/v1/agents/me/password", access::agent, &change_password},
  };
}

} // namespace atende

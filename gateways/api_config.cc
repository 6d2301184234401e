// The configuration resources (CONTRACT section 3, "Tenants" and
// "Configuration"): tenants for the root token; channels, teams, agents,
// reasons, pause types and message templates for the tenant's admins. Any
// agent may read them: agents choose the template of a send.
#include "events/event.h"
#include "events/hours.h"
#include "gateways/api.h"
#include "gateways/api_records.h"
#include "gateways/crypto.h"
#include "gateways/secrets.h"
#include "gateways/whatsapp_io.h"

namespace atende {

void add_channel_health(const call& c, nlohmann::json& x) {
  if (x.value("kind", "") != "whatsapp") {
    return;
  }
  const auto id = x.value("id", "");
  nlohmann::json h = c.api->number_errors.of(c.who.tenant, id);
  const auto* w = c.api->options.whatsapp;
  if (w != nullptr && x.value("has_access_token", false)) {
    h.update(w->health(c.who.tenant, id));
  }
  x["health"] = std::move(h);
}

result<void> seal_channel_secrets(const call& c, nlohmann::json& body) {
  for (const char* key : {"access_token", "app_secret"}) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) {
      continue;
    }
    if (!it->is_string()) {
      return fail(errc::malformed, "must be a string", key);
    }
    const auto& plain = it->get_ref<const std::string&>();
    if (plain.empty()) {
      continue; // "" removes it
    }
    if (plain.size() > 4096) {
      return fail(errc::invalid_value, "is longer than 4096 bytes", key);
    }
    if (c.api->options.secrets == nullptr) {
      return fail(errc::unsupported, "this server keeps no secrets", key);
    }
    auto sealed = c.api->options.secrets->seal(plain);
    if (!sealed) {
      return std::unexpected(sealed.error());
    }
    *it = std::move(*sealed);
  }
  return {};
}

namespace {

/// first_admin builds the tenant's first agent from the optional `admin`
/// object of the body: id "admin" and name "Administrator" unless given.
result<nlohmann::json> first_admin(const nlohmann::json& body,
                                   const std::string& token_hash) {
  nlohmann::json admin = {{"id", "admin"},
                          {"name", "Administrator"},
                          {"role", "admin"},
                          {"teams", nlohmann::json::array()},
                          {"token_hash", token_hash}};
  auto it = body.find("admin");
  if (it == body.end() || it->is_null()) {
    return admin;
  }
  if (!it->is_object()) {
    return fail(errc::malformed, "must be an object", "admin");
  }
  for (const char* key : {"id", "name"}) {
    auto v = optional_string(*it, key);
    if (!v) {
      return fail(errc::malformed, "must be a string",
                  std::string{"admin."} + key);
    }
    if (!v->empty()) {
      admin[key] = *v;
    }
  }
  return admin;
}

/// check_timezone: an IANA zone known to the time zone database (tzdata),
/// e.g. "America/Sao_Paulo"; paths and `localtime` are refused by
/// zone_exists.
result<void> check_timezone(const nlohmann::json& body) {
  auto it = body.find("timezone");
  if (it == body.end() || it->is_null()) {
    return {};
  }
  if (!it->is_string()) {
    return fail(errc::malformed, "must be a string", "timezone");
  }
  const auto& tz = it->get_ref<const std::string&>();
  if (!zone_exists(tz)) {
    return fail(errc::invalid_value,
                "'" + tz + "' is not an IANA time zone (e.g. America/Sao_Paulo)",
                "timezone");
  }
  return {};
}

void reply_tenant(const call& c, const outcome& o, const std::string& token) {
  const auto* ev = find_event<tenant_created>(o);
  if (ev == nullptr) {
    c.reply_error(make_error(errc::internal, "the tenant was not created"));
    return;
  }
  c.reply(201, {{"id", ev->tenant.id},
                {"name", ev->tenant.name},
                {"timezone", ev->tenant.timezone},
                {"admin", {{"id", ev->admin.id}, {"token", token}}}});
}

/// create_tenant: POST /v1/tenants (root).
void create_tenant(const call& c) {
  auto body = json_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  if (auto tz = check_timezone(*body); !tz) {
    return c.reply_error(tz.error());
  }
  auto id = client_id(*body, "t_");
  // A generated id is drawn until it falls on a partition this instance
  // serves (always, single-node), so that the reply comes from here.
  for (int tries = 0; id && !body->contains("id") && tries < 256 &&
                      c.api->engine.locate(*id).at !=
                        engine_port::placement::where::here;
       ++tries) {
    id = client_id(*body, "t_");
  }
  if (id && c.api->engine.locate(*id).at != engine_port::placement::where::here) {
    return c.reply_error(make_error(errc::unavailable,
                                    "this instance serves no partition now; "
                                    "retry"));
  }
  auto token = id ? agent_token(*id) : random_token();
  if (!id || !token) {
    return c.reply_error(!id ? id.error() : token.error());
  }
  auto admin = first_admin(*body, sha256_hex(*token));
  if (!admin) {
    return c.reply_error(admin.error());
  }
  nlohmann::json tenant = *body;
  tenant.erase("admin");
  tenant["id"] = *id;
  nlohmann::json data = {{"tenant", std::move(tenant)},
                         {"admin", std::move(*admin)}};
  auto in = make_command(c, "tenant.create", std::move(data), *id);
  if (!in) {
    return c.reply_error(in.error());
  }
  submit_one(c, std::move(*in),
             [token = *token](const call& c, const outcome& o) {
               reply_tenant(c, o, token);
             });
}

} // namespace

std::vector<route> config_routes() {
  std::vector<route> out = {
      {"POST", "/v1/tenants", access::root, &create_tenant}};
  auto add = [&out](std::vector<route> more) {
    out.insert(out.end(), more.begin(), more.end());
  };
  add(record_routes<channel>("/v1/channels", "/v1/channels/{id}",
                             access::admin));
  add(record_routes<team>("/v1/teams", "/v1/teams/{id}", access::admin));
  add(record_routes<agent>("/v1/agents", "/v1/agents/{id}", access::admin));
  add(record_routes<reason>("/v1/reasons", "/v1/reasons/{id}", access::admin));
  add(record_routes<pause_type>("/v1/pause-types", "/v1/pause-types/{id}",
                                access::admin));
  // The engine checks a template's channel and that (channel, name,
  // language) names one template; decode_input its body's placeholders.
  add(record_routes<message_template>("/v1/templates", "/v1/templates/{id}",
                                      access::admin));
  return out;
}

} // namespace atende

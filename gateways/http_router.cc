#include "gateways/http_router.h"

#include <algorithm>
#include <cctype>
#include <exception>

#include "events/time.h"
#include "gateways/console_files.h"
#include "gateways/crypto.h"
#include "gateways/http_errors.h"

namespace atende {

namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{}
                                           : path.substr(slash);
  }
  return out;
}

/// matches tells whether path segments `p` fit the pattern's `want`.
bool matches(const std::vector<std::string_view>& want,
             const std::vector<std::string_view>& p) {
  if (want.size() != p.size()) {
    return false;
  }
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (!want[i].starts_with('{') && want[i] != p[i]) {
      return false;
    }
  }
  return true;
}

/// captures returns the segments of `p` where `want` has an `{id}`.
std::vector<std::string> captures(const std::vector<std::string_view>& want,
                                  const std::vector<std::string_view>& p) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i].starts_with('{')) {
      out.emplace_back(p[i]);
    }
  }
  return out;
}

} // namespace

std::string bearer_token(std::string_view header) {
  constexpr std::string_view scheme = "bearer ";
  if (header.size() <= scheme.size()) {
    return {};
  }
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i]) {
      return {};
    }
  }
  auto token = header.substr(scheme.size());
  while (!token.empty() && token.front() == ' ') {
    token.remove_prefix(1);
  }
  while (!token.empty() && token.back() == ' ') {
    token.remove_suffix(1);
  }
  return std::string{token};
}

namespace {

/// stream_credentials: a browser's EventSource sets no headers, so GET
/// /v1/stream takes the token as `?access_token=` and the position as
/// `?last_event_id=`; the headers win when both are given.
void stream_credentials(http_request& req) {
  if (auto t = req.query.find("access_token");
      t != req.query.end() && req.authorization.empty()) {
    req.authorization = "Bearer " + t->second;
  }
  if (auto id = req.query.find("last_event_id");
      id != req.query.end() && req.last_event_id.empty()) {
    req.last_event_id = id->second;
  }
}

result<void> allowed(const principal& who, access a) {
  if (a == access::root) {
    if (!who.root) {
      return fail(errc::forbidden, "only the root token may manage tenants");
    }
    return {};
  }
  if (who.root) {
    return fail(errc::forbidden, "the root token may only manage tenants");
  }
  if (a == access::admin && !who.admin) {
    return fail(errc::forbidden, "needs an admin's token");
  }
  return {};
}

/// is_api: the paths of the API; every other GET is a file of the console.
bool is_api(std::string_view path) {
  return path == "/v1" || path.starts_with("/v1/") || path == "/healthz" ||
         path == "/metrics";
}

/// console_response answers GET `path` with a file of the console.
http_response console_response(const console_files* files,
                               std::string_view path) {
  if (files == nullptr) {
    return error_response(make_error(
      errc::not_found, "the web console is not installed: build it with "
                       "scripts/build-console.sh, or set console.dir"));
  }
  const auto* f = files->find(path);
  if (f == nullptr) {
    return error_response(
      make_error(errc::not_found, "no such file: " + std::string{path}));
  }
  http_response r;
  r.content_type = f->content_type;
  r.cache_control = f->cache_control;
  r.body = f->body;
  return r;
}

/// reply_405 answers a known path asked with the wrong method.
void reply_405(exchange& ex, const std::string& allow) {
  const auto& req = ex.request();
  nlohmann::json body = {{"error",
                          {{"code", "method_not_allowed"},
                           {"message", req.method + " is not allowed on " +
                                           req.path + "; allowed: " + allow}}}};
  auto r = json_response(405, body);
  r.allow = allow;
  ex.reply(std::move(r));
}

} // namespace

http_router::route_table http_router::make_table() {
  route_table t;
  for (auto group :
       {system_routes(), agent_routes(), session_routes(), config_routes(),
        contact_routes(), conversation_routes(), portfolio_routes(),
        event_routes(), outbound_routes(), webhook_routes(), media_routes(),
        stream_routes(), subscription_routes()}) {
    t.routes.insert(t.routes.end(), group.begin(), group.end());
  }
  for (const auto& r : t.routes) {
    t.segments.push_back(segments(r.pattern));
    auto it = std::ranges::find(t.patterns, r.pattern);
    t.pattern_of.push_back(static_cast<std::size_t>(it - t.patterns.begin()));
    if (it == t.patterns.end()) {
      t.patterns.emplace_back(r.pattern);
    }
  }
  return t;
}

http_router::http_router(const http_options& options, engine_port& engine,
                         views& view, std::vector<const shard_probe*> probes)
    : options_(options), probes_(std::move(probes)), table_(make_table()),
      metrics_(table_.patterns), unrouted_(options_.unrouted_path),
      api_{options_, engine,    view,     metrics_,
           probes_,  throttle_, unrouted_, channel_errors_} {}

http_router::match http_router::find(const std::string& method,
                                     const std::string& path) const {
  match m;
  m.pattern = table_.patterns.size(); // unmatched
  auto p = segments(path);
  for (std::size_t i = 0; i < table_.routes.size(); ++i) {
    const auto& r = table_.routes[i];
    if (!matches(table_.segments[i], p)) {
      continue;
    }
    if (m.r == nullptr && m.allow.empty()) {
      m.pattern = table_.pattern_of[i];
    }
    if (r.method == method) {
      m.r = &r;
      m.pattern = table_.pattern_of[i];
      m.params = captures(table_.segments[i], p);
      return m;
    }
    if (m.allow.find(r.method) == std::string::npos) {
      m.allow += m.allow.empty() ? "" : ", ";
      m.allow += r.method;
    }
  }
  return m;
}

result<principal> http_router::authenticate(const http_request& req,
                                            access who) const {
  auto token = bearer_token(req.authorization);
  if (token.empty()) {
    return fail(errc::unauthorized, "missing bearer token in Authorization");
  }
  auto hash = sha256_hex(token);
  principal p;
  if (!options_.root_token_hash.empty() &&
      constant_time_equal(hash, options_.root_token_hash)) {
    p.root = true;
  } else if (auto agent = api_.view.authenticate(hash, now_ms())) {
    p = *agent;
  } else {
    return fail(errc::unauthorized, "unknown token");
  }
  if (auto ok = allowed(p, who); !ok) {
    return std::unexpected(ok.error());
  }
  return p;
}

namespace {

/// tenant_of_request: the tenant a request is about, known before any state
/// is read: the tenant part of an agent token, or the `id` of a tenant being
/// created. "" when the request is not about one tenant.
std::string tenant_of_request(const http_request& req) {
  auto token = bearer_token(req.authorization);
  if (auto t = token_tenant(token); !t.empty()) {
    return std::string{t};
  }
  if (req.method == "POST" &&
      (req.path == "/v1/tenants" || req.path == "/v1/sessions")) {
    const char* key = req.path == "/v1/tenants" ? "id" : "tenant";
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_object() && body.contains(key) && body[key].is_string()) {
      return body[key].get<std::string>();
    }
  }
  return {};
}

} // namespace

bool http_router::placed_elsewhere(const std::shared_ptr<exchange>& ex) {
  auto tenant = tenant_of_request(ex->request());
  if (tenant.empty()) {
    return false;
  }
  auto where = api_.engine.locate(tenant);
  using w = engine_port::placement::where;
  if (where.at == w::here) {
    return false;
  }
  if (where.at == w::unavailable) {
    ex->reply(error_response(make_error(
        errc::unavailable, "tenant '" + tenant + "' is moving between "
                           "instances; retry in a few seconds")));
    return true;
  }
  http_response r = json_response(
      307, {{"error",
             {{"code", "moved"},
              {"message", "tenant '" + tenant + "' is served by " + where.url},
              {"field", nullptr}}}});
  r.location = where.url + ex->request().target;
  ex->reply(std::move(r));
  return true;
}

void http_router::dispatch(const std::shared_ptr<exchange>& ex,
                           const match& m) {
  if (m.r == nullptr) {
    if (!m.allow.empty()) {
      reply_405(*ex, m.allow);
      return;
    }
    ex->reply(error_response(make_error(
        errc::not_found, "no such endpoint: " + ex->request().path)));
    return;
  }
  call c{&api_, ex, {}, m.params};
  // A sign-in names its tenant in the body: it is placed like the tenant's
  // other requests, though it carries no token.
  bool placed = m.r->who != access::anyone || m.r->pattern == "/v1/sessions";
  if (placed && placed_elsewhere(ex)) {
    return;
  }
  if (m.r->who != access::anyone) {
    auto who = authenticate(ex->request(), m.r->who);
    if (!who) {
      c.reply_error(who.error());
      return;
    }
    c.who = std::move(*who);
  }
  try {
    m.r->fn(c);
  } catch (const std::exception& e) {
    c.reply_error(make_error(errc::internal, e.what()));
  }
}

void http_router::handle(http_request req, exchange::reply_fn reply,
                         exchange::post_fn post) {
  auto target = parse_target(req.target);
  if (target) {
    req.path = std::move(target->path);
    req.query = std::move(target->query);
    if (req.path == "/v1/stream") {
      stream_credentials(req);
    }
  }
  auto m = target ? find(req.method, req.path) : match{};
  if (!target) {
    m.pattern = table_.patterns.size();
  }
  auto started = std::chrono::steady_clock::now();
  auto counted = [this, pattern = m.pattern, method = req.method, started,
                  reply = std::move(reply)](http_response r) {
    auto took = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    metrics_.observe(pattern, method, r.status, took);
    reply(std::move(r));
  };
  auto ex = std::make_shared<exchange>(std::move(req), std::move(counted),
                                       std::move(post));
  if (!target) {
    ex->reply(error_response(target.error()));
    return;
  }
  if (ex->request().method == "GET" && !is_api(ex->request().path)) {
    ex->reply(console_response(options_.console, ex->request().path));
    return;
  }
  dispatch(ex, m);
}

} // namespace atende

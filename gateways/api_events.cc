// Ingestion (CONTRACT section 3, "Ingestion"): POST /v1/events takes one
// connector envelope (section 4) or an array of them. The caller's token
// decides the tenant: an envelope naming another tenant is refused, one
// naming none is taken as the caller's.
#include "gateways/api.h"
#include "gateways/http_errors.h"

namespace atende {

namespace {

/// claim_check refuses an envelope that names another tenant, or an actor
/// the caller cannot speak for (`root`, another agent); a missing tenant is
/// the caller's.
result<void> claim_check(const call& c, nlohmann::json& j) {
  auto t = j.find("tenant");
  if (t == j.end() || t->is_null()) {
    j["tenant"] = c.who.tenant;
  } else if (t->is_string() && t->get<std::string>() != c.who.tenant) {
    return fail(errc::forbidden, "the token belongs to another tenant",
                "tenant");
  }
  auto a = j.find("actor");
  if (a == j.end() || !a->is_string()) {
    return {};
  }
  const auto& actor = a->get_ref<const std::string&>();
  if (actor == "root" ||
      (actor.starts_with("agent:") && actor != actor_of(c.who))) {
    return fail(errc::forbidden, "may not speak for " + actor, "actor");
  }
  return {};
}

/// envelope_of checks the claims of `j` and decodes it.
result<input> envelope_of(const call& c, nlohmann::json j) {
  if (j.is_object()) {
    if (auto ok = claim_check(c, j); !ok) {
      return std::unexpected(ok.error());
    }
  }
  return decode_input(j, input_scope::envelopes);
}

nlohmann::json id_of(const nlohmann::json& j) {
  if (j.is_object()) {
    if (auto it = j.find("id"); it != j.end() && it->is_string()) {
      return *it;
    }
  }
  return nullptr;
}

nlohmann::json result_json(const std::string& id, const outcome& o) {
  static constexpr const char* names[] = {"accepted", "duplicate", "rejected"};
  nlohmann::json r = {{"id", id}, {"status", names[static_cast<int>(o.st)]}};
  if (!o.conversation.empty()) {
    r["conversation"] = o.conversation;
  }
  if (o.st == outcome::status::rejected) {
    r["error"] = error_json(o.err);
  }
  return r;
}

/// reply_results answers 202 with `results`, where the entries still null
/// take the outcomes of the submitted inputs, in order.
void reply_results(const call& c, nlohmann::json results,
                   const std::vector<std::string>& ids,
                   const std::vector<outcome>& out) {
  std::size_t next = 0, accepted = 0, duplicates = 0;
  for (auto& r : results) {
    if (!r.is_null()) {
      continue;
    }
    const auto& o = out[next];
    r = result_json(ids[next], o);
    accepted += o.st == outcome::status::accepted ? 1 : 0;
    duplicates += o.st == outcome::status::duplicate ? 1 : 0;
    ++next;
  }
  c.reply(202, {{"accepted", accepted},
                {"duplicates", duplicates},
                {"results", std::move(results)}});
}

/// submit_all submits the decoded `inputs`; `results` holds the rejected
/// envelopes' entries and null where an input's outcome goes.
void submit_all(const call& c, std::vector<input> inputs,
                nlohmann::json results) {
  std::vector<std::string> ids;
  ids.reserve(inputs.size());
  for (const auto& in : inputs) {
    ids.push_back(in.id);
  }
  if (inputs.empty()) {
    return reply_results(c, std::move(results), ids, {});
  }
  submit(c, std::move(inputs),
         [ids = std::move(ids), results = std::move(results)](
             const call& c, std::vector<outcome> out) mutable {
           reply_results(c, std::move(results), ids, out);
         });
}

void post_one(const call& c, nlohmann::json j) {
  auto in = envelope_of(c, std::move(j));
  if (!in) {
    return c.reply_error(in.error());
  }
  std::vector<input> inputs;
  inputs.push_back(std::move(*in));
  submit_all(c, std::move(inputs), nlohmann::json::array({nullptr}));
}

void post_many(const call& c, nlohmann::json arr) {
  if (arr.size() > c.api->options.max_envelopes) {
    return c.reply_error(
        make_error(errc::too_large,
                   "at most " + std::to_string(c.api->options.max_envelopes) +
                       " envelopes per request"));
  }
  std::vector<input> inputs;
  auto results = nlohmann::json::array();
  for (auto& j : arr) {
    auto id = id_of(j);
    auto in = envelope_of(c, std::move(j));
    if (!in) {
      results.push_back({{"id", std::move(id)},
                         {"status", "rejected"},
                         {"error", error_json(in.error())}});
      continue;
    }
    inputs.push_back(std::move(*in));
    results.push_back(nullptr);
  }
  submit_all(c, std::move(inputs), std::move(results));
}

void post_events(const call& c) {
  auto body = json_body(c, true);
  if (!body) {
    return c.reply_error(body.error());
  }
  if (body->is_array()) {
    return post_many(c, std::move(*body));
  }
  post_one(c, std::move(*body));
}

} // namespace

std::vector<route> event_routes() {
  return {{"POST", "/v1/events", access::agent, &post_events}};
}

} // namespace atende

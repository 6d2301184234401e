// WhatsApp Cloud API webhook (CONTRACT "WhatsApp Cloud API"):
//   GET  /v1/webhooks/whatsapp            Meta's verification handshake
//   POST /v1/webhooks/whatsapp            Meta's payloads, signed
//   GET  /v1/webhooks/whatsapp/unrouted   what could not be applied (root)
//
// A POST is checked (X-Hub-Signature-256 over the raw body, under the app
// secret of the channel each part is about, else `whatsapp.app_secret`),
// mapped to connector envelopes
// (whatsapp_webhook.h), and each envelope goes to the tenant whose channel
// has its phone_number_id. What cannot be applied is kept in the unrouted
// log (unrouted_log.h) with its reason, so that nothing Meta sends is
// dropped in silence: a number no channel has, an item the engine refused
// (a status of a message atende does not know). Errors about a number
// (`value.errors[]`) are recorded on its channel (channel_errors.h). A
// template status update names the WhatsApp Business Account: it goes to
// each channel with that
// `waba_id` that has the template. The answer is 200 once every envelope is
// committed and the rest is written to the unrouted log; 401 (nothing
// recorded) for a bad signature; 400 naming the field for a body that is not
// Meta's format.
#include <algorithm>
#include <map>
#include <set>

#include "events/time.h"
#include "gateways/api.h"
#include "gateways/crypto.h"
#include "gateways/secrets.h"
#include "gateways/whatsapp_webhook.h"

namespace atende {

namespace {

/// handshake answers Meta's subscription check with its challenge.
void handshake(const call& c) {
  const auto& token = c.api->options.whatsapp_verify_token;
  if (query_param(c, "hub.mode") != "subscribe" || token.empty() ||
      !constant_time_equal(query_param(c, "hub.verify_token"), token)) {
    return c.reply_error(make_error(errc::forbidden,
                                    "does not match the configured verify token",
                                    "hub.verify_token"));
  }
  http_response r;
  r.content_type = "text/plain; charset=utf-8";
  r.body = query_param(c, "hub.challenge");
  c.ex->reply(std::move(r));
}

/// unrouted_item describes an item kept in the unrouted log.
nlohmann::json unrouted_item(const webhook_envelope& e, std::string reason) {
  return {{"id", e.envelope.value("id", "")},
          {"type", e.envelope.value("type", "")},
          {"phone_number_id", e.phone_number_id},
          {"waba_id", e.waba_id},
          {"reason", std::move(reason)}};
}

/// routed: the envelopes a payload applies, and the items it cannot.
struct routed {
  std::vector<input> inputs;
  std::vector<const webhook_envelope*> sources; // of inputs, in order
  nlohmann::json unrouted = nlohmann::json::array();
  std::size_t channel_errors = 0; // value.errors[] recorded on channels
};

/// route_template gives a template update of a WhatsApp Business Account
/// to each channel of that account that has the template, one input per
/// channel (the envelope id is whatsapp_envelope_id of the update's id, "/"
/// and the channel id, so that two channels of one tenant are not
/// duplicates of each other), or says why none.
result<std::vector<input>> route_template(const call& c,
                                          const webhook_envelope& e) {
  const auto& data = e.envelope["data"];
  const auto name = data.value("name", "");
  const auto language = data.value("language", "");
  auto owners = c.api->view.template_channels(e.waba_id, name, language);
  if (owners.empty()) {
    return fail(errc::unknown_reference,
                "no channel of WhatsApp Business Account '" + e.waba_id +
                  "' has template '" + name + "' (" + language + ")",
                "waba_id");
  }
  std::vector<input> out;
  for (const auto& [tenant, channel] : owners) {
    auto j = e.envelope;
    j["id"] = whatsapp_envelope_id(j.value("id", "") + "/" + channel);
    j["tenant"] = tenant;
    j["data"]["channel"] = channel;
    auto in = decode_input(j, input_scope::envelopes);
    if (!in) {
      return std::unexpected(in.error());
    }
    out.push_back(std::move(*in));
  }
  return out;
}

/// route_envelope gives `e` its tenant and decodes it, or says why not.
result<std::vector<input>> route_envelope(const call& c,
                                          const webhook_envelope& e) {
  auto j = e.envelope;
  const auto type = j.value("type", "");
  if (type == "template.status") {
    return route_template(c, e);
  }
  auto owner = c.api->view.channel_owner(e.phone_number_id);
  if (!owner) {
    return fail(errc::unknown_reference,
                "no channel has phone_number_id '" + e.phone_number_id + "'",
                "phone_number_id");
  }
  j["tenant"] = owner->first;
  auto& data = j["data"];
  data["channel"] = owner->second;
  // A status names the message by Meta's id (provider_message_id): the
  // engine knows it from the message's "accepted" report.
  auto in = decode_input(j, input_scope::envelopes);
  if (!in) {
    return std::unexpected(in.error());
  }
  return std::vector<input>{std::move(*in)};
}

routed route_all(const call& c, const webhook_batch& batch) {
  routed out;
  for (const auto& e : batch.envelopes) {
    auto ins = route_envelope(c, e);
    if (!ins) {
      out.unrouted.push_back(unrouted_item(e, ins.error().message));
      continue;
    }
    for (auto& in : *ins) {
      out.inputs.push_back(std::move(in));
      out.sources.push_back(&e);
    }
  }
  for (const auto& err : batch.errors) {
    if (auto owner = c.api->view.channel_owner(err.phone_number_id)) {
      c.api->number_errors.add(owner->first, owner->second, err.error,
                                err.at.empty() ? format_time(now_ms())
                                               : err.at);
      ++out.channel_errors;
      continue;
    }
    out.unrouted.push_back({{"type", "channel.error"},
                            {"phone_number_id", err.phone_number_id},
                            {"waba_id", err.waba_id},
                            {"error", err.error},
                            {"reason", "no channel has phone_number_id '" +
                                         err.phone_number_id + "'"}});
  }
  return out;
}

/// finish writes the unrouted items, if any, and answers 200 with what was
/// applied.
void finish(const call& c, nlohmann::json unrouted, std::size_t applied) {
  const auto kept = unrouted.size();
  if (kept > 0) {
    auto payload = nlohmann::json::parse(c.request().body, nullptr, false);
    auto r = c.api->unrouted.append(format_time(now_ms()), std::move(unrouted),
                                    std::move(payload));
    if (!r) {
      return c.reply_error(r.error()); // Meta retries: nothing is lost
    }
  }
  c.reply(200, {{"applied", applied}, {"unrouted", kept}});
}

using owners = std::vector<std::pair<std::string, std::string>>;

/// app_secret_of is the app secret a payload about channels `of` is signed
/// with: the first one's own, else the global one.
std::string app_secret_of(const call& c, const owners& of) {
  const auto* keys = c.api->options.secrets;
  for (const auto& [tenant, id] : of) {
    auto ch = c.api->view.channel_record(tenant, id);
    if (ch && !ch->app_secret.empty() && keys != nullptr) {
      if (auto plain = keys->open(ch->app_secret)) {
        return *plain;
      }
    }
  }
  return c.api->options.whatsapp_app_secret;
}

/// signed_by_owners: every number the payload is about (its messages,
/// statuses and errors) signed it, each with its channel's app secret (else
/// the global one); a template update, with that of a channel that has the
/// template. A payload that does not map is checked against the global
/// secret alone.
bool signed_by_owners(const call& c, const result<webhook_batch>& batch) {
  const auto& req = c.request();
  const auto& global = c.api->options.whatsapp_app_secret;
  if (!batch) {
    return whatsapp_signature_valid(req.hub_signature, req.body, global);
  }
  std::map<std::string, std::string> by_number; // opened once per number
  const auto number_secret = [&](const std::string& pnid) {
    auto [it, fresh] = by_number.try_emplace(pnid);
    if (fresh) {
      owners of;
      if (auto o = c.api->view.channel_owner(pnid)) {
        of.push_back(*o);
      }
      it->second = app_secret_of(c, of);
    }
    return it->second;
  };
  std::set<std::string> secrets;
  for (const auto& e : batch->envelopes) {
    if (!e.phone_number_id.empty()) {
      secrets.insert(number_secret(e.phone_number_id));
      continue;
    }
    const auto& d = e.envelope["data"];
    secrets.insert(app_secret_of(
      c, c.api->view.template_channels(e.waba_id, d.value("name", ""),
                                       d.value("language", ""))));
  }
  for (const auto& err : batch->errors) {
    secrets.insert(number_secret(err.phone_number_id));
  }
  if (secrets.empty()) {
    secrets.insert(global);
  }
  return std::all_of(secrets.begin(), secrets.end(), [&](const auto& s) {
    return whatsapp_signature_valid(req.hub_signature, req.body, s);
  });
}

void receive(const call& c) {
  const auto& req = c.request();
  auto batch = map_whatsapp_webhook(req.body);
  if (!signed_by_owners(c, batch)) {
    return c.reply_error(make_error(
      errc::unauthorized,
      req.hub_signature.empty()
        ? "missing: Meta signs each payload with the app secret"
        : "does not match the payload under the app secret",
      "X-Hub-Signature-256"));
  }
  if (!batch) {
    return c.reply_error(batch.error());
  }
  // The routed inputs point into the batch: both live until the reply.
  auto owned = std::make_shared<webhook_batch>(std::move(*batch));
  auto r = std::make_shared<routed>(route_all(c, *owned));
  if (r->inputs.empty()) {
    return finish(c, std::move(r->unrouted), r->channel_errors);
  }
  auto inputs = std::move(r->inputs);
  submit(c, std::move(inputs),
         [r, owned](const call& c, std::vector<outcome> out) {
           std::size_t applied = 0;
           for (std::size_t i = 0; i < out.size(); ++i) {
             if (out[i].st == outcome::status::rejected) {
               r->unrouted.push_back(
                 unrouted_item(*r->sources[i], out[i].err.message));
             } else {
               ++applied;
             }
           }
           finish(c, std::move(r->unrouted), applied + r->channel_errors);
         });
}

void unrouted(const call& c) {
  auto limit = parse_limit(c, 100, 1000);
  if (!limit) {
    return c.reply_error(limit.error());
  }
  auto items = c.api->unrouted.latest(*limit);
  if (!items) {
    return c.reply_error(items.error());
  }
  c.reply(200, {{"items", std::move(*items)}});
}

} // namespace

std::vector<route> webhook_routes() {
  return {
    {"GET", "/v1/webhooks/whatsapp", access::anyone, &handshake},
    {"POST", "/v1/webhooks/whatsapp", access::anyone, &receive},
    {"GET", "/v1/webhooks/whatsapp/unrouted", access::root, &unrouted},
  };
}

} // namespace atende

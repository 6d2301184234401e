// Subscriptions (CONTRACT "Live updates and subscriptions"): outbound
// webhooks for the tenant's admins — the records, their deletion, the
// delivery log and redelivery from a position. Deliveries themselves are
// gateways/subscription_sender.h's.
#include "events/event.h"
#include "gateways/api.h"
#include "gateways/api_records.h"
#include "gateways/crypto.h"
#include "gateways/destination.h"
#include "gateways/secrets.h"
#include "gateways/subscription_sender.h"

namespace atende {

result<std::string> prepare_subscription(const call& c, nlohmann::json& body,
                                         bool create) {
  if (auto u = body.find("url"); u != body.end() && u->is_string()) {
    if (auto ok = check_destination(u->get_ref<const std::string&>(),
                                    c.api->options.subscriptions_allow_private);
        !ok) {
      return std::unexpected(ok.error());
    }
  }
  std::string plain;
  auto s = body.find("secret");
  if (s == body.end() || s->is_null()) {
    if (!create) {
      return plain;
    }
    auto fresh = random_hex(32);
    if (!fresh) {
      return std::unexpected(fresh.error());
    }
    plain = "whsec_" + *fresh;
  } else if (!s->is_string()) {
    return fail(errc::malformed, "must be a string", "secret");
  } else {
    plain = s->get<std::string>();
    if (plain.size() < 16 || plain.size() > 256) {
      return fail(errc::invalid_value, "must be 16 to 256 bytes long",
                  "secret");
    }
  }
  if (c.api->options.secrets == nullptr) {
    return fail(errc::unsupported, "this server keeps no secrets", "secret");
  }
  auto sealed = c.api->options.secrets->seal(plain);
  if (!sealed) {
    return std::unexpected(sealed.error());
  }
  body["secret"] = std::move(*sealed);
  return create ? plain : std::string{};
}

void add_delivery_state(const call& c, nlohmann::json& x) {
  nlohmann::json state;
  if (const auto* io = c.api->options.subscriptions; io != nullptr) {
    io->of(c.who.tenant, [&](const subscription_sender& s) {
      state = s.state(c.who.tenant, x.value("id", ""));
    });
  }
  x["delivery"] = std::move(state);
}

namespace {

/// subscription_param is the {id} of the path; one that cannot be an id
/// names no subscription.
result<std::string> subscription_param(const call& c) {
  const auto& id = c.param(0);
  if (!is_valid_id(id)) {
    return fail(errc::not_found, "no subscription " + id);
  }
  return id;
}

/// delete_subscription: DELETE /v1/subscriptions/{id} → 204.
void delete_subscription(const call& c) {
  auto id = subscription_param(c);
  if (!id) {
    return c.reply_error(id.error());
  }
  auto in = make_command(c, "subscription.delete", {{"subscription", *id}});
  if (!in) {
    return c.reply_error(in.error());
  }
  submit_one(c, std::move(*in),
             [](const call& c, const outcome&) { c.reply_no_content(); });
}

/// list_deliveries: GET /v1/subscriptions/{id}/deliveries?limit= → {items:
/// the attempts, newest first, delivery: the sender's state}.
void list_deliveries(const call& c) {
  auto id = subscription_param(c);
  if (!id) {
    return c.reply_error(id.error());
  }
  auto limit = parse_limit(c, 100, 1000);
  if (!limit) {
    return c.reply_error(limit.error());
  }
  auto x = c.api->view.get(c.who, resource::subscriptions, *id);
  if (!x) {
    return c.reply_error(x.error());
  }
  std::vector<nlohmann::json> items;
  nlohmann::json state;
  if (const auto* io = c.api->options.subscriptions; io != nullptr) {
    io->of(c.who.tenant, [&](const subscription_sender& s) {
      items = s.deliveries(c.who.tenant, *id, *limit);
      state = s.state(c.who.tenant, *id);
    });
  }
  c.reply(200, {{"items", std::move(items)}, {"delivery", std::move(state)}});
}

/// redeliver: POST /v1/subscriptions/{id}/redeliver {from_seq} → 200 with
/// the subscription, its deliveries starting again at event from_seq.
void redeliver(const call& c) {
  auto id = subscription_param(c);
  if (!id) {
    return c.reply_error(id.error());
  }
  auto body = json_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  auto data = pick(*body, {"from_seq"});
  data["subscription"] = *id;
  auto in = make_command(c, "subscription.redeliver", std::move(data));
  if (!in) {
    return c.reply_error(in.error());
  }
  submit_one(c, std::move(*in), [id = *id](const call& c, const outcome& o) {
    reply_record<subscription, subscription_rewound>(c, o, id, 200);
  });
}

} // namespace

std::vector<route> subscription_routes() {
  auto out = record_routes<subscription>(
    "/v1/subscriptions", "/v1/subscriptions/{id}", access::admin,
    access::admin);
  out.push_back(
    {"DELETE", "/v1/subscriptions/{id}", access::admin, &delete_subscription});
  out.push_back({"GET", "/v1/subscriptions/{id}/deliveries", access::admin,
                 &list_deliveries});
  out.push_back({"POST", "/v1/subscriptions/{id}/redeliver", access::admin,
                 &redeliver});
  return out;
}

} // namespace atende

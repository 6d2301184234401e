// api_records: the create / patch / list / get handlers shared by the record
// resources (channels, teams, agents, reasons, contacts, pause types,
// portfolios, message templates), one template per verb over the record
// type. Included by
// api_config.cc, api_contacts.cc and api_portfolios.cc.
//
// A create fills in the id (the client's, checked, or a generated one),
// validates the body through decode_input and answers 201 with the record
// as the engine committed it (taken from the outcome's created event). A
// patch answers 200 with the record after the change. Agents are shown
// without their token hash; a created agent's reply carries its token, the
// only time the plaintext exists outside the client. Reads pass the wall
// clock to the views: the agents' board shows how long a pause has lasted.
//
// Thread-safety: as api.h.
#pragma once

#include <string_view>
#include <type_traits>

#include "events/event.h"
#include "events/json.h"
#include "events/time.h"
#include "gateways/api.h"
#include "gateways/crypto.h"

namespace atende {

template <class T>
struct record_traits;

template <>
struct record_traits<channel> {
  static constexpr std::string_view noun = "channel", prefix = "ch_";
  static constexpr resource list = resource::channels;
};
template <>
struct record_traits<team> {
  static constexpr std::string_view noun = "team", prefix = "tm_";
  static constexpr resource list = resource::teams;
};
template <>
struct record_traits<agent> {
  static constexpr std::string_view noun = "agent", prefix = "ag_";
  static constexpr resource list = resource::agents;
};
template <>
struct record_traits<reason> {
  static constexpr std::string_view noun = "reason", prefix = "rs_";
  static constexpr resource list = resource::reasons;
};
template <>
struct record_traits<contact> {
  static constexpr std::string_view noun = "contact", prefix = "ct_";
  static constexpr resource list = resource::contacts;
};
template <>
struct record_traits<pause_type> {
  static constexpr std::string_view noun = "pause_type", prefix = "pt_";
  static constexpr resource list = resource::pause_types;
};
template <>
struct record_traits<portfolio> {
  static constexpr std::string_view noun = "portfolio", prefix = "pf_";
  static constexpr resource list = resource::portfolios;
};
template <>
struct record_traits<message_template> {
  static constexpr std::string_view noun = "template", prefix = "tp_";
  static constexpr resource list = resource::templates;
};
template <>
struct record_traits<subscription> {
  static constexpr std::string_view noun = "subscription", prefix = "sb_";
  static constexpr resource list = resource::subscriptions;
};

/// record_json is the API form of a record (agents without token hash).
template <class T>
[[nodiscard]] nlohmann::json record_json(const T& x) {
  if constexpr (std::is_same_v<T, agent>) {
    return public_agent(x);
  } else if constexpr (std::is_same_v<T, channel>) {
    return public_channel(x);
  } else if constexpr (std::is_same_v<T, subscription>) {
    return public_subscription(x);
  } else {
    nlohmann::json j;
    to_json(j, x);
    return j;
  }
}

/// prepare_subscription checks where a subscription body's `url` points
/// (gateways/destination.h: forbidden_destination unless the server allows
/// private networks) and seals its `secret`; a create without one gets a
/// fresh one. Returns the plaintext secret of a create (shown once), "" for
/// a patch.
[[nodiscard]] result<std::string> prepare_subscription(const call& c,
                                                       nlohmann::json& body,
                                                       bool create);

/// add_delivery_state adds a subscription's `delivery` (its sender's
/// state, subscription_sender::state), null where no sender runs.
void add_delivery_state(const call& c, nlohmann::json& x);

/// reply_record answers with the record event E of `o`, or, when the outcome
/// holds none (a duplicate), with the record as the views have it. A
/// contact always comes from the views: its `portfolios` are memberships,
/// committed as portfolio events beside the record, which does not hold
/// them. So does a subscription, with where its deliveries stand.
template <class T, class E>
void reply_record(const call& c, const outcome& o, const std::string& id,
                  unsigned status, nlohmann::json extra = {}) {
  nlohmann::json body;
  constexpr bool from_views =
    std::is_same_v<T, contact> || std::is_same_v<T, subscription>;
  const auto* ev = from_views ? nullptr : find_event<E>(o);
  if constexpr (!from_views) {
    if (ev != nullptr) {
      body = record_json(ev->value);
    }
  }
  if (body.is_null()) {
    auto stored = c.api->view.get(c.who, record_traits<T>::list, id, now_ms());
    if (!stored) {
      c.reply_error(stored.error());
      return;
    }
    body = std::move(*stored);
  }
  if constexpr (std::is_same_v<T, subscription>) {
    add_delivery_state(c, body);
  }
  if (extra.is_object()) {
    body.update(extra);
  }
  c.reply(status, body);
}

/// check_number: Meta's phone_number_id of a channel belongs to one channel
/// of one tenant. The tenant's engine checks its own channels; this checks
/// the other tenants' (through the views, so two tenants claiming the same
/// new number at the very same moment are not caught here).
template <class T>
result<void> check_number(const call& c, const nlohmann::json& body) {
  if constexpr (std::is_same_v<T, channel>) {
    auto it = body.find("phone_number_id");
    if (it != body.end() && it->is_string() &&
        !it->get_ref<const std::string&>().empty()) {
      auto owner = c.api->view.channel_owner(it->get<std::string>());
      if (owner && owner->first != c.who.tenant) {
        return fail(errc::already_exists,
                    "belongs to a channel of another tenant",
                    "phone_number_id");
      }
    }
  }
  (void)c;
  (void)body;
  return {};
}

/// add_channel_health adds a WhatsApp channel's `health`: what Meta's
/// webhook said about the number, and the sender's record when atende sends
/// its messages.
void add_channel_health(const call& c, nlohmann::json& x);

/// seal_channel_secrets replaces a channel body's `access_token` and
/// `app_secret` by their sealed text (gateways/secrets.h) before the body
/// enters the log; errors name the field.
[[nodiscard]] result<void> seal_channel_secrets(const call& c,
                                                nlohmann::json& body);

/// create_record: POST /v1/<records>.
template <class T>
void create_record(const call& c) {
  auto body = json_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  auto id = client_id(*body, record_traits<T>::prefix);
  if (!id) {
    return c.reply_error(id.error());
  }
  (*body)["id"] = *id;
  if (auto n = check_number<T>(c, *body); !n) {
    return c.reply_error(n.error());
  }
  if constexpr (std::is_same_v<T, channel>) {
    if (auto ok = seal_channel_secrets(c, *body); !ok) {
      return c.reply_error(ok.error());
    }
  }
  nlohmann::json extra;
  if constexpr (std::is_same_v<T, subscription>) {
    auto secret = prepare_subscription(c, *body, true);
    if (!secret) {
      return c.reply_error(secret.error());
    }
    extra = {{"secret", *secret}};
  }
  if constexpr (std::is_same_v<T, agent>) {
    if (auto ok = hash_password_field(*body, "password"); !ok) {
      return c.reply_error(ok.error());
    }
    auto token = agent_token(c.who.tenant);
    if (!token) {
      return c.reply_error(token.error());
    }
    (*body)["token_hash"] = sha256_hex(*token);
    extra = {{"token", *token}};
  }
  auto type = std::string{record_traits<T>::noun} + ".create";
  auto in = make_command(c, std::move(type), std::move(*body));
  if (!in) {
    return c.reply_error(in.error());
  }
  submit_one(c, std::move(*in),
             [id = *id, extra](const call& c, const outcome& o) {
               reply_record<T, saved<T, 0>>(c, o, id, 201, extra);
             });
}

/// patch_record: PATCH /v1/<records>/{id}.
template <class T>
void patch_record(const call& c) {
  auto body = json_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  if constexpr (std::is_same_v<T, agent>) {
    if (auto ok = hash_password_field(*body, "password"); !ok) {
      return c.reply_error(ok.error());
    }
  }
  if (auto ok = check_patch<T>(*body); !ok) {
    return c.reply_error(ok.error());
  }
  if (auto n = check_number<T>(c, *body); !n) {
    return c.reply_error(n.error());
  }
  if constexpr (std::is_same_v<T, channel>) {
    if (auto ok = seal_channel_secrets(c, *body); !ok) {
      return c.reply_error(ok.error());
    }
  }
  if constexpr (std::is_same_v<T, subscription>) {
    if (auto ok = prepare_subscription(c, *body, false); !ok) {
      return c.reply_error(ok.error());
    }
  }
  auto type = std::string{record_traits<T>::noun} + ".patch";
  nlohmann::json data = {{"id", c.param(0)}, {"fields", std::move(*body)}};
  auto in = make_command(c, std::move(type), std::move(data));
  if (!in) {
    return c.reply_error(in.error());
  }
  submit_one(c, std::move(*in),
             [id = c.param(0)](const call& c, const outcome& o) {
               reply_record<T, saved<T, 1>>(c, o, id, 200);
             });
}

/// list_records: GET /v1/<records>?limit&cursor (contacts: &phone, &q, &tag).
template <class T>
void list_records(const call& c) {
  auto limit = parse_limit(c);
  if (!limit) {
    return c.reply_error(limit.error());
  }
  auto p = c.api->view.list(c.who, record_traits<T>::list, *limit,
                            query_param(c, "cursor"), query_param(c, "phone"),
                            query_param(c, "q"), query_param(c, "tag"),
                            now_ms());
  if (!p) {
    return c.reply_error(p.error());
  }
  if constexpr (std::is_same_v<T, subscription>) {
    for (auto& x : p->items) {
      add_delivery_state(c, x);
    }
  }
  c.reply(200, page_json(std::move(*p)));
}

/// get_record: GET /v1/<records>/{id}. A WhatsApp channel shows its
/// `health` (add_channel_health).
template <class T>
void get_record(const call& c) {
  auto x = c.api->view.get(c.who, record_traits<T>::list, c.param(0), now_ms());
  if (!x) {
    return c.reply_error(x.error());
  }
  if constexpr (std::is_same_v<T, channel>) {
    add_channel_health(c, *x);
  }
  if constexpr (std::is_same_v<T, subscription>) {
    add_delivery_state(c, *x);
  }
  c.reply(200, *x);
}

/// record_routes returns the four routes of a record resource at `base`
/// (`/v1/channels`) and `item` (`/v1/channels/{id}`); writes need `writer`,
/// reads `reader` (any agent of the tenant unless said).
template <class T>
[[nodiscard]] std::vector<route>
record_routes(std::string_view base, std::string_view item, access writer,
              access reader = access::agent) {
  return {{"GET", base, reader, &list_records<T>},
          {"POST", base, writer, &create_record<T>},
          {"GET", item, reader, &get_record<T>},
          {"PATCH", item, writer, &patch_record<T>}};
}

} // namespace atende

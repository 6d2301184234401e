// whatsapp_webhook: Meta's WhatsApp Cloud API webhook (the body of
// `POST /v1/webhooks/whatsapp`) mapped to connector envelopes (CONTRACT
// section 4), and the check of its `X-Hub-Signature-256` header.
//
// The mapping is pure: no clock, no tenant lookup, no I/O. The caller
// verifies the signature over the raw bytes first, routes each envelope to
// a tenant and channel by `phone_number_id` (by `waba_id` for a template
// update), sets `tenant` (and `data.channel` to its own channel id, if it
// does not key channels by phone_number_id) and submits.
//
// Payload (Meta's, abridged; timestamps are Unix seconds as strings):
//   {"object": "whatsapp_business_account",
//    "entry": [{"id": <WABA id>, "time"?: <Unix seconds>,
//               "changes": [{"field": "messages"
//                                      | "message_template_status_update" | …,
//                            "value": {…}}]}]}
//   field "messages": value = {"metadata": {"phone_number_id", …},
//     "contacts"?: [{"wa_id", "profile": {"name"}}],
//     "messages"?: […], "statuses"?: […], "errors"?: […]}
//   field "message_template_status_update": value = {"event",
//     "message_template_id"?, "message_template_name",
//     "message_template_language", "reason"?}
// Other fields are skipped. A required field that is missing, or a field
// it reads that has another JSON type, makes the whole body errc::malformed,
// naming its path (`entry[0].changes[1].value.messages[0].id`); fields it
// does not read are not looked at. Required: `object`, `entry`, entry.id,
// `changes`, change.field and .value (of the two fields above),
// metadata.phone_number_id; a message's id, from, timestamp, type and, per
// type, text.body, media id and mime_type, location latitude and longitude,
// interactive type and the reply's id and title, button payload and text,
// reaction.message_id, order catalog_id and product_items (each with
// product_retailer_id, quantity, item_price, currency), system.type; a
// status's id, status, timestamp; a template update's event, name,
// language and entry.time. Everything else may be missing.
//
// Envelopes (`id`, `type`, `at`, `data`; no `tenant`). `at` is the Meta
// timestamp in RFC 3339 (time.h). Keys marked ? are left out when Meta
// leaves them out. `channel` is the phone_number_id.
//
// Envelope ids: the key named below when it is a valid input id
// ([A-Za-z0-9._:-]{1,128}, events/model.h), else "wa:" + the SHA-256 hex of
// that key (wamids are base64 and may hold `=`, `+` or `/`); either way a
// redelivery gets the same id.
//
// message.received — id: the wamid, so that a redelivery is a duplicate.
//   {channel, from, name?, message_id: wamid, kind, text?, media?,
//    reply_to?, forwarded?, frequently_forwarded?, referred_product?,
//    referral?, location?, contacts?, interactive?, reaction?, order?,
//    system?, unsupported?, errors?}
//   name       the sender's profile name, from value.contacts by wa_id
//   kind       Meta's message type; a type this mapping does not know is
//              kind "unsupported" with unsupported.type set to it
//   text       text.body; the title of an interactive reply; button.text
//   media      image|video|audio|document|sticker: {id (Meta's media id),
//              mime_type, sha256?, filename?, caption?, voice? (audio: a
//              voice note), animated? (sticker)}
//   reply_to   context.id, the wamid of the quoted (or tapped) message
//   forwarded  true when context says forwarded or frequently_forwarded;
//              frequently_forwarded: true when forwarded more than 5 times
//   referred_product, referral   as Meta sent them (referral: the
//              click-to-WhatsApp ad: source_url, source_id, ctwa_clid, …)
//   location   {latitude, longitude, name?, address?, url?}
//   contacts   [{name?: name.formatted_name, phones: [{phone?, wa_id?,
//              type?}], emails?, urls?, addresses?, org?, birthday?}] — the
//              last five as Meta sent them
//   interactive  button_reply|list_reply: {type, id, title, description?};
//              a template quick reply (kind "button"): {type: "button",
//              id: button.payload, title: button.text}; another
//              interactive type: {type, reply?: Meta's object as sent}
//   reaction   {message_id: the wamid reacted to, emoji} — emoji "" when
//              Meta leaves it out or empty: the reaction is removed
//   order      {catalog_id, text?, product_items: [{product_retailer_id,
//              quantity, item_price, currency}]}
//   system     {type, body?, new_wa_id?, wa_id?} — a changed number
//              (customer_changed_number, user_changed_number) gives the new
//              number as new_wa_id, from Meta's new_wa_id or (newer API
//              versions) wa_id; `from` stays the old number
//   unsupported {type?: what Meta could not deliver}
//   errors     the message's errors[] as Meta sent them
//
// message.status — id: wamid + "/" + status, so that a redelivered status
// is a duplicate while a later status of the same message is not. Only
// sent, delivered, read and failed are mapped; other values (a voice
// note's "played", "deleted") are skipped.
//   {channel, provider_message_id: wamid, recipient?: recipient_id, status,
//    error?: {code (a string), title?, message?, details?}, errors?,
//    pricing?, conversation?}
//   provider_message_id  Meta's id of our outbound message; the engine
//              resolves it to its own message id
//   error      from errors[0] (details: error_data.details); errors: all of
//              them as Meta sent them
//   pricing, conversation  as Meta sent them
//
// template.status — id: "template/" + message_template_id (else name + ":"
// + language) + "/" + event + "/" + entry.time, so that a redelivery is a
// duplicate; at: entry.time, which is required here.
//   {channel: "", waba: entry.id, name, language, status: event in lower
//    case ("approved", "rejected", …), reason?, template_id?}
//
// value.errors[] are not envelopes: each is a webhook_channel_error, for
// the caller to record on the channel.
//
// Thread-safety: pure functions, safe from any thread.
//
// Example:
//   if (!whatsapp_signature_valid(req.header("X-Hub-Signature-256"),
//                                 req.body, channel.app_secret)) {
//     return reply_401();
//   }
//   auto batch = map_whatsapp_webhook(req.body);
//   if (!batch) { return reply_error(batch.error()); }
//   for (auto& e : batch->envelopes) {
//     e.envelope["tenant"] = tenant_of(e.phone_number_id, e.waba_id);
//   }
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/errc.h"

namespace atende {

/// webhook_envelope is one connector envelope and where it came from.
struct webhook_envelope {
  std::string phone_number_id; // "" for a template update
  std::string waba_id;         // entry.id
  nlohmann::json envelope;     // {id, type, at, data}, without tenant
};

/// webhook_channel_error is one of a change's value.errors[].
struct webhook_channel_error {
  std::string phone_number_id;
  std::string waba_id;
  nlohmann::json error; // as Meta sent it: {code, title, message, error_data}
  std::string at;       // entry.time in RFC 3339, or "" (Meta gives none)
};

/// webhook_batch is everything one webhook body carried, in body order.
struct webhook_batch {
  std::vector<webhook_envelope> envelopes;
  std::vector<webhook_channel_error> errors;
};

/// map_whatsapp_webhook maps a webhook body; errc::malformed names the field
/// path when the body is not JSON or a needed field is missing or mistyped,
/// errc::invalid_value when `object` is not "whatsapp_business_account".
[[nodiscard]] result<webhook_batch> map_whatsapp_webhook(std::string_view body);

/// whatsapp_envelope_id is the envelope id of Meta's key `key` (see the top
/// of this file): `key` itself when it is a valid input id, else "wa:" and
/// its SHA-256 hex.
[[nodiscard]] std::string whatsapp_envelope_id(const std::string& key);

/// whatsapp_signature_valid tells whether `header_value` (`sha256=<64 hex>`)
/// is the HMAC-SHA256 of the raw body bytes under `app_secret`; false for an
/// empty secret or a missing or ill-formed header.
[[nodiscard]] bool whatsapp_signature_valid(std::string_view header_value,
                                            std::string_view raw_body,
                                            std::string_view app_secret);

} // namespace atende

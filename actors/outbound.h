// outbound: the records that ask connectors to act (CONTRACT section 5,
// `atende.outbound`), derived from the events that decided them.
//
//   {"id": "acme:42", "tenant": "acme", "at": "2026-11-21T13:05:00.000Z",
//    "type": "message.send",
//    "data": {"channel": "wa-main", "phone_number_id": "2200...",
//             "to": "5511987654321", "conversation": "c7",
//             "message_id": "m42", "text": "Bom dia"}}
//
// `type` is "message.send" (from message.sent; a template send has
// `template: {name, language, params}` and its filled body as `text`; a
// media send `media: {id, kind, mime_type, size, sha256, filename?,
// caption?}` with atende's media id, whose bytes `GET /v1/media/{id}`
// serves; a reaction `reaction: {message_id, provider_message_id?, emoji}`;
// a reply `reply_to` (atende's id of the quoted message) and
// `reply_to_provider_id` (its wamid) when it has one) or
// "automation.run" (from automation.requested; data `{channel,
// phone_number_id, to, conversation, automation, agent}`). `id` is the id of
// the event (`<tenant>:<seq>`), so a record re-published after a crash
// carries the same id and a connector that sees it twice sends once. The
// records are written to the outbox (actors/store.h `outbox`) in the same
// batch as their events. A record atende sends itself (sent_by_atende: the
// channel has an access token) carries `"sent_by": "atende"`, so that an
// outside connector skips it.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/tenant.h"

namespace atende {

/// outbound_record returns the outbound record of event `e`, or nothing for
/// events that ask no connector to act. `s` is the tenant with `e` applied.
[[nodiscard]] std::optional<nlohmann::json>
outbound_record(const tenant_state& s, const event& e);

/// sent_by_atende tells whether atende sends record `r` itself: a
/// `message.send` of a channel with an access token (the others are left to
/// outside connectors).
[[nodiscard]] bool sent_by_atende(const tenant_state& s,
                                  const nlohmann::json& r);

/// fetched_by_atende tells whether atende fetches the media of event `e`
/// from Meta itself: a customer's message with a media (`content.media.id`,
/// Meta's media id) on a channel with an access token.
[[nodiscard]] bool fetched_by_atende(const tenant_state& s, const event& e);

/// fetch_work is what the media fetcher needs of such an event (the value of
/// its `fetching` key, actors/store.h): {channel, conversation, message_id,
/// media_id (Meta's), mime_type, sha256? (Meta's, base64)}.
[[nodiscard]] nlohmann::json fetch_work(const tenant_state& s, const event& e);

} // namespace atende

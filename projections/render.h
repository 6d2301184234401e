// render: the JSON forms of the read model, as CONTRACT.md section 3 shows
// them (the conversation object, its messages, the configuration records).
//
// Internal to projections/.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "projections/tenant.h"

namespace atende::projections {

/// conversation_json is the conversation object, without messages, at time
/// `now` (the reader's clock): `composer_locked` once the window of the
/// conversation's (contact, channel) has expired, or when it is closed.
[[nodiscard]] nlohmann::json conversation_json(const tenant& t,
                                               const conversation_row& r,
                                               timestamp now);

/// append_conversation_text appends the JSON text of conversation_json(t, r,
/// now), written straight to text (a list page's items): the same text as
/// json_text (events/json_text.h) of the object, without building it.
void append_conversation_text(std::string& out, const tenant& t,
                              const conversation_row& r, timestamp now);

/// messages_json lists a conversation's messages, oldest first: {id,
/// direction, kind, text, at, status}, plus `error` {code, title} when
/// failed, `template` {name, language, params} for a template and
/// `automation` (its name) for an automation flow's message.
[[nodiscard]] nlohmann::json messages_json(const tenant& t,
                                           const conversation_row& r);

/// message_json is one message as messages_json lists it.
[[nodiscard]] nlohmann::json message_json(const tenant& t,
                                          const message_row& m);

/// agent_json is an agent of the supervisors' board at time `now`: no token
/// hash, with `status`, `pause` (null or {type, since, elapsed_minutes,
/// overdue}: overdue once more than the type's max_minutes have passed) and
/// `open_count`.
[[nodiscard]] nlohmann::json agent_json(const tenant& t, const agent& a,
                                        timestamp now);

/// contact_record_json is a contact record with `portfolios`: the ids of the
/// portfolios holding it, sorted.
[[nodiscard]] nlohmann::json contact_record_json(const contact_row& c);

/// portfolio_json is a portfolio record with `contact_count` and
/// `contacts`: the first 10 by id, {id, name, phone}.
[[nodiscard]] nlohmann::json portfolio_json(const tenant& t,
                                            const portfolio_row& p);

/// portfolio_contact_json is an item of GET /v1/portfolios/{id}/contacts:
/// {id, name, phone, tags}.
[[nodiscard]] nlohmann::json portfolio_contact_json(const tenant& t,
                                                    const std::string& id);

} // namespace atende::projections

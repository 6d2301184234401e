// graph_send: what atende sends to Meta's Graph API for an outbound record,
// and what Meta's answer means. Pure functions; the sender
// (gateways/whatsapp_sender.h) does the I/O.
//
// A `message.send` record (actors/outbound.h) becomes the body of
// `POST {graph_url}/{phone_number_id}/messages`:
//   text      {"messaging_product": "whatsapp", "recipient_type":
//              "individual", "to", "type": "text",
//              "text": {"preview_url": false, "body"}}
//   template  {…, "type": "template", "template": {"name", "language":
//              {"code"}, "components": [{"type": "body", "parameters":
//              [{"type": "text", "text": param}, …]}]}} (no components
//              without params)
//   media     {…, "type": kind, kind: {"id", "caption"?, "filename"?}} for
//              a record with `media: {id, kind, caption?, filename?}`, once
//              the sender put the id Meta gave the upload in `id`
//   reaction  {…, "type": "reaction", "reaction": {"message_id", "emoji"}}
//              for `reaction: {provider_message_id (its wamid), emoji}`
//   reply     any of them with "context": {"message_id": wamid} for
//              `reply_to_provider_id`
//
// Meta answers 200 {"messages": [{"id": wamid, …}], …} when it accepts the
// message, else an error body {"error": {"message", "type", "code",
// "error_data": {"details"}?, "error_subcode"?, "fbtrace_id"}}:
//   accepted   200 with messages[0].id
//   retry      HTTP 429 or 5xx, codes 130429 (throughput), 131000
//              (something went wrong), 131016 (service unavailable), 2
//              (temporarily unavailable), 4 and 80007 (rate limits), and
//              transport failures (refused, reset, timed out)
//   failed     anything else, with Meta's code and a title saying what it
//              means (failure_meaning); 131047 is the closed 24-hour window
//
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "events/errc.h"

namespace atende {

/// graph_message builds Meta's request body for the `data` of a
/// `message.send` record; errc::malformed naming the field it lacks.
[[nodiscard]] result<nlohmann::json> graph_message(const nlohmann::json& data);

/// send_answer: what one attempt came to.
struct send_answer {
  enum class kind { accepted, retry, failed } k = kind::failed;
  std::string wamid; // accepted
  std::string code;  // retry, failed: Meta's code (a string), or "http_<n>",
                     // or "transport" when no answer came
  std::string title; // what it means
  bool timed_out = false; // no answer in time: Meta may have sent it
};

/// classify_answer reads Meta's answer to one send: its HTTP status and body.
[[nodiscard]] send_answer classify_answer(long http_status,
                                          std::string_view body);

/// classify_transport is a send that got no answer: `timed_out` when the
/// request may have reached Meta, else it never left (refused, unresolved).
[[nodiscard]] send_answer classify_transport(bool timed_out,
                                             std::string_view what);

/// meta_code is Meta's error `code` (a number, or a string in some
/// payloads) as text; "" when it is neither.
[[nodiscard]] std::string meta_code(const nlohmann::json& code);

/// failure_meaning is the title atende shows for Meta's error `code`, or ""
/// for a code it has no words of its own for (Meta's title is kept then).
[[nodiscard]] std::string_view failure_meaning(std::string_view code);

/// retry_delay_ms is the wait before attempt `attempt` + 1 (attempt >= 1):
/// `base_ms` doubling per attempt, at most `cap_ms` (five minutes for
/// Meta; a subscription's receiver gets its own maximum).
[[nodiscard]] std::uint64_t retry_delay_ms(std::uint32_t attempt,
                                           std::uint64_t base_ms,
                                           std::uint64_t cap_ms = 5 * 60 *
                                                                  1000);

} // namespace atende

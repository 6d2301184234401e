// api: the HTTP API's handlers and the helpers they share (CONTRACT
// sections 2-4). Each api_*.cc file serves one group of resources and
// contributes its routes to the router's table; http_router.cc matches,
// authenticates and calls them.
//
// A handler validates the request, then either answers from the views at
// once or builds inputs and submits them to the engine; the engine's
// callback never touches the connection, it posts the continuation back to
// the connection's executor (see `submit`).
//
// Thread-safety: handlers and continuations run on I/O threads; `call` is a
// value and may be copied into continuations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/input.h"
#include "events/outcome.h"
#include "gateways/engine_port.h"
#include "gateways/http_exchange.h"
#include "gateways/login_throttle.h"
#include "gateways/channel_errors.h"
#include "gateways/unrouted_log.h"
#include "gateways/http_metrics.h"
#include "gateways/http_options.h"
#include "projections/views.h"

namespace atende {

/// api_context is what every handler may use; it outlives every request.
struct api_context {
  const http_options& options;
  engine_port& engine;
  views& view;
  const http_metrics& metrics;
  const std::vector<const shard_probe*>& probes;
  login_throttle& throttle;
  unrouted_log& unrouted;
  channel_errors& number_errors; // value.errors[] by channel
};

/// call is one routed, authenticated request.
struct call {
  const api_context* api = nullptr;
  std::shared_ptr<exchange> ex;
  principal who;
  std::vector<std::string> params; // the `{id}`s of the route, in order

  [[nodiscard]] const http_request& request() const { return ex->request(); }
  [[nodiscard]] const std::string& param(std::size_t i) const {
    return params.at(i);
  }
  void reply(unsigned status, const nlohmann::json& body) const;
  void reply_error(const error& e) const;
  /// reply_no_content answers 204 with an empty body.
  void reply_no_content() const;
};

using handler = void (*)(const call&);

/// Who may use a route: anyone, the root token only, a tenant admin, or any
/// agent of a tenant.
enum class access { anyone, root, admin, agent };

/// route is one entry of the route table. `pattern` segments `{id}` match
/// any one path segment.
struct route {
  std::string_view method;
  std::string_view pattern;
  access who;
  handler fn;
};

// ---- route groups (one per api_*.cc) ----------------------------------------

[[nodiscard]] std::vector<route> config_routes();
[[nodiscard]] std::vector<route> contact_routes();
[[nodiscard]] std::vector<route> conversation_routes();
[[nodiscard]] std::vector<route> portfolio_routes();
[[nodiscard]] std::vector<route> agent_routes();
[[nodiscard]] std::vector<route> session_routes();
[[nodiscard]] std::vector<route> event_routes();
[[nodiscard]] std::vector<route> outbound_routes();
[[nodiscard]] std::vector<route> system_routes();
[[nodiscard]] std::vector<route> stream_routes();
[[nodiscard]] std::vector<route> subscription_routes();
[[nodiscard]] std::vector<route> webhook_routes();
[[nodiscard]] std::vector<route> media_routes();

/// fill_send_media completes `body.media` of a send with what the media
/// store holds of its `id` (mime_type, size, sha256, filename):
/// unknown_reference naming `media.id` when the tenant has no such media.
[[nodiscard]] result<void> fill_send_media(const call& c,
                                           nlohmann::json& body);

/// bearer_token is the token of an `Authorization: Bearer …` header, or "".
[[nodiscard]] std::string bearer_token(std::string_view header);

/// conversation_query_of reads the query string of GET /v1/conversations
/// (and of GET /v1/stream, which follows one such list); views validates
/// the values and names a bad one.
[[nodiscard]] result<conversation_query> conversation_query_of(const call& c);

/// not_yet answers 422 unsupported: the endpoint is in the contract but not
/// served by this version.
void not_yet(const call& c);

// ---- request helpers (api_common.cc) ----------------------------------------

/// json_body parses the request body as JSON (an empty body or `null` reads
/// as `{}`): malformed naming `Content-Type` when the body is not JSON-typed,
/// `body` when it does not parse, or is not an object unless `allow_array`.
[[nodiscard]] result<nlohmann::json> json_body(const call& c,
                                               bool allow_array = false);

/// client_id returns the body's `id` when valid (malformed naming `id`
/// otherwise), or a fresh `<prefix><12 hex digits>` when absent.
[[nodiscard]] result<std::string> client_id(const nlohmann::json& body,
                                            std::string_view prefix);

/// optional_string reads `body[key]`: "" when absent or null, malformed
/// naming `key` when not a string.
[[nodiscard]] result<std::string> optional_string(const nlohmann::json& body,
                                                  const char* key);

/// max_bulk is the most items one bulk request may name.
inline constexpr std::size_t max_bulk = 500;

/// id_list reads `body[key]` as an array of non-empty strings, at most `max`
/// of them. Absent or null reads as empty, unless `required`: then at least
/// one is needed. Anything else is malformed naming `key`.
[[nodiscard]] result<std::vector<std::string>>
id_list(const nlohmann::json& body, const char* key, bool required,
        std::size_t max = static_cast<std::size_t>(-1));

/// pick copies the members `keys` of `body` that are present (null
/// included): a command's data holds only the fields it knows, so the log
/// records no stray request fields.
[[nodiscard]] nlohmann::json pick(const nlohmann::json& body,
                                  std::initializer_list<const char*> keys);

/// parse_limit reads the `limit` query parameter: 1..`most`, default `by_default`.
[[nodiscard]] result<std::size_t> parse_limit(const call& c,
                                              std::size_t by_default = 25,
                                              std::size_t most = 500);

/// parse_seq_cursor reads the `cursor` query parameter of a list keyed by
/// event seq (outbound records, a timeline): the seq of the last item seen,
/// 0 when absent; malformed naming `cursor` otherwise.
[[nodiscard]] result<std::uint64_t> parse_seq_cursor(const call& c);

/// query_param returns a query parameter or `fallback`.
[[nodiscard]] std::string query_param(const call& c, const std::string& key,
                                      std::string fallback = {});

/// page_json renders `{items, next_cursor}` (null at the end).
[[nodiscard]] nlohmann::json page_json(page p);

/// min_password_length: the fewest characters (code points) of a password.
inline constexpr std::size_t min_password_length = 10;

/// password_length counts the UTF-8 code points of `password`.
[[nodiscard]] std::size_t password_length(std::string_view password);

/// hash_password_field replaces `fields.password` (write-only) by its
/// `password_hash` (crypto.h); errors name `field_name`. A client may not set
/// `password_hash` itself (malformed, unknown field).
[[nodiscard]] result<void> hash_password_field(nlohmann::json& fields,
                                               const char* field_name);

/// actor_of returns the input actor of the caller: `agent:<id>` or `root`.
[[nodiscard]] std::string actor_of(const principal& who);

// ---- commands (api_commands.cc) ---------------------------------------------

/// make_command builds the input `type` with `data` for the caller, stamped
/// now, and validates it with decode_input; errors name the request field
/// (`kind`, not `data.kind`). The input's tenant is the caller's, or
/// `tenant` when given (the root creating one).
[[nodiscard]] result<input> make_command(const call& c, std::string type,
                                         nlohmann::json data,
                                         std::string tenant = {});

using outcomes_fn = std::function<void(const call&, std::vector<outcome>)>;
using outcome_fn = std::function<void(const call&, const outcome&)>;

/// submit hands `inputs` to the engine; `then` runs on the connection's
/// executor once they are committed.
void submit(const call& c, std::vector<input> inputs, outcomes_fn then);

/// submit_one submits one command; a rejection is answered with its error,
/// otherwise `then` gets the outcome (accepted or duplicate).
void submit_one(const call& c, input in, outcome_fn then);

/// submit_bulk submits one input per item, together in one engine call, and
/// answers 200 `{results: [{id, ok: true} | {id, ok: false, error}]}`, one
/// per id in order (`ids[i]` is the item of `inputs[i]`).
void submit_bulk(const call& c, std::vector<std::string> ids,
                 std::vector<input> inputs);

/// find_event returns the first event of `o` holding a T, or nullptr.
template <class T>
[[nodiscard]] const T* find_event(const outcome& o) {
  for (const auto& e : o.events) {
    if (const auto* d = std::get_if<T>(&e.data)) {
      return d;
    }
  }
  return nullptr;
}

} // namespace atende

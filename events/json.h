// json: JSON forms of the model records (model.h), as the API shows them and
// the journal stores them. Empty optional strings render as null.
//
// The patch_* functions check a PATCH body against a record's field types
// (errors name the field, e.g. "default_team") and merge it into a record.
#pragma once

#include <nlohmann/json.hpp>

#include "events/errc.h"
#include "events/model.h"

namespace atende {

void to_json(nlohmann::json& j, const channel& x);
void to_json(nlohmann::json& j, const team& x);
void to_json(nlohmann::json& j, const agent& x); // includes token_hash
void to_json(nlohmann::json& j, const reason& x);
void to_json(nlohmann::json& j, const contact& x);
void to_json(nlohmann::json& j, const tenant_info& x);
void to_json(nlohmann::json& j, const pause_type& x);
void to_json(nlohmann::json& j, const portfolio& x);
void to_json(nlohmann::json& j, const message_template& x);
void to_json(nlohmann::json& j, const subscription& x); // sealed secret

/// *_from_json read the stored form (all fields present, as to_json wrote).
[[nodiscard]] result<channel> channel_from_json(const nlohmann::json& j);
[[nodiscard]] result<team> team_from_json(const nlohmann::json& j);
[[nodiscard]] result<agent> agent_from_json(const nlohmann::json& j);
[[nodiscard]] result<reason> reason_from_json(const nlohmann::json& j);
[[nodiscard]] result<contact> contact_from_json(const nlohmann::json& j);
[[nodiscard]] result<tenant_info> tenant_from_json(const nlohmann::json& j);
[[nodiscard]] result<pause_type> pause_type_from_json(const nlohmann::json& j);
[[nodiscard]] result<portfolio> portfolio_from_json(const nlohmann::json& j);
[[nodiscard]] result<message_template>
message_template_from_json(const nlohmann::json& j);
[[nodiscard]] result<subscription>
subscription_from_json(const nlohmann::json& j);

/// is_valid_login: 1 to 128 letters, digits or `. _ @ + -`.
[[nodiscard]] bool is_valid_login(std::string_view login);

/// public_channel is the API form of a channel: its access token and app
/// secret are write-only, shown as `has_access_token` / `has_app_secret`.
[[nodiscard]] nlohmann::json public_channel(const channel& c);

/// public_agent is the API form of an agent: without its token and password
/// hashes, with `has_password`.
[[nodiscard]] nlohmann::json public_agent(const agent& a);

/// public_subscription is the API form of a subscription: its secret is
/// shown once, when created, and never again.
[[nodiscard]] nlohmann::json public_subscription(const subscription& s);

/// check_patch validates a PATCH body for record type T: an object whose keys
/// are known, mutable fields of T with the right JSON types. `id` may not be
/// changed. Values are not checked against the tenant's state here.
template <class T>
[[nodiscard]] result<void> check_patch(const nlohmann::json& fields);

/// merge_patch applies checked `fields` to `x`.
template <class T>
[[nodiscard]] result<T> merge_patch(T x, const nlohmann::json& fields);

} // namespace atende

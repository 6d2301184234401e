// render: the JSON forms of the read model, as CONTRACT.md section 3 shows
// them (the conversation object, its messages, the configuration records).
//
// Internal to projections/.
#pragma once

#include <nlohmann/json.hpp>

#include "projections/tenant.h"

namespace atende::projections {

/// conversation_json is the conversation object, without messages.
[[nodiscard]] nlohmann::json conversation_json(const tenant& t,
                                               const conversation_row& r);

/// messages_json lists a conversation's messages, oldest first.
[[nodiscard]] nlohmann::json messages_json(const tenant& t,
                                           const conversation_row& r);

/// agent_json is an agent of the supervisors' board: no token hash, with
/// `status`, `pause` and `open_count`.
[[nodiscard]] nlohmann::json agent_json(const tenant& t, const agent& a);

} // namespace atende::projections

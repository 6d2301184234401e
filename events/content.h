// content: reading the parts of a message's content that the engine uses
// (message_received::content, the envelope's keys beside its text; their
// rules are in detail/input_decode.h, message_content_keys). Events read
// back from a journal are not checked again, so every reader here takes a
// missing or mistyped part as absent.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "events/event.h"

namespace atende {

/// content_string is j[key] when `j` is an object and that is a string,
/// else "".
[[nodiscard]] std::string content_string(const nlohmann::json& j,
                                         std::string_view key);

/// content_string is j[outer][key], as above.
[[nodiscard]] std::string content_string(const nlohmann::json& j,
                                         std::string_view outer,
                                         std::string_view key);

/// reaction_content: what a customer reacted to (the provider's message id)
/// and with which emoji ("" removes the reaction).
struct reaction_content {
  std::string message_id;
  std::string emoji;
};

/// reaction_of is the reaction of a message of kind "reaction" that has one,
/// else nullopt.
[[nodiscard]] std::optional<reaction_content>
reaction_of(const message_received& m);

/// changed_number_of is the new number of a customer who changed numbers:
/// a `system` message of type `customer_changed_number` or
/// `user_changed_number` with `system.new_wa_id` (the webhook's mapping puts
/// the new number there for both forms); else nullopt.
[[nodiscard]] std::optional<std::string>
changed_number_of(const message_received& m);

} // namespace atende

// templates: the placeholders of WhatsApp message templates.
//
// A template body names its parameters `{{1}}`, `{{2}}`, ... A body must number
// them from 1 without gaps (a placeholder may repeat); a send gives exactly
// that many `params`, in order. The text a send shows in the conversation is
// the body with the placeholders filled in.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "events/errc.h"

namespace atende {

/// placeholder_count returns how many distinct placeholders `body` has, or
/// errc::invalid_value when they are not numbered 1..N (or a `{{` is not a
/// placeholder).
[[nodiscard]] result<int> placeholder_count(std::string_view body);

/// fill_template replaces `{{i}}` by params[i-1] (a checked body and as many
/// params as placeholders).
[[nodiscard]] std::string fill_template(std::string_view body,
                                        const std::vector<std::string>& params);

} // namespace atende

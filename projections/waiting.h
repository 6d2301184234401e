// waiting: whose waiting list a conversation was in, and since which event
// (views::waiting_history, the timeline's "waiting").
//
// The marks are written by `index` (note_waiting, tenant.h) and read here;
// this file turns their symbols back into ids.
//
// Internal to projections/.
#pragma once

#include <string>
#include <vector>

#include "projections/tenant.h"
#include "projections/views.h"

namespace atende::projections {

/// waiting_history returns the marks of conversation `id` that `who` may see
/// (viewer::sees), oldest first; not_found otherwise.
[[nodiscard]] result<std::vector<waiting_mark>>
waiting_history(const tenant& t, const principal& who, const std::string& id);

} // namespace atende::projections

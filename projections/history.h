// history: GET /v1/contacts/{id}/history, a contact's finished
// conversations (its Histórico), newest first.
//
// Order: finished_at descending, ties by conversation id descending (the
// reverse of one ascending key, so that a page boundary is one comparison).
// The cursor is a position cursor (cursor.h) holding the last item's
// finished_at and row ordinal; the ordinal gives back the item's id, which
// never changes, nor does finished_at once a conversation is finished.
//
// Visibility is the conversation views' (viewer::sees, events/visibility.h):
// an admin sees every item, an agent the conversations of its teams and
// those it served.
//
// Cost: O(c log c) per page for a contact with c conversations, all of them
// sorted on each call; a contact has few, and they are kept on its row
// (contact_row::conversations), so no index is needed.
//
// Internal to projections/.
#pragma once

#include <cstddef>
#include <string>

#include "projections/tenant.h"
#include "projections/views.h"

namespace atende::projections {

/// contact_history pages the finished conversations of contact `id` that
/// `who` may see: items {id, channel, agent, team, reason, description,
/// opened_at, finished_at}. not_found for an unknown contact, malformed
/// naming "cursor" for a cursor that is not a position of this tenant.
[[nodiscard]] result<page>
contact_history(const tenant& t, const principal& who, const std::string& id,
                std::size_t limit, const std::string& cursor);

} // namespace atende::projections

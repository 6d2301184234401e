// timeline: a conversation's audit trail — what happened to it, who could
// see it while it waited, who got it and why. GET
// /v1/conversations/{id}/timeline serves it from the live store; `atende
// replay --conversation` from scratch views over a read-only store. Both
// call conversation_timeline, so they print the same trail.
//
// The trail is, in seq order, every event of the conversation (the "x/"
// index of actors/store.h) and every other event that changed whose waiting
// list it was in (views::waiting_history: a contact joining or leaving a
// portfolio, a portfolio's owners changing or the portfolio deleted, a
// team's distribution changing), each read from the journal ("j/"). An item
// is the event's JSON form (events/event.h: seq, id, tenant, at, type,
// actor, data) plus
//   waiting  only when the event changed the conversation's waiting
//            audience: null when it left the waiting lists, else {team,
//            portfolios, owners} (portfolios and owners empty unless it is
//            restricted to portfolio owners, events/visibility.h);
//   summary  one English sentence, self-contained, for people and the
//            offline tool's text mode: "left the waiting list: assigned to
//            ana by round_robin; eligible: ana, bob".
//
// Paging is by keyset on seq: items after `after`, at most `limit`;
// `next_cursor` is the seq of the last item (as a string) when more follow,
// else null.
//
//   auto db = engine.tenant_store(who.tenant);
//   auto page = conversation_timeline(*db, views, who, "c25", {.limit = 50});
//   // page->at("items")[0]["summary"] == "opened ...; entered the waiting ..."
//
// Thread-safety: reads only; any number of calls at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/store.h"
#include "events/errc.h"
#include "projections/views.h"

namespace atende {

/// timeline_options: `after` a seq (0: from the start), `limit` items at
/// most, `until_seq` the last seq shown (0: no bound; the offline tool's
/// --until).
struct timeline_options {
  std::uint64_t after = 0;
  std::size_t limit = 100;
  std::uint64_t until_seq = 0;
};

/// conversation_timeline returns `{items, next_cursor}` for `conversation`
/// of `who`'s tenant. not_found when it does not exist or `who` may not see
/// it (views::waiting_history decides); internal when a journal entry is
/// missing or corrupt (naming its key).
[[nodiscard]] result<nlohmann::json>
conversation_timeline(const store& db, const views& v, const principal& who,
                      const std::string& conversation,
                      const timeline_options& o);

/// timeline_summary is an item's `summary`: what `e` did to the
/// conversation, and, when `now` is given, how it changed its waiting
/// audience from `before` (nullopt audiences: not waiting).
[[nodiscard]] std::string timeline_summary(const event& e,
                                           const waiting_mark* now,
                                           const waiting_mark* before);

} // namespace atende

#include "projections/history.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <tuple>
#include <vector>

#include "projections/cursor.h"
#include "projections/inbox_match.h"
#include "projections/time_text.h"

namespace atende::projections {

namespace {

using nlohmann::json;

/// position is where an item stands in the history order.
struct position {
  timestamp finished_at;
  const std::string* id;
};

position position_of(const tenant& t, std::uint32_t ord) {
  const auto& r = t.rows[ord];
  return {r.finished_at, &r.id};
}

/// newer: `a` comes before `b` in the history (newest first).
bool newer(const position& a, const position& b) {
  return std::tie(a.finished_at, *a.id) > std::tie(b.finished_at, *b.id);
}

json string_or_null(const std::string& s) {
  return s.empty() ? json(nullptr) : json(s);
}

json symbol_or_null(const tenant& t, symbol s) {
  return s == 0 ? json(nullptr) : json(t.symbols.name(s));
}

json history_item(const tenant& t, const conversation_row& r) {
  // The assignee stays on a finished row: it is the agent who served it.
  return {{"id", r.id},
          {"channel", t.symbols.name(r.channel)},
          {"agent", symbol_or_null(t, r.assignee)},
          {"team", t.symbols.name(r.team)},
          {"reason", symbol_or_null(t, r.reason)},
          {"description", string_or_null(r.description)},
          {"opened_at", time_text(r.created_at)},
          {"finished_at", time_text(r.finished_at)}};
}

/// parse_after decodes a cursor into the position of the last item of the
/// previous page; an empty cursor starts the history.
result<std::optional<position>> parse_after(const tenant& t,
                                            const std::string& cursor) {
  if (cursor.empty()) {
    return std::optional<position>{};
  }
  auto k = decode_position(cursor);
  if (!k || k->ord >= t.rows.size()) {
    return fail(errc::malformed, "is not a cursor of this list", "cursor");
  }
  return position{k->at, &t.rows[k->ord].id};
}

/// finished_rows lists the finished conversations of contact row `c` that
/// `v` sees and that come after `after`, newest first.
std::vector<std::uint32_t> finished_rows(const tenant& t, const viewer& v,
                                         const contact_row& c,
                                         const std::optional<position>& after) {
  std::vector<std::uint32_t> out;
  for (auto ord : c.conversations) {
    if (t.rows[ord].status == conv_status::finished && v.sees(t, ord) &&
        (!after || newer(*after, position_of(t, ord)))) {
      out.push_back(ord);
    }
  }
  std::ranges::sort(out, [&](std::uint32_t a, std::uint32_t b) {
    return newer(position_of(t, a), position_of(t, b));
  });
  return out;
}

} // namespace

result<page> contact_history(const tenant& t, const principal& who,
                             const std::string& id, std::size_t limit,
                             const std::string& cursor) {
  auto c = t.contact_ids.find(id);
  if (c == t.contact_ids.end() || !t.contacts[c->second].known) {
    return fail(errc::not_found, "no such contact");
  }
  auto after = parse_after(t, cursor);
  if (!after) {
    return std::unexpected(after.error());
  }
  limit = std::clamp<std::size_t>(limit, 1, 500);
  auto rows = finished_rows(t, viewer(t, who), t.contacts[c->second], *after);
  page out;
  for (std::size_t i = 0; i < rows.size() && i < limit; ++i) {
    out.items.push_back(history_item(t, t.rows[rows[i]]));
  }
  if (rows.size() > limit) {
    auto last = rows[limit - 1];
    out.next_cursor =
        encode_position({.at = t.rows[last].finished_at, .ord = last});
  }
  return out;
}

} // namespace atende::projections

#include "projections/waiting.h"

#include <algorithm>

#include "projections/inbox_match.h"

namespace atende::projections {

// Every conversation row carries these: keep them small (README, memory).
static_assert(sizeof(audience_mark) == 24);

namespace {

bool same_audience(const audience_mark& a, const audience_mark& b) {
  return a.team == b.team && a.audience == b.audience;
}

std::uint32_t intern_audience(tenant& t, const restriction& rs) {
  auto [it, fresh] = t.audience_ids.try_emplace(
      rs, static_cast<std::uint32_t>(t.audiences.size()));
  if (fresh) {
    t.audiences.push_back(rs);
  }
  return it->second;
}

std::vector<std::string> names(const tenant& t,
                               const std::vector<symbol>& symbols) {
  std::vector<std::string> out;
  out.reserve(symbols.size());
  for (auto s : symbols) {
    out.push_back(t.symbols.name(s));
  }
  // Symbols are sorted by number; the API lists ids by name.
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

void note_waiting(tenant& t, std::uint32_t ord, const restriction* rs) {
  auto& r = t.rows[ord];
  audience_mark now{.seq = t.applying_seq, .at = t.applying_at};
  if (r.status == conv_status::waiting) {
    now.team = r.team;
    now.audience = rs == nullptr ? 0 : intern_audience(t, *rs);
  }
  auto& marks = r.waiting;
  // One event may re-index a row more than once; only where it left the row
  // counts.
  if (!marks.empty() && marks.back().seq == now.seq &&
      !same_audience(marks.back(), now)) {
    marks.pop_back();
  }
  const audience_mark none{};
  const auto& last = marks.empty() ? none : marks.back();
  if (same_audience(last, now)) {
    return;
  }
  if (marks.empty()) {
    marks.reserve(2); // most conversations wait once, then are assigned
  }
  marks.push_back(now);
}

result<std::vector<waiting_mark>>
waiting_history(const tenant& t, const principal& who, const std::string& id) {
  auto ord = find_row(t, id);
  if (!ord || !viewer(t, who).sees(t, *ord)) {
    return fail(errc::not_found, "no such conversation");
  }
  std::vector<waiting_mark> out;
  const auto& marks = t.rows[*ord].waiting;
  out.reserve(marks.size());
  for (const auto& m : marks) {
    auto& x = out.emplace_back(
        waiting_mark{.seq = m.seq, .at = m.at, .audience = std::nullopt});
    if (m.audience == not_waiting) {
      continue;
    }
    const auto& rs = t.audiences[m.audience];
    x.audience = waiting_audience{.team = t.symbols.name(m.team),
                                  .portfolios = names(t, rs.portfolios),
                                  .owners = names(t, rs.owners)};
  }
  return out;
}

} // namespace atende::projections

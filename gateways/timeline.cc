#include "gateways/timeline.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <vector>

#include "events/codec.h"

namespace atende {

namespace {

constexpr auto no_bound = std::numeric_limits<std::uint64_t>::max();

/// own_seqs returns the seqs of the conversation's own events in
/// (after, until], oldest first, at most `n` of them.
result<std::vector<std::uint64_t>>
own_seqs(const store& db, const std::string& tenant, const std::string& conv,
         std::uint64_t after, std::uint64_t until, std::size_t n) {
  std::vector<std::uint64_t> out;
  if (n == 0 || after >= until) {
    return out;
  }
  const auto prefix = keys::by_conversation_prefix(tenant, conv);
  auto r = db.scan(
      prefix,
      [&](std::string_view k, std::string_view) {
        // Ids hold no NUL, so every key under the prefix is prefix + seq.
        auto seq = keys::read_fixed64be(k.substr(prefix.size()));
        if (seq > until) {
          return false;
        }
        out.push_back(seq);
        return out.size() < n;
      },
      keys::by_conversation(tenant, conv, after + 1));
  if (!r) {
    return std::unexpected(r.error());
  }
  return out;
}

/// read_event reads journal entry `seq` of `tenant`.
result<event> read_event(const store& db, const std::string& tenant,
                         std::uint64_t seq) {
  auto key = keys::journal(tenant, seq);
  auto where = [&] {
    return "journal entry " + keys::journal_prefix(tenant) + "#" +
           std::to_string(seq);
  };
  auto v = db.get(key);
  if (!v) {
    return std::unexpected(v.error());
  }
  if (!v->has_value()) {
    return fail(errc::internal, where() + " is missing");
  }
  auto e = decode_event(**v);
  if (!e) {
    auto err = e.error();
    err.message = where() + ": " + err.message;
    return std::unexpected(err);
  }
  return e;
}

nlohmann::json waiting_json(const waiting_mark& m) {
  if (!m.audience) {
    return nullptr;
  }
  return {{"team", m.audience->team},
          {"portfolios", m.audience->portfolios},
          {"owners", m.audience->owners}};
}

/// mark_at returns the mark made by event `seq`, or null.
const waiting_mark* mark_at(const std::vector<waiting_mark>& marks,
                            std::uint64_t seq) {
  auto it = std::ranges::lower_bound(marks, seq, {}, &waiting_mark::seq);
  return it != marks.end() && it->seq == seq ? &*it : nullptr;
}

} // namespace

result<nlohmann::json> conversation_timeline(const store& db, const views& v,
                                             const principal& who,
                                             const std::string& conversation,
                                             const timeline_options& o) {
  auto marks = v.waiting_history(who, conversation);
  if (!marks) {
    return std::unexpected(marks.error());
  }
  const auto until = o.until_seq == 0 ? no_bound : o.until_seq;
  // One more than a page tells whether another page follows.
  const auto want = o.limit == std::numeric_limits<std::size_t>::max()
                        ? o.limit
                        : o.limit + 1;
  auto own = own_seqs(db, who.tenant, conversation, o.after, until, want);
  if (!own) {
    return std::unexpected(own.error());
  }
  // Beyond the last own seq read, the page is full already: the union's
  // first `want` seqs are all here.
  std::vector<std::uint64_t> others;
  for (const auto& m : *marks) {
    if (m.seq > o.after && m.seq <= until) {
      others.push_back(m.seq);
    }
  }
  std::vector<std::uint64_t> seqs;
  std::ranges::set_union(*own, others, std::back_inserter(seqs));
  bool more = seqs.size() > o.limit;
  if (more) {
    seqs.resize(o.limit);
  }
  auto items = nlohmann::json::array();
  for (auto seq : seqs) {
    auto e = read_event(db, who.tenant, seq);
    if (!e) {
      return std::unexpected(e.error());
    }
    auto item = to_json(*e);
    const waiting_mark* now = mark_at(*marks, seq);
    const waiting_mark* before =
        now != nullptr && now != marks->data() ? now - 1 : nullptr;
    if (now != nullptr) {
      item["waiting"] = waiting_json(*now);
    }
    item["summary"] = timeline_summary(*e, now, before);
    items.push_back(std::move(item));
  }
  nlohmann::json next = nullptr;
  if (more && !seqs.empty()) {
    next = std::to_string(seqs.back());
  }
  return nlohmann::json{{"items", std::move(items)},
                        {"next_cursor", std::move(next)}};
}

} // namespace atende

// lane: an ordered set of conversation keys, the unit of the inbox indexes.
//
// A key is (last_activity_at, ordinal): when the conversation last changed and
// its position in the tenant's row table. Every inbox list (all conversations
// of a team that are open, the finished ones of a channel, ...) is one lane,
// so a page is a walk from the cursor's key, not a scan.
//
// Layout: a list of sorted chunks of at most `max_chunk` keys plus the last key
// of each chunk (binary-searched to find a chunk). Keys are 16 bytes and chunks
// are contiguous, so a walk reads memory in order and a lane of N keys costs
// about 16·N/fill bytes. insert and erase are O(log N + max_chunk); appending
// the newest key (the common case: activity moves a conversation to the end)
// never splits a full chunk in two but starts a new one, keeping chunks full.
//
// Thread-safety: none of its own; views guards lanes with its shared_mutex.
//
// Example:
//   lane l;
//   l.insert({.at = 1000, .ord = 7});
//   for (auto w = l.walk(/*descending=*/true, std::nullopt); !w.done();
//        w.next()) {
//     use(w.key());
//   }
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "events/time.h"

namespace atende::projections {

/// lane_key orders conversations by last activity, ties by row ordinal
/// (creation order within the tenant).
struct lane_key {
  timestamp at = 0;
  std::uint32_t ord = 0;
  friend auto operator<=>(const lane_key&, const lane_key&) = default;
};

class lane {
public:
  static constexpr std::size_t max_chunk = 256;

  /// insert adds `k`; inserting a key twice is a caller bug (not checked).
  void insert(lane_key k);

  /// erase removes `k`; returns false when it was not there.
  bool erase(lane_key k);

  /// size is the number of keys.
  [[nodiscard]] std::size_t size() const { return size_; }

  /// walker visits keys in one direction, strictly after a start key.
  class walker {
  public:
    [[nodiscard]] bool done() const { return chunk_ < 0; }
    [[nodiscard]] lane_key key() const;
    void next();

  private:
    friend class lane;
    const lane* lane_ = nullptr;
    bool descending_ = false;
    std::ptrdiff_t chunk_ = -1;
    std::ptrdiff_t pos_ = 0;
  };

  /// walk starts a walker: descending from the largest key below `after`, or
  /// ascending from the smallest key above it; without `after`, from the end
  /// (descending) or the beginning (ascending).
  [[nodiscard]] walker walk(bool descending,
                            const std::optional<lane_key>& after) const;

private:
  void split(std::size_t chunk);
  void merge_small(std::size_t chunk);

  std::vector<std::vector<lane_key>> chunks_;
  std::vector<lane_key> lasts_; // lasts_[i] == chunks_[i].back()
  std::size_t size_ = 0;
};

} // namespace atende::projections

#include "projections/lane.h"

#include <algorithm>
#include <iterator>

namespace atende::projections {

void lane::insert(lane_key k) {
  ++size_;
  if (chunks_.empty()) {
    chunks_.push_back({k});
    lasts_.push_back(k);
    return;
  }
  auto it = std::lower_bound(lasts_.begin(), lasts_.end(), k);
  if (it == lasts_.end()) {
    // Newer than everything: append, starting a new chunk when the last is
    // full so that appends leave full chunks behind.
    if (chunks_.back().size() >= max_chunk) {
      chunks_.push_back({k});
      lasts_.push_back(k);
    } else {
      chunks_.back().push_back(k);
      lasts_.back() = k;
    }
    return;
  }
  auto i = static_cast<std::size_t>(it - lasts_.begin());
  auto& c = chunks_[i];
  c.insert(std::lower_bound(c.begin(), c.end(), k), k);
  if (c.size() > max_chunk) {
    split(i);
  }
}

bool lane::erase(lane_key k) {
  auto it = std::lower_bound(lasts_.begin(), lasts_.end(), k);
  if (it == lasts_.end()) {
    return false;
  }
  auto i = static_cast<std::size_t>(it - lasts_.begin());
  auto& c = chunks_[i];
  auto pos = std::lower_bound(c.begin(), c.end(), k);
  if (pos == c.end() || *pos != k) {
    return false;
  }
  c.erase(pos);
  --size_;
  if (c.empty()) {
    chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(i));
    lasts_.erase(lasts_.begin() + static_cast<std::ptrdiff_t>(i));
    return true;
  }
  lasts_[i] = c.back();
  merge_small(i);
  return true;
}

void lane::split(std::size_t i) {
  auto& c = chunks_[i];
  auto mid = c.begin() + static_cast<std::ptrdiff_t>(c.size() / 2);
  std::vector<lane_key> upper(mid, c.end());
  c.erase(mid, c.end());
  lasts_[i] = c.back();
  auto at = static_cast<std::ptrdiff_t>(i + 1);
  lasts_.insert(lasts_.begin() + at, upper.back());
  chunks_.insert(chunks_.begin() + at, std::move(upper));
}

// merge_small keeps chunks at least a quarter full after erasures, so a walk
// never crosses many near-empty chunks and memory follows the key count.
void lane::merge_small(std::size_t i) {
  if (chunks_[i].size() >= max_chunk / 4 || i + 1 >= chunks_.size() ||
      chunks_[i].size() + chunks_[i + 1].size() > max_chunk / 2) {
    return;
  }
  auto& c = chunks_[i];
  auto& next = chunks_[i + 1];
  c.insert(c.end(), next.begin(), next.end());
  lasts_[i] = c.back();
  chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(i + 1));
  lasts_.erase(lasts_.begin() + static_cast<std::ptrdiff_t>(i + 1));
}

lane::walker lane::walk(bool descending,
                        const std::optional<lane_key>& after) const {
  walker w;
  w.lane_ = this;
  w.descending_ = descending;
  if (chunks_.empty()) {
    return w;
  }
  auto n = static_cast<std::ptrdiff_t>(chunks_.size());
  if (!after) {
    w.chunk_ = descending ? n - 1 : 0;
    w.pos_ = descending ? static_cast<std::ptrdiff_t>(chunks_.back().size()) - 1
                        : 0;
    return w;
  }
  if (descending) {
    // The first key >= after, then one step back.
    auto it = std::lower_bound(lasts_.begin(), lasts_.end(), *after);
    if (it == lasts_.end()) {
      w.chunk_ = n - 1;
      w.pos_ = static_cast<std::ptrdiff_t>(chunks_.back().size()) - 1;
      return w;
    }
    w.chunk_ = it - lasts_.begin();
    const auto& c = chunks_[static_cast<std::size_t>(w.chunk_)];
    w.pos_ = std::lower_bound(c.begin(), c.end(), *after) - c.begin();
    w.next();
    return w;
  }
  auto it = std::upper_bound(lasts_.begin(), lasts_.end(), *after);
  if (it == lasts_.end()) {
    return w;
  }
  w.chunk_ = it - lasts_.begin();
  const auto& c = chunks_[static_cast<std::size_t>(w.chunk_)];
  w.pos_ = std::upper_bound(c.begin(), c.end(), *after) - c.begin();
  return w;
}

lane_key lane::walker::key() const {
  return lane_->chunks_[static_cast<std::size_t>(chunk_)]
                       [static_cast<std::size_t>(pos_)];
}

void lane::walker::next() {
  if (done()) {
    return;
  }
  const auto& chunks = lane_->chunks_;
  if (descending_) {
    if (--pos_ >= 0) {
      return;
    }
    if (--chunk_ >= 0) {
      pos_ = static_cast<std::ptrdiff_t>(
               chunks[static_cast<std::size_t>(chunk_)].size()) - 1;
    }
    return;
  }
  auto size = static_cast<std::ptrdiff_t>(
    chunks[static_cast<std::size_t>(chunk_)].size());
  if (++pos_ < size) {
    return;
  }
  pos_ = 0;
  if (++chunk_ >= static_cast<std::ptrdiff_t>(chunks.size())) {
    chunk_ = -1;
  }
}

} // namespace atende::projections

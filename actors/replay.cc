#include "actors/replay.h"

#include <algorithm>

#include "actors/pipeline.h"
#include "actors/snapshot.h"
#include "actors/store.h"

namespace atende {

namespace {

using stored_range = entity_replay::stored_range;

/// sorted_range: keys and values held in a vector sorted by key.
class sorted_range final : public stored_range {
public:
  sorted_range(std::string prefix,
               std::vector<std::pair<std::string, std::string>> items)
    : prefix_(std::move(prefix)), items_(std::move(items)) {
    std::sort(items_.begin(), items_.end());
  }
  const std::string& prefix() const override { return prefix_; }
  bool next(std::string& key, std::string& value) override {
    if (at_ == items_.size()) {
      return false;
    }
    key = std::move(items_[at_].first);
    value = std::move(items_[at_].second);
    ++at_;
    return true;
  }

private:
  std::string prefix_;
  std::vector<std::pair<std::string, std::string>> items_;
  std::size_t at_ = 0;
};

/// outbox_range: the outbox records, already in seq (= key) order.
class outbox_range final : public stored_range {
public:
  outbox_range(const std::string& tenant,
               const std::vector<std::pair<std::uint64_t, std::string>>& items)
    : tenant_(tenant), prefix_(keys::outbox_prefix(tenant)), items_(items) {}
  const std::string& prefix() const override { return prefix_; }
  bool next(std::string& key, std::string& value) override {
    if (at_ == items_.size()) {
      return false;
    }
    key = keys::outbox(tenant_, items_[at_].first);
    value = items_[at_].second;
    ++at_;
    return true;
  }

private:
  const std::string& tenant_;
  std::string prefix_;
  const std::vector<std::pair<std::uint64_t, std::string>>& items_;
  std::size_t at_ = 0;
};

/// index_range: the by-conversation index, conversation by conversation (in
/// id order, which is key order: the id ends at a NUL), seqs ascending.
class index_range final : public stored_range {
public:
  index_range(
    const std::string& tenant,
    const std::unordered_map<std::string, std::vector<std::uint64_t>>& seqs)
    : tenant_(tenant), prefix_("x/" + tenant + "/") {
    for (const auto& [id, s] : seqs) {
      if (!s.empty()) {
        convs_.emplace_back(&id, &s);
      }
    }
    std::sort(convs_.begin(), convs_.end(),
              [](const auto& a, const auto& b) { return *a.first < *b.first; });
  }
  const std::string& prefix() const override { return prefix_; }
  bool next(std::string& key, std::string& value) override {
    while (conv_ < convs_.size() && seq_ == convs_[conv_].second->size()) {
      ++conv_;
      seq_ = 0;
    }
    if (conv_ == convs_.size()) {
      return false;
    }
    key = keys::by_conversation(tenant_, *convs_[conv_].first,
                                (*convs_[conv_].second)[seq_++]);
    value.clear();
    return true;
  }

private:
  const std::string& tenant_;
  std::string prefix_;
  std::vector<std::pair<const std::string*, const std::vector<std::uint64_t>*>>
    convs_;
  std::size_t conv_ = 0;
  std::size_t seq_ = 0;
};

} // namespace

entity_replay::entity_replay(std::string tenant) : tenant_(std::move(tenant)) {}

void entity_replay::apply(const event& e) {
  ++events_;
  key_writes puts;
  fold(core_, entities_, e, puts);
  if (const auto& conv = conversation_of(e.data); !conv.empty()) {
    seqs_[conv].push_back(e.seq);
  }
  const auto outbox = keys::outbox_prefix(tenant_);
  for (auto& [k, v] : puts) {
    if (k.starts_with(outbox)) {
      outbox_.emplace_back(e.seq, std::move(v));
    } else if (k.starts_with(keys::sending_prefix) ||
               k.starts_with(keys::fetching_prefix)) {
      // The sender's and the fetcher's work lists: gone once done, not
      // state to compare.
      continue;
    } else {
      puts_[std::move(k)] = std::move(v);
    }
  }
}

std::vector<std::unique_ptr<stored_range>> entity_replay::stored_ranges() const {
  std::vector<std::pair<std::string, std::string>> snapshots{puts_.begin(),
                                                             puts_.end()};
  for (const auto& [id, c] : entities_.conversations()) {
    if (!c.state.status.empty()) {
      snapshots.emplace_back(keys::conversation(tenant_, id),
                             encode_conversation(c.state));
    }
  }
  std::vector<std::pair<std::string, std::string>> tenant;
  if (events_ > 0) {
    tenant.emplace_back(keys::tenant(tenant_),
                        encode_snapshot(to_json(core_).dump()));
  }
  std::vector<std::unique_ptr<stored_range>> out;
  out.push_back(std::make_unique<sorted_range>("s/" + tenant_ + "/",
                                               std::move(snapshots)));
  out.push_back(
    std::make_unique<sorted_range>(keys::tenant(tenant_), std::move(tenant)));
  out.push_back(std::make_unique<outbox_range>(tenant_, outbox_));
  out.push_back(std::make_unique<index_range>(tenant_, seqs_));
  return out;
}

} // namespace atende

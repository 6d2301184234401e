#include "gateways/local_log.h"

#include <atomic>

#include <rocksdb/write_batch.h>

#include "gateways/partitioner.h"

namespace atende {

local_log::local_log(store& db, std::uint32_t partitions)
  : db_(db), partitions_(partitions) {
  for (std::uint32_t p = 0; p < partitions; ++p) {
    parts_.push_back(std::make_unique<partition_state>());
  }
}

result<std::unique_ptr<local_log>> local_log::open(store& db,
                                                   std::uint32_t partitions) {
  std::unique_ptr<local_log> log(new local_log(db, partitions));
  for (std::uint32_t p = 0; p < partitions; ++p) {
    auto last = db.last_key(keys::log_prefix(p));
    if (!last) {
      return std::unexpected(last.error());
    }
    if (last->has_value()) {
      auto off = std::string_view{**last}.substr(keys::log_prefix(p).size());
      log->parts_[p]->next = keys::read_fixed64be(off) + 1;
    }
  }
  return log;
}

void local_log::on_append(std::function<void(std::uint32_t)> wake) {
  wake_ = std::move(wake);
}

void local_log::append(std::uint32_t p, std::vector<std::size_t> which,
                       std::vector<input>& inputs,
                       const std::shared_ptr<submit_waiter>& w) {
  auto& part = *parts_[p];
  // Encoded before taking the lock: appends of other requests wait only for
  // the offsets and the write.
  std::vector<std::string> values;
  values.reserve(which.size());
  for (auto i : which) {
    values.push_back(encode_input(inputs[i]).dump());
  }
  rocksdb::WriteBatch b;
  std::vector<std::uint64_t> offsets;
  {
    std::lock_guard guard{part.mtx};
    for (std::size_t k = 0; k < which.size(); ++k) {
      auto i = which[k];
      auto off = part.next++;
      b.Put(keys::log(p, off), values[k]);
      part.waiting[off] = slot{w, i};
      offsets.push_back(off);
    }
    if (auto r = db_.write(b, false); !r) {
      // Nothing was appended: give the offsets back and fail these inputs.
      part.next -= offsets.size();
      for (auto off : offsets) {
        part.waiting.erase(off);
      }
      for (auto i : which) {
        outcome o;
        o.st = outcome::status::rejected;
        o.err = r.error();
        w->set(i, std::move(o));
      }
      return;
    }
  }
  if (wake_) {
    wake_(p);
  }
}

result<std::vector<std::pair<std::uint64_t, std::string>>>
local_log::outbound(const std::string& tenant, std::uint64_t after,
                    std::size_t limit) const {
  std::vector<std::pair<std::uint64_t, std::string>> out;
  const auto prefix = keys::outbox_prefix(tenant);
  auto r = db_.scan(
    prefix,
    [&](std::string_view key, std::string_view value) {
      auto seq = keys::read_fixed64be(key.substr(prefix.size()));
      if (seq > after) {
        out.emplace_back(seq, std::string{value});
      }
      return out.size() < limit;
    },
    keys::outbox(tenant, after + 1));
  if (!r) {
    return std::unexpected(r.error());
  }
  return out;
}

std::shared_ptr<const store>
local_log::tenant_store(const std::string& tenant) const {
  (void)tenant;
  // Not owned: the store outlives the log and every request.
  return {std::shared_ptr<const store>{}, &db_};
}

void local_log::submit(std::vector<input> inputs, submit_callback done) {
  auto w = submit_waiter::start(inputs.size(), std::move(done));
  if (!w) {
    return;
  }
  std::unordered_map<std::uint32_t, std::vector<std::size_t>> by_part;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    by_part[partition_of(inputs[i].tenant, partitions_)].push_back(i);
  }
  for (auto& [p, which] : by_part) {
    append(p, std::move(which), inputs, w);
  }
}

result<std::vector<log_record>>
local_log::read(std::uint32_t partition, std::uint32_t stream,
                std::uint64_t from, std::size_t max) {
  (void)stream; // one stream
  std::vector<log_record> out;
  auto prefix = keys::log_prefix(partition);
  auto r = db_.scan(
    prefix,
    [&](std::string_view k, std::string_view v) {
      out.push_back({partition,
                     keys::read_fixed64be(k.substr(prefix.size())),
                     std::string{v}});
      return out.size() < max;
    },
    keys::log(partition, from));
  if (!r) {
    return std::unexpected(r.error());
  }
  return out;
}

void local_log::resolve(std::uint32_t partition,
                        std::vector<committed_input>& inputs) {
  auto& part = *parts_[partition];
  std::vector<std::pair<slot, outcome>> ready;
  {
    std::lock_guard guard{part.mtx};
    for (auto& ci : inputs) {
      auto it = part.waiting.find(ci.offset);
      if (it != part.waiting.end()) {
        ready.emplace_back(std::move(it->second), std::move(ci.out));
        part.waiting.erase(it);
      }
    }
  }
  for (auto& [s, o] : ready) {
    s.w->set(s.index, std::move(o));
  }
}

void local_commit_sink::committed(std::uint32_t partition,
                                  const std::vector<event>& events,
                                  std::vector<committed_input> inputs,
                                  std::string_view writes) {
  (void)writes;
  views_.apply(events);
  {
    std::lock_guard guard{observer_mtx_};
    for (const auto& o : observers_) {
      o(events);
    }
  }
  log_.resolve(partition, inputs);
}

void local_commit_sink::observe(observer o) {
  std::lock_guard guard{observer_mtx_};
  observers_.push_back(std::move(o));
}

void local_commit_sink::clear_observers() {
  std::lock_guard guard{observer_mtx_};
  observers_.clear();
}

} // namespace atende

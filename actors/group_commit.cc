#include "actors/group_commit.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace atende {

void stop_shard(std::uint32_t partition, const error& e) {
  std::fprintf(stderr, "atende: shard %u: %s; stopping (restart resumes from "
                       "the last commit)\n",
               partition, e.message.c_str());
  std::fflush(stderr);
  std::abort();
}

group_commit::group_commit(store& db, commit_sink& sink,
                           std::uint32_t partition, shard_probe* probe,
                           bool sync, delivered_fn delivered)
  : db_(db), sink_(sink), partition_(partition), probe_(probe), sync_(sync),
    delivered_(std::move(delivered)) {
  worker_ = std::thread{[this] { run(); }};
}

group_commit::~group_commit() {
  {
    std::lock_guard g{mtx_};
    stopping_ = true;
  }
  cv_.notify_one();
  worker_.join();
}

void group_commit::push(cycle c) {
  {
    std::lock_guard g{mtx_};
    queue_.push_back(std::move(c));
  }
  cv_.notify_one();
}

void group_commit::run() {
  for (;;) {
    std::deque<cycle> ready;
    {
      std::unique_lock g{mtx_};
      cv_.wait(g, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        return; // stopping, and everything was reported
      }
      ready.swap(queue_);
    }
    // Every cycle in `ready` was written before this point: one fsync makes
    // them all durable.
    if (sync_) {
      auto t0 = std::chrono::steady_clock::now();
      if (auto r = db_.sync_wal(); !r) {
        stop_shard(partition_, r.error());
      }
      if (probe_ != nullptr) {
        auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - t0)
                    .count();
        probe_->wal_sync_latency.observe_us(static_cast<std::uint64_t>(us));
      }
    }
    for (auto& c : ready) {
      report(c);
    }
    if (delivered_) {
      delivered_(ready.size());
    }
  }
}

void group_commit::report(cycle& c) {
  if (probe_ != nullptr) {
    for (const auto& o : c.inputs) {
      auto& counter = o.out.st == outcome::status::accepted
                        ? probe_->inputs_applied
                      : o.out.st == outcome::status::duplicate
                        ? probe_->inputs_duplicate
                        : probe_->inputs_rejected;
      counter.fetch_add(1, std::memory_order_relaxed);
    }
    probe_->events_written.fetch_add(c.events.size(),
                                     std::memory_order_relaxed);
    probe_->next_offset.store(c.next[0], std::memory_order_relaxed);
    if (c.next.size() > 1) {
      probe_->next_offset_commands.store(c.next[1], std::memory_order_relaxed);
    }
    probe_->commits.fetch_add(1, std::memory_order_relaxed);
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::steady_clock::now() - c.started)
                .count();
    probe_->commit_latency.observe_us(static_cast<std::uint64_t>(us));
  }
  sink_.committed(partition_, c.events, std::move(c.inputs), c.writes);
}

} // namespace atende

// group_commit: makes a shard's written commit cycles durable off the
// shard's thread, and hands them to the commit_sink in the order they were
// written.
//
// The shard writes each cycle's WriteBatch without an fsync — RocksDB makes
// it visible to the next cycle's reads at once — and pushes the cycle here.
// A thread of its own takes every cycle queued so far, fsyncs the WAL once
// for all of them (store::sync_wal) and then reports each to the sink, in
// order. So the views, the replies and every outside effect (the sender,
// the streams, Kafka's changelog) see a cycle only once it is durable, while
// the shard already computes the next ones; and cycles written while one
// fsync runs share the next (group commit). A crash loses at most cycles
// nobody was told of: their inputs are still in the log, and a client that
// retries with the same id gets its outcome.
//
// With `sync` false the fsync is skipped; the order and the thread are the
// same.
//
// A failed fsync stops the process, as a failed write does: what the shard
// holds in memory is ahead of what is durable, and only a restart can make
// them agree again.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "actors/log.h"
#include "actors/shard_probe.h"
#include "actors/store.h"

namespace atende {

/// stop_shard writes why partition `partition`'s shard cannot go on and
/// stops the process (fail-stop): what it holds in memory is ahead of what
/// is durable, and a restart resumes from the last commit.
[[noreturn]] void stop_shard(std::uint32_t partition, const error& e);

class group_commit {
public:
  /// cycle: one written commit cycle, as the sink will be told of it.
  struct cycle {
    std::vector<event> events;
    std::vector<committed_input> inputs; // stream and offset resolved
    std::string writes;                  // the WriteBatch, serialized
    std::vector<std::uint64_t> next;     // per stream, after the cycle
    std::chrono::steady_clock::time_point started;
  };

  /// delivered(n): n more cycles were reported to the sink (called on the
  /// group_commit's thread).
  using delivered_fn = std::function<void(std::size_t)>;

  group_commit(store& db, commit_sink& sink, std::uint32_t partition,
               shard_probe* probe, bool sync, delivered_fn delivered);

  /// The destructor makes every pushed cycle durable and reports it before
  /// it returns.
  ~group_commit();
  group_commit(const group_commit&) = delete;
  group_commit& operator=(const group_commit&) = delete;

  /// push queues a cycle whose batch was written (store::write, no sync).
  void push(cycle c);

private:
  void run();
  void report(cycle& c);

  store& db_;
  commit_sink& sink_;
  std::uint32_t partition_;
  shard_probe* probe_;
  bool sync_;
  delivered_fn delivered_;
  std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<cycle> queue_;
  bool stopping_ = false;
  std::thread worker_;
};

} // namespace atende

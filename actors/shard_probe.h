// shard_probe: the numbers a partition shard exposes on /metrics.
//
// Written by the shard's own thread, read by the HTTP thread that renders
// /metrics: every field is atomic; the histogram's buckets are cumulative
// only when rendered.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace atende {

/// latency_histogram counts observations in fixed buckets (seconds):
/// 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
/// 0.25, 0.5, 1, 2.5, +Inf.
struct latency_histogram {
  static constexpr std::array<double, 14> bounds{
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
    0.025,  0.05,    0.1,    0.25,  0.5,   1.0,   2.5};
  std::array<std::atomic<std::uint64_t>, bounds.size() + 1> buckets{};
  std::atomic<std::uint64_t> count{0};
  std::atomic<std::uint64_t> sum_us{0};

  void observe_us(std::uint64_t us) {
    double s = static_cast<double>(us) / 1e6;
    std::size_t i = 0;
    while (i < bounds.size() && s > bounds[i]) {
      ++i;
    }
    buckets[i].fetch_add(1, std::memory_order_relaxed);
    count.fetch_add(1, std::memory_order_relaxed);
    sum_us.fetch_add(us, std::memory_order_relaxed);
  }
};

struct shard_probe {
  std::uint32_t partition = 0;
  std::atomic<std::uint64_t> inputs_applied{0};   // accepted
  std::atomic<std::uint64_t> inputs_duplicate{0};
  std::atomic<std::uint64_t> inputs_rejected{0};
  std::atomic<std::uint64_t> events_written{0};
  std::atomic<std::uint64_t> next_offset{0};      // next input offset to read
  std::atomic<std::uint64_t> next_offset_commands{0}; // Kafka: stream 1
  std::atomic<std::uint64_t> commits{0};
  /// commit_latency: from reading a cycle's inputs to handing the durable
  /// cycle to the sink.
  latency_histogram commit_latency;
  /// wal_sync_latency: each fsync of the write-ahead log; one makes every
  /// cycle written before it durable (group commit), so `commits` over its
  /// count is the cycles per fsync.
  latency_histogram wal_sync_latency;
};

} // namespace atende

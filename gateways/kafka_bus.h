// kafka_bus: Kafka mode's I/O (CONTRACT section 5, DESIGN "Scale").
//
// One object plays the three roles the embedded log plays single-node:
// - record_source: the shards read `atende.inbound` (stream 0, envelopes only)
//   and `atende.commands` (stream 1) of the partitions this instance owns;
// - engine_port: the HTTP gateway's inputs are produced to `atende.commands`
//   (keyed by tenant, murmur2 partition) and answered when their outcome is
//   published (see below);
// - commit_sink: each durable commit cycle is first published to the
//   partition's changelog (`atende.changelog`, the cycle's RocksDB WriteBatch,
//   gateways/changelog.h); once the broker has it, the views are updated, the
//   replies released, and the cycle's events and outbound records (the `j/`
//   and `u/` keys of the batch: the journal and the outbox) produced to
//   `atende.events` and `atende.outbound` by the idempotent producer. How far
//   that got is written with the next cycle (keys::published), so a new owner
//   republishes only what may be missing: outbound records keep their ids.
//
// Ownership: the consumer group (cooperative-sticky, static membership via
// `group.instance.id`) assigns `atende.inbound` partitions; the owner of
// inbound partition P also reads commands partition P (assigned by hand to a
// second consumer: Kafka's assignors do not keep two topics' partitions
// together under cooperative rebalancing), so that one tenant's inputs are
// applied by one shard. Both topics' positions are committed to the group for
// lag monitoring. On assignment the partition's RocksDB is
// rebuilt from the changelog (local data is only a cache: anything not in the
// changelog was never visible), its views from that journal, the shard started
// at the stored offsets, and the ownership announced on `atende.members`
// (partition → HTTP URL), which every instance reads to redirect queries. On
// revocation the shard is drained, its publications flushed, and its tenants
// dropped from the views.
//
// Broker faults: the producer retries without a deadline (idempotence keeps
// order and drops duplicates); a waiting HTTP caller gets 503 `unavailable`
// after `reply_timeout` and may retry with its idempotency key. health()
// reports "degraded" while no broker answers.
//
// Threads: one consumer thread (rebalances run there), one producer/health
// thread (delivery reports run there), one reader of `atende.members`.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "actors/log.h"
#include "actors/shard_probe.h"
#include "actors/store.h"
#include "gateways/changelog.h"
#include "gateways/engine_port.h"
#include "projections/views.h"

typedef struct rd_kafka_s rd_kafka_t;

namespace atende {

struct kafka_settings {
  std::string brokers;
  std::string prefix = "atende.";
  std::map<std::string, std::string> extra; // kafka.* keys, as-is
  std::uint32_t partitions = 4;
  std::string data;          // partition stores live in DATA/partitions/NNNN
  std::string instance;      // group.instance.id (stable across restarts)
  std::string url;           // this instance's HTTP base URL, announced
  std::chrono::milliseconds reply_timeout{30000};
  bool sync = true;          // fsync each commit cycle
};

/// shard_control: how the bus starts and stops a partition's shard (CAF
/// lives in tools/, which wires it).
struct shard_control {
  /// start spawns the shard of `partition` over `db` (already restored).
  std::function<result<void>(std::uint32_t partition, store& db)> start;
  /// stop drains and stops it; returns after its last cycle was handed over.
  std::function<void(std::uint32_t partition)> stop;
};

class kafka_bus final : public record_source,
                        public engine_port,
                        public commit_sink {
public:
  /// open connects the producer, checks the topics exist with the expected
  /// partitions (retrying while the broker is unreachable, up to `wait`).
  [[nodiscard]] static result<std::unique_ptr<kafka_bus>>
  open(kafka_settings s, views& v, std::chrono::milliseconds wait);
  ~kafka_bus() override;

  /// run joins the group, announcing `url` as this instance's HTTP address;
  /// partitions come and go from then on. `wake(p)` tells partition p's shard
  /// that records arrived.
  [[nodiscard]] result<void> run(std::string url, shard_control control,
                                 std::function<void(std::uint32_t)> wake);
  /// close leaves the group (revoking every partition) and stops the threads.
  void close();

  /// observer is told a partition's events once their cycle is durable
  /// (after the views have them), on a thread of the bus.
  using observer =
    std::function<void(std::uint32_t partition, const std::vector<event>&)>;
  /// observe sets the observer; call it before run.
  void observe(observer o) { observer_ = std::move(o); }

  /// probes: one per partition (offsets of the running shard).
  [[nodiscard]] std::vector<const shard_probe*> probes() const;
  [[nodiscard]] shard_probe* probe(std::uint32_t p) { return probes_[p].get(); }
  /// owned lists the partitions served here now.
  [[nodiscard]] std::vector<std::uint32_t> owned() const;

  // record_source
  [[nodiscard]] std::uint32_t streams() const override { return 2; }
  [[nodiscard]] result<std::vector<log_record>>
  read(std::uint32_t partition, std::uint32_t stream, std::uint64_t from,
       std::size_t max) override;

  // engine_port
  void submit(std::vector<input> inputs, submit_callback done) override;
  [[nodiscard]] placement locate(const std::string& tenant) const override;
  /// tenant_store: the store of the tenant's partition while it is owned
  /// here; holding it delays the partition's revocation until released.
  [[nodiscard]] std::shared_ptr<const store>
  tenant_store(const std::string& tenant) const override;
  [[nodiscard]] health_state health() const override;
  /// locate_partition: where the requests of partition `p`'s tenants go.
  [[nodiscard]] placement locate_partition(std::uint32_t p) const;
  [[nodiscard]] std::string metrics_text() const override;

  // commit_sink
  void committed(std::uint32_t partition, const std::vector<event>& events,
                 std::vector<committed_input> inputs,
                 std::string_view writes) override;
  void extra_puts(std::uint32_t partition,
                  std::vector<std::pair<std::string, std::string>>& puts)
    override;

  struct part;    // one partition's queues, store and publications
  struct cycle;   // one committed cycle on its way out

private:
  explicit kafka_bus(kafka_settings s, views& v);

  void consume_loop(rd_kafka_t* rk, std::uint32_t stream);
  void take(void* message, std::uint32_t stream);
  void produce_loop();
  void members_loop();
  void rebalance(int err, void* partitions);
  void assign(std::uint32_t p);
  void revoke(std::uint32_t p);
  void cycle_durable(std::uint32_t p);
  void cycle_published(std::uint32_t p);
  /// publish produces a cycle's events and outbound records (partition p of
  /// atende.events / atende.outbound), waiting for room in the producer's
  /// queue if `block`; `acked` runs once per record when the broker has it,
  /// after `before_each` ran for it. Returns how many. A record refused or
  /// failed stops the process (a restart republishes from the changelog).
  std::size_t publish(std::uint32_t p, const changelog::outputs& outs,
                      bool block, const std::function<void()>& acked,
                      const std::function<void()>& before_each = {});
  void resolve(const std::vector<committed_input>& inputs);
  void fail_waiters(std::uint32_t p, const std::string& why);
  struct ref_slot;
  void fail_waiters_if(const std::function<bool(const ref_slot&)>& which,
                       const std::string& why);
  void expire_waiters();
  void announce(std::uint32_t p);
  [[nodiscard]] std::string topic(const char* name) const;

  kafka_settings s_;
  views& views_;
  rd_kafka_t* producer_ = nullptr;
  rd_kafka_t* consumer_ = nullptr;  // the group: atende.inbound
  rd_kafka_t* commands_ = nullptr;  // atende.commands of owned partitions
  rd_kafka_t* members_ = nullptr;
  shard_control control_;
  observer observer_;
  std::function<void(std::uint32_t)> wake_;
  std::vector<std::unique_ptr<part>> parts_;
  std::vector<std::unique_ptr<shard_probe>> probes_;

  std::atomic<bool> stop_{false};          // consumers and members reader
  std::atomic<bool> stop_producer_{false}; // last: revocations need it
  std::thread consumer_thread_, commands_thread_, producer_thread_,
    members_thread_;

  struct ref_slot {
    std::shared_ptr<submit_waiter> w;
    std::size_t index = 0;
    std::uint32_t partition = 0;
    std::chrono::steady_clock::time_point deadline;
  };
  mutable std::mutex waiters_mu_;
  std::uint64_t next_ref_ = 1;
  std::unordered_map<std::uint64_t, ref_slot> refs_;

  mutable std::mutex members_mu_;
  std::vector<std::string> owner_url_; // per partition, "" unknown

  std::atomic<bool> degraded_{false};
  std::atomic<std::int64_t> degraded_since_ms_{0};
};

} // namespace atende

// local_log: the embedded, single-node input log, kept in the engine's
// RocksDB (keys "l/", see actors/store.h).
//
// It is the single-node stand-in for Kafka's input topics: the HTTP gateway
// appends inputs (engine_port::submit) to the partition of their tenant, and
// each partition shard reads them (record_source::read) exactly as it would
// read a Kafka partition. When a shard reports a commit, the waiting submit
// callbacks are resolved (local_commit_sink).
//
// Appends are not synced: an input is acknowledged only after the shard's
// synced commit, which makes the earlier log write durable too (one WAL). An
// input lost in a crash before that commit was never acknowledged, and its
// sender retries (envelope ids make the retry harmless).
//
// Thread-safety: submit may be called from any thread; read from one shard
// per partition; resolve from the shards.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "actors/log.h"
#include "actors/store.h"
#include "gateways/engine_port.h"
#include "projections/views.h"

namespace atende {

class local_log final : public record_source, public engine_port {
public:
  /// open positions the log after the last stored record of each partition.
  [[nodiscard]] static result<std::unique_ptr<local_log>>
  open(store& db, std::uint32_t partitions);

  /// on_append registers who to wake when a partition has new records.
  void on_append(std::function<void(std::uint32_t)> wake);

  void submit(std::vector<input> inputs, submit_callback done) override;

  [[nodiscard]] result<std::vector<std::pair<std::uint64_t, std::string>>>
  outbound(const std::string& tenant, std::uint64_t after,
           std::size_t limit) const override;

  /// tenant_store: the one store, which holds every tenant.
  [[nodiscard]] std::shared_ptr<const store>
  tenant_store(const std::string& tenant) const override;

  [[nodiscard]] result<std::vector<log_record>>
  read(std::uint32_t partition, std::uint32_t stream, std::uint64_t from,
       std::size_t max) override;

  /// resolve hands committed outcomes to the waiting submitters.
  void resolve(std::uint32_t partition, std::vector<committed_input>& inputs);

  [[nodiscard]] std::uint32_t partitions() const { return partitions_; }

private:
  struct slot {
    std::shared_ptr<submit_waiter> w;
    std::size_t index = 0;
  };
  struct partition_state {
    std::mutex mtx;
    std::uint64_t next = 0;
    std::unordered_map<std::uint64_t, slot> waiting;
  };

  local_log(store& db, std::uint32_t partitions);
  void append(std::uint32_t p, std::vector<std::size_t> which,
              std::vector<input>& inputs, const std::shared_ptr<submit_waiter>& w);

  store& db_;
  std::uint32_t partitions_;
  std::vector<std::unique_ptr<partition_state>> parts_;
  std::function<void(std::uint32_t)> wake_;
};

/// local_commit_sink: after each commit, updates the views and then releases
/// the replies, so that a client always reads its own writes.
class local_commit_sink final : public commit_sink {
public:
  using observer = std::function<void(const std::vector<event>&)>;

  local_commit_sink(views& v, local_log& log) : views_(v), log_(log) {}
  void committed(std::uint32_t partition, const std::vector<event>& events,
                 std::vector<committed_input> inputs,
                 std::string_view writes) override;

  /// observe adds `o`, called with the events of every later commit after
  /// the views, in the order observers were added.
  void observe(observer o);

  /// clear_observers removes them all; it returns once no call is running.
  void clear_observers();

private:
  views& views_;
  local_log& log_;
  std::mutex observer_mtx_;
  std::vector<observer> observers_;
};

} // namespace atende

// engine_port: how the HTTP gateway hands inputs to the engine.
//
// `submit` appends the inputs to the log of their tenant's partition (all or
// none), and later calls `done` exactly once, on an engine thread, with one
// outcome per input in the same order, after every one of them is committed
// (state, journal and input offset durable in RocksDB) and the views updated.
// `done` must not block: post the reply to the connection's executor.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "events/input.h"
#include "events/outcome.h"

namespace atende {

class store;

using submit_callback = std::function<void(std::vector<outcome>)>;

/// submit_waiter collects the outcomes of one submit call, one per input in
/// any order and from any thread, and calls `done` once, with the last.
class submit_waiter {
public:
  /// start returns the waiter of `n` inputs; with none it answers at once and
  /// returns nullptr.
  static std::shared_ptr<submit_waiter> start(std::size_t n,
                                              submit_callback done) {
    if (n == 0) {
      done({});
      return nullptr;
    }
    auto w = std::make_shared<submit_waiter>();
    w->outs_.resize(n);
    w->remaining_ = n;
    w->done_ = std::move(done);
    return w;
  }

  /// set records the outcome of input `i` (each index once).
  void set(std::size_t i, outcome o) {
    outs_[i] = std::move(o);
    if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      done_(std::move(outs_));
    }
  }

private:
  std::vector<outcome> outs_;
  std::atomic<std::size_t> remaining_{0};
  submit_callback done_;
};

class engine_port {
public:
  virtual ~engine_port() = default;
  virtual void submit(std::vector<input> inputs, submit_callback done) = 0;

  /// outbound returns up to `limit` outbound records (actors/outbound.h,
  /// JSON text) of `tenant` whose event seq is greater than `after`, oldest
  /// first: what connectors are asked to send, as committed. Engines that
  /// publish them elsewhere answer errc::unsupported.
  [[nodiscard]] virtual result<std::vector<std::pair<std::uint64_t, std::string>>>
  outbound(const std::string& tenant, std::uint64_t after,
           std::size_t limit) const {
    (void)tenant;
    (void)after;
    (void)limit;
    return fail(errc::unsupported, "this engine publishes outbound records "
                                   "to its broker");
  }

  /// tenant_store returns the store that holds `tenant`'s journal (keys
  /// "j/" and "x/", actors/store.h) while this instance serves the tenant,
  /// or null (served elsewhere, or by nobody right now). Read it and let go:
  /// in Kafka mode the pointer keeps the tenant's partition from being
  /// handed over, so release it promptly and on the thread that got it.
  [[nodiscard]] virtual std::shared_ptr<const store>
  tenant_store(const std::string& tenant) const {
    (void)tenant;
    return nullptr;
  }

  /// placement: where a tenant's requests are served. `here` unless the
  /// tenant's partition is owned by another instance (`redirect` names its
  /// base URL) or by nobody right now (`unavailable`, e.g. being restored).
  struct placement {
    enum class where { here, redirect, unavailable } at = where::here;
    std::string url;
  };
  [[nodiscard]] virtual placement locate(const std::string& tenant) const {
    (void)tenant;
    return {};
  }

  /// health_state: what /healthz says. `status` is "ok"; "degraded" (the
  /// broker is unreachable: still serving the views) with `reason`; or
  /// "starting" while some partition has no owner yet, so that requests
  /// about its tenants would be refused (Kafka mode). `owned` lists the
  /// partitions served here (Kafka mode; empty on the embedded log).
  struct health_state {
    std::string status = "ok";
    std::string reason;
    bool kafka = false;
    std::vector<std::uint32_t> owned;
  };
  [[nodiscard]] virtual health_state health() const { return {}; }

  /// metrics_text: the engine's own Prometheus lines (consumer lag).
  [[nodiscard]] virtual std::string metrics_text() const { return {}; }
};

} // namespace atende

// clock: the engine's clock ticks. Reducers never read the clock (time comes
// from inputs), so a conversation held outside its portfolio's business
// hours is looked at again only when an input of its tenant arrives. For a
// quiet tenant the clock appends one: a `tenant.tick` input (actor
// `rule:clock`, stamped with the wall clock) for each tenant that has a
// portfolio with business hours, every `engine.tick_seconds`.
//
// Thread-safety: clock_ticks is a pure function of the views; a ticker runs
// one thread of its own and stops (joins) on destruction.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "events/input.h"
#include "gateways/engine_port.h"
#include "projections/views.h"

namespace atende {

/// clock_ticks: the tick inputs due at `now` (one per tenant with hours).
[[nodiscard]] std::vector<input> clock_ticks(const views& v, timestamp now);

/// ticker submits clock_ticks every `period` until destroyed.
class ticker {
public:
  ticker(engine_port& port, const views& v, std::chrono::seconds period);
  ~ticker();
  ticker(const ticker&) = delete;
  ticker& operator=(const ticker&) = delete;

private:
  void loop();

  engine_port& port_;
  const views& views_;
  std::chrono::seconds period_;
  std::mutex mtx_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

} // namespace atende

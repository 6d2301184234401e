// run_sync: submit inputs to an engine and wait for their outcomes, for the
// benchmarks that drive an engine in process.
#pragma once

#include <condition_variable>
#include <mutex>
#include <vector>

#include "gateways/engine_port.h"

namespace atende {

/// run_sync submits `inputs` and waits for their commit.
inline std::vector<outcome> run_sync(engine_port& port,
                                     std::vector<input> inputs) {
  std::mutex mtx;
  std::condition_variable cv;
  bool done = false;
  std::vector<outcome> out;
  port.submit(std::move(inputs), [&](std::vector<outcome> o) {
    std::lock_guard g{mtx};
    out = std::move(o);
    done = true;
    cv.notify_all();
  });
  std::unique_lock lk{mtx};
  cv.wait(lk, [&] { return done; });
  return out;
}

} // namespace atende

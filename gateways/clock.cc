#include "gateways/clock.h"

namespace atende {

std::vector<input> clock_ticks(const views& v, timestamp now) {
  std::vector<input> out;
  for (const auto& tenant : v.tenants_with_hours()) {
    input in;
    in.id = "tick." + std::to_string(now);
    in.tenant = tenant;
    in.at = now;
    in.actor = "rule:clock";
    in.data = tenant_tick{};
    out.push_back(std::move(in));
  }
  return out;
}

ticker::ticker(engine_port& port, const views& v, std::chrono::seconds period)
  : port_(port), views_(v), period_(period), thread_([this] { loop(); }) {}

ticker::~ticker() {
  {
    std::lock_guard lock(mtx_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void ticker::loop() {
  std::unique_lock lock(mtx_);
  while (!cv_.wait_for(lock, period_, [this] { return stop_; })) {
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
    auto ticks = clock_ticks(views_, now);
    if (!ticks.empty()) {
      port_.submit(std::move(ticks), [](std::vector<outcome>) {});
    }
  }
}

} // namespace atende

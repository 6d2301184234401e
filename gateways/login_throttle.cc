#include "gateways/login_throttle.h"

#include <algorithm>

namespace atende {

timestamp login_throttle::wait_ms(const entry& e) {
  if (e.failures >= refuse_after) {
    return quiet_ms;
  }
  if (e.failures < free_failures) {
    return 0;
  }
  return timestamp{1000} << std::min(e.failures - free_failures, 6);
}

std::int64_t login_throttle::retry_after_seconds(const std::string& key,
                                                 timestamp now) const {
  std::lock_guard g{mtx_};
  auto it = keys_.find(key);
  if (it == keys_.end()) {
    return 0;
  }
  auto until = it->second.last + wait_ms(it->second);
  return until > now ? (until - now + 999) / 1000 : 0;
}

result<void> login_throttle::check(const std::string& key, timestamp now) {
  std::lock_guard g{mtx_};
  auto it = keys_.find(key);
  if (it == keys_.end()) {
    return {};
  }
  if (now - it->second.last >= quiet_ms) {
    keys_.erase(it);
    return {};
  }
  auto until = it->second.last + wait_ms(it->second);
  if (now >= until) {
    return {};
  }
  auto seconds = (until - now + 999) / 1000;
  return fail(errc::too_many_attempts,
              "too many failed sign-ins for this login: try again in " +
                std::to_string(seconds) + " s");
}

void login_throttle::failed(const std::string& key, timestamp now) {
  std::lock_guard g{mtx_};
  if (keys_.size() >= max_keys) {
    std::erase_if(keys_, [&](const auto& kv) {
      return now - kv.second.last >= quiet_ms;
    });
  }
  auto& e = keys_[key];
  if (e.failures > 0 && now - e.last >= quiet_ms) {
    e.failures = 0;
  }
  ++e.failures;
  e.last = now;
}

void login_throttle::succeeded(const std::string& key) {
  std::lock_guard g{mtx_};
  keys_.erase(key);
}

} // namespace atende

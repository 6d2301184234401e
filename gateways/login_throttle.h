// login_throttle: slows down, then refuses, repeated sign-in failures for one
// login, so that a password cannot be guessed by trying many.
//
// Policy, per key (tenant and login): the first 3 failures cost nothing; from
// the 3rd on, the next attempt must wait 1 s, then 2 s, 4 s … (doubling, at
// most 64 s) after the last failure; from the 10th on, the login is refused
// for 15 minutes after its last failure. A success forgets the key, and so
// do 15 quiet minutes. Refusals are errc::too_many_attempts with the seconds
// to wait, without checking the password: they cost no hashing.
//
// Thread-safety: every member may be called from any thread.
//
//   if (auto wait = throttle.check(key, now); !wait) return reply(wait.error());
//   if (!password_ok) throttle.failed(key, now); else throttle.succeeded(key);
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "events/errc.h"
#include "events/time.h"

namespace atende {

class login_throttle {
public:
  static constexpr int free_failures = 3;
  static constexpr int refuse_after = 10;
  static constexpr timestamp quiet_ms = 15 * 60 * 1000;

  /// check returns an error (too_many_attempts, with retry_after_seconds)
  /// when `key` may not try now.
  [[nodiscard]] result<void> check(const std::string& key, timestamp now);

  /// retry_after_seconds: how long check's last refusal of `key` asks to wait
  /// (0 when it may try now).
  [[nodiscard]] std::int64_t retry_after_seconds(const std::string& key,
                                                 timestamp now) const;

  void failed(const std::string& key, timestamp now);
  void succeeded(const std::string& key);

  /// max_keys bounds the memory: past it, quiet keys are dropped.
  static constexpr std::size_t max_keys = 100'000;

private:
  struct entry {
    int failures = 0;
    timestamp last = 0;
  };
  [[nodiscard]] static timestamp wait_ms(const entry& e);

  mutable std::mutex mtx_;
  std::unordered_map<std::string, entry> keys_;
};

} // namespace atende

// channel_errors: what Meta's webhook said about a number itself
// (`value.errors[]`: throughput limits, a failed registration, …), recorded
// on the channel the number belongs to and shown in its GET and /metrics.
//
// Kept since the process started, like the sender's health: the counts
// start again with the process.
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace atende {

class channel_errors {
public:
  /// add records Meta's error object `error` (as Meta sent it: code, title,
  /// message, error_data) about channel (tenant, channel), at `at`.
  void add(const std::string& tenant, const std::string& channel,
           const nlohmann::json& error, const std::string& at);

  /// of is {webhook_errors: {code: count}, last_webhook_error: {code, title,
  /// details?, at} | null} for the channel.
  [[nodiscard]] nlohmann::json of(const std::string& tenant,
                                  const std::string& channel) const;

  /// metrics_text: atende_whatsapp_webhook_errors_total{tenant,channel,code}.
  [[nodiscard]] std::string metrics_text() const;

private:
  struct record {
    std::map<std::string, std::uint64_t> by_code;
    nlohmann::json last;
  };
  mutable std::mutex mtx_;
  std::map<std::pair<std::string, std::string>, record> records_;
};

} // namespace atende

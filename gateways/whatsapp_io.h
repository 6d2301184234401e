// whatsapp_io: what the HTTP API asks of atende's own WhatsApp work — the
// sender (whatsapp_sender.h) and the media fetcher (media_fetcher.h): a
// channel's health, their Prometheus lines, marking messages read.
//
// On the embedded log one sender and one fetcher serve every tenant. In
// Kafka mode each partition served here has its pair, started and stopped
// with the partition (tools/kafka_engine.h), and a tenant's requests are
// served by the owner of its partition, so the pair of the tenant's
// partition answers for it. Pairs are only reached under their owner's
// lock, through the two functions given, so that a partition leaving
// meanwhile never leaves a dangling pointer.
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace atende {

class whatsapp_sender;
class media_fetcher;

/// whatsapp_pair: the sender and the fetcher of one partition (or of all).
struct whatsapp_pair {
  const whatsapp_sender* sender = nullptr;
  const media_fetcher* fetcher = nullptr;
};

class whatsapp_io {
public:
  using visit_fn = std::function<void(const whatsapp_pair&)>;
  /// with_tenant calls its argument with the pair serving `tenant`, if one
  /// runs here; each calls it with every pair.
  using with_tenant_fn =
    std::function<void(const std::string& tenant, const visit_fn&)>;
  using each_fn = std::function<void(const visit_fn&)>;

  whatsapp_io(with_tenant_fn with_tenant, each_fn each)
    : with_tenant_(std::move(with_tenant)), each_(std::move(each)) {}

  /// health is the channel's sending record (whatsapp_sender::health) with
  /// `media`, its fetching record; {} when no pair serves the tenant here.
  [[nodiscard]] nlohmann::json health(const std::string& tenant,
                                      const std::string& channel) const;

  /// metrics_text: the Prometheus lines of every pair, one family each.
  [[nodiscard]] std::string metrics_text() const;

  /// mark_read: whatsapp_sender::mark_read by the tenant's pair.
  void mark_read(const std::string& tenant, const std::string& channel,
                 const std::string& conversation,
                 const std::string& message_id) const;

private:
  with_tenant_fn with_tenant_;
  each_fn each_;
};

/// merge_metrics joins Prometheus text expositions of counters and gauges:
/// each family's `# HELP` and `# TYPE` once, then all its samples, families
/// in order of first appearance (the format allows a family to appear only
/// once).
[[nodiscard]] std::string merge_metrics(const std::vector<std::string>& texts);

} // namespace atende

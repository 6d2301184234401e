// kafka_engine: the engine in Kafka mode — views, the Kafka bus and one shard
// per partition this instance owns, started and stopped as the consumer
// group moves partitions (gateways/kafka_bus.h).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "config/config.h"
#include "gateways/clock.h"
#include "gateways/kafka_bus.h"
#include "gateways/media_fetcher.h"
#include "gateways/media_store.h"
#include "gateways/stream_hub.h"
#include "gateways/subscription_sender.h"
#include "gateways/whatsapp_io.h"
#include "gateways/whatsapp_sender.h"
#include "projections/views.h"

namespace atende::tools {

class kafka_engine {
public:
  /// start connects to the brokers and checks the topics (waiting up to 30 s
  /// for a broker); `run` then joins the group.
  [[nodiscard]] static result<std::unique_ptr<kafka_engine>>
  start(const config& cfg);
  ~kafka_engine();

  /// send_with makes `run` start, for each partition served here, a sender
  /// of its outbound messages through Meta's Graph API
  /// (gateways/whatsapp_sender.h), a fetcher of its customers' media
  /// (gateways/media_fetcher.h) over the partition's store, and a sender of
  /// its tenants' subscriptions (gateways/subscription_sender.h), stopped
  /// when the partition goes. Call it before run.
  void send_with(const sealer& secrets, sender_options o,
                 subscription_options so) {
    secrets_ = &secrets;
    sender_options_ = std::move(o);
    subscription_options_ = std::move(so);
  }

  /// run joins the consumer group, announcing `url` to the other instances.
  [[nodiscard]] result<void> run(const std::string& url);

  /// media is where media are kept (config media_dir_of): shared by the
  /// instances when there are several, as a partition's next owner serves
  /// and sends what its earlier one stored.
  const media_store& media() const { return *media_; }
  /// whatsapp reaches, for the HTTP API, the sender and fetcher of the
  /// partition of a tenant, or all of them.
  const whatsapp_io& whatsapp() const { return *whatsapp_; }
  /// subscriptions reaches the subscriptions' sender of the partition of a
  /// tenant, or all of them.
  const subscription_io& subscriptions() const { return subscription_io_; }
  /// streams serves GET /v1/stream for the tenants of the partitions served
  /// here.
  stream_hub& streams() { return *streams_; }

  engine_port& port() { return *bus_; }
  views& read_side() { return *views_; }
  [[nodiscard]] std::vector<const shard_probe*> probes() const {
    return bus_->probes();
  }

private:
  kafka_engine() = default;

  config cfg_;
  std::unique_ptr<views> views_;
  std::unique_ptr<caf::actor_system_config> sys_cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  std::unique_ptr<kafka_bus> bus_;
  std::mutex shards_mu_;
  std::map<std::uint32_t, caf::actor> shards_;
  const sealer* secrets_ = nullptr;
  sender_options sender_options_;
  subscription_options subscription_options_;
  /// whatsapp_work: a partition's sender and fetcher, and its
  /// subscriptions' sender, started and stopped together.
  struct whatsapp_work {
    std::unique_ptr<whatsapp_sender> sender;
    std::unique_ptr<media_fetcher> fetcher;
    std::unique_ptr<subscription_sender> subscriptions;
  };
  // One per partition served here, under shards_mu_.
  std::map<std::uint32_t, whatsapp_work> works_;
  std::unique_ptr<media_store> media_;
  std::unique_ptr<whatsapp_io> whatsapp_;
  subscription_io subscription_io_;
  std::unique_ptr<stream_hub> streams_;
  std::unique_ptr<ticker> ticker_;
};

/// instance_id returns this data directory's instance id (DATA/instance-id,
/// created on first use): the consumer group's static member id.
[[nodiscard]] result<std::string> instance_id(const std::string& data);

} // namespace atende::tools

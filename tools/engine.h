// engine: the single-node engine assembled — store, embedded log, shards,
// views — without the HTTP server. `serve` runs it behind HTTP; tests and
// benchmarks drive it directly through its engine_port.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/shard_probe.h"
#include "actors/store.h"
#include "config/config.h"
#include "gateways/clock.h"
#include "gateways/local_log.h"
#include "gateways/media_fetcher.h"
#include "gateways/media_store.h"
#include "gateways/stream_hub.h"
#include "gateways/subscription_sender.h"
#include "gateways/whatsapp_io.h"
#include "gateways/whatsapp_sender.h"
#include "projections/views.h"

namespace atende::tools {

/// fetcher_options_of: the media fetcher uses the sender's Graph URL,
/// time-out and retries.
[[nodiscard]] fetcher_options fetcher_options_of(const sender_options& o);

/// stream_options_of: the `stream.*` keys.
[[nodiscard]] stream_options stream_options_of(const config& c);

/// subscription_options_of: the `subscriptions.*` keys.
[[nodiscard]] subscription_options subscription_options_of(const config& c);

class engine {
public:
  /// start opens `cfg.data`, restores the views (the checkpoint of the last
  /// clean stop, `<data>/views.checkpoint`, and the journal since; the whole
  /// journal when there is none or it cannot be used) and starts one shard
  /// per partition (they resume from their stored offsets). The engine
  /// writes the checkpoint when it is destroyed.
  [[nodiscard]] static result<std::unique_ptr<engine>>
  start(const config& cfg, bool quiet = false);

  ~engine();

  /// start_sender starts sending the outbound messages of channels with an
  /// access token through Meta's Graph API (gateways/whatsapp_sender.h),
  /// and fetching their customers' media (gateways/media_fetcher.h) with the
  /// same Graph URL, time-out and retries.
  [[nodiscard]] result<void> start_sender(const sealer& secrets,
                                          sender_options o);
  /// sender is the running one, or null; whatsapp reaches it and the
  /// media fetcher for the HTTP API (null before start_sender).
  const whatsapp_sender* sender() const { return sender_.get(); }
  const whatsapp_io* whatsapp() const { return whatsapp_.get(); }
  /// start_subscriptions starts delivering to the tenants' subscriptions
  /// (gateways/subscription_sender.h); `subscriptions` reaches the sender
  /// for the HTTP API (null before).
  [[nodiscard]] result<void> start_subscriptions(const sealer& secrets,
                                                 subscription_options o);
  const subscription_io* subscriptions() const {
    return subscriptions_ ? &subscription_io_ : nullptr;
  }
  /// streams serves GET /v1/stream from the commits of this engine.
  stream_hub& streams() { return *streams_; }
  /// media is where media are kept (config media_dir_of).
  const media_store& media() const { return *media_; }

  engine_port& port() { return *log_; }
  views& read_side() { return *views_; }
  store& db() { return *db_; }
  std::vector<const shard_probe*> probes() const;

private:
  engine() = default;

  std::unique_ptr<store> db_;
  std::unique_ptr<views> views_;
  std::unique_ptr<local_log> log_;
  std::unique_ptr<local_commit_sink> sink_;
  std::vector<std::unique_ptr<shard_probe>> probes_;
  std::unique_ptr<caf::actor_system_config> sys_cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  std::vector<caf::actor> shards_;
  std::unique_ptr<ticker> ticker_;
  std::unique_ptr<media_store> media_;
  std::unique_ptr<whatsapp_sender> sender_;
  std::unique_ptr<media_fetcher> fetcher_;
  std::unique_ptr<whatsapp_io> whatsapp_;
  std::unique_ptr<stream_hub> streams_;
  std::unique_ptr<subscription_sender> subscriptions_;
  subscription_io subscription_io_;
  std::string checkpoint_path_; // the views' checkpoint, written at a stop
  bool quiet_ = false;
};

/// program_build is the running program's identity (the hex of its ELF
/// build id, which any change of its code changes); empty when it has none.
/// A views checkpoint is read only by the program that wrote it.
[[nodiscard]] const std::string& program_build();

} // namespace atende::tools

#include "tools/kafka_engine.h"

#include <filesystem>
#include <fstream>

#include "actors/messages.h"
#include "actors/shard.h"
#include "gateways/crypto.h"
#include "gateways/partitioner.h"
#include "tools/engine.h"

namespace atende::tools {

result<std::string> instance_id(const std::string& data) {
  auto path = data + "/instance-id";
  if (std::ifstream in{path}; in) {
    std::string id;
    std::getline(in, id);
    if (!id.empty()) {
      return id;
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(data, ec);
  auto fresh = random_token();
  if (!fresh) {
    return fresh;
  }
  auto id = "atende-" + fresh->substr(0, 16);
  std::ofstream out{path, std::ios::trunc};
  out << id << "\n";
  if (!out) {
    return fail(errc::internal, "cannot write " + path, "data");
  }
  return id;
}

result<std::unique_ptr<kafka_engine>> kafka_engine::start(const config& cfg) {
  std::unique_ptr<kafka_engine> e{new kafka_engine()};
  e->cfg_ = cfg;
  auto id = instance_id(cfg.data);
  if (!id) {
    return std::unexpected(id.error());
  }
  kafka_settings s;
  s.brokers = cfg.kafka_brokers;
  s.prefix = cfg.kafka_topic_prefix;
  s.extra = cfg.kafka;
  s.partitions = cfg.partitions;
  s.data = cfg.data;
  s.instance = *id;
  s.sync = cfg.engine_sync;
  e->views_ = std::make_unique<views>();
  e->media_ = std::make_unique<media_store>(media_dir_of(cfg));
  auto* raw = e.get();
  auto pair_of = [raw](std::uint32_t p) {
    whatsapp_pair pair;
    if (auto it = raw->senders_.find(p); it != raw->senders_.end()) {
      pair.sender = it->second.get();
    }
    if (auto it = raw->fetchers_.find(p); it != raw->fetchers_.end()) {
      pair.fetcher = it->second.get();
    }
    return pair;
  };
  e->whatsapp_ = std::make_unique<whatsapp_io>(
    [raw, pair_of](const std::string& tenant,
                   const whatsapp_io::visit_fn& f) {
      std::lock_guard g{raw->shards_mu_};
      auto p = partition_of(tenant, raw->cfg_.partitions);
      if (raw->senders_.contains(p)) {
        f(pair_of(p));
      }
    },
    [raw, pair_of](const whatsapp_io::visit_fn& f) {
      std::lock_guard g{raw->shards_mu_};
      for (const auto& [p, s] : raw->senders_) {
        f(pair_of(p));
      }
    });
  auto bus = kafka_bus::open(s, *e->views_, std::chrono::seconds{30});
  if (!bus) {
    return std::unexpected(bus.error());
  }
  e->bus_ = std::move(*bus);
  e->streams_ = std::make_unique<stream_hub>(*e->views_, *e->bus_,
                                             stream_options_of(cfg));
  e->sys_cfg_ = std::make_unique<caf::actor_system_config>();
  e->sys_cfg_->set("scheduler.max-threads", cfg.engine_threads);
  e->sys_cfg_->set("scheduler.policy", caf::atom("sharing"));
  e->sys_cfg_->set("logger.verbosity", caf::atom("quiet"));
  e->sys_ = std::make_unique<caf::actor_system>(*e->sys_cfg_);
  return e;
}

result<void> kafka_engine::run(const std::string& url) {
  shard_control control;
  control.start = [this](std::uint32_t p, store& db) -> result<void> {
    shard_config sc;
    sc.partition = p;
    sc.db = &db;
    sc.source = bus_.get();
    sc.sink = bus_.get();
    sc.probe = bus_->probe(p);
    sc.max_batch = cfg_.engine_max_batch;
    sc.resident_entities = cfg_.engine_resident_entities;
    sc.sync = cfg_.engine_sync;
    auto shard = spawn_shard(*sys_, sc);
    if (!shard) {
      return std::unexpected(shard.error());
    }
    std::unique_ptr<whatsapp_sender> sender;
    std::unique_ptr<media_fetcher> fetcher;
    if (secrets_ != nullptr) {
      // Sends and fetches left by an earlier owner of the partition are in
      // its store.
      sender = std::make_unique<whatsapp_sender>(
        db, *bus_, *views_, *secrets_, sender_options_, media_.get());
      fetcher = std::make_unique<media_fetcher>(
        db, *bus_, *views_, *secrets_, *media_,
        fetcher_options_of(sender_options_));
      if (auto r = sender->start(); !r) {
        return r;
      }
      if (auto r = fetcher->start(); !r) {
        return r;
      }
    }
    std::lock_guard g{shards_mu_};
    shards_[p] = *shard;
    if (sender) {
      senders_[p] = std::move(sender);
      fetchers_[p] = std::move(fetcher);
    }
    return {};
  };
  control.stop = [this](std::uint32_t p) {
    caf::actor shard;
    {
      std::lock_guard g{shards_mu_};
      auto it = shards_.find(p);
      if (it == shards_.end()) {
        return;
      }
      shard = it->second;
      shards_.erase(it);
    }
    caf::scoped_actor self{*sys_};
    self->request(shard, caf::infinite, drain_atom_v)
      .receive([](caf::unit_t) {}, [](caf::error&) {});
    std::unique_ptr<whatsapp_sender> sender;
    std::unique_ptr<media_fetcher> fetcher;
    {
      std::lock_guard g{shards_mu_};
      if (auto it = senders_.find(p); it != senders_.end()) {
        sender = std::move(it->second);
        senders_.erase(it);
      }
      if (auto it = fetchers_.find(p); it != fetchers_.end()) {
        fetcher = std::move(it->second);
        fetchers_.erase(it);
      }
    }
    // Its tenants' streams end: their clients go to the next owner.
    const auto partitions = cfg_.partitions;
    streams_->close_where([p, partitions](const std::string& tenant) {
      return partition_of(tenant, partitions) == p;
    });
    // Their requests on their way finish (at most one time-out each) before
    // the partition's store closes.
    sender.reset();
    fetcher.reset();
  };
  bus_->observe([this](std::uint32_t p, const std::vector<event>& events) {
    streams_->notify(events);
    std::lock_guard g{shards_mu_};
    if (auto it = senders_.find(p); it != senders_.end()) {
      it->second->notify(events);
    }
    if (auto it = fetchers_.find(p); it != fetchers_.end()) {
      it->second->notify(events);
    }
  });
  auto wake = [this](std::uint32_t p) {
    std::lock_guard g{shards_mu_};
    if (auto it = shards_.find(p); it != shards_.end()) {
      caf::anon_send(it->second, wake_atom_v);
    }
  };
  if (auto r = bus_->run(url, std::move(control), std::move(wake)); !r) {
    return r;
  }
  if (cfg_.engine_tick_seconds > 0) {
    ticker_ = std::make_unique<ticker>(
      *bus_, *views_, std::chrono::seconds{cfg_.engine_tick_seconds});
  }
  return {};
}

kafka_engine::~kafka_engine() {
  ticker_.reset();
  if (streams_) {
    streams_->stop();
  }
  if (bus_) {
    bus_->close();
  }
  sys_.reset();
  bus_.reset();
}

} // namespace atende::tools

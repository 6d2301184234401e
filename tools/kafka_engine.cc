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
  auto pair_of = [](const whatsapp_work& w) {
    return whatsapp_pair{w.sender.get(), w.fetcher.get()};
  };
  e->whatsapp_ = std::make_unique<whatsapp_io>(
    [raw, pair_of](const std::string& tenant,
                   const whatsapp_io::visit_fn& f) {
      std::lock_guard g{raw->shards_mu_};
      auto p = partition_of(tenant, raw->cfg_.partitions);
      if (auto it = raw->works_.find(p); it != raw->works_.end()) {
        f(pair_of(it->second));
      }
    },
    [raw, pair_of](const whatsapp_io::visit_fn& f) {
      std::lock_guard g{raw->shards_mu_};
      for (const auto& [p, w] : raw->works_) {
        f(pair_of(w));
      }
    });
  e->subscription_io_.of = [raw](const std::string& tenant,
                                 const subscription_io::visit_fn& f) {
    std::lock_guard g{raw->shards_mu_};
    auto p = partition_of(tenant, raw->cfg_.partitions);
    if (auto it = raw->works_.find(p);
        it != raw->works_.end() && it->second.subscriptions) {
      f(*it->second.subscriptions);
    }
  };
  e->subscription_io_.each = [raw](const subscription_io::visit_fn& f) {
    std::lock_guard g{raw->shards_mu_};
    for (const auto& [p, w] : raw->works_) {
      if (w.subscriptions) {
        f(*w.subscriptions);
      }
    }
  };
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
    sc.unsynced_cycles = cfg_.engine_unsynced_cycles;
    sc.sync = cfg_.engine_sync;
    auto shard = spawn_shard(*sys_, sc);
    if (!shard) {
      return std::unexpected(shard.error());
    }
    whatsapp_work work;
    if (secrets_ != nullptr) {
      // Sends and fetches left by an earlier owner of the partition are in
      // its store.
      work.sender = std::make_unique<whatsapp_sender>(
        db, *bus_, *views_, *secrets_, sender_options_, media_.get());
      work.fetcher = std::make_unique<media_fetcher>(
        db, *bus_, *views_, *secrets_, *media_,
        fetcher_options_of(sender_options_));
      const auto partitions = cfg_.partitions;
      work.subscriptions = std::make_unique<subscription_sender>(
        *bus_, *views_, *secrets_, subscription_options_,
        [p, partitions](const std::string& tenant) {
          return partition_of(tenant, partitions) == p;
        });
      if (auto r = work.sender->start(); !r) {
        return r;
      }
      if (auto r = work.fetcher->start(); !r) {
        return r;
      }
      if (auto r = work.subscriptions->start(); !r) {
        return r;
      }
    }
    std::lock_guard g{shards_mu_};
    shards_[p] = *shard;
    if (work.sender) {
      works_[p] = std::move(work);
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
    whatsapp_work work;
    {
      std::lock_guard g{shards_mu_};
      if (auto it = works_.find(p); it != works_.end()) {
        work = std::move(it->second);
        works_.erase(it);
      }
    }
    // Its tenants' streams end: their clients go to the next owner.
    const auto partitions = cfg_.partitions;
    streams_->close_where([p, partitions](const std::string& tenant) {
      return partition_of(tenant, partitions) == p;
    });
    // Their requests on their way finish (at most one time-out each) before
    // the partition's store closes.
    work = {};
  };
  bus_->observe([this](std::uint32_t p, const std::vector<event>& events) {
    streams_->notify(events);
    std::lock_guard g{shards_mu_};
    if (auto it = works_.find(p); it != works_.end()) {
      it->second.sender->notify(events);
      it->second.fetcher->notify(events);
      it->second.subscriptions->notify(events);
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

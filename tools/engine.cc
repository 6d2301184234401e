#include "tools/engine.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>

#include "actors/messages.h"
#include "actors/shard.h"
#include "actors/snapshot.h"
#include "gateways/journal.h"
#include "gateways/partitioner.h"

namespace atende::tools {

namespace {

result<void> rebuild_views(const store& db, views& v, bool quiet) {
  auto t0 = std::chrono::steady_clock::now();
  auto n = read_journal(db, [&v](std::vector<event>& chunk) { v.apply(chunk); });
  if (!n) {
    return std::unexpected(n.error());
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::steady_clock::now() - t0)
              .count();
  if (!quiet && *n > 0) {
    std::fprintf(stderr, "atende: views rebuilt from %llu events in %lld ms\n",
                 static_cast<unsigned long long>(*n),
                 static_cast<long long>(ms));
  }
  return {};
}

/// stored_tenants lists the tenants with a snapshot in `db`, by partition.
result<std::vector<std::vector<std::string>>>
stored_tenants(const store& db, std::uint32_t partitions) {
  std::vector<std::vector<std::string>> out(partitions);
  auto r = db.scan("t/", [&](std::string_view k, std::string_view) {
    auto t = k.substr(2);
    out[partition_of(t, partitions)].emplace_back(t);
    return true;
  });
  if (!r) {
    return std::unexpected(r.error());
  }
  return out;
}

/// load_all_cores loads the cores of every partition's tenants.
result<std::vector<loaded_cores>>
load_all_cores(const store& db,
               const std::vector<std::vector<std::string>>& tenants,
               bool quiet) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<loaded_cores> out;
  std::size_t n = 0;
  for (const auto& p : tenants) {
    auto cores = load_cores(db, p);
    if (!cores) {
      return std::unexpected(cores.error());
    }
    n += cores->size();
    out.push_back(std::move(*cores));
  }
  if (!quiet && n > 0) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - t0)
                .count();
    std::fprintf(stderr, "atende: %zu tenants loaded in %lld ms\n", n,
                 static_cast<long long>(ms));
  }
  return out;
}

} // namespace

result<std::unique_ptr<engine>> engine::start(const config& cfg, bool quiet) {
  std::unique_ptr<engine> e(new engine());
  std::error_code ec;
  std::filesystem::create_directories(cfg.data, ec);
  if (ec) {
    return fail(errc::invalid_value, "cannot create '" + cfg.data +
                                       "': " + ec.message(), "data");
  }
  auto db = store::open(cfg.data + "/db");
  if (!db) {
    return std::unexpected(db.error());
  }
  if (auto r = upgrade(**db); !r) {
    return std::unexpected(r.error());
  }
  e->db_ = std::move(*db);
  // The tenants' cores load on another thread while the views rebuild.
  auto tenants = stored_tenants(*e->db_, cfg.partitions);
  if (!tenants) {
    return std::unexpected(tenants.error());
  }
  auto cores = std::async(std::launch::async, [&db = *e->db_, &tenants, quiet] {
    return load_all_cores(db, *tenants, quiet);
  });
  e->media_ = std::make_unique<media_store>(media_dir_of(cfg));
  e->views_ = std::make_unique<views>();
  auto rebuilt = rebuild_views(*e->db_, *e->views_, quiet);
  auto loaded = cores.get();
  if (!rebuilt) {
    return std::unexpected(rebuilt.error());
  }
  if (!loaded) {
    return std::unexpected(loaded.error());
  }
  auto log = local_log::open(*e->db_, cfg.partitions);
  if (!log) {
    return std::unexpected(log.error());
  }
  e->log_ = std::move(*log);
  e->sink_ = std::make_unique<local_commit_sink>(*e->views_, *e->log_);
  e->streams_ = std::make_unique<stream_hub>(*e->views_, *e->log_,
                                             stream_options_of(cfg));
  e->sink_->observe(
    [h = e->streams_.get()](const std::vector<event>& events) {
      h->notify(events);
    });
  e->sys_cfg_ = std::make_unique<caf::actor_system_config>();
  e->sys_cfg_->set("scheduler.max-threads", cfg.engine_threads);
  // The work-stealing policy of CAF 0.17 lets idle workers sleep up to 10 ms
  // between polls, which stalls request/response chains; the sharing policy
  // wakes a worker on every enqueue.
  e->sys_cfg_->set("scheduler.policy", caf::atom("sharing"));
  e->sys_cfg_->set("logger.verbosity", caf::atom("quiet"));
  e->sys_ = std::make_unique<caf::actor_system>(*e->sys_cfg_);
  for (std::uint32_t p = 0; p < cfg.partitions; ++p) {
    e->probes_.push_back(std::make_unique<shard_probe>());
    shard_config sc;
    sc.partition = p;
    sc.db = e->db_.get();
    sc.source = e->log_.get();
    sc.sink = e->sink_.get();
    sc.probe = e->probes_.back().get();
    sc.max_batch = cfg.engine_max_batch;
    sc.resident_entities = cfg.engine_resident_entities;
    sc.unsynced_cycles = cfg.engine_unsynced_cycles;
    sc.sync = cfg.engine_sync;
    sc.loaded = std::make_shared<loaded_cores>(std::move((*loaded)[p]));
    auto shard = spawn_shard(*e->sys_, sc);
    if (!shard) {
      return std::unexpected(shard.error());
    }
    e->shards_.push_back(*shard);
  }
  auto* shards = &e->shards_;
  e->log_->on_append([shards](std::uint32_t p) {
    caf::anon_send((*shards)[p], wake_atom_v);
  });
  if (cfg.engine_tick_seconds > 0) {
    e->ticker_ = std::make_unique<ticker>(
      *e->log_, *e->views_, std::chrono::seconds{cfg.engine_tick_seconds});
  }
  return e;
}

stream_options stream_options_of(const config& c) {
  stream_options o;
  o.heartbeat = std::chrono::seconds{c.stream_heartbeat_seconds};
  o.max_per_token = c.stream_max_per_token;
  o.max_per_tenant = c.stream_max_per_tenant;
  return o;
}

subscription_options subscription_options_of(const config& c) {
  subscription_options o;
  o.allow_private = c.subscriptions_allow_private;
  o.connect_timeout_ms = c.subscriptions_connect_timeout_ms;
  o.timeout_ms = c.subscriptions_timeout_ms;
  o.retry_base_ms = c.subscriptions_retry_base_ms;
  o.max_backoff_ms = c.subscriptions_max_backoff_seconds * 1000;
  o.max_in_flight = c.subscriptions_max_in_flight;
  return o;
}

result<void> engine::start_subscriptions(const sealer& secrets,
                                         subscription_options o) {
  subscriptions_ = std::make_unique<subscription_sender>(
    *log_, *views_, secrets, std::move(o),
    [](const std::string&) { return true; });
  auto* s = subscriptions_.get();
  sink_->observe([s](const std::vector<event>& events) { s->notify(events); });
  subscription_io_.of = [s](const std::string&,
                            const subscription_io::visit_fn& f) { f(*s); };
  subscription_io_.each = [s](const subscription_io::visit_fn& f) { f(*s); };
  return subscriptions_->start();
}

fetcher_options fetcher_options_of(const sender_options& o) {
  fetcher_options f;
  f.graph_url = o.graph_url;
  f.timeout_ms = o.timeout_ms;
  f.retry_base_ms = o.retry_base_ms;
  f.max_attempts = o.max_attempts;
  return f;
}

result<void> engine::start_sender(const sealer& secrets, sender_options o) {
  auto f = fetcher_options_of(o);
  sender_ = std::make_unique<whatsapp_sender>(*db_, *log_, *views_, secrets,
                                              std::move(o), media_.get());
  fetcher_ = std::make_unique<media_fetcher>(*db_, *log_, *views_, secrets,
                                             *media_, std::move(f));
  // Work committed from now on is notified; earlier work is in the store.
  auto* s = sender_.get();
  auto* m = fetcher_.get();
  sink_->observe([s, m](const std::vector<event>& events) {
    s->notify(events);
    m->notify(events);
  });
  whatsapp_pair pair{sender_.get(), fetcher_.get()};
  whatsapp_ = std::make_unique<whatsapp_io>(
    [pair](const std::string&, const whatsapp_io::visit_fn& f) { f(pair); },
    [pair](const whatsapp_io::visit_fn& f) { f(pair); });
  if (auto r = fetcher_->start(); !r) {
    return r;
  }
  return sender_->start();
}

engine::~engine() {
  ticker_.reset();
  if (sink_) {
    sink_->clear_observers();
  }
  streams_.reset();
  // Records where each subscription stands through the log, which still
  // runs.
  subscriptions_.reset();
  sender_.reset();
  fetcher_.reset();
  if (log_) {
    log_->on_append({});
  }
  for (auto& s : shards_) {
    caf::anon_send_exit(s, caf::exit_reason::user_shutdown);
  }
  shards_.clear();
  sys_.reset();
  // Memtables to SST files: the next start opens in milliseconds instead of
  // replaying the write-ahead log.
  if (db_) {
    if (auto r = db_->flush(); !r) {
      std::fprintf(stderr, "atende: %s\n", r.error().message.c_str());
    }
  }
}

std::vector<const shard_probe*> engine::probes() const {
  std::vector<const shard_probe*> out;
  for (const auto& p : probes_) {
    out.push_back(p.get());
  }
  return out;
}

} // namespace atende::tools

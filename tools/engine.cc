#include "tools/engine.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <map>

#include <elf.h>
#include <link.h>

#include "actors/messages.h"
#include "actors/shard.h"
#include "actors/snapshot.h"
#include "gateways/files.h"
#include "gateways/journal.h"
#include "gateways/partitioner.h"

namespace atende::tools {

namespace {

long long ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::steady_clock::now() - t0)
    .count();
}

result<void> rebuild_views(const store& db, views& v, bool quiet) {
  auto t0 = std::chrono::steady_clock::now();
  auto n = read_journal(db, [&v](std::vector<event>& chunk) { v.apply(chunk); });
  if (!n) {
    return std::unexpected(n.error());
  }
  if (!quiet && *n > 0) {
    std::fprintf(stderr, "atende: views rebuilt from %llu events in %lld ms\n",
                 static_cast<unsigned long long>(*n), ms_since(t0));
  }
  return {};
}

/// restore_views reads the checkpoint at `path` into the fresh `v`, then
/// applies each tenant's journal after it. False (with `v` untouched) when
/// there is none or it cannot be used: another build's, damaged, or ahead of
/// the journal (a data directory restored from an older copy); the reason
/// is printed and the caller rebuilds from the whole journal.
result<bool> restore_views(const std::string& path, const store& db, views& v,
                           const std::vector<std::string>& tenants,
                           bool quiet) {
  auto t0 = std::chrono::steady_clock::now();
  auto bytes = read_file(path);
  if (!bytes) {
    return std::unexpected(bytes.error());
  }
  if (!*bytes) {
    return false;
  }
  auto unusable = [&](const std::string& why) {
    if (!quiet) {
      std::fprintf(stderr, "atende: views checkpoint not used (%s)\n",
                   why.c_str());
    }
    return false;
  };
  views restored;
  if (auto r = restored.restore(**bytes, program_build()); !r) {
    return unusable(r.error().message);
  }
  bytes->reset();
  std::map<std::string, std::uint64_t> after;
  for (const auto& t : tenants) {
    after[t] = 0;
  }
  for (const auto& [t, seq] : restored.positions()) {
    auto last = last_journal_seq(db, t);
    if (!last) {
      return std::unexpected(last.error());
    }
    if (*last < seq) {
      return unusable("tenant " + t + " is at event " + std::to_string(seq) +
                      " in it and at " + std::to_string(*last) +
                      " in the journal");
    }
    after[t] = seq;
  }
  std::uint64_t n = 0;
  for (const auto& [t, seq] : after) {
    for (auto from = seq;;) {
      auto chunk = read_tenant_journal(db, t, from, 4096);
      if (!chunk) {
        return std::unexpected(chunk.error());
      }
      if (chunk->empty()) {
        break;
      }
      from = chunk->back().seq;
      n += chunk->size();
      restored.apply(*chunk);
    }
  }
  v.swap(restored);
  if (!quiet) {
    std::fprintf(stderr,
                 "atende: views restored from the checkpoint and %llu later "
                 "events in %lld ms\n",
                 static_cast<unsigned long long>(n), ms_since(t0));
  }
  return true;
}

/// write_checkpoint writes the views' checkpoint durably: to a temporary
/// file, synced, then renamed over the last one.
result<void> write_checkpoint(const std::string& path, const views& v,
                              bool quiet) {
  auto t0 = std::chrono::steady_clock::now();
  auto bytes = v.checkpoint(program_build());
  auto tmp = path + ".tmp";
  if (auto r = write_synced(tmp, bytes, file_write::replace); !r) {
    return r;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return std::unexpected(file_error("cannot rename to", path));
  }
  if (auto r = sync_dir(std::filesystem::path(path).parent_path()); !r) {
    return r;
  }
  if (!quiet) {
    std::fprintf(stderr, "atende: views checkpoint written (%zu MiB) in %lld ms\n",
                 bytes.size() >> 20, ms_since(t0));
  }
  return {};
}

int note_build_id(dl_phdr_info* info, std::size_t, void* out) {
  // The first object listed is the program itself.
  auto* id = static_cast<std::string*>(out);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const auto& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) {
      continue;
    }
    const auto* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
    const auto* end = p + ph.p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      const auto* n = reinterpret_cast<const ElfW(Nhdr)*>(p);
      const char* name = p + sizeof(ElfW(Nhdr));
      const char* desc = name + ((n->n_namesz + 3) & ~3u);
      if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
          std::string_view{name, 3} == "GNU") {
        static constexpr char hex[] = "0123456789abcdef";
        for (std::size_t k = 0; k < n->n_descsz; ++k) {
          auto b = static_cast<unsigned char>(desc[k]);
          id->push_back(hex[b >> 4]);
          id->push_back(hex[b & 15]);
        }
        return 1;
      }
      p = desc + ((n->n_descsz + 3) & ~3u);
    }
  }
  return 1;
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
    auto cores = load_cores(db, p, program_build());
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
  e->quiet_ = quiet;
  e->checkpoint_path_ = cfg.data + "/views.checkpoint";
  std::vector<std::string> all;
  for (const auto& p : *tenants) {
    all.insert(all.end(), p.begin(), p.end());
  }
  auto rebuilt = [&]() -> result<void> {
    auto restored =
      restore_views(e->checkpoint_path_, *e->db_, *e->views_, all, quiet);
    if (!restored) {
      return std::unexpected(restored.error());
    }
    if (*restored) {
      return {};
    }
    return rebuild_views(*e->db_, *e->views_, quiet);
  }();
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
    sc.build = program_build();
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
  // Every event the views hold is in the journal now: the next start reads
  // them from here and the journal's tail.
  if (views_ && !checkpoint_path_.empty() && !program_build().empty()) {
    if (auto r = write_checkpoint(checkpoint_path_, *views_, quiet_); !r) {
      std::fprintf(stderr, "atende: %s\n", r.error().message.c_str());
    }
  }
}

const std::string& program_build() {
  static const std::string id = [] {
    std::string out;
    dl_iterate_phdr(&note_build_id, &out);
    return out;
  }();
  return id;
}

std::vector<const shard_probe*> engine::probes() const {
  std::vector<const shard_probe*> out;
  for (const auto& p : probes_) {
    out.push_back(p.get());
  }
  return out;
}

} // namespace atende::tools

#include "actors/shard.h"

#include <chrono>
#include <map>
#include <memory>
#include <unordered_map>

#include <rocksdb/write_batch.h>

#include "actors/group_commit.h"
#include "actors/messages.h"
#include "actors/snapshot.h"
#include "actors/tenant_actor.h"
#include "events/codec.h"

namespace atende {

namespace {

/// origin: where the input at a cycle index came from.
struct origin {
  std::uint32_t stream = 0;
  std::uint64_t offset = 0;
  std::uint64_t ref = 0;
};

struct shard_holder {
  static inline const char* name = "atende.shard";
  shard_config cfg;
  std::vector<std::uint64_t> next; // per stream
  bool busy = false;
  bool draining = false;
  std::vector<caf::response_promise> drained;
  std::map<std::string, caf::actor> tenants;
  // The cycle in flight. Tenant actors see inputs by their index in the
  // cycle; `origins` maps an index back to its stream and offset.
  std::vector<committed_input> outcomes;
  std::vector<tenant_result_ptr> results;
  std::vector<origin> origins;
  std::size_t pending = 0;
  std::vector<std::uint64_t> cycle_end; // per stream
  std::chrono::steady_clock::time_point started;
  // Cycles written and not yet reported durable by `durable`.
  std::size_t unsynced = 0;
  std::unique_ptr<group_commit> durable;
  // The hash of each tenant's last journal entry (events/chain.h), read from
  // the store at the tenant's first event here. A tenant's events all pass
  // through this shard in seq order, so it stays exact.
  std::unordered_map<std::string, chain_hash> heads;
};

using shard_self = caf::stateful_actor<shard_holder>*;

[[noreturn]] void fail_stop(const shard_holder& st, const error& e) {
  stop_shard(st.cfg.partition, e);
}

/// stored_head reads the hash of `tenant`'s last journal entry: chain_start
/// when there is none or it is unchained (version 1, written before the
/// journal was chained), so that the chain starts after it.
result<chain_hash> stored_head(const store& db, const std::string& tenant) {
  auto last = db.last_key(keys::journal_prefix(tenant));
  if (!last) {
    return std::unexpected(last.error());
  }
  if (!last->has_value()) {
    return chain_start;
  }
  auto value = db.get(**last);
  if (!value) {
    return std::unexpected(value.error());
  }
  if (!value->has_value()) {
    return chain_start;
  }
  auto entry = decode_journal_entry(**value);
  if (!entry) {
    return fail(errc::internal, "journal of " + tenant +
                                    ", last entry: " + entry.error().message);
  }
  return entry->hash.value_or(chain_start);
}

chain_hash& head_of(shard_holder& st, const std::string& tenant) {
  auto it = st.heads.find(tenant);
  if (it == st.heads.end()) {
    auto head = stored_head(*st.cfg.db, tenant);
    if (!head) {
      fail_stop(st, head.error());
    }
    it = st.heads.emplace(tenant, *head).first;
  }
  return it->second;
}

void add_events(shard_holder& st, rocksdb::WriteBatch& b,
                const std::vector<event>& events) {
  for (const auto& e : events) {
    auto& head = head_of(st, e.tenant);
    b.Put(keys::journal(e.tenant, e.seq), encode_chained_event(e, head, &head));
    const auto& conv = conversation_of(e.data);
    if (!conv.empty()) {
      b.Put(keys::by_conversation(e.tenant, conv, e.seq), "");
    }
  }
}

void commit(shard_self self) {
  auto& st = self->state;
  rocksdb::WriteBatch b;
  group_commit::cycle c;
  for (auto& r : st.results) {
    add_events(st, b, r->events);
    for (auto& [k, v] : r->puts) {
      b.Put(k, v);
    }
    for (auto& o : r->outcomes) {
      c.inputs.push_back(std::move(o));
    }
    for (auto& e : r->events) {
      c.events.push_back(std::move(e));
    }
  }
  for (auto& o : st.outcomes) {
    c.inputs.push_back(std::move(o));
  }
  for (std::uint32_t s = 0; s < st.cycle_end.size(); ++s) {
    if (st.cycle_end[s] != st.next[s]) {
      b.Put(keys::offset(st.cfg.partition, s), keys::fixed64be(st.cycle_end[s]));
    }
  }
  std::vector<std::pair<std::string, std::string>> extra;
  st.cfg.sink->extra_puts(st.cfg.partition, extra);
  for (auto& [k, v] : extra) {
    b.Put(k, v);
  }
  // Visible to the next cycle at once; durable, and told to the sink, once
  // the group commit has synced it.
  if (auto w = st.cfg.db->write(b, false); !w) {
    fail_stop(st, w.error());
  }
  std::sort(c.inputs.begin(), c.inputs.end(),
            [](const auto& x, const auto& y) { return x.offset < y.offset; });
  for (auto& o : c.inputs) {
    const auto& from = st.origins[o.offset];
    o.stream = from.stream;
    o.offset = from.offset;
    o.ref = from.ref;
  }
  c.writes = b.Data();
  c.next = st.cycle_end;
  c.started = st.started;
  st.next = st.cycle_end;
  ++st.unsynced;
  st.durable->push(std::move(c));
  st.outcomes.clear();
  st.results.clear();
  st.origins.clear();
  st.busy = false;
  self->send(self, wake_atom_v);
}

/// stop_if_drained answers the drain requests and stops the shard and its
/// tenant actors once no cycle is in flight.
void stop_if_drained(shard_self self) {
  auto& st = self->state;
  if (!st.draining || st.busy || st.unsynced > 0) {
    return;
  }
  for (auto& rp : st.drained) {
    rp.deliver(caf::unit);
  }
  st.drained.clear();
  for (auto& [id, a] : st.tenants) {
    self->send_exit(a, caf::exit_reason::user_shutdown);
  }
  st.tenants.clear();
  self->quit(caf::exit_reason::user_shutdown);
}

result<caf::actor> tenant_of(shard_self self, const std::string& tenant) {
  auto& st = self->state;
  if (auto it = st.tenants.find(tenant); it != st.tenants.end()) {
    return it->second;
  }
  auto a = spawn_tenant(self, tenant, *st.cfg.db, st.cfg.resident_entities,
                        st.cfg.build);
  if (!a) {
    return a;
  }
  st.tenants.emplace(tenant, *a);
  return a;
}

void dispatch(shard_self self,
              std::map<std::string, std::shared_ptr<tenant_batch>> groups) {
  auto& st = self->state;
  st.pending = groups.size();
  if (st.pending == 0) {
    commit(self);
    return;
  }
  for (auto& [tenant, batch] : groups) {
    auto actor = tenant_of(self, tenant);
    if (!actor) {
      fail_stop(st, actor.error());
    }
    tenant_batch_ptr ptr = std::move(batch);
    self->request(*actor, caf::infinite, process_atom_v, ptr)
      .then([self](tenant_result_ptr r) {
        auto& s = self->state;
        s.results.push_back(std::move(r));
        if (--s.pending == 0) {
          commit(self);
        }
      });
  }
}

void cycle(shard_self self) {
  auto& st = self->state;
  if (st.busy || st.unsynced >= st.cfg.unsynced_cycles) {
    return;
  }
  if (st.draining) {
    stop_if_drained(self);
    return;
  }
  std::vector<log_record> records;
  st.cycle_end = st.next;
  for (std::uint32_t s = 0; s < st.next.size(); ++s) {
    auto got = st.cfg.source->read(st.cfg.partition, s, st.next[s],
                                   st.cfg.max_batch);
    if (!got) {
      fail_stop(st, got.error());
    }
    if (!got->empty()) {
      st.cycle_end[s] = got->back().offset + 1;
    }
    for (auto& r : *got) {
      records.push_back(std::move(r));
    }
  }
  if (records.empty()) {
    return;
  }
  st.busy = true;
  st.started = std::chrono::steady_clock::now();
  std::map<std::string, std::shared_ptr<tenant_batch>> groups;
  for (auto& rec : records) {
    std::uint64_t index = st.origins.size();
    st.origins.push_back({rec.stream, rec.offset, rec.ref});
    auto in = decode_input_fast(rec.value, rec.scope);
    if (!in) {
      outcome o;
      o.st = outcome::status::rejected;
      o.err = in.error();
      st.outcomes.push_back({index, std::move(o)});
      continue;
    }
    auto& g = groups[in->tenant];
    if (!g) {
      g = std::make_shared<tenant_batch>();
    }
    g->items.push_back({index, std::move(in)});
  }
  dispatch(self, std::move(groups));
}

caf::behavior shard_actor(shard_self self, shard_config cfg,
                          std::vector<std::uint64_t> offsets) {
  if (cfg.loaded) {
    for (auto& [id, core] : *cfg.loaded) {
      self->state.tenants.emplace(
        id, spawn_loaded_tenant(self, id, *cfg.db, std::move(core),
                                cfg.resident_entities, cfg.build));
    }
    cfg.loaded.reset();
  }
  self->state.cfg = cfg;
  self->state.next = offsets;
  self->state.durable = std::make_unique<group_commit>(
    *cfg.db, *cfg.sink, cfg.partition, cfg.probe, cfg.sync,
    [addr = self->address()](std::size_t n) {
      if (auto a = caf::actor_cast<caf::actor>(addr)) {
        caf::anon_send(a, synced_atom_v, static_cast<std::uint64_t>(n));
      }
    });
  if (cfg.probe != nullptr) {
    cfg.probe->partition = cfg.partition;
    cfg.probe->next_offset.store(offsets[0]);
    if (offsets.size() > 1) {
      cfg.probe->next_offset_commands.store(offsets[1]);
    }
  }
  self->send(self, wake_atom_v);
  return {
    [self](wake_atom) { cycle(self); },
    [self](synced_atom, std::uint64_t n) {
      auto& st = self->state;
      st.unsynced -= static_cast<std::size_t>(n);
      if (st.draining) {
        stop_if_drained(self);
      } else {
        cycle(self);
      }
    },
    [self](drain_atom) {
      auto& st = self->state;
      st.draining = true;
      st.drained.push_back(self->make_response_promise());
      stop_if_drained(self);
      return caf::unit;
    },
  };
}

} // namespace

result<std::uint64_t> stored_offset(const store& db, std::uint32_t partition,
                                    std::uint32_t stream) {
  auto v = db.get(keys::offset(partition, stream));
  if (!v) {
    return std::unexpected(v.error());
  }
  if (!v->has_value()) {
    return std::uint64_t{0};
  }
  return keys::read_fixed64be(**v);
}

result<loaded_cores> load_cores(const store& db,
                                const std::vector<std::string>& tenants,
                                std::string_view build) {
  loaded_cores out;
  for (const auto& t : tenants) {
    auto core = load_tenant(db, t, build);
    if (!core) {
      return std::unexpected(core.error());
    }
    out.emplace(t, std::move(*core));
  }
  return out;
}

result<caf::actor> spawn_shard(caf::actor_system& sys,
                               const shard_config& cfg) {
  std::vector<std::uint64_t> offsets;
  for (std::uint32_t s = 0; s < cfg.source->streams(); ++s) {
    auto offset = stored_offset(*cfg.db, cfg.partition, s);
    if (!offset) {
      return std::unexpected(offset.error());
    }
    offsets.push_back(*offset);
  }
  return sys.spawn(shard_actor, cfg, std::move(offsets));
}

} // namespace atende

#include "actors/shard.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>

#include <rocksdb/write_batch.h>

#include "actors/messages.h"
#include "actors/tenant_actor.h"
#include "events/codec.h"

namespace atende {

namespace {

struct shard_holder {
  static inline const char* name = "atende.shard";
  shard_config cfg;
  std::uint64_t next_offset = 0;
  bool busy = false;
  std::map<std::string, caf::actor> tenants;
  // The cycle in flight.
  std::vector<committed_input> outcomes;
  std::vector<tenant_result_ptr> results;
  std::size_t pending = 0;
  std::uint64_t cycle_end = 0;
  std::chrono::steady_clock::time_point started;
};

using shard_self = caf::stateful_actor<shard_holder>*;

[[noreturn]] void fail_stop(const shard_holder& st, const error& e) {
  std::fprintf(stderr, "atende: shard %u: %s; stopping (restart resumes from "
                       "the last commit)\n",
               st.cfg.partition, e.message.c_str());
  std::fflush(stderr);
  std::abort();
}

void add_events(rocksdb::WriteBatch& b, const std::vector<event>& events) {
  for (const auto& e : events) {
    b.Put(keys::journal(e.tenant, e.seq), encode_event(e));
    const auto& conv = conversation_of(e.data);
    if (!conv.empty()) {
      b.Put(keys::by_conversation(e.tenant, conv, e.seq), "");
    }
  }
}

void commit(shard_self self) {
  auto& st = self->state;
  rocksdb::WriteBatch b;
  std::vector<event> events;
  for (auto& r : st.results) {
    add_events(b, r->events);
    for (auto& [k, v] : r->puts) {
      b.Put(k, v);
    }
    for (auto& o : r->outcomes) {
      st.outcomes.push_back(std::move(o));
    }
    for (auto& e : r->events) {
      events.push_back(std::move(e));
    }
  }
  b.Put(keys::offset(st.cfg.partition), keys::fixed64be(st.cycle_end));
  if (auto w = st.cfg.db->write(b, st.cfg.sync); !w) {
    fail_stop(st, w.error());
  }
  std::sort(st.outcomes.begin(), st.outcomes.end(),
            [](const auto& a, const auto& b) { return a.offset < b.offset; });
  auto* probe = st.cfg.probe;
  if (probe != nullptr) {
    for (const auto& o : st.outcomes) {
      auto& counter = o.out.st == outcome::status::accepted ? probe->inputs_applied
                      : o.out.st == outcome::status::duplicate
                        ? probe->inputs_duplicate
                        : probe->inputs_rejected;
      counter.fetch_add(1, std::memory_order_relaxed);
    }
    probe->events_written.fetch_add(events.size(), std::memory_order_relaxed);
    probe->next_offset.store(st.cycle_end, std::memory_order_relaxed);
    probe->commits.fetch_add(1, std::memory_order_relaxed);
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::steady_clock::now() - st.started)
                .count();
    probe->commit_latency.observe_us(static_cast<std::uint64_t>(us));
  }
  st.next_offset = st.cycle_end;
  st.cfg.sink->committed(st.cfg.partition, events, std::move(st.outcomes));
  st.outcomes.clear();
  st.results.clear();
  st.busy = false;
  self->send(self, wake_atom_v);
}

result<caf::actor> tenant_of(shard_self self, const std::string& tenant) {
  auto& st = self->state;
  if (auto it = st.tenants.find(tenant); it != st.tenants.end()) {
    return it->second;
  }
  auto a = spawn_tenant(self, tenant, *st.cfg.db);
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
  if (st.busy) {
    return;
  }
  auto records =
    st.cfg.source->read(st.cfg.partition, st.next_offset, st.cfg.max_batch);
  if (!records) {
    fail_stop(st, records.error());
  }
  if (records->empty()) {
    return;
  }
  st.busy = true;
  st.started = std::chrono::steady_clock::now();
  st.cycle_end = records->back().offset + 1;
  std::map<std::string, std::shared_ptr<tenant_batch>> groups;
  for (auto& rec : *records) {
    auto in = decode_input_fast(rec.value, input_scope::any);
    if (!in) {
      outcome o;
      o.st = outcome::status::rejected;
      o.err = in.error();
      st.outcomes.push_back({rec.offset, std::move(o)});
      continue;
    }
    auto& g = groups[in->tenant];
    if (!g) {
      g = std::make_shared<tenant_batch>();
    }
    g->items.push_back({rec.offset, std::move(in)});
  }
  dispatch(self, std::move(groups));
}

caf::behavior shard_actor(shard_self self, shard_config cfg,
                          std::uint64_t offset) {
  self->state.cfg = cfg;
  self->state.next_offset = offset;
  if (cfg.probe != nullptr) {
    cfg.probe->partition = cfg.partition;
    cfg.probe->next_offset.store(offset);
  }
  self->send(self, wake_atom_v);
  return {
    [self](wake_atom) { cycle(self); },
  };
}

} // namespace

result<std::uint64_t> stored_offset(const store& db, std::uint32_t partition) {
  auto v = db.get(keys::offset(partition));
  if (!v) {
    return std::unexpected(v.error());
  }
  if (!v->has_value()) {
    return std::uint64_t{0};
  }
  return keys::read_fixed64be(**v);
}

result<caf::actor> spawn_shard(caf::actor_system& sys,
                               const shard_config& cfg) {
  auto offset = stored_offset(*cfg.db, cfg.partition);
  if (!offset) {
    return std::unexpected(offset.error());
  }
  return sys.spawn(shard_actor, cfg, *offset);
}

} // namespace atende

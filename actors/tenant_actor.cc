#include "actors/tenant_actor.h"

#include <cstdio>
#include <memory>
#include <unordered_set>
#include <utility>

#include <rocksdb/write_batch.h>

#include "actors/messages.h"
#include "actors/pipeline.h"
#include "actors/snapshot.h"

namespace atende {

namespace {

/// store_loader reads an entity that is not resident from its snapshot.
class store_loader final : public entity_loader {
public:
  store_loader(const store& db, std::string tenant)
    : db_(db), tenant_(std::move(tenant)) {}
  conversation_state conversation(const std::string& id) const override {
    return load_conversation(db_, tenant_, id);
  }
  contact contact_of(const std::string& id) const override {
    return load_contact(db_, tenant_, id);
  }
  portfolio_state portfolio(const tenant_state& core,
                            const std::string& id) const override {
    return load_portfolio(db_, core, tenant_, id);
  }

private:
  const store& db_;
  std::string tenant_;
};

struct tenant_holder {
  static inline const char* name = "atende.tenant";
  std::string id;
  store* db = nullptr;
  std::size_t resident = default_resident_entities;
  std::string build; // empty: no core checkpoint
  tenant_state core;
  std::unique_ptr<store_loader> loader;
  std::unique_ptr<tenant_entities> entities;
  std::unordered_set<std::string> seen; // envelope ids of the current batch

  tenant_holder() = default;
  tenant_holder(const tenant_holder&) = delete;
  tenant_holder& operator=(const tenant_holder&) = delete;

  // The actor stops: its core's indexes become the core checkpoint, read at
  // the next load if the journal has not moved on (a cycle computed but not
  // written leaves the core ahead of the journal, and the checkpoint unused).
  ~tenant_holder() {
    if (build.empty() || db == nullptr || !core.exists) {
      return;
    }
    rocksdb::WriteBatch b;
    put_core_checkpoint(b, id, encode_core_checkpoint(core, build));
    if (auto r = db->write(b, false); !r) {
      std::fprintf(stderr, "atende: %s: core checkpoint: %s\n", id.c_str(),
                   r.error().message.c_str());
    }
  }
};

void reject(tenant_result& out, std::uint64_t offset, error err) {
  outcome o;
  o.st = outcome::status::rejected;
  o.err = std::move(err);
  out.outcomes.push_back({offset, std::move(o)});
}

result<bool> is_duplicate(const tenant_holder& st, const input& in) {
  if (!in.is_envelope()) {
    return false;
  }
  if (st.seen.contains(in.id)) {
    return true;
  }
  auto v = st.db->get(keys::seen(st.id, in.id));
  if (!v) {
    return std::unexpected(v.error());
  }
  return v->has_value();
}

/// handle runs one input through the pipeline and adds what it did to `out`.
void handle(tenant_holder& st, const tenant_batch::item& item,
            tenant_result& out) {
  if (!item.in) {
    reject(out, item.offset, item.in.error());
    return;
  }
  const input& in = *item.in;
  auto dup = is_duplicate(st, in);
  if (!dup) {
    reject(out, item.offset, dup.error());
    return;
  }
  if (*dup) {
    outcome o;
    o.st = outcome::status::duplicate;
    out.outcomes.push_back({item.offset, std::move(o)});
    return;
  }
  auto fx = process(st.core, *st.entities, in);
  for (const auto& why : fx.refused_steps) {
    // The tenant and the entity disagree: distribution stopped for this
    // input rather than retry the same step.
    std::fprintf(stderr, "atende: %s: %s\n", st.id.c_str(), why.c_str());
  }
  if (fx.out.st != outcome::status::rejected && in.is_envelope()) {
    st.seen.insert(in.id);
    out.puts.emplace_back(keys::seen(st.id, in.id), std::string{});
  }
  for (auto& p : fx.puts) {
    out.puts.push_back(std::move(p));
  }
  for (auto& e : fx.events) {
    out.events.push_back(std::move(e));
  }
  out.outcomes.push_back({item.offset, std::move(fx.out)});
}

/// keep_last_puts drops every put that a later put of the same key in the
/// cycle overwrites.
void keep_last_puts(std::vector<std::pair<std::string, std::string>>& puts) {
  std::unordered_set<std::string_view> seen_keys;
  std::vector<bool> keep(puts.size());
  for (std::size_t i = puts.size(); i-- > 0;) {
    keep[i] = seen_keys.insert(puts[i].first).second;
  }
  std::size_t out = 0;
  for (std::size_t i = 0; i < puts.size(); ++i) {
    if (keep[i]) {
      if (out != i) {
        puts[out] = std::move(puts[i]);
      }
      ++out;
    }
  }
  puts.resize(out);
}

/// process_batch handles a cycle's inputs of this tenant, then writes the
/// snapshot of each conversation that changed (once, however many inputs
/// touched it) and, when it changed, the tenant's configuration, and
/// passivates idle entities.
tenant_result_ptr process_batch(tenant_holder& st, const tenant_batch& batch) {
  auto out = std::make_shared<tenant_result>();
  st.entities->next_cycle();
  for (const auto& item : batch.items) {
    handle(st, item, *out);
  }
  for (const auto& id : st.entities->take_dirty()) {
    out->puts.emplace_back(
      keys::conversation(st.id, id),
      encode_conversation(st.entities->conversation(id)));
  }
  if (std::exchange(st.core.changed.config, false)) {
    out->puts.emplace_back(keys::tenant(st.id),
                           encode_snapshot(to_json(st.core).dump()));
  }
  keep_last_puts(out->puts);
  st.seen.clear();
  st.entities->passivate(st.resident);
  return out;
}

using tenant_self = caf::stateful_actor<tenant_holder>*;

caf::behavior tenant_actor(tenant_self self, std::string id, store* db,
                           tenant_state core, std::size_t resident,
                           std::string build) {
  auto& st = self->state;
  st.id = std::move(id);
  st.db = db;
  st.resident = resident;
  st.build = std::move(build);
  st.core = std::move(core);
  st.loader = std::make_unique<store_loader>(*db, st.id);
  st.entities = std::make_unique<tenant_entities>(st.loader.get());
  return {
    [self](process_atom, tenant_batch_ptr batch) {
      return process_batch(self->state, *batch);
    },
  };
}

} // namespace

result<caf::actor> spawn_tenant(caf::local_actor* parent,
                                const std::string& tenant, store& db,
                                std::size_t resident, std::string_view build) {
  auto core = load_tenant(db, tenant, build);
  if (!core) {
    return std::unexpected(core.error());
  }
  return spawn_loaded_tenant(parent, tenant, db, std::move(*core), resident,
                             build);
}

caf::actor spawn_loaded_tenant(caf::local_actor* parent,
                               const std::string& tenant, store& db,
                               tenant_state core, std::size_t resident,
                               std::string_view build) {
  return parent->spawn(tenant_actor, tenant, &db, std::move(core), resident,
                       std::string{build});
}

} // namespace atende

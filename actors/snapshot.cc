#include "actors/snapshot.h"

#include <algorithm>
#include <cstdio>

#include <rocksdb/write_batch.h>

#include <nlohmann/json.hpp>

#include "events/binary.h"
#include "events/codec.h"
#include "events/json.h"

namespace atende {

namespace {

result<nlohmann::json> decode_json(std::string_view bytes,
                                   std::string_view what) {
  auto rec = decode_record(bytes);
  if (!rec) {
    return std::unexpected(rec.error());
  }
  auto j = nlohmann::json::parse(rec->payload, nullptr, false);
  if (j.is_discarded()) {
    return fail(errc::internal,
                "corruption: " + std::string{what} + " snapshot is not JSON");
  }
  return j;
}

/// each_entity calls `f` with every snapshot under `prefix`, decoded by
/// `decode`; the first that cannot be read is the error.
template <class D, class F>
result<void> each_entity(const store& db, const std::string& prefix,
                         D decode, F&& f) {
  result<void> inner;
  auto r = db.scan(prefix, [&](std::string_view, std::string_view v) {
    auto x = decode(v);
    if (!x) {
      inner = std::unexpected(x.error());
      return false;
    }
    f(*x);
    return true;
  });
  if (!r) {
    return r;
  }
  return inner;
}

/// load_presence reads the presence and round-robin turns stored apart, over
/// what a snapshot of the previous form held.
result<void> load_presence(const store& db, const std::string& tenant,
                           tenant_state& s) {
  result<void> inner;
  auto each = [&](std::string_view k, std::string_view v) {
    inner = restore_part(s, tenant, k, v);
    return inner.has_value();
  };
  for (const auto& prefix :
       {keys::presence_prefix(tenant), keys::turn_prefix(tenant)}) {
    if (auto r = db.scan(prefix, each); !r) {
      return r;
    }
    if (!inner) {
      return inner;
    }
  }
  return {};
}

/// load_next_seq sets the tenant's next seq after its last journal entry
/// (a snapshot of the previous form held it too).
result<void> load_next_seq(const store& db, const std::string& tenant,
                           tenant_state& s) {
  auto seq = last_journal_seq(db, tenant);
  if (!seq) {
    return std::unexpected(seq.error());
  }
  if (*seq > 0) {
    s.next_seq = std::max(s.next_seq, *seq + 1);
  }
  return {};
}

} // namespace

std::string encode_snapshot(std::string_view json_text) {
  return encode_record(record_kind::snapshot, json_text);
}

namespace {

constexpr std::uint8_t conversation_layout = 1;
constexpr std::uint8_t contact_layout = 2;

static_assert(sizeof(conversation_state) == 576,
              "conversation snapshot: new field?");
static_assert(sizeof(contact) == 200, "contact snapshot: new field?");

/// entity_payload checks the framing of a stored entity snapshot and tells
/// its form: the binary payload, or the JSON of earlier data.
struct entity_payload {
  std::string_view bytes;
  bool json = false;
};

result<entity_payload> payload_of(std::string_view stored) {
  auto rec = decode_record(stored);
  if (!rec) {
    return std::unexpected(rec.error());
  }
  if (rec->kind == record_kind::entity) {
    return entity_payload{rec->payload, false};
  }
  if (rec->kind == record_kind::snapshot) {
    return entity_payload{rec->payload, true};
  }
  return fail(errc::internal, "corruption: not a snapshot");
}

template <class T, class F>
result<T> from_json_text(std::string_view text, const char* what, F from) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    return fail(errc::internal, std::string{"corruption: "} + what +
                                  " snapshot is not JSON");
  }
  return from(j);
}

error bad_entity(const char* what) {
  return make_error(errc::internal,
                    std::string{"corruption: "} + what + " snapshot");
}

} // namespace

std::string encode_conversation(const conversation_state& c) {
  bin_writer w;
  w.u8(conversation_layout);
  for (const auto* x : {&c.id, &c.contact, &c.channel, &c.team, &c.assignee,
                        &c.status, &c.origin}) {
    w.str(*x);
  }
  for (auto t : {c.created_at, c.last_activity_at, c.finished_at,
                 c.last_inbound_at, c.waiting_since}) {
    w.zigzag(t);
  }
  w.str(c.portfolio);
  w.u8(c.held ? 1 : 0);
  w.str(c.reason);
  w.str(c.description);
  w.varint(c.messages);
  w.pairs(c.sent_by_key);
  w.pairs(c.outbound);
  w.pairs(c.provider_ids);
  w.pairs(c.inbound_ids);
  w.zigzag(c.window_closed_at);
  return encode_record(record_kind::entity, w.bytes());
}

std::string encode_contact(const contact& c) {
  bin_writer w;
  w.u8(contact_layout);
  w.str(c.id);
  w.str(c.name);
  w.str(c.phone);
  w.strings(c.tags);
  w.str(c.stage);
  w.strings(c.departments);
  w.strings(c.portfolios);
  return encode_record(record_kind::entity, w.bytes());
}

result<conversation_state> decode_conversation(std::string_view bytes) {
  auto p = payload_of(bytes);
  if (!p) {
    return std::unexpected(p.error());
  }
  if (p->json) {
    return from_json_text<conversation_state>(p->bytes, "conversation",
                                              conversation_from_json);
  }
  bin_reader r{p->bytes};
  if (r.u8() != conversation_layout) {
    return std::unexpected(bad_entity("conversation"));
  }
  conversation_state c;
  for (auto* x : {&c.id, &c.contact, &c.channel, &c.team, &c.assignee,
                  &c.status, &c.origin}) {
    *x = r.str();
  }
  for (auto* t : {&c.created_at, &c.last_activity_at, &c.finished_at,
                  &c.last_inbound_at, &c.waiting_since}) {
    *t = r.zigzag();
  }
  c.portfolio = r.str();
  c.held = r.u8() != 0;
  c.reason = r.str();
  c.description = r.str();
  c.messages = r.varint();
  c.sent_by_key = r.pairs<std::map<std::string, std::string>>();
  c.outbound = r.pairs<std::map<std::string, std::string>>();
  c.provider_ids = r.pairs<std::map<std::string, std::string>>();
  c.inbound_ids = r.pairs<std::map<std::string, std::string>>();
  c.window_closed_at = r.zigzag();
  if (!r.ok() || !r.done()) {
    return std::unexpected(bad_entity("conversation"));
  }
  return c;
}

result<contact> decode_contact(std::string_view bytes) {
  auto p = payload_of(bytes);
  if (!p) {
    return std::unexpected(p.error());
  }
  if (p->json) {
    return from_json_text<contact>(p->bytes, "contact", contact_from_json);
  }
  bin_reader r{p->bytes};
  if (r.u8() != contact_layout) {
    return std::unexpected(bad_entity("contact"));
  }
  contact c;
  c.id = r.str();
  c.name = r.str();
  c.phone = r.str();
  c.tags = r.strings();
  c.stage = r.str();
  c.departments = r.strings();
  c.portfolios = r.strings();
  if (!r.ok() || !r.done()) {
    return std::unexpected(bad_entity("contact"));
  }
  return c;
}

bool same_entity(std::string_view a, std::string_view b) {
  if (auto x = decode_conversation(a)) {
    auto y = decode_conversation(b);
    return y && *x == *y;
  }
  auto x = decode_contact(a);
  auto y = decode_contact(b);
  return x && y && *x == *y;
}

namespace {

constexpr std::uint8_t core_checkpoint_version = 1;

// The checkpoint writes the derived members one by one: a new member changes
// these sizes, and this fails until the checkpoint writes and reads it.
static_assert(sizeof(tenant_state) == 1280, "core checkpoint: new member?");
static_assert(sizeof(conversation_summary) == 184,
              "core checkpoint: new summary field?");


} // namespace

std::string encode_core_checkpoint(const tenant_state& s,
                                   std::string_view build) {
  bin_writer w;
  w.u8(core_checkpoint_version);
  w.str(build);
  w.varint(s.next_seq);
  w.pairs(s.channel_by_pnid);
  w.pairs(s.contact_by_key);
  w.pairs(s.contact_phone);
  w.pairs(s.open_conversation);
  w.varint(s.conversations.size());
  for (const auto& [id, c] : s.conversations) {
    w.str(id);
    w.str(c.contact);
    w.str(c.channel);
    w.str(c.team);
    w.str(c.assignee);
    w.str(c.portfolio);
    w.u8(static_cast<std::uint8_t>((c.finished ? 1 : 0) | (c.held ? 2 : 0)));
    w.zigzag(c.waiting_since);
  }
  w.varint(s.open_count.size());
  for (const auto& [agent, n] : s.open_count) {
    w.str(agent);
    w.zigzag(n);
  }
  w.varint(s.contact_portfolios.size());
  for (const auto& [contact, ids] : s.contact_portfolios) {
    w.str(contact);
    w.varint(ids.size());
    for (const auto& id : ids) {
      w.str(id);
    }
  }
  w.pairs(s.portfolio_by_code);
  w.varint(s.queue.size());
  for (const auto& [since, id] : s.queue) {
    w.zigzag(since);
    w.str(id);
  }
  w.varint(s.held.size());
  for (const auto& id : s.held) {
    w.str(id);
  }
  w.varint(s.windows.size());
  for (const auto& [key, x] : s.windows) {
    w.str(key);
    w.zigzag(x.inbound);
    w.zigzag(x.closed);
  }
  w.pairs(s.outbound);
  w.pairs(s.provider_ids);
  w.seal();
  return w.take();
}

void put_core_checkpoint(rocksdb::WriteBatch& batch, const std::string& tenant,
                         std::string_view bytes) {
  constexpr std::size_t piece = std::size_t{1} << 20;
  auto prefix = keys::core_prefix(tenant);
  auto end = prefix;
  end.back() = static_cast<char>(end.back() + 1); // "k/t/" → "k/t0"
  batch.DeleteRange(prefix, end);
  for (std::uint64_t n = 0; n * piece < bytes.size(); ++n) {
    batch.Put(keys::core(tenant, n), bytes.substr(n * piece, piece));
  }
}

bool read_core_checkpoint(tenant_state& s, std::string_view bytes,
                          std::string_view build) {
  auto body = bin_reader::unseal(bytes);
  if (!body || build.empty()) {
    return false;
  }
  bin_reader r{*body};
  if (r.u8() != core_checkpoint_version || r.view() != build ||
      r.varint() != s.next_seq || !r.ok()) {
    return false;
  }
  // Read into a copy of the loaded core (its configuration only, so far),
  // which takes the place of `s` once the whole checkpoint has been read.
  tenant_state x = s;
  using strings = tenant_state::by_id<std::string>;
  x.channel_by_pnid = r.pairs<strings>();
  x.contact_by_key = r.pairs<strings>();
  x.contact_phone = r.pairs<strings>();
  x.open_conversation = r.pairs<strings>();
  auto n = r.count(8);
  x.conversations.reserve(n);
  for (; n > 0 && r.ok(); --n) {
    auto id = r.str();
    conversation_summary c;
    c.contact = r.str();
    c.channel = r.str();
    c.team = r.str();
    c.assignee = r.str();
    c.portfolio = r.str();
    auto bits = r.u8();
    c.finished = (bits & 1) != 0;
    c.held = (bits & 2) != 0;
    c.waiting_since = r.zigzag();
    x.conversations.insert_or_assign(std::move(id), std::move(c));
  }
  for (auto k = r.count(2); k > 0 && r.ok(); --k) {
    auto agent = r.str();
    x.open_count[std::move(agent)] = static_cast<int>(r.zigzag());
  }
  for (auto k = r.count(2); k > 0 && r.ok(); --k) {
    auto& ids = x.contact_portfolios[r.str()];
    for (auto m = r.count(); m > 0 && r.ok(); --m) {
      ids.insert(r.str());
    }
  }
  x.portfolio_by_code = r.pairs<strings>();
  for (auto k = r.count(2); k > 0 && r.ok(); --k) {
    auto since = r.zigzag();
    x.queue.emplace_hint(x.queue.end(), since, r.str());
  }
  for (auto k = r.count(); k > 0 && r.ok(); --k) {
    x.held.emplace_hint(x.held.end(), r.str());
  }
  auto w = r.count(3);
  x.windows.reserve(w);
  for (; w > 0 && r.ok(); --w) {
    auto key = r.str();
    contact_window cw;
    cw.inbound = r.zigzag();
    cw.closed = r.zigzag();
    x.windows.insert_or_assign(std::move(key), cw);
  }
  x.outbound = r.pairs<strings>();
  x.provider_ids = r.pairs<strings>();
  if (!r.ok() || !r.done()) {
    return false;
  }
  s = std::move(x);
  return true;
}

result<tenant_state> load_tenant(const store& db, const std::string& tenant,
                                 std::string_view build) {
  auto raw = db.get(keys::tenant(tenant));
  if (!raw) {
    return std::unexpected(raw.error());
  }
  if (!raw->has_value()) {
    return tenant_state{};
  }
  auto j = decode_json(**raw, "tenant");
  if (!j) {
    return std::unexpected(j.error());
  }
  auto s = tenant_state_from_json(*j);
  if (!s) {
    return s;
  }
  if (auto r = load_presence(db, tenant, *s); !r) {
    return std::unexpected(r.error());
  }
  if (auto r = load_next_seq(db, tenant, *s); !r) {
    return std::unexpected(r.error());
  }
  if (!build.empty()) {
    std::string saved;
    auto read = db.scan(keys::core_prefix(tenant),
                        [&](std::string_view, std::string_view v) {
                          saved.append(v);
                          return true;
                        });
    if (!read) {
      return std::unexpected(read.error());
    }
    if (read_core_checkpoint(*s, saved, build)) {
      return s;
    }
  }
  auto r = each_entity(db, keys::contact_prefix(tenant), decode_contact,
                       [&](const contact& c) { restore_contact(*s, c); });
  if (!r) {
    return std::unexpected(r.error());
  }
  auto members = keys::membership_prefix(tenant);
  r = db.scan(members, [&](std::string_view key, std::string_view v) {
    if (v == "1") {
      auto rest = key.substr(members.size());
      auto nul = rest.find('\0');
      if (nul != std::string_view::npos) {
        restore_membership(*s, std::string{rest.substr(0, nul)},
                           std::string{rest.substr(nul + 1)});
      }
    }
    return true;
  });
  if (!r) {
    return std::unexpected(r.error());
  }
  r = each_entity(db, keys::conversation_prefix(tenant), decode_conversation,
                  [&](const conversation_state& c) {
                    restore_conversation(*s, c);
                  });
  if (!r) {
    return std::unexpected(r.error());
  }
  return s;
}

namespace {

/// load_one reads one entity's snapshot; absent or corrupt gives `T{}` (the
/// cores' "does not exist"), a corrupt one reported on stderr.
template <class T, class F>
T load_one(const store& db, const std::string& key, const char* what,
           const std::string& id, F decode) {
  auto raw = db.get(key);
  if (!raw || !raw->has_value()) {
    return {};
  }
  auto v = decode(**raw);
  if (!v) {
    std::fprintf(stderr, "atende: %s %s: %s\n", what, id.c_str(),
                 v.error().message.c_str());
    return {};
  }
  return std::move(*v);
}

} // namespace

conversation_state load_conversation(const store& db,
                                     const std::string& tenant,
                                     const std::string& id) {
  return load_one<conversation_state>(db, keys::conversation(tenant, id),
                                      "conversation", tenant + "/" + id,
                                      decode_conversation);
}

contact load_contact(const store& db, const std::string& tenant,
                     const std::string& id) {
  return load_one<contact>(db, keys::contact(tenant, id), "contact",
                           tenant + "/" + id, decode_contact);
}

portfolio_state load_portfolio(const store& db, const tenant_state& core,
                               const std::string& tenant,
                               const std::string& id) {
  portfolio_state s;
  auto it = core.portfolios.find(id);
  if (it == core.portfolios.end()) {
    return s;
  }
  s.record = it->second;
  auto prefix = keys::membership_prefix(tenant, id);
  auto r = db.scan(prefix, [&](std::string_view key, std::string_view v) {
    if (v == "1") {
      s.contacts.emplace(key.substr(prefix.size()));
    }
    return true;
  });
  if (!r) {
    std::fprintf(stderr, "atende: portfolio %s/%s: %s\n", tenant.c_str(),
                 id.c_str(), r.error().message.c_str());
  }
  return s;
}

void put_snapshot_of(std::vector<std::pair<std::string, std::string>>& puts,
                     const std::string& tenant, const event& e) {
  if (auto* m = std::get_if<portfolio_contacts_changed>(&e.data)) {
    for (const auto& k : m->added) {
      puts.emplace_back(keys::membership(tenant, m->portfolio, k), "1");
    }
    for (const auto& k : m->removed) {
      puts.emplace_back(keys::membership(tenant, m->portfolio, k), "");
    }
    return;
  }
  const contact* c = nullptr;
  if (auto* x = std::get_if<contact_created>(&e.data)) {
    c = &x->value;
  } else if (auto* y = std::get_if<contact_updated>(&e.data)) {
    c = &y->value;
  }
  if (c != nullptr) {
    puts.emplace_back(keys::contact(tenant, c->id), encode_contact(*c));
  }
}

result<void> restore_part(tenant_state& s, const std::string& tenant,
                          std::string_view key, std::string_view value) {
  if (const auto pp = keys::presence_prefix(tenant); key.starts_with(pp)) {
    auto j = decode_json(value, "presence");
    auto p = j ? presence_from_json(*j)
               : result<agent_presence>{std::unexpected(j.error())};
    if (!p) {
      return std::unexpected(p.error());
    }
    s.presence[std::string{key.substr(pp.size())}] = *p;
  } else if (const auto tp = keys::turn_prefix(tenant); key.starts_with(tp)) {
    s.round_robin_turn[std::string{key.substr(tp.size())}] = std::string{value};
  }
  return {};
}

void put_presence_changes(tenant_state& core, const std::string& tenant,
                          std::vector<std::pair<std::string, std::string>>& puts) {
  for (const auto& agent : core.changed.presence) {
    if (auto it = core.presence.find(agent); it != core.presence.end()) {
      puts.emplace_back(keys::presence(tenant, agent),
                        encode_snapshot(to_json(it->second).dump()));
    }
  }
  for (const auto& team : core.changed.turns) {
    if (auto it = core.round_robin_turn.find(team);
        it != core.round_robin_turn.end()) {
      puts.emplace_back(keys::turn(tenant, team), it->second);
    }
  }
  core.changed.presence.clear();
  core.changed.turns.clear();
}

result<void> upgrade(store& db) {
  if (!db.needs_upgrade()) {
    return {};
  }
  rocksdb::WriteBatch b;
  result<void> inner;
  auto r = db.scan("t/", [&](std::string_view key, std::string_view v) {
    auto tenant = std::string{key.substr(2)};
    auto j = decode_json(v, "tenant");
    auto s = j ? tenant_state_from_json(*j)
               : result<tenant_state>{std::unexpected(j.error())};
    if (!s) {
      inner = std::unexpected(s.error());
      return false;
    }
    std::vector<std::pair<std::string, std::string>> puts;
    for (const auto& [agent, p] : s->presence) {
      s->changed.presence.insert(agent);
    }
    for (const auto& [team, agent] : s->round_robin_turn) {
      s->changed.turns.insert(team);
    }
    put_presence_changes(*s, tenant, puts);
    puts.emplace_back(std::string{key}, encode_snapshot(to_json(*s).dump()));
    for (const auto& [k, val] : puts) {
      b.Put(k, val);
    }
    return true;
  });
  if (!r) {
    return r;
  }
  if (!inner) {
    return inner;
  }
  return db.set_current_format(b);
}

} // namespace atende

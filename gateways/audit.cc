#include "gateways/audit.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <openssl/evp.h>

#include "actors/replay.h"
#include "actors/snapshot.h"
#include "events/json.h"
#include "events/codec.h"
#include "events/time.h"

namespace atende::audit {

namespace fs = std::filesystem;

namespace {

/// The views' tenant-wide admin: sees every conversation of the tenant.
principal admin_of(const std::string& tenant) {
  principal p;
  p.tenant = tenant;
  p.admin = true;
  return p;
}

result<std::unique_ptr<store>> open_read_only(const std::string& path) {
  // A running engine may delete a log file between the listing and the
  // reading of it (after a flush): try again, the next listing is newer.
  result<std::unique_ptr<store>> db = store::open(path, store::mode::read_only);
  for (int attempt = 1; !db && attempt < 5; ++attempt) {
    db = store::open(path, store::mode::read_only);
  }
  if (db && (*db)->needs_upgrade()) {
    return fail(errc::invalid_value,
                "'" + path + "' is in data format " +
                  std::string{store::previous_format} +
                  ": start `atende serve` on it once to upgrade it to format " +
                  std::string{store::format_version} + ", then audit it");
  }
  return db;
}

/// journal_tenants lists the tenants with a journal, jumping from one
/// tenant's entries to the next one's.
result<std::vector<std::string>> journal_tenants(const store& db) {
  std::vector<std::string> out;
  std::string from = "j/";
  for (;;) {
    std::optional<std::string> found;
    auto r = db.scan("j/", [&](std::string_view k, std::string_view) {
      auto slash = k.find('/', 2);
      if (slash != std::string_view::npos) {
        found = std::string{k.substr(2, slash - 2)};
      }
      return false;
    }, from);
    if (!r) {
      return std::unexpected(r.error());
    }
    if (!found) {
      return out;
    }
    out.push_back(*found);
    from = "j/" + *found + "0"; // '0' follows '/': past this tenant's keys
  }
}

// ---- comparing values ---------------------------------------------------

std::string brief(const nlohmann::json& j) {
  auto s = j.dump();
  return s.size() > 120 ? s.substr(0, 117) + "..." : s;
}

/// first_json_difference names the first path where `live` and `want`
/// differ ("" when they are equal).
std::string first_json_difference(const nlohmann::json& live,
                                  const nlohmann::json& want,
                                  const std::string& path) {
  if (live.is_object() && want.is_object()) {
    std::set<std::string> names;
    for (const auto& [k, _] : live.items()) {
      names.insert(k);
    }
    for (const auto& [k, _] : want.items()) {
      names.insert(k);
    }
    for (const auto& k : names) {
      auto p = path.empty() ? k : path + "." + k;
      if (!live.contains(k)) {
        return "field \"" + p + "\": absent live, replayed " + brief(want[k]);
      }
      if (!want.contains(k)) {
        return "field \"" + p + "\": live " + brief(live[k]) +
               ", absent in the replay";
      }
      if (auto d = first_json_difference(live[k], want[k], p); !d.empty()) {
        return d;
      }
    }
    return {};
  }
  if (live.is_array() && want.is_array() && live.size() == want.size()) {
    for (std::size_t i = 0; i < live.size(); ++i) {
      auto p = path + "[" + std::to_string(i) + "]";
      if (auto d = first_json_difference(live[i], want[i], p); !d.empty()) {
        return d;
      }
    }
    return {};
  }
  if (live == want) {
    return {};
  }
  return "field \"" + (path.empty() ? std::string{"(value)"} : path) +
         "\": live " + brief(live) + ", replayed " + brief(want);
}

/// payload_json reads a stored value as JSON: a conversation's or contact's
/// snapshot (either form), another snapshot record's payload, or JSON text
/// (outbox records).
nlohmann::json payload_json(std::string_view value) {
  if (auto c = decode_conversation(value)) {
    return to_json(*c);
  }
  if (auto k = decode_contact(value)) {
    nlohmann::json j;
    to_json(j, *k);
    return j;
  }
  if (auto rec = decode_record(value)) {
    return nlohmann::json::parse(rec->payload, nullptr, false);
  }
  return nlohmann::json::parse(value, nullptr, false);
}

std::string value_difference(std::string_view live, std::string_view want) {
  auto l = payload_json(live);
  auto w = payload_json(want);
  if (!l.is_discarded() && !w.is_discarded()) {
    if (auto d = first_json_difference(l, w, ""); !d.empty()) {
      return d;
    }
    return "same content, different bytes";
  }
  return "live value " + brief(nlohmann::json(std::string{live})) +
         ", replayed " + brief(nlohmann::json(std::string{want}));
}

/// digest: SHA-256 over (key, value) pairs, each part preceded by its
/// size (fixed64be), so that no two sequences of pairs hash alike.
class digest {
public:
  digest() : ctx_(EVP_MD_CTX_new()) {
    EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
  }
  void add(std::string_view k, std::string_view v) {
    add_sized(k);
    add_sized(v);
  }
  std::string hex() {
    chain_hash h{};
    unsigned n = 0;
    EVP_DigestFinal_ex(ctx_.get(), h.data(), &n);
    return to_hex(h);
  }

private:
  void add_sized(std::string_view s) {
    auto n = keys::fixed64be(s.size());
    EVP_DigestUpdate(ctx_.get(), n.data(), n.size());
    EVP_DigestUpdate(ctx_.get(), s.data(), s.size());
  }
  struct free_ctx {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, free_ctx> ctx_;
};

/// compare_entities compares the replayed entities with the live store,
/// range by range in key order, and digests the live side.
result<std::optional<difference>>
compare_entities(const store& db, const std::string& tenant,
                 const entity_replay& er, std::string& digest_hex) {
  digest dg;
  std::optional<difference> diff;
  auto differ = [&](std::string_view key, std::string msg) {
    if (!diff) {
      diff = difference{tenant, {}, printable_key(key), std::move(msg)};
    }
  };
  auto check = [&](std::string_view key, std::string_view live,
                   const std::string& replayed) {
    dg.add(key, live);
    // A snapshot written in an earlier form holds the same entity as the
    // replayed one in today's form.
    if (live != replayed && !same_entity(live, replayed)) {
      differ(key, value_difference(live, replayed));
    }
  };
  auto missing_live = [&](const std::string& key) {
    differ(key, "the journal implies this key, the live store lacks it");
  };
  auto tenant_key = keys::tenant(tenant);
  std::string key;
  std::string value;
  for (auto& range : er.stored_ranges()) {
    bool more = range->next(key, value);
    if (range->prefix() == tenant_key) {
      auto live = db.get(tenant_key);
      if (!live) {
        return std::unexpected(live.error());
      }
      if (!live->has_value() && more) {
        missing_live(tenant_key);
      } else if (live->has_value() && !more) {
        differ(tenant_key, "the live store has this tenant, its journal is empty");
      } else if (live->has_value()) {
        check(tenant_key, **live, value);
      }
      continue;
    }
    auto r = db.scan(range->prefix(), [&](std::string_view k, std::string_view v) {
      while (more && key < k) {
        missing_live(key);
        more = range->next(key, value);
      }
      if (more && key == k) {
        check(k, v, value);
        more = range->next(key, value);
      } else {
        dg.add(k, v);
        differ(k, "the live store has this key, the journal does not imply it");
      }
      return true;
    });
    if (!r) {
      return std::unexpected(r.error());
    }
    for (; more; more = range->next(key, value)) {
      missing_live(key);
    }
  }
  digest_hex = dg.hex();
  return diff;
}

std::string text_or_empty(const nlohmann::json& j) {
  return j.is_string() ? j.get<std::string>() : std::string{};
}

/// counted_messages is how many of a conversation's messages its entity
/// counts: a reaction is not a message of its own (one the views could not
/// put on its message is shown as one, with kind "reaction").
std::size_t counted_messages(const nlohmann::json& messages) {
  return static_cast<std::size_t>(
    std::count_if(messages.begin(), messages.end(), [](const auto& m) {
      return m.value("kind", "") != "reaction";
    }));
}

/// compare_views checks that every replayed conversation reads in the views
/// as its entity says, and every agent's open count is the tenant's load.
std::optional<difference> compare_views(const views& v, const std::string& tenant,
                                        const entity_replay& er,
                                        timestamp now) {
  auto who = admin_of(tenant);
  std::vector<std::string> ids;
  for (const auto& [id, c] : er.conversations()) {
    if (!c.state.status.empty()) {
      ids.push_back(id);
    }
  }
  std::sort(ids.begin(), ids.end());
  auto differ = [&](const std::string& what, std::string msg) {
    return difference{tenant, {}, what, std::move(msg)};
  };
  for (const auto& id : ids) {
    const auto& c = er.conversations().at(id).state;
    auto what = "views: conversation " + id;
    auto obj = v.conversation(who, id, now);
    if (!obj) {
      return differ(what, "absent from the views: " + obj.error().message);
    }
    const auto& j = *obj;
    auto field = [&](const char* name, const std::string& view_value,
                     const std::string& entity_value)
      -> std::optional<difference> {
      if (view_value == entity_value) {
        return std::nullopt;
      }
      return differ(what, std::string{"field \""} + name + "\": views \"" +
                            view_value + "\", entity \"" + entity_value + "\"");
    };
    auto time_of = [](timestamp t) {
      return t == 0 ? std::string{} : format_time(t);
    };
    std::optional<difference> d;
    (d = field("status", text_or_empty(j["status"]), c.status)) ||
      (d = field("team", text_or_empty(j["team"]), c.team)) ||
      (d = field("assignee", text_or_empty(j["assignee"]), c.assignee)) ||
      (d = field("channel", text_or_empty(j["channel"]), c.channel)) ||
      (d = field("contact", text_or_empty(j["contact"]["id"]), c.contact)) ||
      (d = field("portfolio", text_or_empty(j["portfolio"]), c.portfolio)) ||
      (d = field("reason", text_or_empty(j["reason"]), c.reason)) ||
      (d = field("description", text_or_empty(j["description"]),
                 c.description)) ||
      (d = field("outside_hours", j["outside_hours"].dump(),
                 c.held ? "true" : "false")) ||
      (d = field("created_at", text_or_empty(j["created_at"]),
                 time_of(c.created_at))) ||
      (d = field("finished_at", text_or_empty(j["finished_at"]),
                 time_of(c.finished_at))) ||
      (d = field("last_activity_at", text_or_empty(j["last_activity_at"]),
                 time_of(c.last_activity_at))) ||
      (d = field("messages", std::to_string(counted_messages(j["messages"])),
                 std::to_string(c.messages)));
    if (d) {
      return d;
    }
  }
  for (const auto& [id, a] : er.core().agents) {
    auto row = v.get(who, resource::agents, id, now);
    auto what = "views: agent " + id;
    if (!row) {
      return differ(what, "absent from the views: " + row.error().message);
    }
    auto shown = (*row)["open_count"].get<long long>();
    auto load = static_cast<long long>(load_of(er.core(), id));
    if (shown != load) {
      return differ(what, "field \"open_count\": views " + std::to_string(shown) +
                            ", entity load " + std::to_string(load));
    }
  }
  return std::nullopt;
}

/// view_feed hands events to views in chunks (their apply takes a lock).
class view_feed {
public:
  explicit view_feed(views& v) : v_(v) { buf_.reserve(chunk); }
  void push(event&& e) {
    buf_.push_back(std::move(e));
    if (buf_.size() == chunk) {
      flush();
    }
  }
  void flush() {
    if (!buf_.empty()) {
      v_.apply(buf_);
      buf_.clear();
    }
  }

private:
  static constexpr std::size_t chunk = 4096;
  views& v_;
  std::vector<event> buf_;
};

} // namespace

std::string printable_key(std::string_view key) {
  std::string out;
  bool seq_tail = key.size() > 10 &&
                  (key.starts_with("j/") || key.starts_with("x/") ||
                   key.starts_with("u/"));
  auto body = seq_tail ? key.substr(0, key.size() - 8) : key;
  for (char ch : body) {
    out.push_back(ch == '\0' ? '/' : ch);
  }
  if (seq_tail) {
    if (!out.empty() && out.back() == '/') {
      out.pop_back();
    }
    out += "#" + std::to_string(keys::read_fixed64be(key.substr(key.size() - 8)));
  }
  return out;
}

result<std::vector<data_store>> open_data(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return fail(errc::not_found, "--data: " + dir + " is not a directory");
  }
  std::vector<std::string> names;
  if (fs::is_directory(fs::path{dir} / "db", ec)) {
    names.push_back("db");
  }
  auto parts = fs::path{dir} / "partitions";
  if (fs::is_directory(parts, ec)) {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator{parts, ec}) {
      if (e.is_directory()) {
        found.push_back("partitions/" + e.path().filename().string());
      }
    }
    std::sort(found.begin(), found.end());
    names.insert(names.end(), found.begin(), found.end());
  }
  if (names.empty()) {
    return fail(errc::not_found, "--data: " + dir +
                                   " holds no atende data (neither db/ nor "
                                   "partitions/)");
  }
  std::vector<data_store> out;
  for (auto& n : names) {
    auto db = open_read_only((fs::path{dir} / n).string());
    if (!db) {
      return std::unexpected(db.error());
    }
    out.push_back({std::move(n), std::move(*db)});
  }
  return out;
}

result<std::vector<tenant_ref>> tenants(const std::vector<data_store>& stores,
                                        const std::string& only) {
  std::vector<tenant_ref> out;
  for (const auto& s : stores) {
    std::set<std::string> found;
    auto r = s.db->scan("t/", [&](std::string_view k, std::string_view) {
      found.emplace(k.substr(2));
      return true;
    });
    if (!r) {
      return std::unexpected(r.error());
    }
    auto journaled = journal_tenants(*s.db);
    if (!journaled) {
      return std::unexpected(journaled.error());
    }
    for (auto& t : *journaled) {
      found.insert(std::move(t));
    }
    for (const auto& t : found) {
      if (only.empty() || t == only) {
        // Its number of events is its last seq (0 if it cannot be read).
        out.push_back(
          {s.db.get(), s.name, t, last_journal_seq(*s.db, t).value_or(0)});
      }
    }
  }
  if (!only.empty() && out.empty()) {
    return fail(errc::not_found, "--tenant: no tenant '" + only + "' in the data");
  }
  return out;
}

result<walk_result>
walk(const store& db, const std::string& tenant, const walk_options& o,
     const std::function<void(event&&, std::string_view)>& f) {
  walk_result w;
  auto prefix = keys::journal_prefix(tenant);
  bool chained = false;
  std::uint64_t unreported = 0;
  auto r = db.scan(prefix, [&](std::string_view k, std::string_view v) {
    auto bad = [&](std::uint64_t seq, std::string msg) {
      w.diff = difference{tenant, tenant + "#" + std::to_string(seq),
                          printable_key(k), std::move(msg)};
      return false;
    };
    if (k.size() != prefix.size() + 8) {
      return bad(0, "a journal key that is not <tenant>/<seq>");
    }
    auto seq = keys::read_fixed64be(k.substr(prefix.size()));
    if (seq != w.last_seq + 1) {
      return bad(w.last_seq + 1,
                 "entry missing: the journal goes from #" +
                   std::to_string(w.last_seq) + " to #" + std::to_string(seq));
    }
    auto entry = decode_journal_entry(v);
    if (!entry) {
      return bad(seq, entry.error().message);
    }
    chain_hash next = w.head;
    if (entry->hash) {
      next = chain_next(w.head, entry->payload);
      if (next != *entry->hash) {
        return bad(seq, "chain breaks: the entry's hash is " +
                          to_hex(*entry->hash) + ", its payload and the "
                          "previous entry give " + to_hex(next));
      }
      chained = true;
    } else if (chained) {
      return bad(seq, "chain breaks: an unchained entry after chained ones");
    }
    auto e = event_from_text(entry->payload);
    if (!e) {
      return bad(seq, "not an event: " + e.error().message);
    }
    if (e->seq != seq || e->tenant != tenant) {
      return bad(seq, "the entry holds event " + e->id());
    }
    if (o.until != 0 && e->at > o.until) {
      return false;
    }
    w.head = next;
    w.unchained += entry->hash ? 0 : 1;
    w.last_seq = seq;
    w.last_at = e->at;
    ++w.events;
    f(std::move(*e), entry->payload);
    if (o.progress != nullptr && ++unreported == 1024) {
      o.progress->fetch_add(unreported, std::memory_order_relaxed);
      unreported = 0;
    }
    return true;
  });
  if (o.progress != nullptr) {
    o.progress->fetch_add(unreported, std::memory_order_relaxed);
  }
  if (!r) {
    return std::unexpected(r.error());
  }
  return w;
}

namespace {

/// replay_into walks `t`'s journal up to `until` into the entities and the
/// views (the same events, in the same order).
result<walk_result> replay_into(const tenant_ref& t, timestamp until,
                                std::atomic<std::uint64_t>* progress,
                                entity_replay& er, views& v) {
  view_feed feed{v};
  walk_options o;
  o.until = until;
  o.progress = progress;
  auto w = walk(*t.db, t.tenant, o, [&](event&& e, std::string_view) {
    er.apply(e);
    feed.push(std::move(e));
  });
  feed.flush();
  return w;
}

} // namespace

result<tenant_report> verify(const tenant_ref& t,
                             std::atomic<std::uint64_t>* progress) {
  tenant_report rep;
  rep.tenant = t.tenant;
  rep.store_name = t.store_name;
  entity_replay er{t.tenant};
  views v;
  auto w = replay_into(t, 0, progress, er, v);
  if (!w) {
    return std::unexpected(w.error());
  }
  rep.events = w->events;
  rep.unchained = w->unchained;
  rep.head = w->head;
  rep.conversations = er.conversations().size();
  if (w->diff) {
    rep.diff = std::move(w->diff);
    return rep;
  }
  auto d = compare_entities(*t.db, t.tenant, er, rep.digest);
  if (!d) {
    return std::unexpected(d.error());
  }
  if (*d) {
    rep.diff = std::move(*d);
    return rep;
  }
  rep.diff = compare_views(v, t.tenant, er, w->last_at);
  return rep;
}

result<replayed> replay_tenant(const tenant_ref& t, timestamp until,
                               std::atomic<std::uint64_t>* progress) {
  replayed out;
  out.tenant = t.tenant;
  out.v = std::make_unique<views>();
  entity_replay er{t.tenant};
  auto w = replay_into(t, until, progress, er, *out.v);
  if (!w) {
    return std::unexpected(w.error());
  }
  out.walked = std::move(*w);
  out.agents = er.core().agents;
  return out;
}

result<nlohmann::json> lists(const replayed& r, const std::string& agent,
                             timestamp now) {
  auto a = r.agents.find(agent);
  if (a == r.agents.end()) {
    return fail(errc::not_found, "--agent: no agent '" + agent +
                                   "' in tenant " + r.tenant + " at that moment");
  }
  principal who;
  who.tenant = r.tenant;
  who.agent = agent;
  who.admin = a->second.role == agent_role::admin;
  nlohmann::json out = {{"agent", agent}, {"role", name_of(a->second.role)}};
  for (const char* view : {"mine", "unassigned", "all"}) {
    conversation_query q;
    q.view = view;
    q.limit = 500;
    auto items = nlohmann::json::array();
    for (;;) {
      auto page = r.v->conversations(who, q, now);
      if (!page) {
        return std::unexpected(page.error());
      }
      for (auto& item : page->items.items) {
        items.push_back(std::move(item));
      }
      if (page->items.next_cursor.empty()) {
        break;
      }
      q.cursor = page->items.next_cursor;
    }
    out[view] = std::move(items);
  }
  return out;
}

} // namespace atende::audit

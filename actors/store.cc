#include "actors/store.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

namespace atende {

namespace keys {

std::string fixed64be(std::uint64_t v) {
  std::string s(8, '\0');
  for (int i = 7; i >= 0; --i) {
    s[static_cast<size_t>(i)] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return s;
}

std::uint64_t read_fixed64be(std::string_view s) {
  std::uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < s.size(); ++i) {
    v = (v << 8) | static_cast<unsigned char>(s[i]);
  }
  return v;
}

namespace {

std::string fixed16be(std::uint32_t v) {
  std::string s(2, '\0');
  s[0] = static_cast<char>((v >> 8) & 0xff);
  s[1] = static_cast<char>(v & 0xff);
  return s;
}

std::string join(std::string_view a, std::string_view b, std::string_view c = {},
                 std::string_view d = {}) {
  std::string s;
  s.reserve(a.size() + b.size() + c.size() + d.size());
  s.append(a).append(b).append(c).append(d);
  return s;
}

} // namespace

std::string log_prefix(std::uint32_t p) { return "l/" + fixed16be(p); }
std::string log(std::uint32_t p, std::uint64_t o) {
  return log_prefix(p) + fixed64be(o);
}
std::string offset(std::uint32_t p, std::uint32_t stream) {
  return stream == 0 ? "o/" + fixed16be(p) : "o/" + fixed16be(p) + fixed16be(stream);
}

std::string published(std::uint32_t p) { return "p/" + fixed16be(p); }
std::string tenant(std::string_view t) { return join("t/", t); }
std::string core(std::string_view t, std::uint64_t piece) {
  return join("k/", t, "/") + fixed64be(piece);
}
std::string core_prefix(std::string_view t) { return join("k/", t, "/"); }
std::string contact_prefix(std::string_view t) { return join("s/", t, "/k/"); }
std::string presence_prefix(std::string_view t) { return join("s/", t, "/a/"); }
std::string presence(std::string_view t, std::string_view agent) {
  return join("s/", t, "/a/", agent);
}
std::string turn_prefix(std::string_view t) { return join("s/", t, "/r/"); }
std::string turn(std::string_view t, std::string_view team) {
  return join("s/", t, "/r/", team);
}
std::string contact(std::string_view t, std::string_view id) {
  return join("s/", t, "/k/", id);
}
std::string membership_prefix(std::string_view t) {
  return join("s/", t, "/q/");
}
std::string membership_prefix(std::string_view t, std::string_view portfolio) {
  auto k = join("s/", t, "/q/", portfolio);
  k += '\0';
  return k;
}
std::string membership(std::string_view t, std::string_view portfolio,
                       std::string_view contact) {
  auto k = membership_prefix(t, portfolio);
  k += contact;
  return k;
}
std::string conversation_prefix(std::string_view t) {
  return join("s/", t, "/c/");
}
std::string conversation(std::string_view t, std::string_view id) {
  return join("s/", t, "/c/", id);
}
std::string journal_prefix(std::string_view t) { return join("j/", t, "/"); }
std::string journal(std::string_view t, std::uint64_t seq) {
  return journal_prefix(t) + fixed64be(seq);
}
std::string by_conversation_prefix(std::string_view t, std::string_view c) {
  auto s = join("x/", t, "/", c);
  s.push_back('\0');
  return s;
}
std::string by_conversation(std::string_view t, std::string_view c,
                            std::uint64_t seq) {
  return by_conversation_prefix(t, c) + fixed64be(seq);
}
std::string outbox_prefix(std::string_view t) { return join("u/", t, "/"); }

std::string outbox(std::string_view t, std::uint64_t seq) {
  return outbox_prefix(t) + fixed64be(seq);
}

std::string sending(std::string_view t, std::uint64_t seq) {
  return join(sending_prefix, t, "/") + fixed64be(seq);
}

std::string fetching(std::string_view t, std::uint64_t seq) {
  return join(fetching_prefix, t, "/") + fixed64be(seq);
}

std::string seen(std::string_view t, std::string_view id) {
  return join("d/", t, "/", id);
}

} // namespace keys

namespace {

error rocks_error(const rocksdb::Status& st, std::string_view what) {
  return make_error(errc::internal,
                    "rocksdb " + std::string{what} + ": " + st.ToString());
}

rocksdb::Options make_options() {
  rocksdb::Options o;
  o.create_if_missing = true;
  o.IncreaseParallelism(2);
  // 128 MiB of memtables (32 MiB each) instead of the default 512 MiB: at
  // a million conversations the larger budget is resident memory the
  // engine's per-conversation budget cannot spare (BENCHMARKS.md).
  o.OptimizeLevelStyleCompaction(std::uint64_t{128} << 20);
  rocksdb::BlockBasedTableOptions t;
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10, false));
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  return o;
}

} // namespace

store::store(rocksdb::DB* db) : db_(db) {}

store::~store() = default;

result<std::unique_ptr<store>> store::open(const std::string& dir, mode m) {
  rocksdb::DB* db = nullptr;
  auto opts = make_options();
  rocksdb::Status st;
  if (m == mode::read_only) {
    st = rocksdb::DB::OpenForReadOnly(opts, dir, &db);
  } else {
    st = rocksdb::DB::Open(opts, dir, &db);
  }
  if (!st.ok()) {
    return std::unexpected(rocks_error(st, "open " + dir));
  }
  std::unique_ptr<store> s(new store(db));
  if (auto r = s->check_format(m == mode::read_write); !r) {
    return std::unexpected(r.error());
  }
  return s;
}

result<void> store::check_format(bool may_write) {
  auto v = get(format_key);
  if (!v) {
    return std::unexpected(v.error());
  }
  if (v->has_value()) {
    if (**v == previous_format) {
      previous_ = true;
      return {};
    }
    if (**v != format_version) {
      return fail(errc::internal, "data format '" + **v +
                                    "' is not supported (this build reads '" +
                                    std::string{format_version} + "')");
    }
    return {};
  }
  if (!may_write) {
    return {};
  }
  rocksdb::WriteBatch b;
  b.Put(format_key, format_version);
  return write(b, true);
}

result<void> store::set_current_format(rocksdb::WriteBatch& batch) {
  batch.Put(format_key, format_version);
  if (auto r = write(batch, true); !r) {
    return r;
  }
  previous_ = false;
  return {};
}

result<std::optional<std::string>> store::get(std::string_view key) const {
  std::string value;
  auto st = db_->Get(rocksdb::ReadOptions{}, rocksdb::Slice{key.data(), key.size()},
                     &value);
  if (st.IsNotFound()) {
    return std::optional<std::string>{};
  }
  if (!st.ok()) {
    return std::unexpected(rocks_error(st, "get"));
  }
  return std::optional<std::string>{std::move(value)};
}

result<void> store::write(rocksdb::WriteBatch& batch, bool sync) {
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  auto st = db_->Write(wo, &batch);
  if (!st.ok()) {
    return std::unexpected(rocks_error(st, "write"));
  }
  return {};
}

result<void> store::scan(std::string_view prefix, const visitor& f,
                         std::string_view start) const {
  rocksdb::ReadOptions ro;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
  auto from = start.empty() ? prefix : start;
  for (it->Seek(rocksdb::Slice{from.data(), from.size()}); it->Valid();
       it->Next()) {
    auto k = it->key();
    std::string_view key{k.data(), k.size()};
    if (!key.starts_with(prefix)) {
      break;
    }
    auto v = it->value();
    if (!f(key, std::string_view{v.data(), v.size()})) {
      break;
    }
  }
  if (!it->status().ok()) {
    return std::unexpected(rocks_error(it->status(), "scan"));
  }
  return {};
}

result<std::optional<std::string>>
store::last_key(std::string_view prefix) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions{}));
  // Seek to the first key after every key with this prefix, then step back.
  std::string upper{prefix};
  upper.push_back('\xff');
  upper.append(8, '\xff');
  it->SeekForPrev(upper);
  if (!it->status().ok()) {
    return std::unexpected(rocks_error(it->status(), "seek"));
  }
  if (!it->Valid()) {
    return std::optional<std::string>{};
  }
  auto k = it->key().ToString();
  if (!std::string_view{k}.starts_with(prefix)) {
    return std::optional<std::string>{};
  }
  return std::optional<std::string>{std::move(k)};
}

result<void> store::sync_wal() {
  auto st = db_->SyncWAL();
  if (!st.ok()) {
    return std::unexpected(rocks_error(st, "sync wal"));
  }
  return {};
}

result<void> store::flush() {
  auto st = db_->Flush(rocksdb::FlushOptions{});
  if (!st.ok()) {
    return std::unexpected(rocks_error(st, "flush"));
  }
  return {};
}

result<std::uint64_t> last_journal_seq(const store& db,
                                       std::string_view tenant) {
  const auto prefix = keys::journal_prefix(tenant);
  auto last = db.last_key(prefix);
  if (!last) {
    return std::unexpected(last.error());
  }
  if (!last->has_value()) {
    return std::uint64_t{0};
  }
  return keys::read_fixed64be(std::string_view{**last}.substr(prefix.size()));
}

} // namespace atende

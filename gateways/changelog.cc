#include "gateways/changelog.h"

#include <algorithm>
#include <map>

#include <rocksdb/write_batch.h>

#include "actors/store.h"
#include "events/codec.h"

namespace atende::changelog {

namespace {

constexpr std::string_view magic = "atcl";
constexpr std::size_t header_size = 4 + 1 + 1 + 8 + 8 + 4 + 4 + 8;

void put_be(std::string& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
}

std::uint64_t get_be(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v = (v << 8) | static_cast<unsigned char>(in[at + static_cast<std::size_t>(i)]);
  }
  return v;
}

/// tenant_of_key: the tenant of a "j/<tenant>/<seq>" or "u/<tenant>/<seq>"
/// key (seq is 8 bytes).
std::string tenant_of_key(std::string_view key) {
  if (key.size() < 2 + 1 + 8) {
    return {};
  }
  return std::string{key.substr(2, key.size() - 2 - 1 - 8)};
}

class splitter final : public rocksdb::WriteBatch::Handler {
public:
  explicit splitter(std::size_t max) : max_(max) {}
  rocksdb::Status PutCF(std::uint32_t cf, const rocksdb::Slice& k,
                        const rocksdb::Slice& v) override {
    next_if_full();
    return cur_.Put(handle(cf), k, v);
  }
  rocksdb::Status DeleteCF(std::uint32_t cf,
                           const rocksdb::Slice& k) override {
    next_if_full();
    return cur_.Delete(handle(cf), k);
  }
  std::vector<std::string> finish() {
    if (cur_.Count() > 0 || out_.empty()) {
      out_.push_back(cur_.Data());
    }
    return std::move(out_);
  }

private:
  static rocksdb::ColumnFamilyHandle* handle(std::uint32_t) { return nullptr; }
  void next_if_full() {
    if (cur_.Count() > 0 && cur_.GetDataSize() >= max_) {
      out_.push_back(cur_.Data());
      cur_.Clear();
    }
  }
  std::size_t max_;
  rocksdb::WriteBatch cur_;
  std::vector<std::string> out_;
};

class collector final : public rocksdb::WriteBatch::Handler {
public:
  rocksdb::Status PutCF(std::uint32_t, const rocksdb::Slice& k,
                        const rocksdb::Slice& v) override {
    std::string_view key{k.data(), k.size()};
    std::string_view value{v.data(), v.size()};
    if (key.starts_with("j/")) {
      auto rec = decode_record(value);
      if (!rec) {
        err = rec.error();
        return rocksdb::Status::Corruption("journal entry");
      }
      out.events.push_back({tenant_of_key(key), std::string{rec->payload}});
    } else if (key.starts_with("u/")) {
      out.outbound.push_back({tenant_of_key(key), std::string{value}});
    }
    return rocksdb::Status::OK();
  }
  rocksdb::Status DeleteCF(std::uint32_t, const rocksdb::Slice&) override {
    return rocksdb::Status::OK();
  }
  outputs out;
  error err;
};

} // namespace

std::string encode(const header& h, std::string_view payload) {
  std::string out;
  out.reserve(header_size + payload.size());
  out.append(magic);
  out.push_back(1);
  out.push_back(static_cast<char>(h.k));
  put_be(out, h.gen, 8);
  put_be(out, h.cycle, 8);
  put_be(out, h.part, 4);
  put_be(out, h.parts, 4);
  put_be(out, h.through, 8);
  out.append(payload);
  return out;
}

result<decoded> decode(std::string_view value) {
  if (value.size() < header_size || !value.starts_with(magic)) {
    return fail(errc::internal, "corruption: not a changelog record");
  }
  if (value[4] != 1) {
    return fail(errc::internal, "unsupported version " +
                                  std::to_string(static_cast<int>(value[4])));
  }
  auto k = static_cast<std::uint8_t>(value[5]);
  if (k != 1 && k != 2) {
    return fail(errc::internal, "corruption: changelog record kind " +
                                  std::to_string(k));
  }
  decoded d;
  d.h.k = static_cast<kind>(k);
  d.h.gen = get_be(value, 6, 8);
  d.h.cycle = get_be(value, 14, 8);
  d.h.part = static_cast<std::uint32_t>(get_be(value, 22, 4));
  d.h.parts = static_cast<std::uint32_t>(get_be(value, 26, 4));
  d.h.through = get_be(value, 30, 8);
  d.payload = value.substr(header_size);
  if (d.h.k == kind::part && (d.h.parts == 0 || d.h.part >= d.h.parts)) {
    return fail(errc::internal, "corruption: changelog part " +
                                  std::to_string(d.h.part) + " of " +
                                  std::to_string(d.h.parts));
  }
  return d;
}

result<std::vector<std::string>> split(std::string_view rep,
                                       std::size_t max_part) {
  if (rep.size() <= max_part) {
    return std::vector<std::string>{std::string{rep}};
  }
  rocksdb::WriteBatch whole{std::string{rep}};
  splitter s{max_part};
  if (auto st = whole.Iterate(&s); !st.ok()) {
    return fail(errc::internal, "corruption: write batch: " + st.ToString());
  }
  return s.finish();
}

result<outputs> outputs_of(std::string_view rep) {
  rocksdb::WriteBatch b{std::string{rep}};
  collector c;
  if (auto st = b.Iterate(&c); !st.ok()) {
    if (c.err.code != errc::ok) {
      return std::unexpected(c.err);
    }
    return fail(errc::internal, "corruption: write batch: " + st.ToString());
  }
  return std::move(c.out);
}

plan plan_restore(const std::vector<stored>& records) {
  plan p;
  std::uint64_t max_gen = 0;
  // void_from[g]: records of generation < g at offsets >= through are void;
  // keep, for each record, the lowest `through` of a takeover above its gen.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> takeovers; // gen, through
  for (const auto& r : records) {
    max_gen = std::max(max_gen, r.h.gen);
    if (r.h.k == kind::takeover) {
      takeovers.emplace_back(r.h.gen, r.h.through);
    }
  }
  auto is_void = [&](const stored& r) {
    return std::any_of(takeovers.begin(), takeovers.end(), [&](const auto& t) {
      return t.first > r.h.gen && t.second <= r.offset;
    });
  };
  struct pending {
    std::vector<std::string> reps;
    std::uint32_t parts = 0;
  };
  std::map<std::pair<std::uint64_t, std::uint64_t>, pending> open;
  for (const auto& r : records) {
    if (r.h.k != kind::part || is_void(r)) {
      continue;
    }
    auto& c = open[{r.h.gen, r.h.cycle}];
    if (r.h.part != c.reps.size()) {
      // A part out of sequence (a cycle restarted by a crashed producer):
      // start over from this part.
      c.reps.clear();
      if (r.h.part != 0) {
        continue;
      }
    }
    c.parts = r.h.parts;
    c.reps.push_back(r.payload);
    if (c.reps.size() == c.parts) {
      p.cycles.push_back({r.offset, std::move(c.reps)});
      open.erase({r.h.gen, r.h.cycle});
    }
  }
  p.next_gen = max_gen + 1;
  return p;
}

} // namespace atende::changelog

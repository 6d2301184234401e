#include "gateways/journal.h"

#include "events/codec.h"

namespace atende {

namespace {

/// decode_entry decodes journal entry `v` at key `k`; an error names the
/// entry (tenant and seq).
result<event> decode_entry(std::string_view k, std::string_view v) {
  auto e = decode_event(v);
  if (!e) {
    auto err = e.error();
    err.message = "journal entry " + std::string{k.substr(0, k.size() - 8)} +
                  "#" + std::to_string(keys::read_fixed64be(k.substr(k.size() - 8))) +
                  ": " + err.message;
    return std::unexpected(err);
  }
  return e;
}

} // namespace

result<std::uint64_t>
read_journal(const store& db, const std::function<void(std::vector<event>&)>& f,
             std::size_t chunk) {
  std::vector<event> buf;
  buf.reserve(chunk);
  std::uint64_t n = 0;
  result<void> inner;
  auto r = db.scan("j/", [&](std::string_view k, std::string_view v) {
    auto e = decode_entry(k, v);
    if (!e) {
      inner = std::unexpected(e.error());
      return false;
    }
    buf.push_back(std::move(*e));
    ++n;
    if (buf.size() == chunk) {
      f(buf);
      buf.clear();
    }
    return true;
  });
  if (!r) {
    return std::unexpected(r.error());
  }
  if (!inner) {
    return std::unexpected(inner.error());
  }
  if (!buf.empty()) {
    f(buf);
  }
  return n;
}

result<std::vector<event>> read_tenant_journal(const store& db,
                                               const std::string& tenant,
                                               std::uint64_t after,
                                               std::size_t limit) {
  std::vector<event> out;
  result<void> inner;
  const auto prefix = "j/" + tenant + "/";
  auto r = db.scan(
    prefix,
    [&](std::string_view k, std::string_view v) {
      if (out.size() == limit) {
        return false;
      }
      auto e = decode_entry(k, v);
      if (!e) {
        inner = std::unexpected(e.error());
        return false;
      }
      out.push_back(std::move(*e));
      return true;
    },
    keys::journal(tenant, after + 1));
  if (!r) {
    return std::unexpected(r.error());
  }
  if (!inner) {
    return std::unexpected(inner.error());
  }
  return out;
}

} // namespace atende

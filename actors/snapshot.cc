#include "actors/snapshot.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "actors/messages.h"
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

template <class T, class F>
result<void> each_snapshot(const store& db, const std::string& prefix,
                           std::string_view what, F&& f) {
  result<void> inner;
  auto r = db.scan(prefix, [&](std::string_view, std::string_view v) {
    auto j = decode_json(v, what);
    if (!j) {
      inner = std::unexpected(j.error());
      return false;
    }
    auto x = f(*j);
    if (!x) {
      inner = std::unexpected(x.error());
      return false;
    }
    return true;
  });
  if (!r) {
    return r;
  }
  return inner;
}

} // namespace

std::string encode_snapshot(std::string_view json_text) {
  return encode_record(record_kind::snapshot, json_text);
}

result<tenant_state> load_tenant(const store& db, const std::string& tenant) {
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
  auto r = each_snapshot<contact>(
    db, keys::contact_prefix(tenant), "contact",
    [&](const nlohmann::json& c) -> result<void> {
      auto k = contact_from_json(c);
      if (!k) {
        return std::unexpected(k.error());
      }
      restore_contact(*s, *k);
      return {};
    });
  if (!r) {
    return std::unexpected(r.error());
  }
  r = each_snapshot<conversation_state>(
    db, keys::conversation_prefix(tenant), "conversation",
    [&](const nlohmann::json& c) -> result<void> {
      auto k = conversation_from_json(c);
      if (!k) {
        return std::unexpected(k.error());
      }
      restore_conversation(*s, *k);
      return {};
    });
  if (!r) {
    return std::unexpected(r.error());
  }
  return s;
}

conversation_state load_conversation(const store& db,
                                     const std::string& tenant,
                                     const std::string& id) {
  auto raw = db.get(keys::conversation(tenant, id));
  if (!raw || !raw->has_value()) {
    return {};
  }
  auto j = decode_json(**raw, "conversation");
  auto s = j ? conversation_from_json(*j)
             : result<conversation_state>{std::unexpected(j.error())};
  if (!s) {
    std::fprintf(stderr, "atende: conversation %s/%s: %s\n", tenant.c_str(),
                 id.c_str(), s.error().message.c_str());
    return {};
  }
  return *s;
}

contact load_contact(const store& db, const std::string& tenant,
                     const std::string& id) {
  auto raw = db.get(keys::contact(tenant, id));
  if (!raw || !raw->has_value()) {
    return {};
  }
  auto j = decode_json(**raw, "contact");
  auto c = j ? contact_from_json(*j) : result<contact>{std::unexpected(j.error())};
  if (!c) {
    std::fprintf(stderr, "atende: contact %s/%s: %s\n", tenant.c_str(),
                 id.c_str(), c.error().message.c_str());
    return {};
  }
  return *c;
}

void put_snapshot_of(tenant_result& out, const std::string& tenant,
                     const event& e) {
  const contact* c = nullptr;
  if (auto* x = std::get_if<contact_created>(&e.data)) {
    c = &x->value;
  } else if (auto* y = std::get_if<contact_updated>(&e.data)) {
    c = &y->value;
  }
  if (c != nullptr) {
    nlohmann::json j;
    to_json(j, *c);
    out.puts.emplace_back(keys::contact(tenant, c->id),
                          encode_snapshot(j.dump()));
  }
}

} // namespace atende

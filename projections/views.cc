#include "projections/views.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "events/binary.h"
#include "projections/checkpoint.h"
#include "projections/history.h"
#include "projections/inbox_match.h"
#include "projections/inbox_query.h"
#include "projections/records.h"
#include "projections/render.h"
#include "projections/stream.h"
#include "projections/tenant.h"
#include "projections/waiting.h"

namespace atende {

using projections::tenant;

namespace {

// token_owner: whom a token hash authenticates.
struct token_owner {
  std::string tenant;
  std::string agent;
  timestamp expires = 0; // a session's end; 0: the agent's own token
};

const agent* agent_of_event(const event_data& d) {
  if (const auto* x = std::get_if<tenant_created>(&d)) {
    return &x->admin;
  }
  if (const auto* x = std::get_if<agent_created>(&d)) {
    return &x->value;
  }
  if (const auto* x = std::get_if<agent_updated>(&d)) {
    return &x->value;
  }
  return nullptr;
}

} // namespace

struct views::impl {
  std::unordered_map<std::string, std::unique_ptr<tenant>> tenants;
  std::unordered_map<std::string, token_owner> tokens;

  tenant& tenant_for(const std::string& id) {
    auto& t = tenants[id];
    if (!t) {
      t = std::make_unique<tenant>();
      t->info.id = id;
    }
    return *t;
  }

  [[nodiscard]] const tenant* find(const std::string& id) const {
    auto it = tenants.find(id);
    return it == tenants.end() ? nullptr : it->second.get();
  }

  // retoken keeps the token table in step with an agent's token hash.
  void retoken(const tenant& t, const std::string& tenant_id, const agent& a) {
    if (auto it = t.agents.find(a.id); it != t.agents.end() &&
                                       it->second.token_hash != a.token_hash) {
      tokens.erase(it->second.token_hash);
    }
    if (!a.token_hash.empty()) {
      tokens.insert_or_assign(a.token_hash, token_owner{tenant_id, a.id});
    }
  }

  // Meta's phone_number_id → (tenant, channel), across tenants.
  std::unordered_map<std::string, std::pair<std::string, std::string>> numbers;

  void renumber(const tenant& t, const std::string& tenant_id,
                const channel& ch) {
    if (auto it = t.channels.find(ch.id); it != t.channels.end()) {
      auto old = numbers.find(it->second.phone_number_id);
      if (old != numbers.end() && old->second.first == tenant_id &&
          old->second.second == ch.id) {
        numbers.erase(old);
      }
    }
    if (!ch.phone_number_id.empty()) {
      numbers.insert_or_assign(ch.phone_number_id,
                               std::pair{tenant_id, ch.id});
    }
  }

  // Each agent's session tokens ("tenant/agent" → hashes), so that the
  // expired ones are dropped when the agent signs in again.
  std::unordered_map<std::string, std::vector<std::string>> sessions;

  void start_session(const event& e, const agent_session_started& s) {
    auto& mine = sessions[e.tenant + "/" + s.agent];
    std::erase_if(mine, [&](const std::string& h) {
      auto it = tokens.find(h);
      bool gone = it == tokens.end() || it->second.expires <= e.at;
      if (gone && it != tokens.end()) {
        tokens.erase(it);
      }
      return gone;
    });
    mine.push_back(s.token_hash);
    tokens.insert_or_assign(
      s.token_hash,
      token_owner{e.tenant, s.agent, parse_time(s.expires_at).value_or(1)});
  }

  void end_session(const event& e, const agent_session_ended& s) {
    auto it = tokens.find(s.token_hash);
    if (it != tokens.end() && it->second.expires != 0 &&
        it->second.tenant == e.tenant && it->second.agent == s.agent) {
      tokens.erase(it);
    }
    std::erase(sessions[e.tenant + "/" + s.agent], s.token_hash);
  }

  void apply(const event& e) {
    auto& t = tenant_for(e.tenant);
    if (const agent* a = agent_of_event(e.data)) {
      retoken(t, e.tenant, *a);
    }
    if (auto* s = std::get_if<agent_session_started>(&e.data)) {
      start_session(e, *s);
    } else if (auto* s = std::get_if<agent_session_ended>(&e.data)) {
      end_session(e, *s);
    }
    if (auto* c = std::get_if<channel_created>(&e.data)) {
      renumber(t, e.tenant, c->value);
    } else if (auto* u = std::get_if<channel_updated>(&e.data)) {
      renumber(t, e.tenant, u->value);
    }
    projections::apply_event(t, e);
  }
};

views::views() : impl_(std::make_unique<impl>()) {}

views::~views() = default;

void views::apply(const std::vector<event>& events) {
  // The lock is taken per slice so that queries interleave with a large
  // batch (a replay, a busy commit) instead of waiting for all of it. A
  // reader may see part of a batch; every reply the engine releases after
  // `apply` returns still sees all of it.
  constexpr std::size_t slice = 256;
  for (std::size_t i = 0; i < events.size(); i += slice) {
    std::unique_lock lock(mtx_);
    auto end = std::min(events.size(), i + slice);
    for (std::size_t j = i; j < end; ++j) {
      impl_->apply(events[j]);
    }
  }
}

void views::forget(const std::function<bool(const std::string&)>& gone) {
  std::unique_lock lock(mtx_);
  std::erase_if(impl_->tenants, [&](const auto& kv) { return gone(kv.first); });
  std::erase_if(impl_->tokens,
                [&](const auto& kv) { return gone(kv.second.tenant); });
  std::erase_if(impl_->numbers,
                [&](const auto& kv) { return gone(kv.second.first); });
}

std::optional<std::pair<std::string, std::string>>
views::channel_owner(const std::string& phone_number_id) const {
  std::shared_lock lock(mtx_);
  auto it = impl_->numbers.find(phone_number_id);
  if (it == impl_->numbers.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::optional<principal>
views::authenticate(const std::string& token_hash, timestamp now) const {
  std::shared_lock lock(mtx_);
  auto it = impl_->tokens.find(token_hash);
  if (it == impl_->tokens.end()) {
    return std::nullopt;
  }
  const bool session = it->second.expires != 0;
  if (session && now != 0 && now >= it->second.expires) {
    return std::nullopt;
  }
  const tenant* t = impl_->find(it->second.tenant);
  if (t == nullptr) {
    return std::nullopt;
  }
  auto a = t->agents.find(it->second.agent);
  if (a == t->agents.end()) {
    return std::nullopt;
  }
  return principal{.tenant = it->second.tenant,
                   .agent = a->first,
                   .admin = a->second.role == agent_role::admin,
                   .root = false,
                   .session = session ? token_hash : std::string{}};
}

std::optional<agent> views::find_agent(const std::string& tenant,
                                       const std::string& id) const {
  std::shared_lock lock(mtx_);
  const auto* t = impl_->find(tenant);
  if (t == nullptr) {
    return std::nullopt;
  }
  auto it = t->agents.find(id);
  if (it == t->agents.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::optional<agent> views::agent_by_login(const std::string& tenant,
                                           const std::string& login) const {
  std::shared_lock lock(mtx_);
  const auto* t = impl_->find(tenant);
  if (t == nullptr || login.empty()) {
    return std::nullopt;
  }
  for (const auto& [id, a] : t->agents) {
    if (a.login == login) {
      return a;
    }
  }
  return std::nullopt;
}

bool views::tenant_exists(const std::string& tenant_id) const {
  std::shared_lock lock(mtx_);
  const tenant* t = impl_->find(tenant_id);
  return t != nullptr && t->created;
}

result<conversation_page>
views::conversations(const principal& who, const conversation_query& q,
                     timestamp now, rendering as) const {
  if (who.root) {
    return fail(errc::forbidden, "the root token may only manage tenants");
  }
  auto parsed = projections::parse_query(q);
  if (!parsed) {
    return std::unexpected(parsed.error());
  }
  std::shared_lock lock(mtx_);
  const tenant* t = impl_->find(who.tenant);
  if (t == nullptr) {
    return conversation_page{};
  }
  parsed->now = now == 0 ? t->clock : now;
  parsed->as_text = as == rendering::text;
  return projections::run_query(*t, who, *parsed);
}

result<nlohmann::json> views::conversation(const principal& who,
                                           const std::string& id,
                                           timestamp now) const {
  if (who.root) {
    return fail(errc::forbidden, "the root token may only manage tenants");
  }
  std::shared_lock lock(mtx_);
  const tenant* t = impl_->find(who.tenant);
  auto ord = t ? projections::find_row(*t, id) : std::nullopt;
  if (!ord) {
    return fail(errc::not_found, "no such conversation");
  }
  const auto& r = t->rows[*ord];
  if (!projections::viewer(*t, who).sees(*t, *ord)) {
    return fail(errc::not_found, "no such conversation");
  }
  auto j = projections::conversation_json(*t, r, now == 0 ? t->clock : now);
  j["messages"] = projections::messages_json(*t, r);
  return j;
}

namespace {

/// message_of finds message `message_id` of conversation `id`, outbound or
/// not; null when the tenant or either is unknown.
const projections::message_row* message_of(const tenant* t,
                                           const std::string& id,
                                           const std::string& message_id,
                                           bool outbound) {
  auto ord = t ? projections::find_row(*t, id) : std::nullopt;
  if (!ord) {
    return nullptr;
  }
  for (const auto& m : t->rows[*ord].messages) {
    if (m.outbound == outbound && m.id == message_id) {
      return &m;
    }
  }
  return nullptr;
}

} // namespace

bool views::outbound_settled(const std::string& tenant_id,
                             const std::string& id,
                             const std::string& message_id) const {
  std::shared_lock lock(mtx_);
  const auto* m = message_of(impl_->find(tenant_id), id, message_id, true);
  return m != nullptr && (m->provider != 0 ||
                          m->status != projections::message_status::pending);
}

bool views::media_stored(const std::string& tenant_id, const std::string& id,
                         const std::string& message_id) const {
  std::shared_lock lock(mtx_);
  const auto* m = message_of(impl_->find(tenant_id), id, message_id, false);
  return m != nullptr && m->extra && m->extra->content.is_object() &&
         m->extra->content.contains("media") &&
         m->extra->content["media"].contains("id");
}

bool views::sees_media(const principal& who, const std::string& id) const {
  if (who.root) {
    return false;
  }
  std::shared_lock lock(mtx_);
  const tenant* t = impl_->find(who.tenant);
  if (t == nullptr) {
    return false;
  }
  auto it = t->media_rows.find(id);
  if (it == t->media_rows.end()) {
    return false;
  }
  auto v = projections::viewer(*t, who);
  for (auto ord : it->second) {
    if (v.sees(*t, ord)) {
      return true;
    }
  }
  return false;
}

result<std::vector<waiting_mark>>
views::waiting_history(const principal& who, const std::string& id) const {
  if (who.root) {
    return fail(errc::forbidden, "the root token may only manage tenants");
  }
  std::shared_lock lock(mtx_);
  const tenant* t = impl_->find(who.tenant);
  if (t == nullptr) {
    return fail(errc::not_found, "no such conversation");
  }
  return projections::waiting_history(*t, who, id);
}

std::optional<nlohmann::json>
views::conversation_object(const std::string& tenant_id,
                           const std::string& id, timestamp now) const {
  std::shared_lock lock(mtx_);
  const tenant* t = impl_->find(tenant_id);
  auto ord = t ? projections::find_row(*t, id) : std::nullopt;
  if (!ord) {
    return std::nullopt;
  }
  return projections::conversation_json(*t, t->rows[*ord],
                                        now == 0 ? t->clock : now);
}

result<page> views::list(const principal& who, resource r, std::size_t limit,
                         const std::string& cursor, const std::string& phone,
                         const std::string& q, const std::string& tag,
                         timestamp now) const {
  if (who.root) {
    return fail(errc::forbidden, "the root token may only manage tenants");
  }
  std::shared_lock lock(mtx_);
  const tenant* t = impl_->find(who.tenant);
  if (t == nullptr) {
    return page{};
  }
  return projections::list_records(*t, r, limit, cursor, phone, q, tag, now);
}

result<nlohmann::json> views::get(const principal& who, resource r,
                                  const std::string& id, timestamp now) const {
  if (who.root) {
    return fail(errc::forbidden, "the root token may only manage tenants");
  }
  std::shared_lock lock(mtx_);
  const tenant* t = impl_->find(who.tenant);
  if (t == nullptr) {
    return fail(errc::not_found, "no such record");
  }
  return projections::get_record(*t, r, id, now);
}

result<page> views::portfolio_contacts(const principal& who,
                                       const std::string& portfolio,
                                       std::size_t limit,
                                       const std::string& cursor) const {
  if (who.root) {
    return fail(errc::forbidden, "the root token may only manage tenants");
  }
  std::shared_lock lock(mtx_);
  const tenant* t = impl_->find(who.tenant);
  if (t == nullptr) {
    return fail(errc::not_found, "no such portfolio");
  }
  return projections::portfolio_contacts(*t, portfolio, limit, cursor);
}

result<page> views::contact_history(const principal& who,
                                    const std::string& contact,
                                    std::size_t limit,
                                    const std::string& cursor) const {
  if (who.root) {
    return fail(errc::forbidden, "the root token may only manage tenants");
  }
  std::shared_lock lock(mtx_);
  const tenant* t = impl_->find(who.tenant);
  if (t == nullptr) {
    return fail(errc::not_found, "no such contact");
  }
  return projections::contact_history(*t, who, contact, limit, cursor);
}

std::vector<std::string>
views::contacts_by_phone(const principal& who,
                         const std::vector<std::string>& phones) const {
  std::vector<std::string> out(phones.size());
  if (who.root) {
    return out;
  }
  std::shared_lock lock(mtx_);
  const tenant* t = impl_->find(who.tenant);
  if (t == nullptr) {
    return out;
  }
  for (std::size_t i = 0; i < phones.size(); ++i) {
    if (const auto* c = projections::contact_by_phone(*t, phones[i])) {
      out[i] = c->value.id;
    }
  }
  return out;
}

std::vector<std::string>
views::contacts_matching(const principal& who, const std::string& name,
                         const std::string& tag) const {
  if (who.root) {
    return {};
  }
  std::shared_lock lock(mtx_);
  const tenant* t = impl_->find(who.tenant);
  if (t == nullptr) {
    return {};
  }
  return projections::contacts_matching(*t, name, tag);
}

std::optional<channel> views::channel_record(const std::string& tenant,
                                             const std::string& id) const {
  std::shared_lock lock(mtx_);
  const auto* t = impl_->find(tenant);
  if (t == nullptr) {
    return std::nullopt;
  }
  auto it = t->channels.find(id);
  if (it == t->channels.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::vector<std::pair<std::string, std::string>>
views::template_channels(const std::string& waba_id, const std::string& name,
                         const std::string& language) const {
  std::shared_lock lock(mtx_);
  std::vector<std::pair<std::string, std::string>> out;
  if (waba_id.empty()) {
    return out;
  }
  for (const auto& [id, t] : impl_->tenants) {
    for (const auto& [tid, x] : t->templates) {
      if (x.name != name || x.language != language) {
        continue;
      }
      auto ch = t->channels.find(x.channel);
      if (ch != t->channels.end() && ch->second.waba_id == waba_id) {
        out.emplace_back(id, x.channel);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<subscription_entry> views::subscriptions(
  const std::function<bool(const std::string&)>& serves) const {
  std::shared_lock lock(mtx_);
  std::vector<subscription_entry> out;
  for (const auto& [id, t] : impl_->tenants) {
    if (t->subscriptions.empty() || !serves(id)) {
      continue;
    }
    for (const auto& [sid, s] : t->subscriptions) {
      out.push_back({id, s.value, s.position, s.rewinds});
    }
  }
  return out;
}

std::vector<std::string> views::tenants_with_hours() const {
  std::shared_lock lock(mtx_);
  std::vector<std::string> out;
  for (const auto& [id, t] : impl_->tenants) {
    for (const auto& [pid, p] : t->portfolios) {
      if (!p.value.hours.is_null()) {
        out.push_back(id);
        break;
      }
    }
  }
  return out;
}

std::size_t views::conversation_count() const {
  std::shared_lock lock(mtx_);
  std::size_t n = 0;
  for (const auto& [id, t] : impl_->tenants) {
    n += t->rows.size();
  }
  return n;
}

result<void> views::check_watch(const principal& who,
                                const conversation_query& q) const {
  if (who.root) {
    return fail(errc::forbidden, "the root token may only manage tenants");
  }
  auto parsed = projections::list_of(q, nullptr);
  if (!parsed) {
    return std::unexpected(parsed.error());
  }
  return {};
}

void views::watch(const std::string& tenant_id,
                  const std::vector<event>& events,
                  const std::vector<watcher*>& ws, timestamp now) const {
  std::shared_lock lock(mtx_);
  if (const tenant* t = impl_->find(tenant_id)) {
    projections::watch_events(*t, events, ws, now == 0 ? t->clock : now);
  }
}

void views::watch_counts(const std::string& tenant_id,
                         const std::vector<watcher*>& ws, bool always) const {
  std::shared_lock lock(mtx_);
  const tenant* t = impl_->find(tenant_id);
  if (t == nullptr) {
    // A tenant the views do not hold (yet): nothing to count.
    static const projections::tenant empty;
    projections::watch_tab_counts(empty, ws, always);
    return;
  }
  projections::watch_tab_counts(*t, ws, always);
}

std::uint64_t views::last_seq(const std::string& tenant_id) const {
  std::shared_lock lock(mtx_);
  const tenant* t = impl_->find(tenant_id);
  return t == nullptr ? 0 : t->applying_seq;
}

namespace {

constexpr std::string_view checkpoint_magic = "atende-views";
constexpr std::uint8_t checkpoint_version = 1;

template <class Map>
std::vector<const typename Map::value_type*> in_key_order(const Map& m) {
  std::vector<const typename Map::value_type*> out;
  out.reserve(m.size());
  for (const auto& kv : m) {
    out.push_back(&kv);
  }
  std::sort(out.begin(), out.end(),
            [](auto* a, auto* b) { return a->first < b->first; });
  return out;
}

} // namespace

std::string views::checkpoint(std::string_view build) const {
  std::shared_lock lock(mtx_);
  bin_writer w;
  w.raw(checkpoint_magic);
  w.u8(checkpoint_version);
  w.str(build);
  auto tenants = in_key_order(impl_->tenants);
  w.varint(tenants.size());
  for (const auto* kv : tenants) {
    w.str(kv->first);
    projections::write_tenant(w, *kv->second);
  }
  auto tokens = in_key_order(impl_->tokens);
  w.varint(tokens.size());
  for (const auto* kv : tokens) {
    w.str(kv->first);
    w.str(kv->second.tenant);
    w.str(kv->second.agent);
    w.zigzag(kv->second.expires);
  }
  auto sessions = in_key_order(impl_->sessions);
  w.varint(sessions.size());
  for (const auto* kv : sessions) {
    w.str(kv->first);
    w.varint(kv->second.size());
    for (const auto& h : kv->second) {
      w.str(h);
    }
  }
  auto numbers = in_key_order(impl_->numbers);
  w.varint(numbers.size());
  for (const auto* kv : numbers) {
    w.str(kv->first);
    w.str(kv->second.first);
    w.str(kv->second.second);
  }
  w.seal();
  return w.take();
}

result<void> views::restore(std::string_view bytes, std::string_view build) {
  auto corrupt = [](std::string_view what) {
    return fail(errc::internal,
                "corruption: views checkpoint " + std::string{what});
  };
  if (bytes.size() < checkpoint_magic.size() + 1 + 4 ||
      bytes.substr(0, checkpoint_magic.size()) != checkpoint_magic) {
    return corrupt("does not start with its magic bytes");
  }
  auto body = bin_reader::unseal(bytes);
  if (!body) {
    return corrupt("has a bad checksum");
  }
  bin_reader r{body->substr(checkpoint_magic.size())};
  if (auto v = r.u8(); v != checkpoint_version) {
    return fail(errc::internal,
                "unsupported version " + std::to_string(v) +
                  " of the views checkpoint");
  }
  if (auto b = r.view(); b != build || build.empty()) {
    return fail(errc::internal, "the views checkpoint is of another build");
  }
  auto fresh = std::make_unique<impl>();
  for (auto n = r.count(); n > 0 && r.ok(); --n) {
    auto id = r.str();
    auto t = std::make_unique<tenant>();
    if (!projections::read_tenant(r, *t) || t->info.id != id) {
      return corrupt("has a tenant that cannot be read: " + id);
    }
    fresh->tenants.emplace(std::move(id), std::move(t));
  }
  for (auto n = r.count(); n > 0 && r.ok(); --n) {
    auto hash = r.str();
    token_owner o;
    o.tenant = r.str();
    o.agent = r.str();
    o.expires = r.zigzag();
    fresh->tokens.emplace(std::move(hash), std::move(o));
  }
  for (auto n = r.count(); n > 0 && r.ok(); --n) {
    auto& hashes = fresh->sessions[r.str()];
    hashes.resize(r.count());
    for (auto& h : hashes) {
      h = r.str();
    }
  }
  for (auto n = r.count(); n > 0 && r.ok(); --n) {
    auto pnid = r.str();
    auto owner = r.str();
    fresh->numbers.emplace(std::move(pnid), std::pair{owner, r.str()});
  }
  if (!r.ok() || !r.done()) {
    return corrupt("is truncated or has bytes after its end");
  }
  std::unique_lock lock(mtx_);
  if (!impl_->tenants.empty()) {
    return fail(errc::conflict, "the views already hold tenants");
  }
  impl_ = std::move(fresh);
  return {};
}

void views::swap(views& other) {
  std::scoped_lock lock(mtx_, other.mtx_);
  impl_.swap(other.impl_);
}

std::vector<std::pair<std::string, std::uint64_t>> views::positions() const {
  std::shared_lock lock(mtx_);
  std::vector<std::pair<std::string, std::uint64_t>> out;
  out.reserve(impl_->tenants.size());
  for (const auto& [id, t] : impl_->tenants) {
    out.emplace_back(id, t->applying_seq);
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace atende

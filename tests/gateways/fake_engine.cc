#include "fake_engine.h"

#include <optional>
#include <type_traits>

#include <gtest/gtest.h>
#include <rocksdb/write_batch.h>

#include "events/codec.h"
#include "events/json.h"

namespace atende::testing {

namespace {

template <class T>
constexpr const char* kind_of() {
  if constexpr (std::is_same_v<T, channel>) {
    return "channel";
  } else if constexpr (std::is_same_v<T, team>) {
    return "team";
  } else if constexpr (std::is_same_v<T, agent>) {
    return "agent";
  } else if constexpr (std::is_same_v<T, reason>) {
    return "reason";
  } else if constexpr (std::is_same_v<T, pause_type>) {
    return "pause_type";
  } else if constexpr (std::is_same_v<T, portfolio>) {
    return "portfolio";
  } else if constexpr (std::is_same_v<T, message_template>) {
    return "template";
  } else if constexpr (std::is_same_v<T, subscription>) {
    return "subscription";
  } else {
    return "contact";
  }
}

template <class T>
result<T> stored(const nlohmann::json& j) {
  if constexpr (std::is_same_v<T, channel>) {
    return channel_from_json(j);
  } else if constexpr (std::is_same_v<T, team>) {
    return team_from_json(j);
  } else if constexpr (std::is_same_v<T, agent>) {
    return agent_from_json(j);
  } else if constexpr (std::is_same_v<T, reason>) {
    return reason_from_json(j);
  } else if constexpr (std::is_same_v<T, pause_type>) {
    return pause_type_from_json(j);
  } else if constexpr (std::is_same_v<T, portfolio>) {
    return portfolio_from_json(j);
  } else if constexpr (std::is_same_v<T, message_template>) {
    return message_template_from_json(j);
  } else if constexpr (std::is_same_v<T, subscription>) {
    return subscription_from_json(j);
  } else {
    return contact_from_json(j);
  }
}

outcome rejected(errc code, std::string message, std::string field = {}) {
  outcome o;
  o.st = outcome::status::rejected;
  o.err = make_error(code, std::move(message), std::move(field));
  return o;
}

outcome with(fake_state& s, const input& in, event_data d) {
  outcome o;
  o.conversation = conversation_of(d);
  o.events.push_back(
      event{++s.seq[in.tenant], in.tenant, in.at, in.actor, std::move(d)});
  return o;
}

outcome decide_data(fake_state& s, const input& in, const tenant_create& d) {
  if (s.seq.contains(d.tenant.id)) {
    return rejected(errc::already_exists, "the tenant exists");
  }
  return with(s, in, tenant_created{d.tenant, d.admin});
}

template <class T>
outcome decide_data(fake_state& s, const input& in, const create<T>& d) {
  auto key = in.tenant + "/" + kind_of<T>() + "/" + d.value.id;
  if (s.records.contains(key)) {
    return rejected(errc::already_exists, "the id exists");
  }
  nlohmann::json j;
  to_json(j, d.value);
  s.records[key] = j;
  return with(s, in, saved<T, 0>{d.value});
}

template <class T>
outcome decide_data(fake_state& s, const input& in, const patch<T>& d) {
  auto key = in.tenant + "/" + kind_of<T>() + "/" + d.id;
  auto it = s.records.find(key);
  if (it == s.records.end()) {
    return rejected(errc::not_found, "no such record");
  }
  auto x = stored<T>(it->second);
  auto merged = x ? merge_patch<T>(*x, d.fields) : x;
  if (!merged) {
    outcome o = rejected(errc::invalid_value, "");
    o.err = merged.error();
    return o;
  }
  to_json(it->second, *merged);
  return with(s, in, saved<T, 1>{*merged});
}

/// missing_portfolio names the first of `ids` that is no portfolio of the
/// tenant, as the engine refuses a contact's unknown portfolios.
std::optional<outcome> missing_portfolio(const fake_state& s, const input& in,
                                         const std::vector<std::string>& ids) {
  for (const auto& p : ids) {
    if (!s.records.contains(in.tenant + "/portfolio/" + p)) {
      return rejected(errc::unknown_reference, "no portfolio '" + p + "'",
                      "portfolios");
    }
  }
  return std::nullopt;
}

/// join_portfolios adds to `o` the membership events that put contact `id`
/// in exactly the portfolios `wanted`: as in the engine, a contact's
/// portfolios are portfolio events, never part of its record.
void join_portfolios(fake_state& s, const input& in, outcome& o,
                     const std::string& id,
                     const std::vector<std::string>& wanted) {
  auto add = [&](event_data d) {
    o.events.push_back(
        event{++s.seq[in.tenant], in.tenant, in.at, in.actor, std::move(d)});
  };
  std::set<std::string> want(wanted.begin(), wanted.end());
  for (auto& [key, held] : s.holds) {
    auto p = key.substr(key.rfind('/') + 1);
    if (!key.starts_with(in.tenant + "/portfolio/") || want.contains(p)) {
      continue;
    }
    if (held.erase(id) > 0) {
      add(portfolio_contacts_changed{p, {}, {id}});
    }
  }
  for (const auto& p : want) {
    if (s.holds[in.tenant + "/portfolio/" + p].insert(id).second) {
      add(portfolio_contacts_changed{p, {id}, {}});
    }
  }
}

outcome decide_data(fake_state& s, const input& in, const create<contact>& d) {
  if (auto bad = missing_portfolio(s, in, d.value.portfolios)) {
    return *bad;
  }
  auto record = d.value;
  record.portfolios.clear();
  auto o = decide_data<contact>(s, in, create<contact>{record});
  if (o.st != outcome::status::rejected) {
    join_portfolios(s, in, o, record.id, d.value.portfolios);
  }
  return o;
}

outcome decide_data(fake_state& s, const input& in, const patch<contact>& d) {
  auto fields = d.fields;
  std::optional<std::vector<std::string>> wanted;
  if (auto it = fields.find("portfolios"); it != fields.end()) {
    wanted = it->is_null() ? std::vector<std::string>{}
                           : it->get<std::vector<std::string>>();
    fields.erase(it);
  }
  if (wanted) {
    if (auto bad = missing_portfolio(s, in, *wanted)) {
      return *bad;
    }
  }
  auto o = decide_data<contact>(s, in, patch<contact>{d.id, fields});
  if (o.st != outcome::status::rejected && wanted) {
    join_portfolios(s, in, o, d.id, *wanted);
  }
  return o;
}

/// template_conflict: as the engine, a template names an existing channel,
/// and (channel, name, language) names one template.
std::optional<outcome> template_conflict(const fake_state& s, const input& in,
                                         const message_template& x) {
  if (!s.records.contains(in.tenant + "/channel/" + x.channel)) {
    return rejected(errc::unknown_reference, "no channel '" + x.channel + "'",
                    "channel");
  }
  auto prefix = in.tenant + "/template/";
  for (const auto& [key, j] : s.records) {
    if (key.starts_with(prefix) && j.value("id", "") != x.id &&
        j.value("channel", "") == x.channel && j.value("name", "") == x.name &&
        j.value("language", "") == x.language) {
      return rejected(errc::already_exists,
                      "a template has this channel, name and language",
                      "name");
    }
  }
  return std::nullopt;
}

outcome decide_data(fake_state& s, const input& in,
                    const create<message_template>& d) {
  if (auto bad = template_conflict(s, in, d.value)) {
    return *bad;
  }
  return decide_data<message_template>(s, in, d);
}

outcome decide_data(fake_state& s, const input& in,
                    const conversation_assign& d) {
  auto agent = d.agent.empty() ? agent_of(in.actor) : d.agent;
  return with(s, in,
              conversation_assigned{d.conversation, agent, {}, "take", {}});
}

outcome decide_data(fake_state& s, const input& in,
                    const conversation_send& d) {
  auto key = in.tenant + "/" + d.idempotency_key;
  if (!d.idempotency_key.empty()) {
    if (auto it = s.sends.find(key); it != s.sends.end()) {
      outcome o;
      o.st = outcome::status::duplicate;
      o.conversation = d.conversation;
      o.message = it->second;
      return o;
    }
  }
  auto id = "m" + std::to_string(++s.messages);
  if (!d.idempotency_key.empty()) {
    s.sends[key] = id;
  }
  auto o = with(s, in,
                message_sent{d.conversation, id, agent_of(in.actor), "text",
                             d.text, d.idempotency_key, "", "", {}, nullptr});
  o.message = id;
  return o;
}

outcome decide_data(fake_state& s, const input& in,
                    const conversation_transfer& d) {
  return with(
      s, in, conversation_transferred{d.conversation, {}, d.team, {}, d.agent});
}

outcome decide_data(fake_state& s, const input& in,
                    const conversation_finish& d) {
  return with(s, in,
              conversation_finished{d.conversation, d.reason, d.description});
}

outcome decide_data(fake_state& s, const input& in,
                    const conversation_automate& d) {
  return with(
      s, in,
      automation_requested{d.conversation, d.automation, agent_of(in.actor)});
}

outcome decide_data(fake_state& s, const input& in, const portfolio_delete& d) {
  auto key = in.tenant + "/portfolio/" + d.portfolio;
  if (s.records.erase(key) == 0) {
    return rejected(errc::not_found, "no portfolio " + d.portfolio);
  }
  s.holds.erase(key);
  return with(s, in, portfolio_deleted{d.portfolio});
}

/// A change that changes nothing commits no event, as the real engine.
outcome decide_data(fake_state& s, const input& in,
                    const portfolio_contacts& d) {
  auto key = in.tenant + "/portfolio/" + d.portfolio;
  if (!s.records.contains(key)) {
    return rejected(errc::not_found, "no portfolio " + d.portfolio);
  }
  auto& held = s.holds[key];
  portfolio_contacts_changed ev{d.portfolio, {}, {}};
  for (const auto& id : d.add) {
    if (held.insert(id).second) {
      ev.added.push_back(id);
    }
  }
  for (const auto& id : d.remove) {
    if (held.erase(id) > 0) {
      ev.removed.push_back(id);
    }
  }
  if (ev.added.empty() && ev.removed.empty()) {
    return outcome{};
  }
  return with(s, in, std::move(ev));
}

outcome decide_data(fake_state& s, const input& in, const agent_set_status& d) {
  return with(s, in, agent_status_changed{agent_of(in.actor), d.status});
}

outcome decide_data(fake_state& s, const input& in, const agent_pause& d) {
  auto agent = agent_of(in.actor);
  if (!s.records.contains(in.tenant + "/pause_type/" + d.type)) {
    return rejected(errc::unknown_reference, "no pause type " + d.type, "type");
  }
  if (!s.pauses.emplace(in.tenant + "/" + agent, d.type).second) {
    return rejected(errc::already_paused, "already paused");
  }
  return with(s, in, agent_pause_started{agent, d.type});
}

outcome decide_data(fake_state& s, const input& in, const agent_resume&) {
  auto agent = agent_of(in.actor);
  auto it = s.pauses.find(in.tenant + "/" + agent);
  if (it == s.pauses.end()) {
    return rejected(errc::not_paused, "not paused");
  }
  auto type = it->second;
  s.pauses.erase(it);
  return with(s, in, agent_pause_ended{agent, type, 0, false});
}

outcome decide(fake_state& s, const input& in) {
  if (in.is_envelope()) {
    outcome o;
    bool fresh = s.envelopes.insert(in.tenant + "/" + in.id).second;
    o.st = fresh ? outcome::status::accepted : outcome::status::duplicate;
    return o;
  }
  return std::visit(
      [&](const auto& d) -> outcome {
        if constexpr (requires { decide_data(s, in, d); }) {
          return decide_data(s, in, d);
        } else {
          return rejected(errc::unsupported, "not a command");
        }
      },
      in.data);
}

} // namespace

fake_engine::fake_engine(views& v) : views_(v), worker_([this] { run(); }) {}

fake_engine::~fake_engine() {
  {
    std::lock_guard lock{mtx_};
    stopping_ = true;
    held_ = false;
  }
  cv_.notify_all();
  worker_.join();
}

void fake_engine::submit(std::vector<input> inputs, submit_callback done) {
  {
    std::lock_guard lock{mtx_};
    seen_.insert(seen_.end(), inputs.begin(), inputs.end());
    batches_.push_back(inputs.size());
    jobs_.push_back({std::move(inputs), std::move(done)});
  }
  cv_.notify_all();
}

void fake_engine::reject_next(const std::string& type, error e, int skip) {
  std::lock_guard lock{mtx_};
  canned_[type] = canned{std::move(e), skip};
}

void fake_engine::hold() {
  std::lock_guard lock{mtx_};
  held_ = true;
}

void fake_engine::release() {
  {
    std::lock_guard lock{mtx_};
    held_ = false;
  }
  cv_.notify_all();
}

void fake_engine::seed(const std::string& tenant, event_data d,
                       const std::string& actor, timestamp at) {
  std::lock_guard lock{mtx_};
  event e{++state_.seq[tenant], tenant, at == 0 ? now_ms() : at, actor,
          std::move(d)};
  journal({e});
  views_.apply({e});
}

void fake_engine::keep_journal(store& db) {
  std::lock_guard lock{mtx_};
  db_ = &db;
}

std::shared_ptr<const store>
fake_engine::tenant_store(const std::string& tenant) const {
  (void)tenant;
  std::lock_guard lock{mtx_};
  return {std::shared_ptr<const store>{}, db_};
}

void fake_engine::journal(const std::vector<event>& events) {
  if (db_ == nullptr || events.empty()) {
    return;
  }
  rocksdb::WriteBatch b;
  for (const auto& e : events) {
    b.Put(keys::journal(e.tenant, e.seq), encode_event(e));
    if (const auto& conv = conversation_of(e.data); !conv.empty()) {
      b.Put(keys::by_conversation(e.tenant, conv, e.seq), "");
    }
  }
  auto w = db_->write(b, false);
  if (!w) {
    ADD_FAILURE() << "journal: " << w.error().message;
  }
}

std::vector<input> fake_engine::inputs() const {
  std::lock_guard lock{mtx_};
  return seen_;
}

std::vector<std::size_t> fake_engine::batches() const {
  std::lock_guard lock{mtx_};
  return batches_;
}

void fake_engine::run() {
  for (;;) {
    job j;
    std::vector<outcome> out;
    {
      std::unique_lock lock{mtx_};
      cv_.wait(lock,
               [this] { return stopping_ || (!held_ && !jobs_.empty()); });
      if (jobs_.empty()) {
        return;
      }
      j = std::move(jobs_.front());
      jobs_.pop_front();
      for (const auto& in : j.inputs) {
        auto it = canned_.find(std::string{in.type()});
        if (it != canned_.end() && it->second.skip-- == 0) {
          outcome o;
          o.st = outcome::status::rejected;
          o.err = it->second.e;
          canned_.erase(it);
          out.push_back(std::move(o));
          continue;
        }
        out.push_back(decide(state_, in));
        journal(out.back().events);
        views_.apply(out.back().events);
      }
    }
    j.done(std::move(out));
  }
}

} // namespace atende::testing

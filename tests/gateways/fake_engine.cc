#include "fake_engine.h"

#include <type_traits>

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
  } else {
    return contact_from_json(j);
  }
}

outcome rejected(errc code, std::string message) {
  outcome o;
  o.st = outcome::status::rejected;
  o.err = make_error(code, std::move(message));
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
                             d.text, d.idempotency_key});
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
    jobs_.push_back({std::move(inputs), std::move(done)});
  }
  cv_.notify_all();
}

void fake_engine::reject_next(const std::string& type, error e) {
  std::lock_guard lock{mtx_};
  canned_[type] = std::move(e);
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
                       const std::string& actor) {
  std::lock_guard lock{mtx_};
  event e{++state_.seq[tenant], tenant, now_ms(), actor, std::move(d)};
  views_.apply({e});
}

std::vector<input> fake_engine::inputs() const {
  std::lock_guard lock{mtx_};
  return seen_;
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
        if (auto it = canned_.find(in.type); it != canned_.end()) {
          outcome o;
          o.st = outcome::status::rejected;
          o.err = it->second;
          canned_.erase(it);
          out.push_back(std::move(o));
          continue;
        }
        out.push_back(decide(state_, in));
        views_.apply(out.back().events);
      }
    }
    j.done(std::move(out));
  }
}

} // namespace atende::testing

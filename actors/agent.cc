#include "actors/agent.h"

#include "events/json.h"

namespace atende {

namespace {

using events = std::vector<event_data>;

result<events> decide_patch(const agent_state& s, const agent_patch_cmd& p) {
  auto merged = merge_patch<agent>(s.record, p.fields);
  if (!merged) {
    return std::unexpected(merged.error());
  }
  if (*merged == s.record) {
    return events{};
  }
  return events{agent_updated{std::move(*merged)}};
}

result<events> decide_resume(const agent_state& s, const agent_resume_cmd& r) {
  const auto& p = s.presence;
  if (p.pause_type.empty()) {
    return fail(errc::not_paused, "the agent is not paused");
  }
  auto elapsed = r.at > p.pause_since ? r.at - p.pause_since : 0;
  int minutes = static_cast<int>(elapsed / 60000);
  bool overdue = r.max_minutes > 0 &&
                 elapsed > static_cast<timestamp>(r.max_minutes) * 60000;
  return events{agent_pause_ended{s.record.id, p.pause_type, minutes, overdue}};
}

} // namespace

result<events> decide(const agent_state& s, const agent_command& c) {
  if (s.record.id.empty()) {
    return fail(errc::not_found, "no such agent");
  }
  if (auto* p = std::get_if<agent_patch_cmd>(&c)) {
    return decide_patch(s, *p);
  }
  if (auto* st = std::get_if<agent_status_cmd>(&c)) {
    if (s.presence.online == (st->status == "online")) {
      return events{};
    }
    return events{agent_status_changed{s.record.id, st->status}};
  }
  if (auto* pa = std::get_if<agent_pause_cmd>(&c)) {
    if (!s.presence.pause_type.empty()) {
      return fail(errc::already_paused,
                  "already paused ('" + s.presence.pause_type + "')");
    }
    return events{agent_pause_started{s.record.id, pa->type}};
  }
  return decide_resume(s, std::get<agent_resume_cmd>(c));
}

} // namespace atende

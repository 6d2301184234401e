#include "actors/agent.h"

#include "events/json.h"

namespace atende {

result<std::vector<event_data>> decide(const agent& s,
                                       const agent_command& c) {
  if (s.id.empty()) {
    return fail(errc::not_found, "no such agent");
  }
  const auto& p = std::get<agent_patch_cmd>(c);
  auto merged = merge_patch<agent>(s, p.fields);
  if (!merged) {
    return std::unexpected(merged.error());
  }
  if (*merged == s) {
    return std::vector<event_data>{};
  }
  return std::vector<event_data>{agent_updated{std::move(*merged)}};
}

void apply(agent& s, const event_data& e) {
  if (auto* c = std::get_if<agent_created>(&e)) {
    s = c->value;
  } else if (auto* u = std::get_if<agent_updated>(&e)) {
    s = u->value;
  } else if (auto* t = std::get_if<tenant_created>(&e)) {
    s = t->admin;
  }
}

} // namespace atende

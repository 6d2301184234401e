#include "actors/portfolio.h"

#include "events/json.h"

namespace atende {

namespace {

using events = std::vector<event_data>;

result<events> decide_contacts(const portfolio_state& s,
                               const portfolio_contacts_cmd& c) {
  portfolio_contacts_changed ch{s.record.id, {}, {}};
  std::set<std::string> seen;
  for (const auto& k : c.add) {
    if (!s.contacts.contains(k) && seen.insert(k).second) {
      ch.added.push_back(k);
    }
  }
  for (const auto& k : c.remove) {
    if (s.contacts.contains(k) && seen.insert(k).second) {
      ch.removed.push_back(k);
    }
  }
  if (ch.added.empty() && ch.removed.empty()) {
    return events{};
  }
  return events{std::move(ch)};
}

} // namespace

result<events> decide(const portfolio_state& s, const portfolio_command& c) {
  if (auto* cr = std::get_if<portfolio_create_cmd>(&c)) {
    if (!s.record.id.empty()) {
      return fail(errc::already_exists, "portfolio exists", "id");
    }
    return events{portfolio_created{cr->value}};
  }
  if (s.record.id.empty()) {
    return fail(errc::not_found, "no such portfolio");
  }
  if (auto* pa = std::get_if<portfolio_patch_cmd>(&c)) {
    auto merged = merge_patch<portfolio>(s.record, pa->fields);
    if (!merged) {
      return std::unexpected(merged.error());
    }
    if (*merged == s.record) {
      return events{};
    }
    return events{portfolio_updated{std::move(*merged)}};
  }
  if (std::holds_alternative<portfolio_delete_cmd>(c)) {
    events out;
    if (!s.contacts.empty()) {
      out.push_back(portfolio_contacts_changed{
        s.record.id, {}, {s.contacts.begin(), s.contacts.end()}});
    }
    out.push_back(portfolio_deleted{s.record.id});
    return out;
  }
  return decide_contacts(s, std::get<portfolio_contacts_cmd>(c));
}

void apply(portfolio_state& s, const event_data& e) {
  if (auto* c = std::get_if<portfolio_created>(&e)) {
    s = portfolio_state{c->value, {}};
  } else if (auto* u = std::get_if<portfolio_updated>(&e)) {
    s.record = u->value;
  } else if (std::holds_alternative<portfolio_deleted>(e)) {
    s = portfolio_state{};
  } else if (auto* m = std::get_if<portfolio_contacts_changed>(&e)) {
    s.contacts.insert(m->added.begin(), m->added.end());
    for (const auto& k : m->removed) {
      s.contacts.erase(k);
    }
  }
}

} // namespace atende

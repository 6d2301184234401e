#include "actors/contact.h"

#include "events/json.h"

namespace atende {

namespace {

contact upserted(contact c, const contact_upsert_in& u) {
  if (u.name) {
    c.name = *u.name;
  }
  if (u.tags) {
    c.tags = *u.tags;
  }
  if (u.stage) {
    c.stage = *u.stage;
  }
  if (u.departments) {
    c.departments = *u.departments;
  }
  return c;
}

} // namespace

result<std::vector<event_data>> decide(const contact& s,
                                       const contact_command& c) {
  if (s.id.empty()) {
    return fail(errc::not_found, "no such contact");
  }
  contact next;
  if (auto* p = std::get_if<contact_patch_cmd>(&c)) {
    auto merged = merge_patch<contact>(s, p->fields);
    if (!merged) {
      return std::unexpected(merged.error());
    }
    next = std::move(*merged);
  } else {
    next = upserted(s, std::get<contact_upsert_cmd>(c).upsert);
  }
  if (next == s) {
    return std::vector<event_data>{};
  }
  return std::vector<event_data>{contact_updated{std::move(next)}};
}

void apply(contact& s, const event_data& e) {
  if (auto* c = std::get_if<contact_created>(&e)) {
    s = c->value;
  } else if (auto* u = std::get_if<contact_updated>(&e)) {
    s = u->value;
  }
}

} // namespace atende

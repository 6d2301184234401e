#include "projections/records.h"

#include <algorithm>
#include <iterator>
#include <optional>

#include "events/json.h"
#include "events/phone.h"
#include "projections/cursor.h"
#include "projections/render.h"

namespace atende::projections {

namespace {

using nlohmann::json;

// api_form is a record as the API shows it: a channel without its secrets.
template <class T>
json api_form(const T& x) {
  return json(x);
}
json api_form(const channel& c) { return public_channel(c); }
json api_form(const subscription_row& s) {
  auto j = public_subscription(s.value);
  j["delivered_seq"] = s.position;
  return j;
}

// page_of pages `records` (a map by id) after `after`, keeping what `keep`
// admits and rendering with `render`.
template <class Map, class Keep, class Render>
page page_of(const Map& records, const std::optional<std::string>& after,
             std::size_t limit, Keep&& keep, Render&& render) {
  page out;
  auto it = after ? records.upper_bound(*after) : records.begin();
  const std::string* last = nullptr;
  for (; it != records.end(); ++it) {
    if (!keep(it->second)) {
      continue;
    }
    if (out.items.size() == limit) {
      out.next_cursor = encode_id_cursor(*last);
      break;
    }
    out.items.push_back(render(it->second));
    last = &it->first;
  }
  return out;
}

template <class Map>
page plain_page(const Map& records, const std::optional<std::string>& after,
                std::size_t limit) {
  return page_of(
    records, after, limit, [](const auto&) { return true; },
    [](const auto& x) { return api_form(x); });
}

page phone_page(const tenant& t, const std::optional<std::string>& after,
                const std::string& phone) {
  page out;
  const contact_row* c = contact_by_phone(t, phone);
  if (c != nullptr && (!after || c->value.id > *after)) {
    out.items.push_back(contact_record_json(*c));
  }
  return out;
}

bool has_tag(const contact& c, const std::string& tag) {
  return std::find(c.tags.begin(), c.tags.end(), tag) != c.tags.end();
}

// matches: a known contact whose folded name starts with `prefix` (empty:
// any) and that has `tag` (empty: any), the one rule of `?q=&tag=` and of
// a portfolio's `add_filter`.
bool matches(const contact_row& c, const std::string& prefix,
             const std::string& tag) {
  return c.known &&
         (prefix.empty() || fold_case(c.value.name).starts_with(prefix)) &&
         (tag.empty() || has_tag(c.value, tag));
}

page contact_page(const tenant& t, const std::optional<std::string>& after,
                  std::size_t limit, const std::string& q,
                  const std::string& tag) {
  auto prefix = fold_case(q);
  return page_of(
    t.contact_ids, after, limit,
    [&](std::uint32_t ord) { return matches(t.contacts[ord], prefix, tag); },
    [&](std::uint32_t ord) { return contact_record_json(t.contacts[ord]); });
}

template <class Map>
result<json> get_plain(const Map& records, const std::string& id,
                       std::string_view what) {
  auto it = records.find(id);
  if (it == records.end()) {
    return fail(errc::not_found, "no such " + std::string{what});
  }
  return api_form(it->second);
}

// parse_after decodes an id cursor; an empty one starts the list.
result<std::optional<std::string>> parse_after(const std::string& cursor) {
  if (cursor.empty()) {
    return std::optional<std::string>{};
  }
  auto after = decode_id_cursor(cursor);
  if (!after) {
    return fail(errc::malformed, "is not a cursor of this list", "cursor");
  }
  return after;
}


} // namespace

const contact_row* contact_by_phone(const tenant& t, std::string_view phone) {
  auto it = t.contact_phones.find(phone_key(phone));
  if (it == t.contact_phones.end() || !t.contacts[it->second].known) {
    return nullptr;
  }
  return &t.contacts[it->second];
}

std::string fold_case(std::string_view s) {
  std::string out{s};
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < out.size()) {
      // U+00C0..U+00DE (except U+00D7, the multiplication sign) are the
      // capitals of U+00E0..U+00FE: same lead byte, +0x20 on the second.
      auto d = static_cast<unsigned char>(out[i + 1]);
      if (d >= 0x80 && d <= 0x9E && d != 0x97) {
        out[i + 1] = static_cast<char>(d + 0x20);
      }
      ++i;
    }
  }
  return out;
}

result<page> list_records(const tenant& t, resource r, std::size_t limit,
                          const std::string& cursor, const std::string& phone,
                          const std::string& q, const std::string& tag,
                          timestamp now) {
  auto parsed = parse_after(cursor);
  if (!parsed) {
    return std::unexpected(parsed.error());
  }
  const auto& after = *parsed;
  limit = std::clamp<std::size_t>(limit, 1, 500);
  now = now == 0 ? t.clock : now;
  auto all = [](const auto&) { return true; };
  switch (r) {
    case resource::channels: return plain_page(t.channels, after, limit);
    case resource::teams: return plain_page(t.teams, after, limit);
    case resource::reasons: return plain_page(t.reasons, after, limit);
    case resource::pause_types: return plain_page(t.pause_types, after, limit);
    case resource::templates: return plain_page(t.templates, after, limit);
    case resource::subscriptions:
      return plain_page(t.subscriptions, after, limit);
    case resource::agents:
      return page_of(t.agents, after, limit, all,
                     [&](const agent& a) { return agent_json(t, a, now); });
    case resource::portfolios:
      return page_of(
        t.portfolios, after, limit, all,
        [&](const portfolio_row& p) { return portfolio_json(t, p); });
    case resource::contacts:
      if (!phone.empty()) {
        return phone_page(t, after, phone);
      }
      return contact_page(t, after, limit, q, tag);
  }
  return fail(errc::internal, "unknown resource");
}

result<json> get_record(const tenant& t, resource r, const std::string& id,
                        timestamp now) {
  switch (r) {
    case resource::channels: return get_plain(t.channels, id, "channel");
    case resource::teams: return get_plain(t.teams, id, "team");
    case resource::reasons: return get_plain(t.reasons, id, "reason");
    case resource::pause_types:
      return get_plain(t.pause_types, id, "pause type");
    case resource::templates: return get_plain(t.templates, id, "template");
    case resource::subscriptions:
      return get_plain(t.subscriptions, id, "subscription");
    case resource::agents: {
      auto it = t.agents.find(id);
      if (it == t.agents.end()) {
        return fail(errc::not_found, "no such agent");
      }
      return agent_json(t, it->second, now == 0 ? t.clock : now);
    }
    case resource::portfolios: {
      auto it = t.portfolios.find(id);
      if (it == t.portfolios.end()) {
        return fail(errc::not_found, "no such portfolio");
      }
      return portfolio_json(t, it->second);
    }
    case resource::contacts: {
      auto it = t.contact_ids.find(id);
      if (it == t.contact_ids.end() || !t.contacts[it->second].known) {
        return fail(errc::not_found, "no such contact");
      }
      return contact_record_json(t.contacts[it->second]);
    }
  }
  return fail(errc::internal, "unknown resource");
}

result<page> portfolio_contacts(const tenant& t, const std::string& portfolio,
                                std::size_t limit, const std::string& cursor) {
  auto p = t.portfolios.find(portfolio);
  if (p == t.portfolios.end()) {
    return fail(errc::not_found, "no such portfolio");
  }
  auto parsed = parse_after(cursor);
  if (!parsed) {
    return std::unexpected(parsed.error());
  }
  const auto& after = *parsed;
  limit = std::clamp<std::size_t>(limit, 1, 500);
  const auto& ids = p->second.contacts;
  page out;
  auto it = after ? ids.upper_bound(*after) : ids.begin();
  for (; it != ids.end(); ++it) {
    if (out.items.size() == limit) {
      out.next_cursor = encode_id_cursor(*std::prev(it));
      break;
    }
    out.items.push_back(portfolio_contact_json(t, *it));
  }
  return out;
}

std::vector<std::string> contacts_matching(const tenant& t,
                                           const std::string& name,
                                           const std::string& tag) {
  auto prefix = fold_case(name);
  std::vector<std::string> out;
  for (const auto& [id, ord] : t.contact_ids) {
    if (matches(t.contacts[ord], prefix, tag)) {
      out.push_back(id);
    }
  }
  return out;
}

} // namespace atende::projections

#include "projections/checkpoint.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/json.h"

namespace atende::projections {

// These are written field by field below. A new member changes the size, and
// this fails until the checkpoint writes and reads it (and the tests' random
// histories set it).
static_assert(sizeof(conversation_row) == 176, "checkpoint: new row field?");
static_assert(sizeof(message_row) == 112, "checkpoint: new message field?");
static_assert(sizeof(message_extra) == 160, "checkpoint: new extra field?");
static_assert(sizeof(reaction_mark) == 72, "checkpoint: new reaction field?");
static_assert(sizeof(contact_row) == 288, "checkpoint: new contact field?");
static_assert(sizeof(contact) == 200, "checkpoint: new contact field?");

namespace {

// ---- writing ----------------------------------------------------------------

template <class N>
void write_numbers(bin_writer& w, const std::vector<N>& v) {
  w.varint(v.size());
  for (auto n : v) {
    w.varint(n);
  }
}

template <class T>
void write_json(bin_writer& w, const T& record) {
  nlohmann::json j = record;
  w.str(j.dump());
}

template <class Map>
void write_records(bin_writer& w, const Map& records) {
  w.varint(records.size());
  for (const auto& [id, x] : records) {
    w.str(id);
    write_json(w, x);
  }
}

/// sorted_keys: the keys of a hash map in order (one state, one encoding).
template <class Map>
std::vector<typename Map::key_type> sorted_keys(const Map& m) {
  std::vector<typename Map::key_type> keys;
  keys.reserve(m.size());
  for (const auto& kv : m) {
    keys.push_back(kv.first);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

void write_contact(bin_writer& w, const contact_row& c) {
  w.str(c.value.id);
  w.str(c.value.name);
  w.str(c.value.phone);
  w.strings(c.value.tags);
  w.str(c.value.stage);
  w.strings(c.value.departments);
  w.strings(c.value.portfolios);
  write_numbers(w, c.tags);
  w.varint(c.stage);
  write_numbers(w, c.conversations);
  w.strings(c.portfolios);
  w.u8(c.known ? 1 : 0);
}

void write_message(bin_writer& w, const message_row& m) {
  w.str(m.id);
  w.str(m.text);
  w.zigzag(m.at);
  w.varint(m.kind);
  w.varint(m.name);
  w.varint(m.language);
  w.varint(m.provider);
  w.u8(static_cast<std::uint8_t>((m.outbound ? 1 : 0) | (m.note ? 2 : 0) |
                                 (m.extra ? 4 : 0)));
  w.u8(static_cast<std::uint8_t>(m.status));
  if (!m.extra) {
    return;
  }
  const auto& x = *m.extra;
  w.strings(x.params);
  w.str(x.error_code);
  w.str(x.error_title);
  w.str(x.content.is_null() ? std::string{} : x.content.dump());
  w.str(x.reply_to);
  w.varint(x.reactions.size());
  for (const auto& r : x.reactions) {
    w.str(r.by);
    w.str(r.emoji);
    w.zigzag(r.at);
  }
}

void write_row(bin_writer& w, const conversation_row& r) {
  w.str(r.id);
  w.str(r.description);
  w.varint(r.messages.size());
  for (const auto& m : r.messages) {
    write_message(w, m);
  }
  w.varint(r.waiting.size());
  for (const auto& m : r.waiting) {
    w.varint(m.seq);
    w.zigzag(m.at);
    w.varint(m.team);
    w.varint(m.audience);
  }
  w.zigzag(r.created_at);
  w.zigzag(r.last_activity_at);
  w.zigzag(r.finished_at);
  w.varint(r.contact);
  w.varint(r.last_out);
  for (symbol s : {r.channel, r.team, r.assignee, r.reason, r.origin,
                   r.portfolio}) {
    w.varint(s);
  }
  w.u8(static_cast<std::uint8_t>(r.status));
  // `restricted` is index's to set, on reading as it was on applying.
  w.u8(static_cast<std::uint8_t>(r.flags & ~restricted));
  w.u8(r.held ? 1 : 0);
}

// ---- reading ----------------------------------------------------------------

template <class N>
std::vector<N> read_numbers(bin_reader& r, std::uint64_t bound) {
  std::vector<N> out(r.count());
  for (auto& n : out) {
    auto v = r.varint();
    if (v >= bound) {
      r.fail();
    }
    n = static_cast<N>(v);
  }
  return out;
}

template <class T>
bool read_json(bin_reader& r, result<T> (*from)(const nlohmann::json&),
               T& out) {
  auto j = nlohmann::json::parse(r.view(), nullptr, false);
  if (!r.ok() || j.is_discarded()) {
    return false;
  }
  auto x = from(j);
  if (!x) {
    return false;
  }
  out = std::move(*x);
  return true;
}

template <class T>
bool read_records(bin_reader& r, result<T> (*from)(const nlohmann::json&),
                  std::map<std::string, T, std::less<>>& out) {
  for (auto n = r.count(); n > 0 && r.ok(); --n) {
    auto id = r.str();
    if (!read_json(r, from, out[std::move(id)])) {
      return false;
    }
  }
  return r.ok();
}

/// reader: a tenant being read, with the bounds its numbers must keep.
struct reader {
  bin_reader& r;
  tenant& t;

  symbol sym() {
    auto v = r.varint();
    if (v >= t.symbols.size()) {
      r.fail();
      return 0;
    }
    return static_cast<symbol>(v);
  }

  template <class E>
  E enumerated(E last) {
    auto v = r.u8();
    if (v > static_cast<std::uint8_t>(last)) {
      r.fail();
    }
    return static_cast<E>(v);
  }

  void contact_row_of(contact_row& c) {
    c.value.id = r.str();
    c.value.name = r.str();
    c.value.phone = r.str();
    c.value.tags = r.strings();
    c.value.stage = r.str();
    c.value.departments = r.strings();
    c.value.portfolios = r.strings();
    c.tags = read_numbers<symbol>(r, t.symbols.size());
    c.stage = sym();
    // Conversation ordinals are checked once the rows are read.
    c.conversations = read_numbers<std::uint32_t>(r, UINT32_MAX);
    c.portfolios = r.strings();
    c.known = r.u8() != 0;
  }

  void message(message_row& m) {
    m.id = r.str();
    m.text = r.str();
    m.at = r.zigzag();
    m.kind = sym();
    m.name = sym();
    m.language = sym();
    m.provider = r.varint();
    auto bits = r.u8();
    m.outbound = (bits & 1) != 0;
    m.note = (bits & 2) != 0;
    m.status = enumerated(message_status::failed);
    if ((bits & 4) == 0) {
      return;
    }
    auto& x = *(m.extra = std::make_unique<message_extra>());
    x.params = r.strings();
    x.error_code = r.str();
    x.error_title = r.str();
    if (auto text = r.view(); !text.empty()) {
      x.content = nlohmann::json::parse(text, nullptr, false);
      if (x.content.is_discarded()) {
        r.fail();
      }
    }
    x.reply_to = r.str();
    x.reactions.resize(r.count());
    for (auto& re : x.reactions) {
      re.by = r.str();
      re.emoji = r.str();
      re.at = r.zigzag();
    }
  }

  void row(conversation_row& c) {
    c.id = r.str();
    c.description = r.str();
    c.messages.resize(r.count());
    for (auto& m : c.messages) {
      message(m);
    }
    c.waiting.resize(r.count());
    for (auto& m : c.waiting) {
      m.seq = r.varint();
      m.at = r.zigzag();
      m.team = sym();
      auto a = r.varint();
      if (a != not_waiting && a >= t.audiences.size()) {
        r.fail();
      }
      m.audience = static_cast<std::uint32_t>(a);
    }
    c.created_at = r.zigzag();
    c.last_activity_at = r.zigzag();
    c.finished_at = r.zigzag();
    auto contact = r.varint();
    auto last_out = r.varint();
    if (contact >= t.contacts.size() ||
        (last_out != no_message && last_out >= c.messages.size())) {
      r.fail();
    }
    c.contact = static_cast<std::uint32_t>(contact);
    c.last_out = static_cast<std::uint32_t>(last_out);
    for (symbol* s : {&c.channel, &c.team, &c.assignee, &c.reason, &c.origin,
                      &c.portfolio}) {
      *s = sym();
    }
    c.status = enumerated(conv_status::finished);
    c.flags = r.u8();
    c.held = r.u8() != 0;
  }
};

} // namespace

void write_tenant(bin_writer& w, const tenant& t) {
  w.varint(t.applying_seq);
  w.zigzag(t.applying_at);
  w.zigzag(t.clock);
  w.u8(t.created ? 1 : 0);
  write_json(w, t.info);

  w.varint(t.symbols.size() - 1);
  for (symbol s = 1; s < t.symbols.size(); ++s) {
    w.str(t.symbols.name(s));
  }
  // Audiences come before the rows that name them; [0] is the whole team.
  w.varint(t.audiences.size() - 1);
  for (std::size_t i = 1; i < t.audiences.size(); ++i) {
    write_numbers(w, t.audiences[i].portfolios);
    write_numbers(w, t.audiences[i].owners);
  }

  write_records(w, t.channels);
  write_records(w, t.teams);
  write_records(w, t.agents);
  write_records(w, t.reasons);
  write_records(w, t.pause_types);
  write_records(w, t.templates);
  w.varint(t.portfolios.size());
  for (const auto& [id, p] : t.portfolios) {
    w.str(id);
    write_json(w, p.value);
    w.varint(p.contacts.size());
    for (const auto& c : p.contacts) {
      w.str(c);
    }
  }
  w.varint(t.subscriptions.size());
  for (const auto& [id, s] : t.subscriptions) {
    w.str(id);
    write_json(w, s.value);
    w.zigzag(s.position);
    w.zigzag(s.rewinds);
  }
  w.varint(t.presence.size());
  for (const auto& [id, p] : t.presence) {
    w.str(id);
    w.u8(p.online ? 1 : 0);
    w.str(p.pause_type);
    w.zigzag(p.pause_since);
  }

  w.varint(t.contacts.size());
  for (const auto& c : t.contacts) {
    write_contact(w, c);
  }
  auto phones = sorted_keys(t.contact_phones);
  w.varint(phones.size());
  for (const auto& k : phones) {
    w.str(k);
    w.varint(t.contact_phones.at(k));
  }
  auto windows = sorted_keys(t.windows);
  w.varint(windows.size());
  for (auto k : windows) {
    const auto& x = t.windows.at(k);
    w.varint(k);
    w.zigzag(x.inbound);
    w.zigzag(x.closed);
  }

  w.varint(t.rows.size());
  for (const auto& r : t.rows) {
    write_row(w, r);
  }
  auto media = sorted_keys(t.media_rows);
  w.varint(media.size());
  for (const auto& k : media) {
    w.str(k);
    write_numbers(w, t.media_rows.at(k));
  }
}

bool read_tenant(bin_reader& r, tenant& t) {
  reader in{r, t};
  t.applying_seq = r.varint();
  t.applying_at = r.zigzag();
  t.clock = r.zigzag();
  t.created = r.u8() != 0;
  if (!read_json(r, &tenant_from_json, t.info)) {
    return false;
  }

  for (auto n = r.count(); n > 0 && r.ok(); --n) {
    t.symbols.intern(r.view());
  }
  for (auto n = r.count(); n > 0 && r.ok(); --n) {
    restriction rs{.portfolios = read_numbers<symbol>(r, t.symbols.size()),
                   .owners = read_numbers<symbol>(r, t.symbols.size())};
    t.audience_ids.emplace(rs, static_cast<std::uint32_t>(t.audiences.size()));
    t.audiences.push_back(std::move(rs));
  }

  if (!read_records(r, &channel_from_json, t.channels) ||
      !read_records(r, &team_from_json, t.teams) ||
      !read_records(r, &agent_from_json, t.agents) ||
      !read_records(r, &reason_from_json, t.reasons) ||
      !read_records(r, &pause_type_from_json, t.pause_types) ||
      !read_records(r, &message_template_from_json, t.templates)) {
    return false;
  }
  for (auto n = r.count(); n > 0 && r.ok(); --n) {
    auto& p = t.portfolios[r.str()];
    if (!read_json(r, &portfolio_from_json, p.value)) {
      return false;
    }
    for (auto k = r.count(); k > 0 && r.ok(); --k) {
      p.contacts.insert(r.str());
    }
  }
  for (auto n = r.count(); n > 0 && r.ok(); --n) {
    auto& s = t.subscriptions[r.str()];
    if (!read_json(r, &subscription_from_json, s.value)) {
      return false;
    }
    s.position = r.zigzag();
    s.rewinds = r.zigzag();
  }
  for (auto n = r.count(); n > 0 && r.ok(); --n) {
    auto& p = t.presence[r.str()];
    p.online = r.u8() != 0;
    p.pause_type = r.str();
    p.pause_since = r.zigzag();
  }

  for (auto n = r.count(); n > 0 && r.ok(); --n) {
    auto ord = static_cast<std::uint32_t>(t.contacts.size());
    in.contact_row_of(t.contacts.emplace_back());
    t.contact_ids.emplace(t.contacts.back().value.id, ord);
  }
  auto n_phones = r.count();
  t.contact_phones.reserve(n_phones);
  for (; n_phones > 0 && r.ok(); --n_phones) {
    auto k = r.str();
    auto ord = r.varint();
    if (ord >= t.contacts.size()) {
      r.fail();
    }
    t.contact_phones.emplace(std::move(k), static_cast<std::uint32_t>(ord));
  }
  auto n_windows = r.count();
  t.windows.reserve(n_windows);
  for (; n_windows > 0 && r.ok(); --n_windows) {
    auto k = r.varint();
    contact_window x;
    x.inbound = r.zigzag();
    x.closed = r.zigzag();
    t.windows.emplace(k, x);
  }

  auto n_rows = r.count();
  t.row_ids.reserve(n_rows);
  for (; n_rows > 0 && r.ok(); --n_rows) {
    auto ord = static_cast<std::uint32_t>(t.rows.size());
    in.row(t.rows.emplace_back());
    t.row_ids.emplace(std::string_view{t.rows.back().id}, ord);
  }
  for (auto n = r.count(); n > 0 && r.ok(); --n) {
    auto k = r.str();
    t.media_rows.emplace(std::move(k),
                         read_numbers<std::uint32_t>(r, t.rows.size()));
  }
  if (!r.ok()) {
    return false;
  }
  for (const auto& c : t.contacts) {
    for (auto ord : c.conversations) {
      if (ord >= t.rows.size()) {
        return false;
      }
    }
  }
  for (std::uint32_t ord = 0; ord < t.rows.size(); ++ord) {
    index(t, ord);
  }
  return true;
}

} // namespace atende::projections

#include "projections/render.h"

#include <algorithm>
#include <string>
#include <utility>

#include "events/json.h"
#include "events/json_text.h"
#include "projections/time_text.h"

namespace atende::projections {

namespace {

using nlohmann::json;

std::string_view status_name(conv_status s) {
  switch (s) {
    case conv_status::waiting: return "waiting";
    case conv_status::open: return "open";
    case conv_status::finished: return "finished";
  }
  return "waiting";
}

std::string_view status_name(message_status s) {
  switch (s) {
    case message_status::received: return "received";
    case message_status::pending: return "pending";
    case message_status::sent: return "sent";
    case message_status::delivered: return "delivered";
    case message_status::read: return "read";
    case message_status::failed: return "failed";
  }
  return "pending";
}

// Objects are filled in key order with end hints: nlohmann's initializer
// lists copy every nested value, and unhinted inserts compare keys, which
// made rendering most of the cost of a page.
class object_builder {
public:
  object_builder() : j_(json::value_t::object) {}
  template <class V>
  object_builder& put(const char* key, V&& value) {
    auto& o = j_.get_ref<json::object_t&>();
    o.emplace_hint(o.end(), key, std::forward<V>(value));
    return *this;
  }
  json take() { return std::move(j_); }

private:
  json j_;
};

json error_json(const message_row& m) {
  const auto* x = m.extra.get();
  return object_builder{}
    .put("code", x != nullptr ? x->error_code : std::string{})
    .put("title", x != nullptr ? x->error_title : std::string{})
    .take();
}

json template_json(const tenant& t, const message_row& m) {
  return object_builder{}
    .put("language", t.symbols.name(m.language))
    .put("name", t.symbols.name(m.name))
    .put("params", m.extra ? json(m.extra->params) : json::array())
    .take();
}


/// text_object writes a JSON object straight to text. Keys are plain ASCII
/// and must come in nlohmann's order (sorted), so that the text equals
/// json_text of the same object built by value_object.
class text_object {
public:
  explicit text_object(std::string& out) : out_(out) { out_ += '{'; }
  text_object& str(std::string_view k, std::string_view v) {
    key(k);
    append_json_string(out_, v);
    return *this;
  }
  text_object& boolean(std::string_view k, bool b) {
    key(k);
    out_ += b ? "true" : "false";
    return *this;
  }
  text_object& null(std::string_view k) {
    key(k);
    out_ += "null";
    return *this;
  }
  /// json writes a value built the slow way (rare parts).
  text_object& json(std::string_view k, const nlohmann::json& j) {
    key(k);
    append_json_text(out_, j);
    return *this;
  }
  text_object& strings(std::string_view k, const std::vector<std::string>& v) {
    key(k);
    out_ += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) {
        out_ += ',';
      }
      append_json_string(out_, v[i]);
    }
    out_ += ']';
    return *this;
  }
  /// object writes the object that `fill(text_object&)` fills.
  template <class F>
  text_object& object(std::string_view k, F&& fill) {
    key(k);
    text_object inner{out_};
    fill(inner);
    inner.close();
    return *this;
  }
  void close() { out_ += '}'; }

private:
  void key(std::string_view k) {
    if (!first_) {
      out_ += ',';
    }
    first_ = false;
    out_ += '"';
    out_ += k;
    out_ += "\":";
  }

  std::string& out_;
  bool first_ = true;
};

/// value_object builds the same object as text_object, as a value, with the
/// same calls; keys come in order, so inserts take end hints.
class value_object {
public:
  value_object& str(std::string_view k, std::string_view v) {
    return put(k, std::string{v});
  }
  value_object& boolean(std::string_view k, bool b) { return put(k, b); }
  value_object& null(std::string_view k) { return put(k, nullptr); }
  value_object& json(std::string_view k, nlohmann::json j) {
    return put(k, std::move(j));
  }
  value_object& strings(std::string_view k, const std::vector<std::string>& v) {
    return put(k, v);
  }
  template <class F>
  value_object& object(std::string_view k, F&& fill) {
    value_object inner;
    fill(inner);
    return put(k, inner.take());
  }
  nlohmann::json take() { return std::move(j_); }

private:
  value_object& put(std::string_view k, nlohmann::json v) {
    auto& o = j_.get_ref<nlohmann::json::object_t&>();
    o.emplace_hint(o.end(), std::string{k}, std::move(v));
    return *this;
  }

  nlohmann::json j_ = nlohmann::json::object();
};

/// str_or_null / time_or_null: null for an empty string, for `never`.
template <class O>
O& str_or_null(O& o, std::string_view k, std::string_view v) {
  return v.empty() ? o.null(k) : o.str(k, v);
}
template <class O>
O& time_or_null(O& o, std::string_view k, timestamp at) {
  return at == never ? o.null(k) : o.str(k, time_text(at));
}

std::string_view symbol_text(const tenant& t, symbol s) {
  return s == 0 ? std::string_view{} : std::string_view{t.symbols.name(s)};
}

/// contact_fields: {id, name, phone}.
template <class O>
void contact_fields(O& o, const contact_row& c) {
  o.str("id", c.value.id).str("name", c.value.name).str("phone", c.value.phone);
}

nlohmann::json contact_json(const contact_row& c) {
  value_object o;
  contact_fields(o, c);
  return o.take();
}

json reactions_json(const std::vector<reaction_mark>& marks) {
  json out = json::array();
  for (const auto& r : marks) {
    out.push_back(object_builder{}
                    .put("at", time_text(r.at))
                    .put("by", r.by)
                    .put("emoji", r.emoji)
                    .take());
  }
  return out;
}

/// content_keys writes a message's content (message_extra::content) among its
/// own keys, which it never shares: each call writes the content keys left
/// that sort before `before` ("": all of them), so that the keys stay sorted.
class content_keys {
public:
  explicit content_keys(const message_row& m)
      : keys_(m.extra && m.extra->content.is_object()
                ? &m.extra->content.get_ref<const json::object_t&>()
                : &none()),
        it_(keys_->begin()) {}

  template <class O>
  void until(O& o, std::string_view before) {
    for (; it_ != keys_->end() && (before.empty() || it_->first < before);
         ++it_) {
      o.json(it_->first, it_->second);
    }
  }

private:
  static const json::object_t& none() {
    static const json::object_t empty;
    return empty;
  }

  const json::object_t* keys_;
  json::object_t::const_iterator it_;
};

/// message_fields: {id, direction, kind, text, at, status}, with `error` when
/// the send failed, `template` for a template, `automation` for an
/// automation flow's message, `reply_to` and `reactions` when it has them,
/// and the keys of its content (media, location, contacts, …).
template <class O>
void message_fields(O& o, const tenant& t, const message_row& m) {
  const auto& kind = t.symbols.name(m.kind);
  bool is_template = m.outbound && kind == "template";
  bool is_automation = m.outbound && kind == "automation";
  const auto* x = m.extra.get();
  content_keys content{m};
  o.str("at", time_text(m.at));
  if (m.note) {
    o.str("author", t.symbols.name(m.name));
  }
  if (is_automation) {
    o.str("automation", t.symbols.name(m.name));
  }
  content.until(o, "direction");
  o.str("direction", m.note ? "note" : m.outbound ? "out" : "in");
  if (m.status == message_status::failed) {
    o.json("error", error_json(m));
  }
  content.until(o, "id");
  o.str("id", m.id);
  content.until(o, "kind");
  o.str("kind", kind);
  content.until(o, "reactions");
  if (x != nullptr && !x->reactions.empty()) {
    o.json("reactions", reactions_json(x->reactions));
  }
  content.until(o, "reply_to");
  if (x != nullptr && !x->reply_to.empty()) {
    o.str("reply_to", x->reply_to);
  }
  content.until(o, "status");
  if (!m.note) {
    o.str("status", status_name(m.status));
  }
  content.until(o, "template");
  if (is_template) {
    o.json("template", template_json(t, m));
  }
  content.until(o, "text");
  o.str("text", m.text);
  content.until(o, "");
}

/// conversation_fields: the conversation object of CONTRACT section 3,
/// without messages; the flags read as list membership (a conversation
/// awaits the customer exactly when it is in the awaiting_customer list).
template <class O>
void conversation_fields(O& o, const tenant& t, const conversation_row& r,
                         timestamp now) {
  const auto& c = t.contacts[r.contact];
  auto expires = window_expires_at(t, r);
  auto in = [&](list_kind l) { return in_list(r.status, r.flags, l); };
  str_or_null(o, "assignee", symbol_text(t, r.assignee))
    .boolean("automation", in(list_kind::automation))
    .boolean("awaiting_customer", in(list_kind::awaiting))
    .str("channel", t.symbols.name(r.channel))
    .boolean("composer_locked", expires == never || expires <= now)
    .object("contact", [&](auto& k) { contact_fields(k, c); })
    .str("created_at", time_text(r.created_at));
  str_or_null(o, "description", r.description);
  time_or_null(o, "finished_at", r.finished_at)
    .str("id", r.id)
    .str("last_activity_at", time_text(r.last_activity_at));
  if (r.messages.empty()) {
    o.null("last_message");
  } else {
    o.object("last_message",
             [&](auto& m) { message_fields(m, t, r.messages.back()); });
  }
  o.boolean("outside_hours", r.held);
  str_or_null(o, "portfolio", symbol_text(t, r.portfolio));
  str_or_null(o, "reason", symbol_text(t, r.reason))
    .boolean("send_failed", in(list_kind::failed));
  str_or_null(o, "stage", c.value.stage)
    .str("status", status_name(r.status))
    .strings("tags", c.value.tags)
    .str("team", t.symbols.name(r.team));
  time_or_null(o, "window_expires_at", expires);
}

} // namespace

nlohmann::json message_json(const tenant& t, const message_row& m) {
  value_object o;
  message_fields(o, t, m);
  return o.take();
}

json conversation_json(const tenant& t, const conversation_row& r,
                       timestamp now) {
  value_object o;
  conversation_fields(o, t, r, now);
  return o.take();
}

void append_conversation_text(std::string& out, const tenant& t,
                              const conversation_row& r, timestamp now) {
  text_object o{out};
  conversation_fields(o, t, r, now);
  o.close();
}

json messages_json(const tenant& t, const conversation_row& r) {
  json out = json::array();
  for (const auto& m : r.messages) {
    out.push_back(message_json(t, m));
  }
  return out;
}

json agent_json(const tenant& t, const agent& a, timestamp now) {
  json j = public_agent(a);
  j["open_count"] = open_count_of(t, a.id);
  j["status"] = "offline";
  j["pause"] = nullptr;
  auto it = t.presence.find(a.id);
  if (it == t.presence.end()) {
    return j;
  }
  const auto& p = it->second;
  j["status"] = p.online ? "online" : "offline";
  if (p.pause_type.empty()) {
    return j;
  }
  timestamp elapsed = std::max<timestamp>(0, now - p.pause_since);
  auto type = t.pause_types.find(p.pause_type);
  bool overdue = type != t.pause_types.end() &&
                 elapsed > type->second.max_minutes * timestamp{60000};
  j["pause"] = object_builder{}
                 .put("elapsed_minutes", elapsed / 60000)
                 .put("overdue", overdue)
                 .put("since", time_text(p.pause_since))
                 .put("type", p.pause_type)
                 .take();
  return j;
}

json contact_record_json(const contact_row& c) {
  json j = c.value;
  j["portfolios"] = c.portfolios;
  return j;
}

json portfolio_json(const tenant& t, const portfolio_row& p) {
  constexpr std::size_t shown = 10;
  json contacts = json::array();
  for (const auto& id : p.contacts) {
    if (contacts.size() == shown) {
      break;
    }
    auto it = t.contact_ids.find(id);
    if (it != t.contact_ids.end()) {
      contacts.push_back(contact_json(t.contacts[it->second]));
    }
  }
  json j = p.value;
  j["contact_count"] = p.contacts.size();
  j["contacts"] = std::move(contacts);
  return j;
}

json portfolio_contact_json(const tenant& t, const std::string& id) {
  auto it = t.contact_ids.find(id);
  if (it == t.contact_ids.end()) {
    return object_builder{}.put("id", id).take();
  }
  const auto& c = t.contacts[it->second].value;
  return object_builder{}
    .put("id", c.id)
    .put("name", c.name)
    .put("phone", c.phone)
    .put("tags", c.tags)
    .take();
}

} // namespace atende::projections

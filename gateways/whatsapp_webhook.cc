#include "gateways/whatsapp_webhook.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <utility>

#include "events/model.h"
#include "events/time.h"
#include "gateways/crypto.h"

namespace atende {

namespace {

using json = nlohmann::json;

constexpr std::int64_t max_seconds = 253402300799; // 9999-12-31T23:59:59Z

/// jtype is the JSON type a field must have; `text` is a string or a number
/// (Meta sends some ids and codes as either), read as a string.
enum class jtype { string, number, boolean, object, array, text };

/// jtype_rule is how a jtype is checked and how its error reads; one row per
/// jtype, in its order.
struct jtype_rule {
  bool (*has)(const json& v);
  std::string_view must_be;
};

constexpr std::array<jtype_rule, 6> jtype_rules{{
    {[](const json& v) { return v.is_string(); }, "must be a string"},
    {[](const json& v) { return v.is_number(); }, "must be a number"},
    {[](const json& v) { return v.is_boolean(); }, "must be a boolean"},
    {[](const json& v) { return v.is_object(); }, "must be an object"},
    {[](const json& v) { return v.is_array(); }, "must be an array"},
    {[](const json& v) { return v.is_string() || v.is_number(); },
     "must be a string or a number"},
}};

const jtype_rule& rule(jtype t) {
  return jtype_rules[static_cast<std::size_t>(t)];
}

const json& null_json() {
  static const json null;
  return null;
}

/// node is a value of the body and its path there (`entry[0].id`).
struct node {
  const json* v = &null_json();
  std::string path;

  [[nodiscard]] const json& value() const { return *v; }
  [[nodiscard]] std::string at(std::string_view key) const {
    return path.empty() ? std::string{key} : path + "." + std::string{key};
  }
  [[nodiscard]] std::string at(std::size_t i) const {
    return path + "[" + std::to_string(i) + "]";
  }
};

/// seconds_of reads Unix seconds from a string of digits (Meta's form) or a
/// non-negative integer (`entry.time`).
std::optional<std::int64_t> seconds_of(const json& v) {
  std::int64_t s = -1;
  if (v.is_number_unsigned() && v.get<std::uint64_t>() <= max_seconds) {
    s = v.get<std::int64_t>();
  } else if (v.is_string()) {
    const auto& str = v.get_ref<const std::string&>();
    const char* end = str.data() + str.size();
    auto [p, ec] = std::from_chars(str.data(), end, s);
    if (ec != std::errc{} || p != end) {
      s = -1;
    }
  }
  if (s < 0 || s > max_seconds) {
    return std::nullopt;
  }
  return s;
}

/// reader reads typed fields and keeps the first error, so that a mapper
/// reads straight through and the walk stops at the next item. After an
/// error, reads give empty values.
class reader {
public:
  [[nodiscard]] bool ok() const { return !first_; }
  [[nodiscard]] error take() { return std::move(*first_); }

  void fail(std::string path, std::string_view message) {
    if (!first_) {
      first_ =
          make_error(errc::malformed, std::string{message}, std::move(path));
    }
  }

  /// maybe gives `key` of `n`, or nullopt when it is absent or null.
  std::optional<node> maybe(const node& n, std::string_view key, jtype t) {
    const json& o = n.value();
    if (!o.is_object()) {
      return std::nullopt;
    }
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) {
      return std::nullopt;
    }
    if (!rule(t).has(*it)) {
      fail(n.at(key), rule(t).must_be);
      return std::nullopt;
    }
    return node{&*it, n.at(key)};
  }

  /// need gives `key` of `n`; a null node (and the error) when absent.
  node need(const node& n, std::string_view key, jtype t) {
    if (auto v = maybe(n, key, t)) {
      return *v;
    }
    fail(n.at(key), "is required");
    return node{&null_json(), n.at(key)};
  }

  /// list gives the array `key`, or a null node (no items) when absent.
  node list(const node& n, std::string_view key, bool required) {
    if (required) {
      return need(n, key, jtype::array);
    }
    return maybe(n, key, jtype::array).value_or(node{});
  }

  /// maybe_text reads a string or a number (as its JSON text).
  std::optional<std::string> maybe_text(const node& n, std::string_view key) {
    auto v = maybe(n, key, jtype::text);
    if (!v) {
      return std::nullopt;
    }
    return v->value().is_string() ? v->value().get<std::string>()
                                  : v->value().dump();
  }

  /// maybe_string reads an optional string.
  std::optional<std::string> maybe_string(const node& n, std::string_view key) {
    auto v = maybe(n, key, jtype::string);
    return v ? std::optional{v->value().get<std::string>()} : std::nullopt;
  }

  /// need_string reads a required string ("" after an error).
  std::string need_string(const node& n, std::string_view key) {
    auto v = need(n, key, jtype::string);
    return v.value().is_string() ? v.value().get<std::string>() : "";
  }

  /// need_text reads a required string or number.
  std::string need_text(const node& n, std::string_view key) {
    need(n, key, jtype::text);
    return maybe_text(n, key).value_or("");
  }

  /// flag reads an optional boolean; absent is false.
  bool flag(const node& n, std::string_view key) {
    auto v = maybe(n, key, jtype::boolean);
    return v && v->value().get<bool>();
  }

  /// maybe_seconds reads optional Unix seconds (see seconds_of).
  std::optional<std::int64_t> maybe_seconds(const node& n,
                                            std::string_view key) {
    auto v = maybe(n, key, jtype::text);
    if (!v) {
      return std::nullopt;
    }
    auto s = seconds_of(v->value());
    if (!s) {
      fail(v->path, "must be Unix seconds");
    }
    return s;
  }

  /// need_seconds reads required Unix seconds (0 after an error).
  std::int64_t need_seconds(const node& n, std::string_view key) {
    auto s = maybe_seconds(n, key);
    if (!s) {
      fail(n.at(key), "is required");
    }
    return s.value_or(0);
  }

  /// need_time reads Unix seconds and renders them as RFC 3339.
  std::string need_time(const node& n, std::string_view key) {
    return format_time(need_seconds(n, key) * 1000);
  }

  /// element gives item `i` of an array, which must be an object.
  node element(const node& list, std::size_t i) {
    const json& item = list.value()[i];
    if (!item.is_object()) {
      fail(list.at(i), "must be an object");
      return node{&null_json(), list.at(i)};
    }
    return node{&item, list.at(i)};
  }

private:
  std::optional<error> first_;
};

/// each calls `f` on every item (an object) of `list` until an error.
template <class F>
void each(reader& r, const node& list, F&& f) {
  const json& items = list.value();
  for (std::size_t i = 0; r.ok() && items.is_array() && i < items.size(); ++i) {
    f(r.element(list, i));
  }
}

/// copy_as copies `key` of `from`, as Meta sent it, to `to[to_key]`.
void copy_as(reader& r, const node& from, std::string_view key, jtype t,
             json& to, std::string_view to_key) {
  if (auto v = r.maybe(from, key, t)) {
    to[std::string{to_key}] = t == jtype::text
                                  ? json(r.maybe_text(from, key).value_or(""))
                                  : v->value();
  }
}

/// copy copies the optional fields `keys` of `from` under the same names.
void copy(reader& r, const node& from,
          std::initializer_list<std::string_view> keys, jtype t, json& to) {
  for (auto key : keys) {
    copy_as(r, from, key, t, to, key);
  }
}

/// envelope is a CONTRACT section 4 envelope without its tenant.
json envelope(std::string id, std::string_view type, std::string at,
              json data) {
  return {{"id", whatsapp_envelope_id(id)},
          {"type", type},
          {"at", std::move(at)},
          {"data", std::move(data)}};
}

// ---- message kinds ----------------------------------------------------------

/// A kind_fn fills `data` from `msg[type]`, the object Meta names after the
/// message's type.
using kind_fn = void (*)(reader& r, const node& msg, std::string_view type,
                         json& data);

void map_text(reader& r, const node& msg, std::string_view, json& data) {
  auto text = r.need(msg, "text", jtype::object);
  data["text"] = r.need_string(text, "body");
}

void map_media(reader& r, const node& msg, std::string_view type, json& data) {
  auto m = r.need(msg, type, jtype::object);
  json media{{"id", r.need_string(m, "id")},
             {"mime_type", r.need_string(m, "mime_type")}};
  copy(r, m, {"sha256", "filename", "caption"}, jtype::string, media);
  copy(r, m, {"voice", "animated"}, jtype::boolean, media);
  data["media"] = std::move(media);
}

void map_location(reader& r, const node& msg, std::string_view, json& data) {
  auto l = r.need(msg, "location", jtype::object);
  json location{{"latitude", r.need(l, "latitude", jtype::number).value()},
                {"longitude", r.need(l, "longitude", jtype::number).value()}};
  copy(r, l, {"name", "address", "url"}, jtype::string, location);
  data["location"] = std::move(location);
}

/// contact_card normalises one card of a `contacts` message.
json contact_card(reader& r, const node& c) {
  json out{{"phones", json::array()}};
  if (auto name = r.maybe(c, "name", jtype::object)) {
    copy_as(r, *name, "formatted_name", jtype::string, out, "name");
  }
  each(r, r.list(c, "phones", false), [&](const node& p) {
    json phone = json::object();
    copy(r, p, {"phone", "wa_id", "type"}, jtype::string, phone);
    out["phones"].push_back(std::move(phone));
  });
  copy(r, c, {"emails", "urls", "addresses"}, jtype::array, out);
  copy(r, c, {"org"}, jtype::object, out);
  copy(r, c, {"birthday"}, jtype::string, out);
  return out;
}

void map_contacts(reader& r, const node& msg, std::string_view, json& data) {
  json contacts = json::array();
  each(r, r.list(msg, "contacts", true),
       [&](const node& c) { contacts.push_back(contact_card(r, c)); });
  data["contacts"] = std::move(contacts);
}

void map_interactive(reader& r, const node& msg, std::string_view, json& data) {
  auto i = r.need(msg, "interactive", jtype::object);
  auto type = r.need_string(i, "type");
  json out{{"type", type}};
  if (type != "button_reply" && type != "list_reply") {
    copy_as(r, i, type, jtype::object, out, "reply");
    data["interactive"] = std::move(out);
    return;
  }
  auto reply = r.need(i, type, jtype::object);
  out["id"] = r.need_string(reply, "id");
  out["title"] = r.need_string(reply, "title");
  copy(r, reply, {"description"}, jtype::string, out);
  data["text"] = out["title"];
  data["interactive"] = std::move(out);
}

void map_button(reader& r, const node& msg, std::string_view, json& data) {
  auto b = r.need(msg, "button", jtype::object);
  auto payload = r.need_string(b, "payload");
  auto text = r.need_string(b, "text");
  data["text"] = text;
  data["interactive"] = {{"type", "button"}, {"id", payload}, {"title", text}};
}

void map_reaction(reader& r, const node& msg, std::string_view, json& data) {
  auto x = r.need(msg, "reaction", jtype::object);
  auto message_id = r.need_string(x, "message_id");
  data["reaction"] = {{"message_id", message_id},
                      {"emoji", r.maybe_string(x, "emoji").value_or("")}};
}

/// order_item reads one of an order's product_items.
json order_item(reader& r, const node& item) {
  auto id = r.need_string(item, "product_retailer_id");
  auto quantity = r.need(item, "quantity", jtype::number).value();
  auto price = r.need(item, "item_price", jtype::number).value();
  return {{"product_retailer_id", id},
          {"quantity", quantity},
          {"item_price", price},
          {"currency", r.need_string(item, "currency")}};
}

void map_order(reader& r, const node& msg, std::string_view, json& data) {
  auto o = r.need(msg, "order", jtype::object);
  json order{{"catalog_id", r.need_string(o, "catalog_id")}};
  copy(r, o, {"text"}, jtype::string, order);
  order["product_items"] = json::array();
  each(r, r.list(o, "product_items", true), [&](const node& item) {
    order["product_items"].push_back(order_item(r, item));
  });
  data["order"] = std::move(order);
}

bool is_changed_number(std::string_view system_type) {
  return system_type == "customer_changed_number" ||
         system_type == "user_changed_number";
}

void map_system(reader& r, const node& msg, std::string_view, json& data) {
  auto s = r.need(msg, "system", jtype::object);
  auto type = r.need_string(s, "type");
  json system{{"type", type}};
  copy(r, s, {"body"}, jtype::string, system);
  auto new_wa_id = r.maybe_text(s, "new_wa_id");
  auto wa_id = r.maybe_text(s, "wa_id");
  if (is_changed_number(type) && !new_wa_id) {
    new_wa_id = std::exchange(wa_id, std::nullopt); // newer API versions
  }
  if (new_wa_id) {
    system["new_wa_id"] = *new_wa_id;
  }
  if (wa_id) {
    system["wa_id"] = *wa_id;
  }
  data["system"] = std::move(system);
}

void map_unsupported(reader& r, const node& msg, std::string_view, json& data) {
  json unsupported = json::object();
  if (auto u = r.maybe(msg, "unsupported", jtype::object)) {
    copy(r, *u, {"type"}, jtype::string, unsupported);
  }
  data["unsupported"] = std::move(unsupported);
}

/// map_unknown keeps a type this mapping does not know as "unsupported".
void map_unknown(reader&, const node&, std::string_view type, json& data) {
  data["kind"] = "unsupported";
  data["unsupported"] = {{"type", type}};
}

/// kind_entry is one row of `kinds`: a Meta message type and its mapper.
struct kind_entry {
  std::string_view type;
  kind_fn map;
};

constexpr std::array kinds{
    kind_entry{"text", map_text},
    kind_entry{"image", map_media},
    kind_entry{"video", map_media},
    kind_entry{"audio", map_media},
    kind_entry{"document", map_media},
    kind_entry{"sticker", map_media},
    kind_entry{"location", map_location},
    kind_entry{"contacts", map_contacts},
    kind_entry{"interactive", map_interactive},
    kind_entry{"button", map_button},
    kind_entry{"reaction", map_reaction},
    kind_entry{"order", map_order},
    kind_entry{"system", map_system},
    kind_entry{"unsupported", map_unsupported},
};

/// kind_mapper gives the mapper of a Meta message type.
kind_fn kind_mapper(std::string_view type) {
  auto k = std::ranges::find(kinds, type, &kind_entry::type);
  return k == kinds.end() ? map_unknown : k->map;
}

// ---- changes ----------------------------------------------------------------

/// change_ctx is what every item of one `messages` change shares.
struct change_ctx {
  std::string waba;
  std::string phone_number_id;
  std::map<std::string, std::string, std::less<>> names; // wa_id -> profile
};

/// map_context reads what `context` says: the quoted message, forwarding.
void map_context(reader& r, const node& msg, json& data) {
  auto c = r.maybe(msg, "context", jtype::object);
  if (!c) {
    return;
  }
  copy_as(r, *c, "id", jtype::string, data, "reply_to");
  bool frequently = r.flag(*c, "frequently_forwarded");
  if (frequently || r.flag(*c, "forwarded")) {
    data["forwarded"] = true;
  }
  if (frequently) {
    data["frequently_forwarded"] = true;
  }
  copy(r, *c, {"referred_product"}, jtype::object, data);
}

/// map_message maps one of value.messages[] to message.received.
json map_message(reader& r, const node& msg, const change_ctx& c) {
  auto id = r.need_string(msg, "id");
  auto from = r.need_string(msg, "from");
  auto at = r.need_time(msg, "timestamp");
  auto type = r.need_string(msg, "type");
  json data{{"channel", c.phone_number_id},
            {"from", from},
            {"message_id", id},
            {"kind", type}};
  if (auto name = c.names.find(from); name != c.names.end()) {
    data["name"] = name->second;
  }
  kind_mapper(type)(r, msg, type, data);
  map_context(r, msg, data);
  copy(r, msg, {"referral"}, jtype::object, data);
  copy(r, msg, {"errors"}, jtype::array, data);
  return envelope(std::move(id), "message.received", std::move(at),
                  std::move(data));
}

/// mapped_statuses are the status values message.status takes.
constexpr std::array<std::string_view, 4> mapped_statuses{"sent", "delivered",
                                                          "read", "failed"};

/// status_error is the `error` of a status, from one of Meta's errors[].
json status_error(reader& r, const node& e) {
  json out{{"code", r.need_text(e, "code")}};
  copy(r, e, {"title", "message"}, jtype::string, out);
  if (auto d = r.maybe(e, "error_data", jtype::object)) {
    copy(r, *d, {"details"}, jtype::string, out);
  }
  return out;
}

/// map_status maps one of value.statuses[]; nullopt for a status value
/// that is not mapped.
std::optional<json> map_status(reader& r, const node& s, const change_ctx& c) {
  auto id = r.need_string(s, "id");
  auto status = r.need_string(s, "status");
  auto at = r.need_time(s, "timestamp");
  if (std::ranges::find(mapped_statuses, status) == mapped_statuses.end()) {
    return std::nullopt;
  }
  json data{{"channel", c.phone_number_id},
            {"provider_message_id", id},
            {"status", status}};
  copy_as(r, s, "recipient_id", jtype::string, data, "recipient");
  auto errors = r.list(s, "errors", false);
  if (!errors.value().empty()) {
    data["error"] = status_error(r, r.element(errors, 0));
    data["errors"] = errors.value();
  }
  copy(r, s, {"pricing", "conversation"}, jtype::object, data);
  return envelope(id + "/" + status, "message.status", std::move(at),
                  std::move(data));
}

/// read_names indexes the profile names of value.contacts[] by wa_id.
void read_names(reader& r, const node& value, change_ctx& c) {
  each(r, r.list(value, "contacts", false), [&](const node& contact) {
    auto wa_id = r.maybe_string(contact, "wa_id");
    auto profile = r.maybe(contact, "profile", jtype::object);
    auto name = profile ? r.maybe_string(*profile, "name") : std::nullopt;
    if (wa_id && name) {
      c.names.emplace(*wa_id, *name);
    }
  });
}

/// map_messages_change maps the value of a `messages` change.
void map_messages_change(reader& r, const node& value, std::string waba,
                         const std::string& entry_at, webhook_batch& out) {
  change_ctx c;
  c.waba = std::move(waba);
  auto metadata = r.need(value, "metadata", jtype::object);
  c.phone_number_id = r.need_string(metadata, "phone_number_id");
  read_names(r, value, c);
  auto push = [&](json e) {
    out.envelopes.push_back({c.phone_number_id, c.waba, std::move(e)});
  };
  each(r, r.list(value, "messages", false),
       [&](const node& m) { push(map_message(r, m, c)); });
  each(r, r.list(value, "statuses", false), [&](const node& s) {
    if (auto e = map_status(r, s, c)) {
      push(std::move(*e));
    }
  });
  each(r, r.list(value, "errors", false), [&](const node& e) {
    out.errors.push_back({c.phone_number_id, c.waba, e.value(), entry_at});
  });
}

/// lower lower-cases ASCII letters.
std::string lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char ch) {
    return static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
  });
  return s;
}

/// map_template_change maps a `message_template_status_update` change.
void map_template_change(reader& r, const node& entry, const node& value,
                         const std::string& waba, webhook_batch& out) {
  auto event = r.need_string(value, "event");
  auto name = r.need_string(value, "message_template_name");
  auto language = r.need_string(value, "message_template_language");
  auto template_id = r.maybe_text(value, "message_template_id");
  auto secs = r.need_seconds(entry, "time");
  json data{{"channel", ""},
            {"waba", waba},
            {"name", name},
            {"language", language},
            {"status", lower(event)}};
  copy(r, value, {"reason"}, jtype::string, data);
  if (template_id) {
    data["template_id"] = *template_id;
  }
  auto id = "template/" + template_id.value_or(name + ":" + language) + "/" +
            event + "/" + std::to_string(secs);
  out.envelopes.push_back(
      {"", waba,
       envelope(std::move(id), "template.status", format_time(secs * 1000),
                std::move(data))});
}

/// map_entry maps every change of one entry[].
void map_entry(reader& r, const node& entry, webhook_batch& out) {
  auto waba = r.need_string(entry, "id");
  auto time = r.maybe_seconds(entry, "time");
  auto at = time ? format_time(*time * 1000) : std::string{};
  each(r, r.list(entry, "changes", true), [&](const node& change) {
    auto field = r.need_string(change, "field");
    if (field == "messages") {
      map_messages_change(r, r.need(change, "value", jtype::object), waba, at,
                          out);
    } else if (field == "message_template_status_update") {
      map_template_change(r, entry, r.need(change, "value", jtype::object),
                          waba, out);
    }
  });
}

bool is_hex_digit(char ch) {
  return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
         (ch >= 'A' && ch <= 'F');
}

} // namespace

result<webhook_batch> map_whatsapp_webhook(std::string_view body) {
  auto doc = json::parse(body.begin(), body.end(), nullptr, false);
  if (doc.is_discarded()) {
    return fail(errc::malformed, "is not JSON", "body");
  }
  if (!doc.is_object()) {
    return fail(errc::malformed, "must be a JSON object", "body");
  }
  reader r;
  node root{&doc, ""};
  auto object = r.need_string(root, "object");
  if (r.ok() && object != "whatsapp_business_account") {
    return fail(errc::invalid_value, "must be whatsapp_business_account",
                "object");
  }
  webhook_batch out;
  each(r, r.list(root, "entry", true),
       [&](const node& entry) { map_entry(r, entry, out); });
  if (!r.ok()) {
    return std::unexpected(r.take());
  }
  return out;
}

bool whatsapp_signature_valid(std::string_view header_value,
                              std::string_view raw_body,
                              std::string_view app_secret) {
  constexpr std::string_view prefix = "sha256=";
  if (app_secret.empty() || !header_value.starts_with(prefix)) {
    return false;
  }
  auto hex = header_value.substr(prefix.size());
  if (hex.size() != 64 || !std::ranges::all_of(hex, is_hex_digit)) {
    return false;
  }
  return constant_time_equal(lower(std::string{hex}),
                             hmac_sha256_hex(app_secret, raw_body));
}

std::string whatsapp_envelope_id(const std::string& key) {
  if (is_valid_id(key)) {
    return key;
  }
  return "wa:" + sha256_hex(key);
}

} // namespace atende

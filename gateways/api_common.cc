#include "gateways/api.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "events/model.h"
#include "gateways/crypto.h"
#include "gateways/http_errors.h"

namespace atende {

namespace {

bool is_json_media_type(std::string_view ct) {
  auto semi = ct.find(';');
  auto type = ct.substr(0, semi);
  while (!type.empty() && type.back() == ' ') {
    type.remove_suffix(1);
  }
  std::string lower{type};
  std::ranges::transform(lower, lower.begin(), [](unsigned char ch) {
    return static_cast<char>(std::tolower(ch));
  });
  return lower == "application/json";
}

} // namespace

void call::reply(unsigned status, const nlohmann::json& body) const {
  ex->reply(json_response(status, body));
}

void call::reply_error(const error& e) const {
  ex->reply(error_response(e));
}

void call::reply_no_content() const {
  http_response r;
  r.status = 204;
  r.content_type.clear();
  ex->reply(std::move(r));
}

void not_yet(const call& c) {
  c.reply_error(make_error(errc::unsupported,
                           c.request().method + " " + c.request().path +
                               " is not available in this version yet"));
}

result<nlohmann::json> json_body(const call& c, bool allow_array) {
  const auto& req = c.request();
  if (req.body.empty()) {
    return nlohmann::json::object();
  }
  if (!is_json_media_type(req.content_type)) {
    return fail(errc::malformed, "must be application/json", "Content-Type");
  }
  auto j = nlohmann::json::parse(req.body, nullptr, false);
  if (j.is_discarded()) {
    return fail(errc::malformed, "is not valid JSON", "body");
  }
  if (j.is_null()) {
    return nlohmann::json::object();
  }
  if (!j.is_object() && !(allow_array && j.is_array())) {
    return fail(errc::malformed,
                allow_array ? "must be an object or an array"
                            : "must be a JSON object",
                "body");
  }
  return j;
}

result<std::string> client_id(const nlohmann::json& body,
                              std::string_view prefix) {
  auto it = body.find("id");
  if (it == body.end() || it->is_null()) {
    auto hex = random_hex(6);
    if (!hex) {
      return std::unexpected(hex.error());
    }
    return std::string{prefix} + *hex;
  }
  if (!it->is_string() || !is_valid_id(it->get<std::string>())) {
    return fail(errc::malformed,
                "must be a string of 1 to 128 characters "
                "from A-Z a-z 0-9 . _ : -",
                "id");
  }
  return it->get<std::string>();
}

result<std::string> optional_string(const nlohmann::json& body,
                                    const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    return std::string{};
  }
  if (!it->is_string()) {
    return fail(errc::malformed, "must be a string", key);
  }
  return it->get<std::string>();
}

result<std::vector<std::string>> id_list(const nlohmann::json& body,
                                         const char* key, bool required,
                                         std::size_t max) {
  auto it = body.find(key);
  bool absent = it == body.end() || it->is_null();
  if (absent && !required) {
    return std::vector<std::string>{};
  }
  auto bad = [&] {
    constexpr auto unbounded = static_cast<std::size_t>(-1);
    std::string rule = "must be an array of non-empty strings";
    if (max != unbounded) {
      rule = "must be an array of ";
      rule += required ? "1 to " : "at most ";
      rule += std::to_string(max);
      rule += " non-empty strings";
    } else if (required) {
      rule = "must be a non-empty array of non-empty strings";
    }
    return fail(errc::malformed, std::move(rule), key);
  };
  if (absent || !it->is_array() || it->size() > max ||
      (required && it->empty())) {
    return bad();
  }
  std::vector<std::string> out;
  out.reserve(it->size());
  for (const auto& v : *it) {
    if (!v.is_string() || v.get_ref<const std::string&>().empty()) {
      return bad();
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

nlohmann::json pick(const nlohmann::json& body,
                    std::initializer_list<const char*> keys) {
  nlohmann::json out = nlohmann::json::object();
  for (const char* k : keys) {
    if (auto it = body.find(k); it != body.end()) {
      out[k] = *it;
    }
  }
  return out;
}

result<std::size_t> parse_limit(const call& c, std::size_t by_default,
                                std::size_t most) {
  auto it = c.request().query.find("limit");
  if (it == c.request().query.end()) {
    return by_default;
  }
  const auto& s = it->second;
  std::size_t n = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || ptr != s.data() + s.size() || n < 1 || n > most) {
    return fail(errc::malformed,
                "must be an integer from 1 to " + std::to_string(most),
                "limit");
  }
  return n;
}

result<std::uint64_t> parse_seq_cursor(const call& c) {
  auto text = query_param(c, "cursor");
  if (text.empty()) {
    return std::uint64_t{0};
  }
  std::uint64_t seq = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return fail(errc::malformed, "is not a cursor of this list", "cursor");
  }
  return seq;
}

std::string query_param(const call& c, const std::string& key,
                        std::string fallback) {
  auto it = c.request().query.find(key);
  return it == c.request().query.end() ? fallback : it->second;
}

nlohmann::json page_json(page p) {
  nlohmann::json next = nullptr;
  if (!p.next_cursor.empty()) {
    next = std::move(p.next_cursor);
  }
  return {{"items", std::move(p.items)}, {"next_cursor", std::move(next)}};
}

std::string actor_of(const principal& who) {
  return who.root ? std::string{"root"} : "agent:" + who.agent;
}

} // namespace atende

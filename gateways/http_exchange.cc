#include "gateways/http_exchange.h"

#include "events/json_text.h"

namespace atende {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

result<void> add_pair(std::string_view pair, request_target& t) {
  if (pair.empty()) {
    return {};
  }
  auto eq = pair.find('=');
  auto key = percent_decode(pair.substr(0, eq), true);
  if (!key) {
    return std::unexpected(key.error());
  }
  std::string value;
  if (eq != std::string_view::npos) {
    auto v = percent_decode(pair.substr(eq + 1), true);
    if (!v) {
      return std::unexpected(v.error());
    }
    value = std::move(*v);
  }
  t.query[std::move(*key)] = std::move(value);
  return {};
}

} // namespace

result<std::string> percent_decode(std::string_view s, bool plus) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
      int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return fail(errc::malformed, "bad percent-escape in the URL");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

result<request_target> parse_target(std::string_view target) {
  request_target t;
  auto q = target.find('?');
  auto path = percent_decode(target.substr(0, q), false);
  if (!path) {
    return std::unexpected(path.error());
  }
  t.path = std::move(*path);
  if (q == std::string_view::npos) {
    return t;
  }
  auto rest = target.substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    if (auto r = add_pair(rest.substr(0, amp), t); !r) {
      return std::unexpected(r.error());
    }
    rest = amp == std::string_view::npos ? std::string_view{}
                                         : rest.substr(amp + 1);
  }
  return t;
}

http_response json_response(unsigned status, const nlohmann::json& body) {
  http_response r;
  r.status = status;
  r.body = json_text(body);
  return r;
}

} // namespace atende

#include "events/json_text.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string_view>

namespace atende {

namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD"; // U+FFFD

/// plain tells whether byte `c` is copied as is (printable ASCII other than
/// `"` and `\`).
constexpr bool plain(unsigned char c) {
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/// utf8_length returns the length of the valid UTF-8 sequence at `s[i]`, or
/// 0 if it is not valid.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  auto cont = [&](std::size_t k) {
    return k < s.size() && (b(k) & 0xC0) == 0x80;
  };
  unsigned char c = b(i);
  if (c >= 0xC2 && c <= 0xDF) {
    return cont(i + 1) ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) {
      return 0;
    }
    unsigned char c1 = b(i + 1);
    bool overlong = c == 0xE0 && c1 < 0xA0;
    bool surrogate = c == 0xED && c1 >= 0xA0;
    return overlong || surrogate ? 0 : 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) {
      return 0;
    }
    unsigned char c1 = b(i + 1);
    bool bad = (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90);
    return bad ? 0 : 4;
  }
  return 0;
}

void append_escape(std::string& out, unsigned char c) {
  switch (c) {
  case '"':
    out += "\\\"";
    return;
  case '\\':
    out += "\\\\";
    return;
  case '\b':
    out += "\\b";
    return;
  case '\f':
    out += "\\f";
    return;
  case '\n':
    out += "\\n";
    return;
  case '\r':
    out += "\\r";
    return;
  case '\t':
    out += "\\t";
    return;
  default:
    static constexpr char hex[] = "0123456789abcdef";
    out += "\\u00";
    out += hex[c >> 4];
    out += hex[c & 15];
  }
}

void append_string_text(std::string& out, std::string_view s) {
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t run = i;
    while (run < s.size() && plain(static_cast<unsigned char>(s[run]))) {
      ++run;
    }
    out.append(s.data() + i, run - i);
    i = run;
    if (i == s.size()) {
      break;
    }
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      append_escape(out, c);
      ++i;
    } else if (auto n = utf8_length(s, i); n > 0) {
      out.append(s.data() + i, n);
      i += n;
    } else {
      out += replacement;
      ++i;
    }
  }
  out += '"';
}

template <class N>
void append_number(std::string& out, N n) {
  std::array<char, 32> buf{};
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), n);
  out.append(buf.data(), r.ptr);
}

void append_float(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  // nlohmann writes a float with the shortest round-trip digits and keeps
  // a ".0" on integral values.
  std::array<char, 32> buf{};
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), d);
  std::string_view text{buf.data(),
                        static_cast<std::size_t>(r.ptr - buf.data())};
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos) {
    out += ".0";
  }
}

} // namespace

void append_json_text(std::string& out, const nlohmann::json& j) {
  using t = nlohmann::json::value_t;
  switch (j.type()) {
  case t::object: {
    out += '{';
    bool first = true;
    for (const auto& [key, value] : j.items()) {
      out += first ? "" : ",";
      first = false;
      append_string_text(out, key);
      out += ':';
      append_json_text(out, value);
    }
    out += '}';
    return;
  }
  case t::array: {
    out += '[';
    bool first = true;
    for (const auto& value : j) {
      out += first ? "" : ",";
      first = false;
      append_json_text(out, value);
    }
    out += ']';
    return;
  }
  case t::string:
    append_string_text(out, j.get_ref<const std::string&>());
    return;
  case t::boolean:
    out += j.get<bool>() ? "true" : "false";
    return;
  case t::number_integer:
    append_number(out, j.get<std::int64_t>());
    return;
  case t::number_unsigned:
    append_number(out, j.get<std::uint64_t>());
    return;
  case t::number_float:
    append_float(out, j.get<double>());
    return;
  default: // null, discarded, binary
    out += "null";
    return;
  }
}

std::string json_text(const nlohmann::json& j) {
  std::string out;
  out.reserve(256);
  append_json_text(out, j);
  return out;
}

void append_json_string(std::string& out, std::string_view s) {
  append_string_text(out, s);
}

} // namespace atende

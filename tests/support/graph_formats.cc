// Meta's wire formats as the fake Graph API speaks them (fake_graph.h):
// error answers, wamids and media ids, and multipart/form-data uploads.
//
// Error answers follow Graph API error handling, and WhatsApp's error-codes
// reference for the codes, titles, details and HTTP statuses. Since v16.0
// the WhatsApp errors carry no `error_subcode`; Graph's own errors (100/33)
// still do.
//
//   {"error": {"message": "(#<code>) <title>", "type": "OAuthException",
//              "code": <code>,
//              "error_data": {"messaging_product": "whatsapp",
//                             "details": "<details>"},
//              "fbtrace_id": "<trace>"}}
//
// The fbtrace ids are fixed so that each answer equals its fixture,
// tests/fixtures/whatsapp/graph_error_<code>.json.
#include "tests/support/graph_formats.h"

#include <atomic>
#include <cctype>
#include <cstdio>

#include <boost/beast/core/string.hpp>

namespace atende::test {

namespace beast = boost::beast;

namespace {

struct meta_code {
  int code;
  unsigned status;
  std::string_view message;
  std::string_view details; // empty: no error_data
  std::string_view fbtrace_id;
};

constexpr meta_code meta_codes[] = {
    {100, 400, "(#100) The parameter messaging_product is required.", "",
     "APtYgjmUhBel31iEl2hpChY"},
    {190, 401, "Invalid OAuth access token - Cannot parse access token", "",
     "AgCfrL1spNxnyVmihA-2O76"},
    {130429, 429, "(#130429) Rate limit hit",
     "Message failed to send because there were too many messages sent from "
     "this phone number in a short period of time",
     "AUMFxFkM-R5Kjp1vRt_1fjO"},
    {131000, 500, "(#131000) Something went wrong",
     "Message failed to send due to an unknown error.",
     "ARS-6ilI8ihN5KXSc7Tvo-h"},
    {131016, 503, "(#131016) Service unavailable",
     "A service is temporarily unavailable.", "ABKqFYY-kv5ZJr3J1TWDtkw"},
    {131026, 400, "(#131026) Message undeliverable", "Message Undeliverable.",
     "AtDDb_xHKas1VOqg6YYZYn9"},
    {131047, 400, "(#131047) Re-engagement message",
     "Message failed to send because more than 24 hours have passed since the "
     "customer last replied to this number.",
     "AZhyiA4uoRgnatmUdjAWtGS"},
    {131048, 429, "(#131048) Spam rate limit hit",
     "Message failed to send because there are restrictions on how many "
     "messages can be sent from this phone number. This may be because too "
     "many previous messages were blocked or flagged as spam.",
     "AU8po_799NksnRH9ucAUsdM"},
    {131051, 400, "(#131051) Unsupported message type",
     "Message type is currently not supported.", "AlHUvTCQCyEZDz-TddJ8HyS"},
    {131056, 429,
     "(#131056) (Business Account, Consumer Account) pair rate limit hit",
     "Too many messages sent from the sender phone number to the same "
     "recipient phone number in a short period of time.",
     "A5SUkCnD8zRA9a9SkpXz9w3"},
    {132000, 400,
     "(#132000) Number of parameters does not match the expected number of "
     "params",
     "body: number of localizable_params (1) does not match the expected "
     "number of params (2)",
     "AQlY7Zkuvqdt7s8Stqcbnr3"},
    {132001, 404, "(#132001) Template name does not exist in the translation",
     "template name (retomada_atendimento) does not exist in pt_BR",
     "AyBdGBLEPH1qhT61qtc4xat"},
    {132012, 400,
     "(#132012) Parameter format does not match format in the created "
     "template",
     "header: Format mismatch, expected IMAGE, received UNKNOWN",
     "Aws8phP9nhFyJfm5di4PzJ5"},
    {133010, 400, "(#133010) Account not registered",
     "The phone number is not registered on the WhatsApp Business Platform.",
     "A9FHz5r1pY4OjE2jBMptUsG"},
};

graph_reply error_reply(unsigned status, nlohmann::ordered_json error) {
  nlohmann::ordered_json body{{"error", std::move(error)}};
  return {status,
          body.dump(-1, ' ', false,
                    nlohmann::ordered_json::error_handler_t::replace),
          "application/json", false};
}

std::atomic<std::uint64_t> next_message{1};
std::atomic<std::uint64_t> next_media{1};

std::string base64(std::string_view in) {
  static constexpr char table[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    auto v = (static_cast<unsigned char>(in[i]) << 16) |
             (static_cast<unsigned char>(in[i + 1]) << 8) |
             static_cast<unsigned char>(in[i + 2]);
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += table[(v >> 6) & 63];
    out += table[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) {
      v |= static_cast<unsigned char>(in[i + 1]) << 8;
    }
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += i + 1 < in.size() ? table[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// header_param is parameter `key` ("name=") of a header value, unquoted.
std::string header_param(std::string_view header, std::string_view key) {
  auto at = header.find(key);
  while (at != std::string_view::npos && at > 0 && header[at - 1] != ' ' &&
         header[at - 1] != ';' && header[at - 1] != '\t') {
    at = header.find(key, at + 1);
  }
  if (at == std::string_view::npos) {
    return {};
  }
  auto v = header.substr(at + key.size());
  if (!v.empty() && v.front() == '"') {
    v.remove_prefix(1);
    return std::string{v.substr(0, v.find('"'))};
  }
  return std::string{v.substr(0, v.find_first_of("; \t"))};
}

// read_part_head reads a part's header lines (name and type) into `p`.
void read_part_head(std::string_view head, form_part& p) {
  for (std::size_t line = 0; line < head.size();) {
    auto eol = std::min(head.find("\r\n", line), head.size());
    auto h = head.substr(line, eol - line);
    line = eol + 2;
    auto colon = h.find(':');
    if (colon == std::string_view::npos) {
      continue;
    }
    beast::string_view name{h.data(), colon};
    auto value = h.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') {
      value.remove_prefix(1);
    }
    if (beast::iequals(name, "Content-Disposition")) {
      p.name = header_param(value, "name=");
    } else if (beast::iequals(name, "Content-Type")) {
      p.content_type = std::string{value};
    }
  }
}

} // namespace

graph_reply meta_error(int code) {
  for (const auto& c : meta_codes) {
    if (c.code != code) {
      continue;
    }
    nlohmann::ordered_json e{
        {"message", c.message}, {"type", "OAuthException"}, {"code", c.code}};
    if (!c.details.empty()) {
      e["error_data"] = {{"messaging_product", "whatsapp"},
                         {"details", c.details}};
    }
    e["fbtrace_id"] = c.fbtrace_id;
    return error_reply(c.status, std::move(e));
  }
  auto n = std::to_string(code);
  return error_reply(
      400, {{"message", "(#" + n + ") Error " + n},
            {"type", "OAuthException"},
            {"code", code},
            {"error_data",
             {{"messaging_product", "whatsapp"}, {"details", "Error " + n}}},
            {"fbtrace_id", "AhX0d3Q5kGm0rZyLq2nT7vE"}});
}

graph_reply meta_unknown_object(const std::string& id) {
  return error_reply(
      400, {{"message",
             "Unsupported get request. Object with ID '" + id +
                 "' does not exist, cannot be loaded due to missing "
                 "permissions, or does not support this operation. Please "
                 "read the Graph API documentation at "
                 "https://developers.facebook.com/docs/graph-api"},
            {"type", "GraphMethodException"},
            {"code", 100},
            {"error_subcode", 33},
            {"fbtrace_id", "Ar7CmY_uCu3ZR1zTOlUcR64"}});
}

graph_reply missing_parameter(const std::string& name) {
  auto r = meta_error(100);
  if (name != "messaging_product") {
    auto j = nlohmann::ordered_json::parse(r.body);
    j["error"]["message"] = "(#100) The parameter " + name + " is required.";
    r.body = j.dump();
  }
  return r;
}

std::string digits_of(std::string_view s) {
  std::string d;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)) && d.size() < 20) {
      d += c;
    }
  }
  return d;
}

std::string new_wamid(std::string_view to) {
  char hex[19];
  std::snprintf(hex, sizeof hex, "%018llX",
                static_cast<unsigned long long>(next_message++));
  auto number = digits_of(to);
  std::string raw{"\x1c\x18"};
  raw += static_cast<char>(number.size());
  raw += number;
  raw += std::string_view{"\x15\x02\x00\x11\x18\x12", 6};
  raw += hex;
  raw += '\0';
  return "wamid." + base64(raw);
}

std::string new_media_id() {
  return std::to_string(910000000000000ull + next_media++);
}

std::vector<form_part> parse_form(std::string_view content_type,
                                  std::string_view body) {
  std::vector<form_part> parts;
  auto boundary = header_param(content_type, "boundary=");
  if (boundary.empty()) {
    return parts;
  }
  auto delimiter = "--" + boundary;
  auto at = body.find(delimiter);
  while (at != std::string_view::npos) {
    at += delimiter.size();
    if (body.substr(at, 2) == "--") {
      break;
    }
    auto head_end = body.find("\r\n\r\n", at);
    if (head_end == std::string_view::npos) {
      break;
    }
    // A delimiter is a whole line: "--boundary" then CRLF, or "--" last.
    auto closing = "\r\n" + delimiter;
    auto end = body.find(closing, head_end + 4);
    while (end != std::string_view::npos) {
      auto after = body.substr(end + closing.size(), 2);
      if (after == "\r\n" || after == "--") {
        break;
      }
      end = body.find(closing, end + 1);
    }
    if (end == std::string_view::npos) {
      break;
    }
    form_part p;
    read_part_head(body.substr(at, head_end - at), p);
    p.body = body.substr(head_end + 4, end - head_end - 4);
    parts.push_back(std::move(p));
    at = end + 2;
  }
  return parts;
}

} // namespace atende::test

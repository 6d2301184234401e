#include "projections/cursor.h"

#include <cstdint>

namespace atende::projections {

namespace {

constexpr std::string_view alphabet =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(std::string_view in) {
  std::string out;
  out.reserve((in.size() * 4 + 2) / 3);
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += alphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) {
    out += alphabet[(acc << (6 - bits)) & 63];
  }
  return out;
}

std::optional<std::string> unbase64url(std::string_view in) {
  if (in.size() % 4 == 1) {
    return std::nullopt;
  }
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    auto v = alphabet.find(c);
    if (v == std::string_view::npos) {
      return std::nullopt;
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 255);
    }
  }
  // Leftover bits must be zero, so each cursor has exactly one spelling.
  if ((acc & ((1U << bits) - 1)) != 0) {
    return std::nullopt;
  }
  return out;
}

void put_be(std::string& out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    out += static_cast<char>((v >> (8 * i)) & 255);
  }
}

std::uint64_t get_be(std::string_view in, std::size_t pos, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v = (v << 8) | static_cast<unsigned char>(in[pos + static_cast<std::size_t>(i)]);
  }
  return v;
}

} // namespace

std::string encode_position(lane_key k) {
  std::string raw;
  put_be(raw, static_cast<std::uint64_t>(k.at), 8);
  put_be(raw, k.ord, 4);
  return base64url(raw);
}

std::optional<lane_key> decode_position(std::string_view s) {
  auto raw = unbase64url(s);
  if (!raw || raw->size() != 12) {
    return std::nullopt;
  }
  return lane_key{.at = static_cast<timestamp>(get_be(*raw, 0, 8)),
                  .ord = static_cast<std::uint32_t>(get_be(*raw, 8, 4))};
}

std::string encode_id_cursor(std::string_view id) {
  std::string raw = "i";
  raw += id;
  return base64url(raw);
}

std::optional<std::string> decode_id_cursor(std::string_view s) {
  auto raw = unbase64url(s);
  if (!raw || raw->size() < 2 || (*raw)[0] != 'i') {
    return std::nullopt;
  }
  return raw->substr(1);
}

} // namespace atende::projections

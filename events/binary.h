// binary: the primitives of atende's binary encodings (the views' checkpoint,
// projections/checkpoint.h).
//
//   u8       := one byte
//   varint   := an unsigned integer, little-endian base-128 (LevelDB's
//               varint64: at most 10 bytes)
//   zigzag   := a signed integer as the varint of (v << 1) ^ (v >> 63)
//   fixed32  := four bytes, little-endian
//   string   := length:varint bytes
//   strings  := count:varint string*
//   pairs    := count:varint (key:string value:string)*
//   sealed   := bytes crc:fixed32, the crc32c of the bytes before it
//
// A reader never throws and never reads past its input: the first short or
// malformed read marks it failed, and every later read gives zero or empty
// values, so a decoder checks `ok()` once, at the end of a section.
//
//   bin_writer w;
//   w.varint(7); w.str("acme"); w.zigzag(-1);
//   bin_reader r{w.bytes()};
//   auto n = r.varint(); auto s = r.str(); auto z = r.zigzag();
//   // r.ok() && r.done()
//
// Thread-safety: none; each writer or reader belongs to one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/crc32c.h"

namespace atende {

class bin_writer {
public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }

  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }

  void zigzag(std::int64_t v) {
    varint((static_cast<std::uint64_t>(v) << 1) ^
           static_cast<std::uint64_t>(v >> 63));
  }

  void fixed32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
      out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    }
  }

  void str(std::string_view s) {
    varint(s.size());
    out_.append(s);
  }

  /// strings writes a list of strings: count:varint string*.
  void strings(const std::vector<std::string>& v) {
    varint(v.size());
    for (const auto& s : v) {
      str(s);
    }
  }

  /// pairs writes a map of strings to strings, in its iteration order.
  template <class Map>
  void pairs(const Map& m) {
    varint(m.size());
    for (const auto& [k, v] : m) {
      str(k);
      str(v);
    }
  }

  /// seal ends what was written with the crc32c of all of it (`sealed`).
  void seal() { fixed32(crc32c::value(out_)); }

  void raw(std::string_view s) { out_.append(s); }

  [[nodiscard]] const std::string& bytes() const { return out_; }
  [[nodiscard]] std::string take() { return std::move(out_); }

private:
  std::string out_;
};

class bin_reader {
public:
  explicit bin_reader(std::string_view in) : in_(in) {}

  [[nodiscard]] std::uint8_t u8() {
    if (!need(1)) {
      return 0;
    }
    auto v = static_cast<std::uint8_t>(in_[pos_]);
    ++pos_;
    return v;
  }

  [[nodiscard]] std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!need(1)) {
        return 0;
      }
      auto b = static_cast<std::uint8_t>(in_[pos_++]);
      v |= std::uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    failed_ = true; // more than 10 bytes
    return 0;
  }

  [[nodiscard]] std::int64_t zigzag() {
    auto u = varint();
    return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
  }

  [[nodiscard]] std::uint32_t fixed32() {
    if (!need(4)) {
      return 0;
    }
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      v |= std::uint32_t{static_cast<std::uint8_t>(in_[pos_ + i])} << (8 * i);
    }
    pos_ += 4;
    return v;
  }

  /// view returns the next string without copying it; it points into the
  /// reader's input.
  [[nodiscard]] std::string_view view() {
    auto n = varint();
    if (!need(n)) {
      return {};
    }
    auto s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }

  [[nodiscard]] std::string str() { return std::string{view()}; }

  /// strings reads a list written by bin_writer::strings.
  [[nodiscard]] std::vector<std::string> strings() {
    std::vector<std::string> out(count());
    for (auto& s : out) {
      s = str();
    }
    return out;
  }

  /// pairs reads a map written by bin_writer::pairs into a new Map.
  template <class Map>
  [[nodiscard]] Map pairs() {
    Map out;
    auto n = count(2);
    if constexpr (requires { out.reserve(n); }) {
      out.reserve(n);
    }
    for (; n > 0 && ok(); --n) {
      auto k = str();
      out.insert_or_assign(std::move(k), str());
    }
    return out;
  }

  /// count reads a number of items that follow, each at least `min_bytes`
  /// long: a count the rest of the input cannot hold fails the reader (so a
  /// flipped byte cannot make a decoder reserve gigabytes).
  [[nodiscard]] std::uint64_t count(std::uint64_t min_bytes = 1) {
    auto n = varint();
    if (min_bytes > 0 && n > (in_.size() - pos_) / min_bytes) {
      failed_ = true;
      return 0;
    }
    return n;
  }

  /// fail marks the input as malformed (a value out of its range).
  void fail() { failed_ = true; }

  /// unseal returns the bytes a `sealed` input holds, or nullopt when its
  /// checksum does not hold (or it is shorter than one).
  [[nodiscard]] static std::optional<std::string_view>
  unseal(std::string_view sealed) {
    if (sealed.size() < 4) {
      return std::nullopt;
    }
    auto body = sealed.substr(0, sealed.size() - 4);
    bin_reader crc{sealed.substr(body.size())};
    if (crc.fixed32() != crc32c::value(body)) {
      return std::nullopt;
    }
    return body;
  }

  [[nodiscard]] bool ok() const { return !failed_; }
  [[nodiscard]] bool done() const { return pos_ == in_.size(); }
  [[nodiscard]] std::size_t position() const { return pos_; }

private:
  bool need(std::uint64_t n) {
    if (failed_ || n > in_.size() - pos_) {
      failed_ = true;
      return false;
    }
    return true;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

} // namespace atende

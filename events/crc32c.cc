#include "events/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#include <nmmintrin.h>
#define ATENDE_CRC32C_SSE42 1
#endif

namespace atende::crc32c {

namespace {

// Reflected Castagnoli polynomial.
constexpr std::uint32_t poly = 0x82F63B78u;

// Slicing-by-8 tables: tables[k][b] is the CRC of byte b followed by k zero
// bytes, so that eight input bytes are folded per step.
using tables_t = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr tables_t make_tables() {
  tables_t t{};
  for (std::uint32_t b = 0; b < 256; ++b) {
    std::uint32_t c = b;
    for (int i = 0; i < 8; ++i) {
      c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
    }
    t[0][b] = c;
  }
  for (std::size_t k = 1; k < 8; ++k) {
    for (std::size_t b = 0; b < 256; ++b) {
      std::uint32_t prev = t[k - 1][b];
      t[k][b] = (prev >> 8) ^ t[0][prev & 0xFF];
    }
  }
  return t;
}

constexpr tables_t tables = make_tables();

std::uint32_t load_le32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) |
         static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 |
         static_cast<std::uint32_t>(p[3]) << 24;
}

std::uint32_t extend_portable(std::uint32_t init,
                              std::string_view data) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  std::uint32_t c = ~init;
  while (n >= 8) {
    std::uint32_t lo = load_le32(p) ^ c;
    std::uint32_t hi = load_le32(p + 4);
    c = tables[7][lo & 0xFF] ^ tables[6][(lo >> 8) & 0xFF] ^
        tables[5][(lo >> 16) & 0xFF] ^ tables[4][lo >> 24] ^
        tables[3][hi & 0xFF] ^ tables[2][(hi >> 8) & 0xFF] ^
        tables[1][(hi >> 16) & 0xFF] ^ tables[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    c = (c >> 8) ^ tables[0][(c ^ *p) & 0xFF];
    ++p;
    --n;
  }
  return ~c;
}

#ifdef ATENDE_CRC32C_SSE42
// SSE 4.2's crc32 instruction computes exactly this polynomial, eight bytes
// per instruction; used when the CPU has it.
__attribute__((target("sse4.2"))) std::uint32_t
extend_sse42(std::uint32_t init, std::string_view data) noexcept {
  const char* p = data.data();
  std::size_t n = data.size();
  std::uint64_t c = ~init;
  while (n >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    c = _mm_crc32_u64(c, word);
    p += 8;
    n -= 8;
  }
  auto c32 = static_cast<std::uint32_t>(c);
  while (n > 0) {
    c32 = _mm_crc32_u8(c32, static_cast<unsigned char>(*p));
    ++p;
    --n;
  }
  return ~c32;
}

bool has_sse42() {
  static const bool has = __builtin_cpu_supports("sse4.2");
  return has;
}
#endif

} // namespace

std::uint32_t extend(std::uint32_t init, std::string_view data) noexcept {
#ifdef ATENDE_CRC32C_SSE42
  if (has_sse42()) {
    return extend_sse42(init, data);
  }
#endif
  return extend_portable(init, data);
}

/// extend_software is extend without the hardware path (for tests).
std::uint32_t extend_software(std::uint32_t init,
                              std::string_view data) noexcept {
  return extend_portable(init, data);
}

} // namespace atende::crc32c

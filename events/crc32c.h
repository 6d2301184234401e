// crc32c: the CRC-32C (Castagnoli) checksum of the journal's record framing
// (codec.h), computed without an extra library: table-driven (slicing-by-8),
// or with SSE 4.2's crc32 instruction where the CPU has it.
//
//   std::uint32_t c = crc32c::value(payload);
//   c = crc32c::extend(c, more);  // == value(payload + more)
//
// Thread-safety: pure functions over constant tables.
#pragma once

#include <cstdint>
#include <string_view>

namespace atende::crc32c {

/// extend returns the CRC-32C of the bytes whose CRC is `init`, followed by
/// `data`.
[[nodiscard]] std::uint32_t extend(std::uint32_t init,
                                   std::string_view data) noexcept;

/// extend_software is extend computed with the portable table-driven code
/// even where the CPU's crc32 instruction is used (tests compare the two).
[[nodiscard]] std::uint32_t extend_software(std::uint32_t init,
                                            std::string_view data) noexcept;

/// value returns the CRC-32C of `data` (`value("123456789") == 0xE3069283`).
[[nodiscard]] inline std::uint32_t value(std::string_view data) noexcept {
  return extend(0, data);
}

} // namespace atende::crc32c

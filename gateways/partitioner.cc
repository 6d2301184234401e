#include "gateways/partitioner.h"

namespace atende {

std::uint32_t murmur2(std::string_view key) {
  constexpr std::uint32_t seed = 0x9747b28c;
  constexpr std::uint32_t m = 0x5bd1e995;
  constexpr int r = 24;
  const auto len = static_cast<std::uint32_t>(key.size());
  std::uint32_t h = seed ^ len;
  const auto* data = reinterpret_cast<const unsigned char*>(key.data());
  std::uint32_t i = 0;
  for (; i + 4 <= len; i += 4) {
    std::uint32_t k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) |
                      (static_cast<std::uint32_t>(data[i + 3]) << 24);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  switch (len - i) {
    case 3:
      h ^= static_cast<std::uint32_t>(data[i + 2]) << 16;
      [[fallthrough]];
    case 2:
      h ^= static_cast<std::uint32_t>(data[i + 1]) << 8;
      [[fallthrough]];
    case 1:
      h ^= data[i];
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return h;
}

std::uint32_t partition_of(std::string_view tenant, std::uint32_t count) {
  return (murmur2(tenant) & 0x7fffffff) % count;
}

} // namespace atende

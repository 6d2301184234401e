// partitioner: which partition a tenant's records go to.
//
// Kafka's default (Java) partitioner: murmur2 of the key, made positive,
// modulo the partition count. The embedded log uses the same function, so a
// tenant keeps its partition when an installation moves to Kafka.
#pragma once

#include <cstdint>
#include <string_view>

namespace atende {

/// murmur2 is Kafka's variant of MurmurHash2 (seed 0x9747b28c).
[[nodiscard]] std::uint32_t murmur2(std::string_view key);

/// partition_of returns the partition of `tenant` among `count`.
[[nodiscard]] std::uint32_t partition_of(std::string_view tenant,
                                         std::uint32_t count);

} // namespace atende

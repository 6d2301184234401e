// chain: the SHA-256 hash chain that makes each tenant's journal tamper
// evident.
//
// Every journal entry of a tenant carries h_n, the hash of its own payload
// chained to the hash of the entry before it:
//
//   h_0 := 32 zero bytes                        (chain_start)
//   h_n := SHA-256(h_{n-1} || payload_n)         (chain_next)
//
// where payload_n is the n-th event's JSON text exactly as stored (the
// record payload of codec.h), in seq order. Changing, removing, inserting or
// reordering an entry changes every later hash, so an auditor who holds a
// recent hash (or the journal's JSON lines) can recompute the chain without
// atende's code:
//
//   chain_hash h = chain_start;
//   for (std::string_view payload : payloads_in_seq_order) {
//     h = chain_next(h, payload);
//   }
//   std::string head = to_hex(h);  // compare with the stored hash
//
// The chain shows tampering only relative to a hash kept elsewhere: whoever
// may rewrite the whole journal may rewrite the whole chain too.
//
// Thread-safety: pure functions; safe to call from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace atende {

/// chain_hash is one link of a tenant's journal chain: a SHA-256 digest.
using chain_hash = std::array<std::uint8_t, 32>;

/// chain_start is the hash before a tenant's first chained entry.
inline constexpr chain_hash chain_start{};

/// chain_next returns SHA-256(prev || payload): the hash of the entry whose
/// event JSON text is `payload` and whose predecessor's hash is `prev`.
[[nodiscard]] chain_hash chain_next(const chain_hash& prev,
                                    std::string_view payload);

/// to_hex returns `h` as 64 lowercase hex digits.
[[nodiscard]] std::string to_hex(const chain_hash& h);

/// chain_from_hex is the inverse of to_hex; it accepts upper- and lowercase
/// digits and gives nullopt for anything but 64 hex digits.
[[nodiscard]] std::optional<chain_hash> chain_from_hex(std::string_view hex);

} // namespace atende

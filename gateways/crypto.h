// crypto: the few cryptographic primitives the gateways need, from OpenSSL.
//
// Tokens are never stored: agents' and the root's tokens are kept as their
// SHA-256 hex digests, and a request's token is hashed and looked up. Webhook
// signatures (Meta's `X-Hub-Signature-256`) are HMAC-SHA256. Secrets are
// compared in constant time so that a caller cannot learn a prefix by timing.
//
// Thread-safety: every function is safe to call from any thread.
//
// Example:
//   auto token = random_token();          // give the plaintext to the client
//   if (!token) { return token.error(); }
//   agent.token_hash = sha256_hex(*token); // keep only this
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "events/errc.h"

namespace atende {

/// sha256_hex returns the SHA-256 digest of `data` as 64 lowercase hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view data);

/// hex_to_base64 re-encodes a SHA-256 in hex (as sha256_hex gives) in
/// base64, the form Meta gives a media's SHA-256 in webhooks; "" when `hex`
/// is not 64 hex digits.
[[nodiscard]] std::string hex_to_base64(std::string_view hex);

/// hmac_sha256_hex returns HMAC-SHA256(key, data) as 64 lowercase hex digits.
[[nodiscard]] std::string hmac_sha256_hex(std::string_view key,
                                          std::string_view data);

/// random_hex returns `bytes` bytes from OpenSSL's CSPRNG as 2*bytes hex
/// digits; errc::internal if the generator fails.
[[nodiscard]] result<std::string> random_hex(std::size_t bytes);

/// random_token returns a fresh secret: 32 random bytes as 64 hex digits.
[[nodiscard]] result<std::string> random_token();

/// agent_token returns a fresh agent token, `<tenant>~<random_token>`: the
/// tenant in clear lets any instance send a request to the instance that
/// owns the tenant (Kafka mode) before it can check the secret.
[[nodiscard]] result<std::string> agent_token(std::string_view tenant);

/// token_tenant returns the tenant part of an agent token ("" if none).
[[nodiscard]] std::string_view token_tenant(std::string_view token);

/// password_hash returns the stored form of a password: scrypt (memory-hard:
/// N = 2^15, r = 8, p = 1, 32 MiB and some 50-100 ms of one core) over a
/// fresh 16-byte salt, as `scrypt$15$8$1$<salt hex>$<key hex>`.
[[nodiscard]] result<std::string> password_hash(std::string_view password);

/// password_matches tells whether `password` is the one `stored`
/// (password_hash's form) was made from; false for a malformed `stored`.
[[nodiscard]] bool password_matches(std::string_view password,
                                    std::string_view stored);

/// constant_time_equal compares two strings in time that depends only on
/// their lengths.
[[nodiscard]] bool constant_time_equal(std::string_view a,
                                       std::string_view b) noexcept;

} // namespace atende

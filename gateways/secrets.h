// secrets: sealing the secrets a tenant gives atende (a channel's Meta access
// token and app secret) before they enter the log.
//
// A sealed secret is text: "sealed:v1:" base64(nonce[12] || ciphertext ||
// tag[16]), AES-256-GCM under the instance's secret key with the fresh
// random nonce. The log, the journal, Kafka topics and `atende replay`
// carry only sealed text; the engine opens it where it is used (the
// sender's Authorization header, the webhook's signature check).
//
// The key is the configuration key `secret_key` (ATENDE_SECRET_KEY, 64 hex
// digits); when unset, the first start generates one into DATA/secret.key
// (mode 0600). Every instance that reads the same log (Kafka mode) needs
// the same key: set ATENDE_SECRET_KEY there. A lost key makes the sealed
// secrets unreadable: set them again with a PATCH of the channel.
//
//   auto s = sealer::load(cfg.secret_key, cfg.data + "/secret.key");
//   auto text = s->seal("EAAG...");      // "sealed:v1:..."
//   auto plain = s->open(*text);         // "EAAG..."
//
// Thread-safety: a sealer is immutable; seal and open are safe from any
// thread.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "events/errc.h"

namespace atende {

class sealer {
public:
  /// from_hex takes a 64-hex-digit (32-byte) key.
  [[nodiscard]] static result<sealer> from_hex(std::string_view hex);

  /// load takes `hex` when it is not empty, else the key stored at `path`,
  /// generating and storing one (mode 0600) when there is none.
  [[nodiscard]] static result<sealer> load(std::string_view hex,
                                           const std::string& path);

  /// seal returns the sealed text of `plain`.
  [[nodiscard]] result<std::string> seal(std::string_view plain) const;

  /// open returns the secret `sealed` holds; errc::invalid_value when it was
  /// not sealed under this key (or is not sealed text at all).
  [[nodiscard]] result<std::string> open(std::string_view sealed) const;

  /// is_sealed tells whether `text` has the form of a sealed secret.
  [[nodiscard]] static bool is_sealed(std::string_view text);

private:
  std::array<unsigned char, 32> key_{};
};

} // namespace atende

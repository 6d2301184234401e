#include "gateways/crypto.h"

#include <array>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "events/chain.h"

namespace atende {

namespace {

std::string to_hex(const unsigned char* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = digits[p[i] >> 4];
    out[2 * i + 1] = digits[p[i] & 0x0f];
  }
  return out;
}

} // namespace

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int n = 0;
  // EVP_Digest fails only on allocation failure inside OpenSSL; the digest
  // then stays zero and matches no stored hash.
  if (EVP_Digest(data.data(), data.size(), md.data(), &n, EVP_sha256(),
                 nullptr) != 1) {
    n = 32;
  }
  return to_hex(md.data(), n);
}

std::string hex_to_base64(std::string_view hex) {
  auto raw = chain_from_hex(hex); // 32 bytes, as a SHA-256 is
  if (!raw) {
    return {};
  }
  std::string out(4 * ((raw->size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          raw->data(), static_cast<int>(raw->size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int n = 0;
  auto* ok = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                  reinterpret_cast<const unsigned char*>(data.data()),
                  data.size(), md.data(), &n);
  if (ok == nullptr) {
    n = 32;
  }
  return to_hex(md.data(), n);
}

result<std::string> random_hex(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) {
    return fail(errc::internal, "the random number generator failed");
  }
  return to_hex(buf.data(), buf.size());
}

result<std::string> random_token() {
  return random_hex(32);
}

result<std::string> agent_token(std::string_view tenant) {
  auto secret = random_token();
  if (!secret) {
    return secret;
  }
  return std::string{tenant} + "~" + *secret;
}

namespace {

constexpr unsigned scrypt_log_n = 15;
constexpr unsigned scrypt_r = 8;
constexpr unsigned scrypt_p = 1;
constexpr std::size_t scrypt_key_bytes = 32;
constexpr std::uint64_t scrypt_max_mem = 64ull << 20;

result<std::string> scrypt_hex(std::string_view password,
                               const std::vector<unsigned char>& salt,
                               unsigned log_n, unsigned r, unsigned p) {
  std::array<unsigned char, scrypt_key_bytes> key{};
  if (EVP_PBE_scrypt(password.data(), password.size(), salt.data(),
                     salt.size(), std::uint64_t{1} << log_n, r, p,
                     scrypt_max_mem, key.data(), key.size()) != 1) {
    return fail(errc::internal, "scrypt failed");
  }
  return to_hex(key.data(), key.size());
}

std::vector<unsigned char> from_hex(std::string_view hex) {
  std::vector<unsigned char> out;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  };
  if (hex.size() % 2 != 0) {
    return {};
  }
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = digit(hex[i]);
    int lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return {};
    }
    out.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return out;
}

} // namespace

result<std::string> password_hash(std::string_view password) {
  std::vector<unsigned char> salt(16);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    return fail(errc::internal, "the random number generator failed");
  }
  auto key = scrypt_hex(password, salt, scrypt_log_n, scrypt_r, scrypt_p);
  if (!key) {
    return key;
  }
  return "scrypt$" + std::to_string(scrypt_log_n) + "$" +
         std::to_string(scrypt_r) + "$" + std::to_string(scrypt_p) + "$" +
         to_hex(salt.data(), salt.size()) + "$" + *key;
}

bool password_matches(std::string_view password, std::string_view stored) {
  // scrypt$logN$r$p$salt$key
  std::vector<std::string_view> parts;
  std::size_t from = 0;
  for (;;) {
    auto dollar = stored.find('$', from);
    parts.push_back(stored.substr(from, dollar - from));
    if (dollar == std::string_view::npos) {
      break;
    }
    from = dollar + 1;
  }
  if (parts.size() != 6 || parts[0] != "scrypt") {
    return false;
  }
  auto number = [](std::string_view s, unsigned max) -> unsigned {
    unsigned v = 0;
    for (char c : s) {
      if (c < '0' || c > '9' || v > max) {
        return 0;
      }
      v = v * 10 + static_cast<unsigned>(c - '0');
    }
    return v > max ? 0 : v;
  };
  unsigned log_n = number(parts[1], 20);
  unsigned r = number(parts[2], 32);
  unsigned p = number(parts[3], 16);
  auto salt = from_hex(parts[4]);
  if (log_n == 0 || r == 0 || p == 0 || salt.empty()) {
    return false;
  }
  auto key = scrypt_hex(password, salt, log_n, r, p);
  return key && constant_time_equal(*key, parts[5]);
}

std::string_view token_tenant(std::string_view token) {
  auto tilde = token.find('~');
  return tilde == std::string_view::npos ? std::string_view{}
                                         : token.substr(0, tilde);
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace atende

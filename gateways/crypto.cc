#include "gateways/crypto.h"

#include <array>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

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

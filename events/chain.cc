#include "events/chain.h"

#include <cstdlib>
#include <memory>

#include <openssl/evp.h>

namespace atende {

namespace {

/// sha256 is fetched once: EVP_sha256() would look the implementation up in
/// OpenSSL's provider store on every digest. It is never freed, so that no
/// thread can digest with it after a static destructor ran.
const EVP_MD* sha256() {
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct ctx_free {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

} // namespace

chain_hash chain_next(const chain_hash& prev, std::string_view payload) {
  chain_hash out{};
  std::unique_ptr<EVP_MD_CTX, ctx_free> ctx{EVP_MD_CTX_new()};
  unsigned int n = 0;
  // OpenSSL fails here only when it cannot allocate or has no SHA-256 at
  // all. A chain with a wrong link would be worse than no chain, and there
  // is no error to return from a hash: stop, as for a failed allocation.
  if (ctx == nullptr || sha256() == nullptr ||
      EVP_DigestInit_ex2(ctx.get(), sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), prev.data(), prev.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), payload.data(), payload.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &n) != 1 || n != out.size()) {
    std::abort();
  }
  return out;
}

std::string to_hex(const chain_hash& h) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(2 * h.size(), '0');
  for (std::size_t i = 0; i < h.size(); ++i) {
    out[2 * i] = digits[h[i] >> 4];
    out[2 * i + 1] = digits[h[i] & 0x0F];
  }
  return out;
}

std::optional<chain_hash> chain_from_hex(std::string_view hex) {
  chain_hash out{};
  if (hex.size() != 2 * out.size()) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    int hi = hex_digit(hex[2 * i]);
    int lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

} // namespace atende

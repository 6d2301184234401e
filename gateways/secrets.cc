#include "gateways/secrets.h"

#include <algorithm>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <unistd.h>
#include <vector>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "events/chain.h"
#include "gateways/crypto.h"

namespace atende {

namespace {

constexpr std::string_view prefix = "sealed:v1:";
constexpr std::size_t nonce_size = 12;
constexpr std::size_t tag_size = 16;

using cipher_ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::string base64(const std::vector<unsigned char>& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          bytes.data(), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::vector<unsigned char>> unbase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::vector<unsigned char> out(text.size() / 4 * 3);
  int n = EVP_DecodeBlock(out.data(),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) {
    return std::nullopt;
  }
  // EVP_DecodeBlock counts the padding as zero bytes.
  std::size_t pad = 0;
  for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) {
    ++pad;
  }
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

} // namespace

result<sealer> sealer::from_hex(std::string_view hex) {
  // 64 hex digits to 32 bytes: the same reading as a journal hash's.
  auto bytes = chain_from_hex(hex);
  if (!bytes) {
    return fail(errc::invalid_value, "must be 64 hex digits (32 bytes)",
                "secret_key");
  }
  sealer s;
  std::copy(bytes->begin(), bytes->end(), s.key_.begin());
  return s;
}

result<sealer> sealer::load(std::string_view hex, const std::string& path) {
  if (!hex.empty()) {
    return from_hex(hex);
  }
  if (std::ifstream in{path}; in) {
    std::string stored;
    std::getline(in, stored);
    auto s = from_hex(stored);
    if (!s) {
      return fail(errc::invalid_value, path + ": " + s.error().message,
                  "secret_key");
    }
    return s;
  }
  auto fresh = random_hex(32);
  if (!fresh) {
    return std::unexpected(fresh.error());
  }
  std::error_code ec;
  std::filesystem::create_directories(
    std::filesystem::path{path}.parent_path(), ec);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  bool written = fd >= 0 && ::write(fd, fresh->data(), fresh->size()) ==
                              static_cast<ssize_t>(fresh->size());
  if (fd >= 0) {
    written = ::fsync(fd) == 0 && written;
    ::close(fd);
  }
  if (!written) {
    return fail(errc::internal, "cannot write " + path, "secret_key");
  }
  return from_hex(*fresh);
}

bool sealer::is_sealed(std::string_view text) {
  return text.starts_with(prefix);
}

result<std::string> sealer::seal(std::string_view plain) const {
  std::vector<unsigned char> out(nonce_size + plain.size() + tag_size);
  if (RAND_bytes(out.data(), static_cast<int>(nonce_size)) != 1) {
    return fail(errc::internal, "the random generator failed");
  }
  cipher_ctx ctx{EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free};
  int n = 0;
  int tail = 0;
  bool ok =
    ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                              key_.data(), out.data()) == 1 &&
    EVP_EncryptUpdate(ctx.get(), out.data() + nonce_size, &n,
                      reinterpret_cast<const unsigned char*>(plain.data()),
                      static_cast<int>(plain.size())) == 1 &&
    EVP_EncryptFinal_ex(ctx.get(), out.data() + nonce_size + n, &tail) == 1 &&
    EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG,
                        static_cast<int>(tag_size),
                        out.data() + nonce_size + plain.size()) == 1;
  if (!ok) {
    return fail(errc::internal, "sealing failed");
  }
  return std::string{prefix} + base64(out);
}

result<std::string> sealer::open(std::string_view sealed) const {
  const auto bad = [] {
    return fail(errc::invalid_value,
                "not sealed under this instance's secret key (was "
                "ATENDE_SECRET_KEY changed? set the secret again)");
  };
  if (!is_sealed(sealed)) {
    return bad();
  }
  auto bytes = unbase64(sealed.substr(prefix.size()));
  if (!bytes || bytes->size() < nonce_size + tag_size) {
    return bad();
  }
  const std::size_t len = bytes->size() - nonce_size - tag_size;
  std::string plain(len, '\0');
  cipher_ctx ctx{EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free};
  int n = 0;
  int tail = 0;
  auto* data = bytes->data();
  bool ok =
    ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                              key_.data(), data) == 1 &&
    EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()),
                      &n, data + nonce_size, static_cast<int>(len)) == 1 &&
    EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG,
                        static_cast<int>(tag_size), data + nonce_size + len) ==
      1 &&
    EVP_DecryptFinal_ex(ctx.get(),
                        reinterpret_cast<unsigned char*>(plain.data()) + n,
                        &tail) == 1;
  if (!ok) {
    return bad();
  }
  return plain;
}

} // namespace atende

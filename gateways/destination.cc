#include "gateways/destination.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

#include <netdb.h>
#include <netinet/in.h>

namespace atende {

namespace {

/// in_net: `addr` (host order) is in `net`/`bits`.
constexpr bool in_net(std::uint32_t addr, std::uint32_t net, int bits) {
  const std::uint32_t mask = bits == 0 ? 0U : ~0U << (32 - bits);
  return (addr & mask) == (net & mask);
}

constexpr std::uint32_t v4(int a, int b, int c, int d) {
  return (static_cast<std::uint32_t>(a) << 24) |
         (static_cast<std::uint32_t>(b) << 16) |
         (static_cast<std::uint32_t>(c) << 8) | static_cast<std::uint32_t>(d);
}

bool public_v4(std::uint32_t a) {
  struct net {
    std::uint32_t base;
    int bits;
  };
  static constexpr std::array<net, 16> refused{{
      {v4(0, 0, 0, 0), 8},
      {v4(10, 0, 0, 0), 8},
      {v4(100, 64, 0, 0), 10},
      {v4(127, 0, 0, 0), 8},
      {v4(169, 254, 0, 0), 16},
      {v4(172, 16, 0, 0), 12},
      {v4(192, 0, 0, 0), 24},
      {v4(192, 0, 2, 0), 24},
      {v4(192, 88, 99, 0), 24},
      {v4(192, 168, 0, 0), 16},
      {v4(198, 18, 0, 0), 15},
      {v4(198, 51, 100, 0), 24},
      {v4(203, 0, 113, 0), 24},
      {v4(224, 0, 0, 0), 4},
      {v4(240, 0, 0, 0), 4},
      {v4(255, 255, 255, 255), 32},
  }};
  for (const auto& n : refused) {
    if (in_net(a, n.base, n.bits)) {
      return false;
    }
  }
  return true;
}

std::uint32_t v4_at(const unsigned char* b) {
  return (static_cast<std::uint32_t>(b[0]) << 24) |
         (static_cast<std::uint32_t>(b[1]) << 16) |
         (static_cast<std::uint32_t>(b[2]) << 8) | static_cast<std::uint32_t>(b[3]);
}

bool public_v6(const unsigned char* b) {
  static constexpr std::array<unsigned char, 12> mapped{0, 0, 0, 0, 0, 0,
                                                        0, 0, 0, 0, 0xff, 0xff};
  static constexpr std::array<unsigned char, 12> nat64{0x00, 0x64, 0xff, 0x9b,
                                                       0, 0, 0, 0, 0, 0, 0, 0};
  static constexpr std::array<unsigned char, 12> zero{};
  if (std::memcmp(b, mapped.data(), 12) == 0 ||
      std::memcmp(b, nat64.data(), 12) == 0) {
    return public_v4(v4_at(b + 12));
  }
  if (std::memcmp(b, zero.data(), 12) == 0) {
    return false; // ::, ::1 and the deprecated IPv4-compatible ::/96
  }
  if ((b[0] & 0xfe) == 0xfc) {
    return false; // unique local
  }
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) {
    return false; // link-local
  }
  if (b[0] == 0xff) {
    return false; // multicast
  }
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) {
    return false; // documentation
  }
  return true;
}

} // namespace

bool is_public_address(const sockaddr* sa) {
  if (sa == nullptr) {
    return false;
  }
  if (sa->sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, sa, sizeof in);
    const auto* b = reinterpret_cast<const unsigned char*>(&in.sin_addr);
    return public_v4(v4_at(b));
  }
  if (sa->sa_family == AF_INET6) {
    sockaddr_in6 in{};
    std::memcpy(&in, sa, sizeof in);
    return public_v6(reinterpret_cast<const unsigned char*>(&in.sin6_addr));
  }
  return false;
}

result<std::string> url_host(std::string_view url) {
  std::size_t at = url.starts_with("https://") ? 8
                   : url.starts_with("http://") ? 7
                                                : 0;
  if (at == 0) {
    return fail(errc::invalid_value, "must be an http:// or https:// URL",
                "url");
  }
  auto rest = url.substr(at);
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  if (auto user = authority.rfind('@'); user != std::string_view::npos) {
    authority.remove_prefix(user + 1);
  }
  std::string_view host;
  if (authority.starts_with('[')) {
    auto end = authority.find(']');
    if (end == std::string_view::npos) {
      return fail(errc::invalid_value, "has an unclosed [ in its host", "url");
    }
    host = authority.substr(1, end - 1);
  } else {
    host = authority.substr(0, authority.find(':'));
  }
  if (host.empty()) {
    return fail(errc::invalid_value, "has no host", "url");
  }
  return std::string{host};
}

result<void> check_destination(std::string_view url, bool allow_private) {
  auto host = url_host(url);
  if (!host) {
    return std::unexpected(host.error());
  }
  if (allow_private) {
    return {};
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host->c_str(), nullptr, &hints, &found); rc != 0) {
    return fail(errc::invalid_value,
                "host '" + *host + "' does not resolve (" + gai_strerror(rc) +
                  ")",
                "url");
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned{found,
                                                           &freeaddrinfo};
  for (const auto* a = found; a != nullptr; a = a->ai_next) {
    if (!is_public_address(a->ai_addr)) {
      return fail(errc::forbidden_destination,
                  "host '" + *host +
                    "' is on loopback or a private network; the server's "
                    "operator may allow such destinations "
                    "(subscriptions.allow_private)",
                  "url");
    }
  }
  return {};
}

} // namespace atende

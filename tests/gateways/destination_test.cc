// destination: where a subscription may deliver. Loopback, private,
// link-local, carrier-grade NAT, documentation, multicast and reserved
// addresses are refused, in IPv4 and IPv6 (IPv4-mapped and NAT64 forms
// checked by the IPv4 address inside), unless private networks are allowed.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "gateways/destination.h"

namespace {

using namespace atende;

bool public_address(const char* text) {
  sockaddr_in6 v6{};
  if (inet_pton(AF_INET6, text, &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    return is_public_address(reinterpret_cast<const sockaddr*>(&v6));
  }
  sockaddr_in v4{};
  EXPECT_EQ(inet_pton(AF_INET, text, &v4.sin_addr), 1) << text;
  v4.sin_family = AF_INET;
  return is_public_address(reinterpret_cast<const sockaddr*>(&v4));
}

TEST(Destination, LoopbackPrivateLinkLocalAndReservedIPv4AreNotPublic) {
  for (const char* a :
       {"127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255",
        "192.168.0.10", "169.254.169.254", "100.64.0.1", "0.0.0.0",
        "192.0.2.5", "198.51.100.7", "203.0.113.9", "198.18.0.1",
        "224.0.0.1", "240.0.0.1", "255.255.255.255"}) {
    EXPECT_FALSE(public_address(a)) << a;
  }
}

TEST(Destination, PublicIPv4IsAllowed) {
  for (const char* a : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255",
                        "100.128.0.1", "192.169.0.1", "31.13.65.1"}) {
    EXPECT_TRUE(public_address(a)) << a;
  }
}

TEST(Destination, IPv6LoopbackUniqueLocalLinkLocalAndMulticastAreNotPublic) {
  for (const char* a : {"::1", "::", "fc00::1", "fd12:3456::1", "fe80::1",
                        "ff02::1", "2001:db8::1", "::ffff:127.0.0.1",
                        "::ffff:10.0.0.1", "64:ff9b::a00:1", "::127.0.0.1"}) {
    EXPECT_FALSE(public_address(a)) << a;
  }
}

TEST(Destination, PublicIPv6AndMappedPublicIPv4AreAllowed) {
  for (const char* a :
       {"2a03:2880:f12f:83:face:b00c::25de", "2001:4860:4860::8888",
        "::ffff:8.8.8.8", "64:ff9b::808:808"}) {
    EXPECT_TRUE(public_address(a)) << a;
  }
}

TEST(Destination, TheHostIsTakenWithoutUserInfoPortPathOrBrackets) {
  EXPECT_EQ(*url_host("https://crm.example.com/hooks?x=1"), "crm.example.com");
  EXPECT_EQ(*url_host("http://user:pw@10.0.0.1:8080/x"), "10.0.0.1");
  EXPECT_EQ(*url_host("http://[::1]:9/hook"), "::1");
  EXPECT_EQ(*url_host("https://h#frag"), "h");
  EXPECT_EQ(url_host("ftp://h/x").error().field, "url");
  EXPECT_EQ(url_host("http:///x").error().code, errc::invalid_value);
  EXPECT_EQ(url_host("http://[::1/x").error().code, errc::invalid_value);
}

TEST(Destination, ALoopbackDestinationIsRefusedUnlessPrivateNetworksAreAllowed) {
  for (const char* url : {"http://127.0.0.1:9/hook", "http://[::1]/x",
                          "http://10.0.0.1/x", "http://localhost/x",
                          "http://169.254.169.254/latest/meta-data"}) {
    auto r = check_destination(url, false);
    ASSERT_FALSE(r) << url;
    EXPECT_EQ(r.error().code, errc::forbidden_destination) << url;
    EXPECT_EQ(r.error().field, "url");
    EXPECT_TRUE(check_destination(url, true)) << url;
  }
}

TEST(Destination, AHostThatDoesNotResolveIsAnInvalidURL) {
  auto r = check_destination("http://no-such-host.invalid/x", false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::invalid_value);
  EXPECT_EQ(r.error().field, "url");
}

} // namespace

// The signature of a subscription's delivery: t=<unix seconds>,v1=<hex
// HMAC-SHA256(secret, t + "." + body)> (CONTRACT "Live updates and
// subscriptions"), checked against an HMAC computed independently.
#include <gtest/gtest.h>

#include <openssl/hmac.h>

#include "gateways/subscription_sender.h"

namespace {

std::string reference_hmac(const std::string& key, const std::string& data) {
  unsigned char out[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
       &len);
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  for (unsigned i = 0; i < len; ++i) {
    s += hex[out[i] >> 4];
    s += hex[out[i] & 15];
  }
  return s;
}

TEST(DeliverySignature, IsTheHexHmacOfTimeDotBodyUnderTheSecret) {
  const std::string body = R"({"id":"sb-1:7:0","seq":7})";
  auto sig = atende::delivery_signature("whsec_abc", 1796650000, body);
  EXPECT_EQ(sig, "t=1796650000,v1=" +
                   reference_hmac("whsec_abc", "1796650000." + body));
  EXPECT_NE(sig, atende::delivery_signature("whsec_abd", 1796650000, body));
  EXPECT_NE(sig, atende::delivery_signature("whsec_abc", 1796650001, body));
}

} // namespace

#include "events/phone.h"

#include <gtest/gtest.h>

namespace atende {
namespace {

TEST(Phone, AcceptsTenToFifteenDigits) {
  EXPECT_EQ(normalize_phone("5531988887777"), "5531988887777");
  EXPECT_TRUE(normalize_phone("1234567890"));
  EXPECT_TRUE(normalize_phone("123456789012345"));
}

TEST(Phone, RejectsPunctuationLengthAndLeadingZero) {
  for (const char* bad : {"+5531988887777", "55 31 98888 7777", "123456789",
                          "1234567890123456", "0531988887777", "",
                          "55319888877a7"}) {
    auto r = normalize_phone(bad, "data.from");
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, errc::invalid_phone) << bad;
    EXPECT_EQ(r.error().field, "data.from") << bad;
  }
}

TEST(Phone, BrazilianMobileWithAndWithoutNinthDigitShareAKey) {
  EXPECT_EQ(phone_key("553188887777"), "5531988887777");
  EXPECT_EQ(phone_key("5531988887777"), "5531988887777");
}

TEST(Phone, LandlinesAndForeignNumbersAreTheirOwnKey) {
  EXPECT_EQ(phone_key("553133334444"), "553133334444"); // landline
  EXPECT_EQ(phone_key("14155550123"), "14155550123");
}

} // namespace
} // namespace atende

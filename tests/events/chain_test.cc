#include "events/chain.h"

#include <cctype>
#include <string>

#include <gtest/gtest.h>

namespace atende {
namespace {

// Expected digests computed outside atende:
//   { head -c 32 /dev/zero; printf 'abc'; } | sha256sum
// and the second link by feeding that digest's bytes and '{"seq":2}'.
constexpr std::string_view first_link =
    "365aa7d8f7f9402c4b9434502b4cc89ddb09fe50d7cd95b493b834c62d5a5370";
constexpr std::string_view second_link =
    "ef2169afced495755f09d65a7ee0bc5de76628a066578669fa62f9a5533c24ad";

TEST(Chain, ChainStartIsThirtyTwoZeroBytes) {
  EXPECT_EQ(to_hex(chain_start), std::string(64, '0'));
}

TEST(Chain, ChainNextIsSha256OfThePreviousHashAndThePayload) {
  auto h1 = chain_next(chain_start, "abc");
  EXPECT_EQ(to_hex(h1), first_link);
  auto h2 = chain_next(h1, R"({"seq":2})");
  EXPECT_EQ(to_hex(h2), second_link);
}

TEST(Chain, EveryLinkDependsOnThePreviousHash) {
  auto h1 = chain_next(chain_start, "abc");
  EXPECT_NE(chain_next(h1, "x"), chain_next(chain_start, "x"));
  EXPECT_EQ(to_hex(chain_next(chain_start, "")),
            "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
}

TEST(Chain, HexRoundTrips) {
  auto h = chain_next(chain_start, "abc");
  EXPECT_EQ(chain_from_hex(to_hex(h)), h);
  EXPECT_EQ(chain_from_hex(to_hex(chain_start)), chain_start);
  std::string upper{first_link};
  for (auto& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  EXPECT_EQ(chain_from_hex(upper), h);
}

TEST(Chain, AnythingButSixtyFourHexDigitsIsNoHash) {
  std::string hex{first_link};
  EXPECT_FALSE(chain_from_hex(""));
  EXPECT_FALSE(chain_from_hex(hex.substr(1)));
  EXPECT_FALSE(chain_from_hex(hex + "0"));
  EXPECT_FALSE(chain_from_hex(" " + hex.substr(1)));
  hex[10] = 'g';
  EXPECT_FALSE(chain_from_hex(hex));
}

} // namespace
} // namespace atende

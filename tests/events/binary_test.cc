#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "events/binary.h"

namespace atende {
namespace {

TEST(Binary, EveryValueReadsBackAsWritten) {
  bin_writer w;
  const std::uint64_t unsigned_values[] = {
    0, 1, 127, 128, 16383, 16384, std::numeric_limits<std::uint32_t>::max(),
    std::numeric_limits<std::uint64_t>::max()};
  const std::int64_t signed_values[] = {
    0, -1, 1, -64, 64, std::numeric_limits<std::int64_t>::min(),
    std::numeric_limits<std::int64_t>::max()};
  for (auto v : unsigned_values) {
    w.varint(v);
  }
  for (auto v : signed_values) {
    w.zigzag(v);
  }
  w.fixed32(0xdeadbeef);
  w.str("");
  w.str("olá");
  w.u8(200);
  w.strings({"a", "", "ção"});
  w.strings({});
  bin_reader r{w.bytes()};
  for (auto v : unsigned_values) {
    EXPECT_EQ(r.varint(), v);
  }
  for (auto v : signed_values) {
    EXPECT_EQ(r.zigzag(), v);
  }
  EXPECT_EQ(r.fixed32(), 0xdeadbeefu);
  EXPECT_EQ(r.str(), "");
  EXPECT_EQ(r.str(), "olá");
  EXPECT_EQ(r.u8(), 200);
  EXPECT_EQ(r.strings(), (std::vector<std::string>{"a", "", "ção"}));
  EXPECT_TRUE(r.strings().empty());
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.done());
}

TEST(Binary, AVarintTakesOneByteUpTo127AndTenAtMost) {
  bin_writer small;
  small.varint(127);
  EXPECT_EQ(small.bytes().size(), 1u);
  bin_writer big;
  big.varint(std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(big.bytes().size(), 10u);
  const std::string endless(11, '\x80');
  bin_reader r{endless};
  (void)r.varint();
  EXPECT_FALSE(r.ok());
}

TEST(Binary, AShortInputFailsTheReaderAndLaterReadsGiveNothing) {
  bin_writer w;
  w.str("hello");
  auto bytes = w.bytes().substr(0, 3);
  bin_reader r{bytes};
  EXPECT_EQ(r.str(), "");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.u8(), 0);
  EXPECT_EQ(r.varint(), 0u);
  EXPECT_FALSE(r.ok());
}

TEST(Binary, ACountTheRestCannotHoldFailsTheReader) {
  bin_writer w;
  w.varint(1'000'000'000);
  w.u8(1);
  bin_reader r{w.bytes()};
  EXPECT_EQ(r.count(), 0u);
  EXPECT_FALSE(r.ok());
  bin_writer fits;
  fits.varint(2);
  fits.u8(1);
  fits.u8(2);
  bin_reader ok{fits.bytes()};
  EXPECT_EQ(ok.count(), 2u);
  EXPECT_TRUE(ok.ok());
}

TEST(Binary, PairsReadBackIntoAnyMapAndASealHoldsOnlyForItsBytes) {
  bin_writer w;
  w.pairs(std::map<std::string, std::string>{{"a", "1"}, {"b", ""}});
  w.seal();
  auto bytes = w.take();
  auto body = bin_reader::unseal(bytes);
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(body->size(), bytes.size() - 4);
  bin_reader r{*body};
  auto m = r.pairs<std::unordered_map<std::string, std::string>>();
  EXPECT_TRUE(r.ok() && r.done());
  EXPECT_EQ(m, (std::unordered_map<std::string, std::string>{{"a", "1"},
                                                             {"b", ""}}));
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto flipped = bytes;
    flipped[i] = static_cast<char>(flipped[i] ^ 1);
    EXPECT_FALSE(bin_reader::unseal(flipped).has_value()) << "byte " << i;
  }
  EXPECT_FALSE(bin_reader::unseal("abc").has_value());
}

} // namespace
} // namespace atende

#include "events/crc32c.h"

#include <string>

#include <gtest/gtest.h>

namespace atende {
namespace {

// Test vectors of RFC 3720, appendix B.4 (as in LevelDB's crc32c_test).
TEST(Crc32c, MatchesStandardVectors) {
  EXPECT_EQ(crc32c::value(std::string(32, '\0')), 0x8A9136AAu);
  EXPECT_EQ(crc32c::value(std::string(32, '\xFF')), 0x62A8AB43u);
  std::string ascending(32, '\0');
  std::string descending(32, '\0');
  for (int i = 0; i < 32; ++i) {
    ascending[i] = static_cast<char>(i);
    descending[i] = static_cast<char>(31 - i);
  }
  EXPECT_EQ(crc32c::value(ascending), 0x46DD794Eu);
  EXPECT_EQ(crc32c::value(descending), 0x113FDB5Cu);
  EXPECT_EQ(crc32c::value("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c::value(""), 0u);
}

TEST(Crc32c, ExtendEqualsValueOfTheConcatenation) {
  std::string text = "the quick brown fox jumps over the lazy dog, twice over";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    std::string_view all{text};
    EXPECT_EQ(
        crc32c::extend(crc32c::value(all.substr(0, cut)), all.substr(cut)),
        crc32c::value(all))
        << cut;
  }
}

} // namespace
} // namespace atende

namespace atende {
namespace {

TEST(Crc32c, HardwareAndSoftwarePathsAgree) {
  std::string data;
  for (int i = 0; i < 1000; ++i) {
    data += static_cast<char>(i * 7919 % 251);
    std::string_view v{data};
    for (std::size_t off : {std::size_t{0}, data.size() / 3}) {
      ASSERT_EQ(crc32c::extend(0x1234u, v.substr(off)),
                crc32c::extend_software(0x1234u, v.substr(off)))
          << i;
    }
  }
}

} // namespace
} // namespace atende

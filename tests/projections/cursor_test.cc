// cursor: opaque keyset cursors round-trip and reject anything else.
#include "projections/cursor.h"

#include <gtest/gtest.h>

namespace atende::projections {
namespace {

TEST(Cursor, PositionRoundTrips) {
  for (lane_key k : {lane_key{0, 0}, lane_key{1795266000123, 42},
                     lane_key{-5, 0xffffffffU}}) {
    auto s = encode_position(k);
    EXPECT_EQ(s.size(), 16U);
    EXPECT_EQ(decode_position(s), k);
  }
}

TEST(Cursor, IdCursorRoundTripsAndIsUrlSafe) {
  for (std::string id : {"a", "acme:conv:17", "x.y-z_9"}) {
    auto s = encode_id_cursor(id);
    EXPECT_EQ(s.find_first_of("+/="), std::string::npos);
    EXPECT_EQ(decode_id_cursor(s), id);
  }
}

TEST(Cursor, GarbageIsRejected) {
  EXPECT_FALSE(decode_position(""));
  EXPECT_FALSE(decode_position("!!!!"));
  EXPECT_FALSE(decode_position("AAAAAAAAAAAAAAAAAAAA"));
  EXPECT_FALSE(decode_position(encode_id_cursor("abc")));
  EXPECT_FALSE(decode_id_cursor(""));
  EXPECT_FALSE(decode_id_cursor("A"));
  EXPECT_FALSE(decode_id_cursor(encode_position({1, 2})));
  // Non-zero padding bits: a second spelling of a valid cursor.
  auto s = encode_id_cursor("abcd");
  s.back() = static_cast<char>(s.back() + 1);
  EXPECT_FALSE(decode_id_cursor(s));
}

} // namespace
} // namespace atende::projections

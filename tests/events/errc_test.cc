#include "events/errc.h"

#include <set>

#include <gtest/gtest.h>

namespace atende {
namespace {

TEST(Errc, EveryCodeNameRoundTrips) {
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(errc::internal); ++i) {
    auto c = static_cast<errc>(i);
    auto name = code_name(c);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(errc_from_name(name), c) << name;
  }
  EXPECT_EQ(code_name(errc::window_closed), "window_closed");
}

TEST(Errc, UnknownNameIsInternal) {
  EXPECT_EQ(errc_from_name("nope"), errc::internal);
}

TEST(Errc, WorksAsErrorCode) {
  std::error_code ec = errc::not_found;
  EXPECT_EQ(ec.message(), "not_found");
  EXPECT_STREQ(ec.category().name(), "atende");
}

TEST(Errc, MakeErrorNamesTheFieldInTheMessage) {
  auto e = make_error(errc::malformed, "is required", "data.channel");
  EXPECT_EQ(e.message, "data.channel: is required");
  EXPECT_EQ(e.field, "data.channel");
  EXPECT_EQ(make_error(errc::internal, "boom").message, "boom");
}

} // namespace
} // namespace atende

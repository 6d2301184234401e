#include "events/templates.h"

#include <gtest/gtest.h>

namespace atende {
namespace {

TEST(Templates, PlaceholdersAreCountedOncePerNumber) {
  EXPECT_EQ(placeholder_count("Olá"), 0);
  EXPECT_EQ(placeholder_count("Oi {{1}}, o {{2}} chegou"), 2);
  EXPECT_EQ(placeholder_count("{{1}} e {{1}} de novo, {{2}}"), 2);
  EXPECT_EQ(placeholder_count("chaves { soltas } ficam"), 0);
}

TEST(Templates, PlaceholdersMustBeNumberedFromOneWithoutGaps) {
  auto gap = placeholder_count("Oi {{1}}, {{3}}");
  ASSERT_FALSE(gap);
  EXPECT_EQ(gap.error().code, errc::invalid_value);
  EXPECT_FALSE(placeholder_count("Oi {{2}}"));
  EXPECT_FALSE(placeholder_count("Oi {{nome}}"));
  EXPECT_FALSE(placeholder_count("Oi {{0}}"));
}

TEST(Templates, FillingReplacesEachPlaceholderByItsParam) {
  EXPECT_EQ(fill_template("Oi {{1}}, o {{2}} chegou. {{1}}!",
                          {"Maria", "pedido 4411"}),
            "Oi Maria, o pedido 4411 chegou. Maria!");
  EXPECT_EQ(fill_template("sem nada", {}), "sem nada");
}

} // namespace
} // namespace atende

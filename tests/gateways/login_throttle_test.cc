// Tests of gateways/login_throttle.*: the sign-in failure policy, with time
// as an input.
#include "gateways/login_throttle.h"

#include <gtest/gtest.h>

namespace atende {
namespace {

constexpr timestamp t0 = 1'795'266'300'000;

TEST(LoginThrottle, TheFirstThreeFailuresCostNothing) {
  login_throttle t;
  for (int i = 0; i < 2; ++i) {
    t.failed("acme\nana", t0);
    EXPECT_TRUE(t.check("acme\nana", t0));
  }
}

TEST(LoginThrottle, FromTheThirdFailureTheWaitDoubles) {
  login_throttle t;
  for (int i = 0; i < 3; ++i) {
    t.failed("k", t0);
  }
  auto r = t.check("k", t0 + 500);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::too_many_attempts);
  EXPECT_EQ(t.retry_after_seconds("k", t0 + 500), 1);
  EXPECT_TRUE(t.check("k", t0 + 1000));
  t.failed("k", t0 + 1000);
  EXPECT_FALSE(t.check("k", t0 + 2999));
  EXPECT_TRUE(t.check("k", t0 + 3000));
}

TEST(LoginThrottle, TenFailuresRefuseTheLoginForFifteenMinutes) {
  login_throttle t;
  for (int i = 0; i < 10; ++i) {
    t.failed("k", t0);
  }
  EXPECT_FALSE(t.check("k", t0 + login_throttle::quiet_ms - 1));
  EXPECT_EQ(t.retry_after_seconds("k", t0), 15 * 60);
  EXPECT_TRUE(t.check("k", t0 + login_throttle::quiet_ms));
}

TEST(LoginThrottle, ASuccessForgetsTheFailures) {
  login_throttle t;
  for (int i = 0; i < 5; ++i) {
    t.failed("k", t0);
  }
  t.succeeded("k");
  EXPECT_TRUE(t.check("k", t0));
}

TEST(LoginThrottle, KeysAreIndependent) {
  login_throttle t;
  for (int i = 0; i < 5; ++i) {
    t.failed("acme\nana", t0);
  }
  EXPECT_TRUE(t.check("acme\nbia", t0));
  EXPECT_TRUE(t.check("beta\nana", t0));
}

} // namespace
} // namespace atende

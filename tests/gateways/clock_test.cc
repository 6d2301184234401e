// clock_test: the engine's clock ticks (gateways/clock.h) go to the tenants
// whose portfolios have business hours, and nowhere else.
#include "gateways/clock.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace atende {
namespace {

event make(std::uint64_t seq, const std::string& tenant, event_data d) {
  return event{seq, tenant, 1795266300000, "root", std::move(d)};
}

portfolio with_hours(std::string id, nlohmann::json hours) {
  portfolio p;
  p.id = std::move(id);
  p.name = "P";
  p.responsible = "boss";
  p.hours = std::move(hours);
  return p;
}

TEST(Clock, TicksGoToTenantsWithBusinessHoursOnly) {
  views v;
  agent boss;
  boss.id = "boss";
  boss.name = "Boss";
  boss.role = agent_role::admin;
  boss.token_hash = "h";
  std::vector<event> evs;
  for (const char* t : {"acme", "quiet"}) {
    evs.push_back(make(1, t, tenant_created{{t, t, "America/Sao_Paulo"}, boss}));
  }
  evs.push_back(make(2, "acme",
                     portfolio_created{with_hours(
                       "vip", nlohmann::json::parse(
                                R"({"week":{"mon":[["08:00","18:00"]]}})"))}));
  evs.push_back(make(2, "quiet", portfolio_created{with_hours("all", nullptr)}));
  v.apply(evs);

  auto ticks = clock_ticks(v, 1795266360000);
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].tenant, "acme");
  EXPECT_EQ(ticks[0].at, 1795266360000);
  EXPECT_EQ(ticks[0].actor, "rule:clock");
  // What the ticker submits is what the log accepts.
  auto back = decode_input(encode_input(ticks[0]), input_scope::any);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, ticks[0]);
}

} // namespace
} // namespace atende

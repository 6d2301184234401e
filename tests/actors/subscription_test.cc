// subscription_test: the tenant's decisions about subscriptions (outbound
// webhooks): admins create, change, delete and rewind them; the
// subscriptions' sender records how far each receiver accepted, and
// progress from before a rewind records nothing.
#include <gtest/gtest.h>

#include "actors/tenant.h"
#include "tests/actors/harness.h"

namespace atende {
namespace {

using namespace atende::testing;

subscription make_subscription(std::string id = "sb-1") {
  return {std::move(id), "https://crm.example.com/hooks",
          {"conversation.*", "message.created"}, "sealed:v1:AAAA", true};
}

class SubscriptionDecide : public ::testing::Test {
protected:
  void SetUp() override { configure(sim); }

  std::int64_t position(const std::string& id = "sb-1") const {
    return sim.tenant.subscription_places.at(id).position;
  }

  tenant_sim sim;
};

TEST_F(SubscriptionDecide, OnlyAnAdminMayCreateASubscription) {
  EXPECT_EQ(code_of(sim.as("agent:ana",
                           create<subscription>{make_subscription()})),
            errc::forbidden);
  EXPECT_FALSE(sim.tenant.subscriptions.contains("sb-1"));
  sim.must(admin_actor, create<subscription>{make_subscription()});
  EXPECT_TRUE(sim.tenant.subscriptions.contains("sb-1"));
}

TEST_F(SubscriptionDecide, ANewSubscriptionIsDeliveredFromItsOwnCreationOn) {
  auto s = sim.must(admin_actor, create<subscription>{make_subscription()});
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(position(), static_cast<std::int64_t>(s.events[0].seq));
}

TEST_F(SubscriptionDecide, ASecondSubscriptionWithTheSameIdAlreadyExists) {
  sim.must(admin_actor, create<subscription>{make_subscription()});
  EXPECT_EQ(code_of(sim.as(admin_actor,
                           create<subscription>{make_subscription()})),
            errc::already_exists);
}

TEST_F(SubscriptionDecide, DeletingAnUnknownSubscriptionIsNotFound) {
  EXPECT_EQ(code_of(sim.as(admin_actor, subscription_delete{"sb-9"})),
            errc::not_found);
  sim.must(admin_actor, create<subscription>{make_subscription()});
  sim.must(admin_actor, subscription_delete{"sb-1"});
  EXPECT_FALSE(sim.tenant.subscriptions.contains("sb-1"));
  EXPECT_FALSE(sim.tenant.subscription_places.contains("sb-1"));
}

TEST_F(SubscriptionDecide, OnlyTheSubscriptionsSenderRecordsProgress) {
  sim.must(admin_actor, create<subscription>{make_subscription()});
  // The log refuses any other actor for it (input decoding); the tenant
  // refuses it too.
  input in;
  in.id = "p-1";
  in.tenant = "acme";
  in.at = t0;
  in.actor = admin_actor;
  in.data = subscription_progress{"sb-1", 1, 0};
  auto r = route(sim.tenant, in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::forbidden);
  in.actor = "rule:subscriptions";
  EXPECT_TRUE(route(sim.tenant, in));
}

TEST_F(SubscriptionDecide, ProgressMovesThePositionForwardOnly) {
  auto created = sim.must(admin_actor,
                          create<subscription>{make_subscription()});
  const auto at = static_cast<std::int64_t>(created.events[0].seq);
  sim.must(admin_actor, create<reason>{reason{"lost", "Lost"}});
  sim.must(admin_actor, create<reason>{reason{"late", "Late"}});
  auto s = sim.must("rule:subscriptions",
                    subscription_progress{"sb-1", at + 2, 0});
  ASSERT_NE(s.find<subscription_delivered>(), nullptr);
  EXPECT_EQ(position(), at + 2);
  auto back = sim.must("rule:subscriptions",
                       subscription_progress{"sb-1", at + 1, 0});
  EXPECT_TRUE(back.events.empty());
  EXPECT_EQ(position(), at + 2);
}

TEST_F(SubscriptionDecide, ProgressPastTheTenantsLastEventRecordsNothing) {
  sim.must(admin_actor, create<subscription>{make_subscription()});
  auto s = sim.must("rule:subscriptions",
                    subscription_progress{"sb-1", 10'000, 0});
  EXPECT_TRUE(s.events.empty());
}

TEST_F(SubscriptionDecide, ProgressFromBeforeARewindRecordsNothing) {
  auto created = sim.must(admin_actor,
                          create<subscription>{make_subscription()});
  const auto at = static_cast<std::int64_t>(created.events[0].seq);
  sim.must(admin_actor, create<reason>{reason{"lost", "Lost"}});
  auto r = sim.must(admin_actor, subscription_redeliver{"sb-1", 2});
  auto* rewound = r.find<subscription_rewound>();
  ASSERT_NE(rewound, nullptr);
  EXPECT_EQ(rewound->position, 1);
  EXPECT_EQ(position(), 1);
  EXPECT_EQ(sim.tenant.subscription_places.at("sb-1").rewinds, 1);
  // The sender had reached at + 1 before the rewind: stale.
  auto stale = sim.must("rule:subscriptions",
                        subscription_progress{"sb-1", at + 1, 0});
  EXPECT_TRUE(stale.events.empty());
  EXPECT_EQ(position(), 1);
  auto fresh = sim.must("rule:subscriptions",
                        subscription_progress{"sb-1", 3, 1});
  EXPECT_NE(fresh.find<subscription_delivered>(), nullptr);
  EXPECT_EQ(position(), 3);
}

TEST_F(SubscriptionDecide, RedeliverFromPastTheLastEventIsInvalid) {
  sim.must(admin_actor, create<subscription>{make_subscription()});
  auto r = sim.as(admin_actor, subscription_redeliver{"sb-1", 10'000});
  EXPECT_EQ(code_of(r), errc::invalid_value);
  EXPECT_EQ(code_of(sim.as(admin_actor, subscription_redeliver{"sb-9", 1})),
            errc::not_found);
}

TEST_F(SubscriptionDecide, APatchThatChangesNothingRecordsNothing) {
  sim.must(admin_actor, create<subscription>{make_subscription()});
  auto s = sim.must(admin_actor,
                    patch<subscription>{"sb-1", {{"active", true}}});
  EXPECT_TRUE(s.events.empty());
  auto p = sim.must(admin_actor,
                    patch<subscription>{"sb-1", {{"active", false}}});
  ASSERT_NE(p.find<subscription_updated>(), nullptr);
  EXPECT_FALSE(sim.tenant.subscriptions.at("sb-1").active);
}

} // namespace
} // namespace atende

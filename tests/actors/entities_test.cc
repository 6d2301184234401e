// Tests of actors/entities.*: loading on first use, passivation, and the
// agent view read from the tenant core.
#include "actors/entities.h"

#include <gtest/gtest.h>

#include "tests/actors/harness.h"

namespace atende {
namespace {

using namespace atende::testing;

/// counting_loader: every conversation "exists" in the store with its id as
/// its team; counts the loads.
class counting_loader final : public entity_loader {
public:
  mutable int loads = 0;
  conversation_state conversation(const std::string& id) const override {
    ++loads;
    conversation_state c;
    c.id = id;
    c.status = "waiting";
    c.team = "stored-" + id;
    return c;
  }
};

TEST(Entities, AnEntityIsLoadedOnFirstUseOnly) {
  counting_loader loader;
  tenant_entities ents{&loader};
  EXPECT_EQ(ents.conversation("c1").team, "stored-c1");
  ents.conversation("c1").team = "changed";
  EXPECT_EQ(ents.conversation("c1").team, "changed");
  EXPECT_EQ(loader.loads, 1);
}

TEST(Entities, AFreshEntityIsNotLoaded) {
  counting_loader loader;
  tenant_entities ents{&loader};
  EXPECT_TRUE(ents.conversation("c1", /*fresh=*/true).status.empty());
  EXPECT_EQ(loader.loads, 0);
}

TEST(Entities, PassivationDropsTheLeastRecentlyUsedFirst) {
  counting_loader loader;
  tenant_entities ents{&loader};
  for (int i = 0; i < 8; ++i) {
    ents.next_cycle();
    (void)ents.conversation("c" + std::to_string(i));
  }
  ents.next_cycle();
  (void)ents.conversation("c0"); // used again: now the most recent
  ents.passivate(4);             // keeps three quarters of 4
  EXPECT_EQ(ents.resident(), 3u);
  const auto& held = ents.conversations();
  EXPECT_TRUE(held.contains("c0"));
  EXPECT_TRUE(held.contains("c7"));
  EXPECT_TRUE(held.contains("c6"));
  EXPECT_FALSE(held.contains("c1"));
}

TEST(Entities, PassivationKeepsConversationsWhoseSnapshotIsNotWritten) {
  counting_loader loader;
  tenant_entities ents{&loader};
  ents.conversation("c1").team = "changed";
  ents.mark_dirty("c1");
  for (int i = 2; i < 10; ++i) {
    ents.next_cycle();
    (void)ents.conversation("c" + std::to_string(i));
  }
  ents.passivate(1);
  ASSERT_TRUE(ents.conversations().contains("c1"));
  EXPECT_EQ(ents.conversations().at("c1").state.team, "changed");
  EXPECT_EQ(ents.resident(), 1u);
  // Once its snapshot is taken, it is idle like any other.
  EXPECT_EQ(ents.take_dirty(), (std::vector<std::string>{"c1"}));
  ents.next_cycle();
  (void)ents.conversation("c10");
  ents.passivate(1);
  EXPECT_EQ(ents.resident(), 1u);
  EXPECT_FALSE(ents.conversations().contains("c1"));
  // Passivated: the next use reads it from the store again.
  EXPECT_EQ(ents.conversation("c1").team, "stored-c1");
}

TEST(Entities, WithoutALoaderAMissingEntityDoesNotExist) {
  tenant_entities ents;
  EXPECT_TRUE(ents.conversation("c1").status.empty());
  EXPECT_TRUE(ents.contact_of("k1").id.empty());
}

TEST(Entities, AnAgentIsReadFromTheTenantCore) {
  tenant_sim sim;
  configure(sim);
  sim.must("agent:ana", agent_set_status{"online"});
  auto a = agent_view(sim.tenant, "ana");
  EXPECT_EQ(a.record.id, "ana");
  EXPECT_TRUE(a.presence.online);
  EXPECT_TRUE(agent_view(sim.tenant, "nobody").record.id.empty());
}

} // namespace
} // namespace atende

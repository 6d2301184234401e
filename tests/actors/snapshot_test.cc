// snapshot_test: the tenant snapshot form (tenant.h) and the rebuilding of
// derived indexes from entity snapshots (restore_*, snapshot.*): a restart
// must give the tenant core exactly the indexes that apply() built live.
#include "actors/snapshot.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rocksdb/write_batch.h>

#include "events/json.h"
#include "tests/actors/harness.h"

namespace atende {
namespace {

using namespace atende::testing;

/// busy_sim: a configured tenant with contacts and conversations in every
/// state: waiting, open, transferred, finished, plus a contact that never
/// wrote and one whose number changed.
tenant_sim busy_sim() {
  tenant_sim sim;
  configure(sim);
  sim.must(admin_actor,
           create<channel>{make_channel("wa-2", "310000000000002", "support")});
  auto a = sim.must("connector", inbound("wa-main", "5531988887777", "w1"));
  sim.must("agent:ana", conversation_assign{a.conversation, ""});
  auto b = sim.must("connector", inbound("wa-main", "5511900000001", "w2"));
  sim.must("agent:bia", conversation_assign{b.conversation, ""});
  sim.must("agent:bia", conversation_finish{b.conversation, "sold", ""});
  sim.must("connector", inbound("wa-main", "5511900000001", "w3"));
  auto c = sim.must("connector", inbound("wa-2", "5531988887777", "w4"));
  sim.must("agent:caio", conversation_assign{c.conversation, ""});
  sim.must("agent:caio", conversation_transfer{c.conversation, "ana", ""});
  sim.must("connector", inbound("wa-main", "5511900000002", "w5"));
  sim.must("connector", upsert("5511900000003", "Só CRM"));
  sim.must(admin_actor,
           create<contact>{make_contact("joao", "João", "5511900000004")});
  sim.must(admin_actor, patch<contact>{"joao", {{"phone", "5511900000005"}}});
  return sim;
}

/// restored: the tenant as a restart sees it — the tenant snapshot plus the
/// contact and conversation snapshots.
tenant_state restored(const tenant_sim& sim) {
  auto s =
      tenant_state_from_json(nlohmann::json::parse(to_json(sim.tenant).dump()));
  EXPECT_TRUE(s) << s.error().message;
  for (const auto& [id, c] : sim.contacts) {
    restore_contact(*s, c);
  }
  for (const auto& [id, c] : sim.conversations) {
    restore_conversation(*s, c);
  }
  return *s;
}

void expect_same_indexes(const tenant_state& live, const tenant_state& back) {
  EXPECT_EQ(sorted(back.open_conversation), sorted(live.open_conversation));
  EXPECT_EQ(sorted(back.contact_by_key), sorted(live.contact_by_key));
  EXPECT_EQ(sorted(back.contact_phone), sorted(live.contact_phone));
  EXPECT_EQ(sorted(back.channel_by_pnid), sorted(live.channel_by_pnid));
  EXPECT_EQ(nonzero(back.open_count), nonzero(live.open_count));
  ASSERT_EQ(back.conversations.size(), live.conversations.size());
  for (const auto& [id, c] : live.conversations) {
    ASSERT_TRUE(back.conversations.contains(id)) << id;
    const auto& r = back.conversations.at(id);
    EXPECT_EQ(r.contact, c.contact) << id;
    EXPECT_EQ(r.channel, c.channel) << id;
    EXPECT_EQ(r.team, c.team) << id;
    EXPECT_EQ(r.assignee, c.assignee) << id;
    EXPECT_EQ(r.finished, c.finished) << id;
  }
}

TEST(TenantSnapshot, RoundTripsThroughJson) {
  auto sim = busy_sim();
  auto j = to_json(sim.tenant);
  auto back = tenant_state_from_json(nlohmann::json::parse(j.dump()));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(to_json(*back), j);
  EXPECT_TRUE(back->exists);
  EXPECT_EQ(back->info, sim.tenant.info);
  EXPECT_EQ(back->channels, sim.tenant.channels);
  EXPECT_EQ(back->teams, sim.tenant.teams);
  EXPECT_EQ(back->agents, sim.tenant.agents);
  EXPECT_EQ(back->reasons, sim.tenant.reasons);
  EXPECT_EQ(back->next_seq, sim.tenant.next_seq);
  // The Meta-id index is rebuilt from the channels.
  EXPECT_EQ(sorted(back->channel_by_pnid), sorted(sim.tenant.channel_by_pnid));
}

TEST(TenantSnapshot, OfEmptyTenantRoundTrips) {
  tenant_state none;
  auto back = tenant_state_from_json(to_json(none));
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->exists);
  EXPECT_EQ(back->next_seq, 1u);
}

TEST(TenantSnapshot, CorruptSnapshotIsAnError) {
  auto j = to_json(busy_sim().tenant);
  auto no_seq = j;
  no_seq.erase("next_seq");
  EXPECT_EQ(code_of(tenant_state_from_json(no_seq)), errc::internal);
  auto bad_teams = j;
  bad_teams["teams"] = "sales";
  EXPECT_EQ(code_of(tenant_state_from_json(bad_teams)), errc::internal);
  EXPECT_FALSE(tenant_state_from_json(nlohmann::json::array()));
}

TEST(TenantSnapshot, RestoreRebuildsTheIndexesApplyBuilt) {
  auto sim = busy_sim();
  ASSERT_FALSE(sim.tenant.open_conversation.empty());
  ASSERT_FALSE(nonzero(sim.tenant.open_count).empty());
  expect_same_indexes(sim.tenant, restored(sim));
}

TEST(TenantSnapshot, RestoredTenantDecidesLikeTheLiveOne) {
  auto live = busy_sim();
  tenant_sim back;
  back.tenant = restored(live);
  back.stored.conversations = live.conversations;
  back.stored.contacts = live.contacts;
  back.clock = live.clock;
  // The same inputs after the "restart" give the same events.
  const auto live_before = live.journal.size();
  for (auto* sim : {&live, &back}) {
    auto t = live.clock + 1000;
    auto joined = sim->run(make_input(
        "x1", "connector", t, inbound("wa-main", "553188887777", "w9")));
    ASSERT_TRUE(joined);
    auto fresh = sim->run(make_input(
        "x2", "connector", t + 1, inbound("wa-main", "5511900000009", "w10")));
    ASSERT_TRUE(fresh);
    ASSERT_TRUE(
        sim->run(make_input("x3", "agent:bia", t + 2,
                            conversation_assign{fresh->conversation, ""})));
    // ana still holds one conversation; bia is at one after x3.
    EXPECT_EQ(nonzero(sim->tenant.open_count),
              (std::map<std::string, int>{{"ana", 2}, {"bia", 1}}));
  }
  ASSERT_EQ(back.journal.size(), live.journal.size() - live_before);
  ASSERT_EQ(back.journal.size(), 5u); // received; contact, opened, received;
                                      // assigned
  for (std::size_t i = 0; i < back.journal.size(); ++i) {
    EXPECT_EQ(to_json(back.journal[i]), to_json(live.journal[live_before + i]));
  }
}

TEST(TenantSnapshot, LoadTenantFromStoreRebuildsIndexes) {
  auto sim = busy_sim();
  temp_dir dir;
  auto db = store::open(dir.path());
  ASSERT_TRUE(db) << db.error().message;
  rocksdb::WriteBatch b;
  b.Put(keys::tenant("acme"), encode_snapshot(to_json(sim.tenant).dump()));
  for (const auto& [id, c] : sim.contacts) {
    nlohmann::json j;
    to_json(j, c);
    b.Put(keys::contact("acme", id), encode_snapshot(j.dump()));
  }
  for (const auto& [id, c] : sim.conversations) {
    b.Put(keys::conversation("acme", id), encode_snapshot(to_json(c).dump()));
  }
  ASSERT_TRUE((*db)->write(b, false));

  auto loaded = load_tenant(**db, "acme");
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(to_json(*loaded), to_json(sim.tenant));
  expect_same_indexes(sim.tenant, *loaded);

  auto first = sim.conversations.begin();
  EXPECT_EQ(load_conversation(**db, "acme", first->first), first->second);
  auto k = sim.contacts.begin();
  EXPECT_EQ(load_contact(**db, "acme", k->first), k->second);
  // Absent entities load empty: "does not exist" for the cores.
  EXPECT_TRUE(load_conversation(**db, "acme", "c-none").status.empty());
  EXPECT_TRUE(load_contact(**db, "acme", "k-none").id.empty());
  // An unknown tenant loads as "does not exist".
  auto other = load_tenant(**db, "other");
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->exists);
}

TEST(TenantSnapshot, LoadTenantReportsCorruptSnapshot) {
  temp_dir dir;
  auto db = store::open(dir.path());
  ASSERT_TRUE(db);
  rocksdb::WriteBatch b;
  auto bytes = encode_snapshot(to_json(busy_sim().tenant).dump());
  bytes[bytes.size() / 2] ^= 0x20; // flip a payload bit: checksum fails
  b.Put(keys::tenant("acme"), bytes);
  ASSERT_TRUE((*db)->write(b, false));
  auto loaded = load_tenant(**db, "acme");
  EXPECT_EQ(code_of(loaded), errc::internal);
}

} // namespace
} // namespace atende

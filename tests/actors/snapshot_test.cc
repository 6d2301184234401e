// snapshot_test: the tenant snapshot form (tenant.h) and the rebuilding of
// derived indexes from entity snapshots (restore_*, snapshot.*): a restart
// must give the tenant core exactly the indexes that apply() built live.
#include "actors/snapshot.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <string_view>
#include <nlohmann/json.hpp>
#include <rocksdb/write_batch.h>

#include "events/codec.h"
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
  sim.must("agent:caio", conversation_transfer{c.conversation, "ana", "", ""});
  sim.must("connector", inbound("wa-main", "5511900000002", "w5"));
  sim.must("connector", upsert("5511900000003", "Só CRM"));
  sim.must(admin_actor,
           create<contact>{make_contact("joao", "João", "5511900000004")});
  sim.must(admin_actor, patch<contact>{"joao", {{"phone", "5511900000005"}}});
  return sim;
}

tenant_state restored(const tenant_sim& sim) { return sim.restored(); }

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
  // Presence, turns and the sequence are stored apart.
  EXPECT_FALSE(j.contains("presence"));
  EXPECT_FALSE(j.contains("round_robin_turn"));
  EXPECT_FALSE(j.contains("next_seq"));
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
  auto bad_seq = j;
  bad_seq["next_seq"] = "12";
  EXPECT_EQ(code_of(tenant_state_from_json(bad_seq)), errc::internal);
  auto bad_presence = j;
  bad_presence["presence"] = {{"ana", {{"online", "yes"}}}};
  EXPECT_EQ(code_of(tenant_state_from_json(bad_presence)), errc::internal);
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

/// store_sim writes what the engine keeps of `sim` into `db`: the tenant
/// snapshot (`tenant_json`), every kept key, the conversations' snapshots
/// and the journal's keys.
void store_sim(store& db, const tenant_sim& sim, const nlohmann::json& tenant_json,
               bool with_kept) {
  rocksdb::WriteBatch b;
  b.Put(keys::tenant("acme"), encode_snapshot(tenant_json.dump()));
  if (with_kept) {
    for (const auto& [k, v] : sim.kept) {
      b.Put(k, v);
    }
  } else {
    for (const auto& [id, c] : sim.contacts) {
      nlohmann::json j;
      to_json(j, c);
      b.Put(keys::contact("acme", id), encode_snapshot(j.dump()));
    }
  }
  for (const auto& [id, c] : sim.conversations) {
    b.Put(keys::conversation("acme", id), encode_snapshot(to_json(c).dump()));
  }
  ASSERT_TRUE(db.write(b, false));
}

TEST(TenantSnapshot, LoadTenantFromStoreRebuildsIndexes) {
  auto sim = busy_sim();
  temp_dir dir;
  auto db = store::open(dir.path());
  ASSERT_TRUE(db) << db.error().message;
  store_sim(**db, sim, to_json(sim.tenant), false);

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

/// expect_same_derived compares every derived index of two cores.
void expect_same_derived(const tenant_state& live, const tenant_state& back) {
  expect_same_indexes(live, back);
  EXPECT_EQ(sorted(back.outbound), sorted(live.outbound));
  EXPECT_EQ(sorted(back.provider_ids), sorted(live.provider_ids));
  EXPECT_EQ(sorted(back.portfolio_by_code), sorted(live.portfolio_by_code));
  EXPECT_EQ(sorted(back.contact_portfolios), sorted(live.contact_portfolios));
  EXPECT_EQ(back.queue, live.queue);
  EXPECT_EQ(back.held, live.held);
  ASSERT_EQ(back.windows.size(), live.windows.size());
  for (const auto& [k, w] : live.windows) {
    ASSERT_TRUE(back.windows.contains(k)) << k;
    EXPECT_EQ(back.windows.at(k).inbound, w.inbound) << k;
    EXPECT_EQ(back.windows.at(k).closed, w.closed) << k;
  }
  for (const auto& [id, c] : live.conversations) {
    const auto& r = back.conversations.at(id);
    EXPECT_EQ(r.portfolio, c.portfolio) << id;
    EXPECT_EQ(r.held, c.held) << id;
    EXPECT_EQ(r.waiting_since, c.waiting_since) << id;
  }
}

/// with_checkpoint stores `sim` and the core checkpoint of `core` (at the
/// journal's next seq unless `seq` says otherwise) by build `b`; returns
/// the core as a load without a checkpoint sees it.
tenant_state with_checkpoint(store& db, const tenant_sim& sim,
                             tenant_state core, std::string_view b,
                             std::optional<std::uint64_t> seq = {}) {
  store_sim(db, sim, to_json(sim.tenant), false);
  auto plain = load_tenant(db, "acme");
  EXPECT_TRUE(plain);
  core.next_seq = seq.value_or(plain->next_seq);
  rocksdb::WriteBatch b2;
  put_core_checkpoint(b2, "acme", encode_core_checkpoint(core, b));
  EXPECT_TRUE(db.write(b2, false));
  return *plain;
}

TEST(CoreCheckpoint, ALoadFromItHasEveryIndexOfTheCoreThatWroteIt) {
  auto sim = busy_sim();
  temp_dir dir;
  auto db = store::open(dir.path());
  ASSERT_TRUE(db);
  auto plain = with_checkpoint(**db, sim, sim.tenant, "build-1");
  auto loaded = load_tenant(**db, "acme", "build-1");
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(to_json(*loaded), to_json(sim.tenant));
  expect_same_derived(sim.tenant, *loaded);
  // The snapshots rebuild the same indexes.
  expect_same_derived(sim.tenant, plain);
}

TEST(CoreCheckpoint, ALargeOneIsStoredInPiecesThatReplaceTheLastOnes) {
  temp_dir dir;
  auto db = store::open(dir.path());
  ASSERT_TRUE(db);
  auto count_pieces = [&] {
    int n = 0;
    EXPECT_TRUE((*db)->scan(keys::core_prefix("acme"),
                            [&](std::string_view, std::string_view v) {
                              EXPECT_LE(v.size(), std::size_t{1} << 20);
                              ++n;
                              return true;
                            }));
    return n;
  };
  rocksdb::WriteBatch big;
  put_core_checkpoint(big, "acme", std::string((5u << 20) / 2, 'x'));
  ASSERT_TRUE((*db)->write(big, false));
  EXPECT_EQ(count_pieces(), 3);
  rocksdb::WriteBatch small;
  put_core_checkpoint(small, "acme", "yz");
  ASSERT_TRUE((*db)->write(small, false));
  EXPECT_EQ(count_pieces(), 1);
  EXPECT_EQ(**(*db)->get(keys::core("acme", 0)), "yz");
}

TEST(CoreCheckpoint, IsNotUsedWhenTheJournalMovedOnOrByAnotherBuildOrDamaged) {
  auto sim = busy_sim();
  // A checkpoint that says something the snapshots do not: whether it was
  // used shows.
  auto marked = sim.tenant;
  marked.conversations["marked"] = conversation_summary{};
  auto used = [&](std::string_view written_by, std::string_view read_by,
                  std::optional<std::uint64_t> seq, bool damage) {
    temp_dir dir;
    auto db = store::open(dir.path());
    EXPECT_TRUE(db);
    with_checkpoint(**db, sim, marked, written_by, seq);
    if (damage) {
      auto bytes = (*db)->get(keys::core("acme", 0));
      auto v = **bytes;
      v[v.size() / 2] = static_cast<char>(v[v.size() / 2] ^ 4);
      rocksdb::WriteBatch b;
      b.Put(keys::core("acme", 0), v);
      EXPECT_TRUE((*db)->write(b, false));
    }
    auto loaded = load_tenant(**db, "acme", read_by);
    EXPECT_TRUE(loaded);
    expect_same_indexes(sim.tenant, [&] {
      auto x = *loaded;
      x.conversations.erase("marked");
      return x;
    }());
    return loaded->conversations.contains("marked");
  };
  EXPECT_TRUE(used("build-1", "build-1", std::nullopt, false));
  EXPECT_FALSE(used("build-1", "build-2", std::nullopt, false));
  EXPECT_FALSE(used("build-1", "", std::nullopt, false));
  EXPECT_FALSE(used("build-1", "build-1", std::uint64_t{1000}, false));
  EXPECT_FALSE(used("build-1", "build-1", std::nullopt, true));
}

// ---- entity snapshots: the binary form and the JSON one before it ----------

TEST(EntitySnapshot, ConversationsAndContactsReadBackFromEitherForm) {
  auto sim = busy_sim();
  ASSERT_FALSE(sim.conversations.empty());
  for (const auto& [id, c] : sim.conversations) {
    auto binary = decode_conversation(encode_conversation(c));
    ASSERT_TRUE(binary) << binary.error().message;
    EXPECT_EQ(*binary, c) << id;
    auto json = decode_conversation(encode_snapshot(to_json(c).dump()));
    ASSERT_TRUE(json) << json.error().message;
    EXPECT_EQ(*json, c) << id;
    EXPECT_TRUE(same_entity(encode_conversation(c),
                            encode_snapshot(to_json(c).dump())));
  }
  for (const auto& [id, k] : sim.contacts) {
    auto binary = decode_contact(encode_contact(k));
    ASSERT_TRUE(binary) << binary.error().message;
    EXPECT_EQ(*binary, k) << id;
    nlohmann::json j;
    to_json(j, k);
    auto json = decode_contact(encode_snapshot(j.dump()));
    ASSERT_TRUE(json);
    EXPECT_EQ(*json, k) << id;
  }
}

TEST(EntitySnapshot, ADifferentEntityOrADamagedSnapshotIsNotTheSame) {
  auto sim = busy_sim();
  auto it = sim.conversations.begin();
  auto a = it->second;
  auto b = a;
  b.assignee = "someone-else";
  EXPECT_FALSE(same_entity(encode_conversation(a), encode_conversation(b)));
  EXPECT_FALSE(same_entity(encode_conversation(a),
                           encode_snapshot(to_json(b).dump())));
  auto bytes = encode_conversation(a);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x10);
    auto back = decode_conversation(damaged);
    ASSERT_FALSE(back) << "byte " << i;
    EXPECT_EQ(back.error().code, errc::internal);
  }
  // A contact is not a conversation, nor the other way round.
  EXPECT_FALSE(decode_conversation(encode_contact(sim.contacts.begin()->second)));
  EXPECT_FALSE(decode_contact(bytes));
}

/// The bytes of both layouts are pinned (tests/actors/golden/entities.hex,
/// one `<label> <hex>` per line); ATENDE_UPDATE_GOLDEN=1 rewrites the file
/// after a change made on purpose, which must come with a new layout byte.
TEST(EntitySnapshot, TheBinaryFormIsPinned) {
  conversation_state c;
  c.id = "c12";
  c.contact = "k3";
  c.channel = "wa";
  c.team = "vendas";
  c.assignee = "ana";
  c.status = "open";
  c.origin = "inbound";
  c.created_at = 1763730300000;
  c.last_activity_at = 1763730360000;
  c.last_inbound_at = 1763730300000;
  c.waiting_since = 1763730300000;
  c.portfolio = "vip";
  c.held = true;
  c.messages = 3;
  c.sent_by_key = {{"key-1", "m2"}};
  c.outbound = {{"m2", "delivered"}};
  c.provider_ids = {{"m2", "wamid.out"}};
  c.inbound_ids = {{"m1", "wamid.in"}};
  c.window_closed_at = -1;
  contact k{.id = "k3", .name = "Maria José", .phone = "5511988887777",
            .tags = {"vip", "lead"}, .stage = "won", .departments = {"sac"},
            .portfolios = {"p1"}};
  const std::vector<std::pair<std::string, std::string>> actual{
      {"conversation", encode_conversation(c)},
      {"contact", encode_contact(k)},
      {"empty-conversation", encode_conversation(conversation_state{})},
  };
  const auto path =
      std::string{ATENDE_SOURCE_DIR} + "/tests/actors/golden/entities.hex";
  auto hex = [](std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char x : bytes) {
      out += digits[x >> 4];
      out += digits[x & 15];
    }
    return out;
  };
  if (std::getenv("ATENDE_UPDATE_GOLDEN") != nullptr) {
    std::ofstream out{path};
    out << "# entity snapshots (actors/snapshot.h); see "
           "tests/actors/snapshot_test.cc\n";
    for (const auto& [label, bytes] : actual) {
      out << label << ' ' << hex(bytes) << '\n';
    }
  }
  std::ifstream in{path};
  std::map<std::string, std::string> pinned;
  std::string label, text;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    auto space = line.find(' ');
    pinned[line.substr(0, space)] = line.substr(space + 1);
  }
  ASSERT_EQ(pinned.size(), actual.size()) << path;
  for (const auto& [label, bytes] : actual) {
    EXPECT_EQ(hex(bytes), pinned[label]) << label;
  }
  EXPECT_EQ(*decode_conversation(actual[0].second), c);
  EXPECT_EQ(*decode_contact(actual[1].second), k);
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

/// previous_form renders the tenant snapshot as format 1 wrote it: the
/// configuration with presence, round-robin turns and the next seq inside.
nlohmann::json previous_form(const tenant_state& t) {
  auto j = to_json(t);
  auto presence = nlohmann::json::object();
  for (const auto& [id, p] : t.presence) {
    presence[id] = to_json(p);
  }
  j["presence"] = presence;
  j["round_robin_turn"] = t.round_robin_turn;
  j["next_seq"] = t.next_seq;
  return j;
}

TEST(TenantSnapshot, PresenceTurnsAndSequenceAreStoredApartAndLoaded) {
  auto sim = busy_sim();
  ASSERT_FALSE(sim.tenant.presence.empty());
  ASSERT_TRUE(sim.kept.contains(keys::presence("acme", "ana")));
  temp_dir dir;
  auto db = store::open(dir.path());
  ASSERT_TRUE(db);
  store_sim(**db, sim, to_json(sim.tenant), true);
  rocksdb::WriteBatch journal;
  journal.Put(keys::journal("acme", sim.journal.back().seq), "entry");
  ASSERT_TRUE((*db)->write(journal, false));

  auto loaded = load_tenant(**db, "acme");
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->presence, sim.tenant.presence);
  EXPECT_EQ(loaded->round_robin_turn, sim.tenant.round_robin_turn);
  EXPECT_EQ(loaded->next_seq, sim.tenant.next_seq);
  expect_same_indexes(sim.tenant, *loaded);
}

TEST(TenantSnapshot, ThePreviousFormIsReadAndUpgraded) {
  auto sim = busy_sim();
  temp_dir dir;
  {
    auto db = store::open(dir.path());
    ASSERT_TRUE(db);
    store_sim(**db, sim, previous_form(sim.tenant), false);
    rocksdb::WriteBatch b;
    b.Put(store::format_key, store::previous_format);
    ASSERT_TRUE((*db)->write(b, true));
  }
  auto db = store::open(dir.path());
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE((*db)->needs_upgrade());
  // Read as it is: no journal key, so the seq comes from the snapshot.
  auto before = load_tenant(**db, "acme");
  ASSERT_TRUE(before) << before.error().message;
  EXPECT_EQ(before->presence, sim.tenant.presence);
  EXPECT_EQ(before->round_robin_turn, sim.tenant.round_robin_turn);
  EXPECT_EQ(before->next_seq, sim.tenant.next_seq);

  ASSERT_TRUE(upgrade(**db));
  EXPECT_FALSE((*db)->needs_upgrade());
  auto format = (*db)->get(store::format_key);
  ASSERT_TRUE(format && format->has_value());
  EXPECT_EQ(**format, store::format_version);
  auto t = (*db)->get(keys::tenant("acme"));
  ASSERT_TRUE(t && t->has_value());
  auto rec = decode_record(**t);
  ASSERT_TRUE(rec);
  EXPECT_EQ(nlohmann::json::parse(rec->payload), to_json(sim.tenant));
  for (const auto& [id, p] : sim.tenant.presence) {
    auto v = (*db)->get(keys::presence("acme", id));
    ASSERT_TRUE(v && v->has_value()) << id;
    EXPECT_EQ(**v, sim.kept.at(keys::presence("acme", id))) << id;
  }
  auto after = load_tenant(**db, "acme");
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->presence, sim.tenant.presence);
  // The upgrade is done once: a current store is left alone.
  ASSERT_TRUE(upgrade(**db));
}

} // namespace
} // namespace atende

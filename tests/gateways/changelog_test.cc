// changelog: the records a partition's state is rebuilt from on a new owner.
#include <gtest/gtest.h>

#include <rocksdb/write_batch.h>

#include "actors/store.h"
#include "events/codec.h"
#include "gateways/changelog.h"

namespace {

using namespace atende;
namespace cl = atende::changelog;

cl::stored part(std::uint64_t offset, std::uint64_t gen, std::uint64_t cycle,
                std::uint32_t i, std::uint32_t n, std::string payload) {
  cl::stored s;
  s.offset = offset;
  s.h = {cl::kind::part, gen, cycle, i, n, 0};
  s.payload = std::move(payload);
  return s;
}

cl::stored takeover(std::uint64_t offset, std::uint64_t gen,
                    std::uint64_t through) {
  cl::stored s;
  s.offset = offset;
  s.h = {cl::kind::takeover, gen, 0, 0, 0, through};
  return s;
}

std::vector<std::string> payloads(const cl::plan& p) {
  std::vector<std::string> out;
  for (const auto& c : p.cycles) {
    for (const auto& r : c.reps) {
      out.push_back(r);
    }
  }
  return out;
}

TEST(Changelog, ARecordDecodesToWhatWasEncoded) {
  cl::header h{cl::kind::part, 7, 42, 1, 3, 0};
  auto v = cl::encode(h, "payload");
  auto d = cl::decode(v);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->h.gen, 7u);
  EXPECT_EQ(d->h.cycle, 42u);
  EXPECT_EQ(d->h.part, 1u);
  EXPECT_EQ(d->h.parts, 3u);
  EXPECT_EQ(d->payload, "payload");
  EXPECT_FALSE(cl::decode("not a record").has_value());
  v[5] = 9; // kind
  EXPECT_FALSE(cl::decode(v).has_value());
}

TEST(Changelog, ABigCycleIsSplitIntoPartsThatTogetherWriteTheSame) {
  rocksdb::WriteBatch b;
  for (int i = 0; i < 1000; ++i) {
    b.Put("k" + std::to_string(i), std::string(100, 'x'));
  }
  auto parts = cl::split(b.Data(), 4096);
  ASSERT_TRUE(parts.has_value());
  EXPECT_GT(parts->size(), 20u);
  std::uint32_t count = 0;
  for (const auto& rep : *parts) {
    rocksdb::WriteBatch p{rep};
    count += p.Count();
    EXPECT_LE(rep.size(), 4096u + 200u);
  }
  EXPECT_EQ(count, 1000u);
  auto whole = cl::split(b.Data(), 1u << 20);
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->size(), 1u);
}

TEST(Changelog, OnlyCompleteCyclesAreRestoredInOrder) {
  std::vector<cl::stored> rs = {part(0, 1, 0, 0, 1, "a"),
                                part(1, 1, 1, 0, 2, "b1"),
                                part(2, 1, 1, 1, 2, "b2"),
                                part(3, 1, 2, 0, 2, "c1")}; // c2 never came
  auto p = cl::plan_restore(rs);
  EXPECT_EQ(payloads(p), (std::vector<std::string>{"a", "b1", "b2"}));
  EXPECT_EQ(p.next_gen, 2u);
}

TEST(Changelog, RecordsAnOlderOwnerWritesAfterATakeoverAreVoid) {
  // Owner 1 wrote cycles 0 and 1; owner 2 restored through offset 2 and took
  // over at offset 3; owner 1, not knowing, wrote cycle 2 at offset 2 (after
  // owner 2 read the end) and cycle 3 at offset 5.
  std::vector<cl::stored> rs = {part(0, 1, 0, 0, 1, "a"),
                                part(1, 1, 1, 0, 1, "b"),
                                part(2, 1, 2, 0, 1, "zombie1"),
                                takeover(3, 2, 2),
                                part(4, 2, 0, 0, 1, "c"),
                                part(5, 1, 3, 0, 1, "zombie2")};
  auto p = cl::plan_restore(rs);
  EXPECT_EQ(payloads(p), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(p.next_gen, 3u);
}

TEST(Changelog, OutputsAreTheJournalEntriesAndOutboxRecordsOfACycle) {
  event e;
  e.seq = 5;
  e.tenant = "acme";
  e.at = 1;
  e.actor = "system";
  tenant_created tc;
  tc.tenant.id = "acme";
  tc.tenant.name = "Acme";
  tc.admin.id = "admin";
  e.data = tc;
  rocksdb::WriteBatch b;
  b.Put(keys::journal("acme", 5), encode_event(e));
  b.Put(keys::outbox("acme", 5), R"({"id":"acme:5"})");
  b.Put(keys::tenant("acme"), "snapshot");
  auto o = cl::outputs_of(b.Data());
  ASSERT_TRUE(o.has_value());
  ASSERT_EQ(o->events.size(), 1u);
  EXPECT_EQ(o->events[0].tenant, "acme");
  EXPECT_EQ(o->events[0].value, to_json(e).dump());
  ASSERT_EQ(o->outbound.size(), 1u);
  EXPECT_EQ(o->outbound[0].tenant, "acme");
  EXPECT_EQ(o->outbound[0].value, R"({"id":"acme:5"})");
}

} // namespace

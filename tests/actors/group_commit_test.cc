// group_commit_test: the shard's group commit (actors/group_commit.*) over a
// real RocksDB store: every written cycle reaches the sink once, in the
// order written, only after an fsync that came after its write; one fsync
// covers every cycle written before it; stopping reports what was pushed.
#include "actors/group_commit.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/write_batch.h>

#include "tests/actors/harness.h"

namespace atende {
namespace {

using namespace atende::testing;

/// order_sink: the offsets of the inputs it was told of, in order, and how
/// many fsyncs had finished before each.
class order_sink : public commit_sink {
public:
  explicit order_sink(const shard_probe& probe) : probe_(probe) {}
  void committed(std::uint32_t, const std::vector<event>&,
                 std::vector<committed_input> inputs,
                 std::string_view writes) override {
    std::lock_guard g{mu_};
    for (const auto& i : inputs) {
      offsets.push_back(i.offset);
      syncs_before.push_back(probe_.wal_sync_latency.count.load());
    }
    writes_seen.emplace_back(writes);
  }
  std::mutex mu_;
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint64_t> syncs_before;
  std::vector<std::string> writes_seen;

private:
  const shard_probe& probe_;
};

group_commit::cycle written_cycle(store& db, std::uint64_t offset) {
  rocksdb::WriteBatch b;
  b.Put("z/" + keys::fixed64be(offset), "v");
  EXPECT_TRUE(db.write(b, false));
  group_commit::cycle c;
  c.inputs.push_back({offset, outcome{}});
  c.writes = b.Data();
  c.next = {offset + 1};
  c.started = std::chrono::steady_clock::now();
  return c;
}

/// GroupCommit: a fresh store, a probe and a sink that records the order.
class GroupCommit : public ::testing::Test {
protected:
  void SetUp() override {
    auto opened = store::open(dir.path());
    ASSERT_TRUE(opened) << opened.error().message;
    db = std::move(*opened);
  }
  temp_dir dir;
  std::unique_ptr<store> db;
  shard_probe probe;
  order_sink sink{probe};
};

TEST_F(GroupCommit, TellsTheSinkOfEveryCycleOnceInTheOrderWrittenAfterAnFsync) {
  constexpr std::uint64_t cycles = 500;
  {
    std::mutex mu;
    std::size_t delivered = 0;
    group_commit gc{*db, sink, 0, &probe, true, [&](std::size_t n) {
                      std::lock_guard g{mu};
                      delivered += n;
                    }};
    for (std::uint64_t i = 0; i < cycles; ++i) {
      gc.push(written_cycle(*db, i));
    }
  } // the destructor reports everything pushed
  ASSERT_EQ(sink.offsets.size(), cycles);
  for (std::uint64_t i = 0; i < cycles; ++i) {
    EXPECT_EQ(sink.offsets[i], i);
    // Never told before an fsync that followed its write.
    EXPECT_GE(sink.syncs_before[i], 1u) << i;
  }
  EXPECT_EQ(probe.commits.load(), cycles);
  EXPECT_EQ(probe.next_offset.load(), cycles);
  // 500 cycles pushed faster than an fsync: they shared fsyncs.
  EXPECT_LT(probe.wal_sync_latency.count.load(), cycles);
  EXPECT_GE(probe.wal_sync_latency.count.load(), 1u);
}

TEST_F(GroupCommit, WithoutSyncNoFsyncRunsAndTheOrderIsTheSame) {
  {
    group_commit gc{*db, sink, 0, &probe, false, {}};
    for (std::uint64_t i = 0; i < 50; ++i) {
      gc.push(written_cycle(*db, i));
    }
  }
  ASSERT_EQ(sink.offsets.size(), 50u);
  for (std::uint64_t i = 0; i < 50; ++i) {
    EXPECT_EQ(sink.offsets[i], i);
  }
  EXPECT_EQ(probe.wal_sync_latency.count.load(), 0u);
}

TEST_F(GroupCommit, ACycleIsReadableByTheNextBeforeItIsDurable) {
  // The shard's next cycle reads what the previous one wrote (passivated
  // entities come back from their snapshots) while its fsync is pending.
  auto c = written_cycle(*db, 7);
  auto got = db->get("z/" + keys::fixed64be(7));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->value_or(""), "v");
}

} // namespace
} // namespace atende

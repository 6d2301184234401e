// store_test: the RocksDB store (actors/store.*) — the key layout's ordering
// and prefix isolation, get/scan/last_key, atomic batches, read-only opens.
#include "actors/store.h"

#include <gtest/gtest.h>
#include <rocksdb/write_batch.h>

#include "tests/actors/harness.h"

namespace atende {
namespace {

using namespace atende::testing;

std::unique_ptr<store> open_store(const std::string& dir,
                                  store::mode m = store::mode::read_write) {
  auto db = store::open(dir, m);
  EXPECT_TRUE(db) << db.error().message;
  return db ? std::move(*db) : nullptr;
}

void put_all(store& db, const std::vector<std::string>& keys) {
  rocksdb::WriteBatch b;
  for (const auto& k : keys) {
    b.Put(k, "v:" + k);
  }
  auto w = db.write(b, false);
  ASSERT_TRUE(w) << w.error().message;
}

std::vector<std::string> scan_keys(const store& db, std::string_view prefix,
                                   std::string_view start = {}) {
  std::vector<std::string> out;
  auto r = db.scan(
      prefix,
      [&](std::string_view k, std::string_view) {
        out.emplace_back(k);
        return true;
      },
      start);
  EXPECT_TRUE(r);
  return out;
}

// ---- key layout ---------------------------------------------------------

TEST(StoreKeys, Fixed64BigEndianRoundTripsAndSortsLikeNumbers) {
  const std::vector<std::uint64_t> values{
      0, 1, 255, 256, 65535, 65536, 1u << 31, 1ull << 40, ~0ull};
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto enc = keys::fixed64be(values[i]);
    EXPECT_EQ(enc.size(), 8u);
    EXPECT_EQ(keys::read_fixed64be(enc), values[i]);
    if (i > 0) {
      EXPECT_LT(keys::fixed64be(values[i - 1]), enc) << values[i];
    }
  }
}

TEST(StoreKeys, JournalKeysSortBySeq) {
  EXPECT_LT(keys::journal("acme", 2), keys::journal("acme", 10));
  EXPECT_LT(keys::journal("acme", 255), keys::journal("acme", 256));
  EXPECT_LT(keys::journal("acme", 65535), keys::journal("acme", 65536));
  EXPECT_TRUE(
      keys::journal("acme", 7).starts_with(keys::journal_prefix("acme")));
  EXPECT_FALSE(
      keys::journal("acme2", 7).starts_with(keys::journal_prefix("acme")));
}

TEST(StoreKeys, LogKeysSortByOffsetWithinPartition) {
  EXPECT_LT(keys::log(0, 9), keys::log(0, 10));
  EXPECT_LT(keys::log(0, 255), keys::log(0, 256));
  EXPECT_LT(keys::log(0, ~0ull), keys::log(1, 0));
  EXPECT_TRUE(keys::log(3, 1).starts_with(keys::log_prefix(3)));
  EXPECT_FALSE(keys::log(3, 1).starts_with(keys::log_prefix(2)));
  EXPECT_FALSE(keys::log(256, 1).starts_with(keys::log_prefix(1)));
}

TEST(StoreKeys, ConversationPrefixesDoNotMatchLongerIds) {
  EXPECT_FALSE(keys::by_conversation("acme", "c10", 1)
                   .starts_with(keys::by_conversation_prefix("acme", "c1")));
  EXPECT_TRUE(keys::by_conversation("acme", "c1", 1)
                  .starts_with(keys::by_conversation_prefix("acme", "c1")));
  // Snapshots of contacts and conversations of one tenant stay apart from
  // another tenant whose id extends it.
  EXPECT_FALSE(keys::conversation("acme2", "c1")
                   .starts_with(keys::conversation_prefix("acme")));
  EXPECT_FALSE(keys::contact("acme", "k1")
                   .starts_with(keys::conversation_prefix("acme")));
}

TEST(StoreKeys, KindsHaveDistinctPrefixes) {
  std::vector<std::string> ks{
      keys::log(0, 0),          keys::offset(0),
      keys::tenant("acme"),     keys::contact("acme", "k"),
      keys::journal("acme", 1), keys::by_conversation("acme", "c", 1),
      keys::seen("acme", "w")};
  for (std::size_t i = 0; i < ks.size(); ++i) {
    for (std::size_t j = i + 1; j < ks.size(); ++j) {
      EXPECT_NE(ks[i].substr(0, 2), ks[j].substr(0, 2)) << i << " vs " << j;
    }
  }
  EXPECT_EQ(keys::conversation("acme", "c").substr(0, 2), "s/");
}

// ---- the database -------------------------------------------------------

TEST(Store, GetOfAbsentKeyIsNullopt) {
  temp_dir dir;
  auto db = open_store(dir.path());
  auto v = db->get("nothing");
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->has_value());
}

TEST(Store, ScanWalksJournalInSeqOrder) {
  temp_dir dir;
  auto db = open_store(dir.path());
  // Written out of order, across byte boundaries of the seq.
  put_all(*db, {keys::journal("acme", 256), keys::journal("acme", 2),
                keys::journal("acme", 255), keys::journal("acme", 1),
                keys::journal("acme2", 1), keys::journal("acm", 3)});
  std::vector<std::uint64_t> seqs;
  auto prefix = keys::journal_prefix("acme");
  for (const auto& k : scan_keys(*db, prefix)) {
    seqs.push_back(
        keys::read_fixed64be(std::string_view{k}.substr(prefix.size())));
  }
  EXPECT_EQ(seqs, (std::vector<std::uint64_t>{1, 2, 255, 256}));
}

TEST(Store, ScanWalksLogInOffsetOrderFromStart) {
  temp_dir dir;
  auto db = open_store(dir.path());
  put_all(*db, {keys::log(0, 300), keys::log(0, 5), keys::log(0, 256),
                keys::log(1, 0), keys::log(0, 6)});
  auto from6 = scan_keys(*db, keys::log_prefix(0), keys::log(0, 6));
  EXPECT_EQ(from6, (std::vector<std::string>{keys::log(0, 6), keys::log(0, 256),
                                             keys::log(0, 300)}));
  EXPECT_EQ(scan_keys(*db, keys::log_prefix(0)).size(), 4u);
}

TEST(Store, ScanOfConversationDoesNotSeeLongerIds) {
  temp_dir dir;
  auto db = open_store(dir.path());
  put_all(*db, {keys::by_conversation("acme", "c1", 4),
                keys::by_conversation("acme", "c10", 2),
                keys::by_conversation("acme", "c1", 9),
                keys::by_conversation("acme", "c1x", 1)});
  EXPECT_EQ(scan_keys(*db, keys::by_conversation_prefix("acme", "c1")),
            (std::vector<std::string>{keys::by_conversation("acme", "c1", 4),
                                      keys::by_conversation("acme", "c1", 9)}));
}

TEST(Store, ScanStopsWhenVisitorSaysSo) {
  temp_dir dir;
  auto db = open_store(dir.path());
  put_all(*db, {"p/a", "p/b", "p/c"});
  int seen = 0;
  auto r = db->scan("p/", [&](std::string_view, std::string_view v) {
    EXPECT_TRUE(v.starts_with("v:"));
    return ++seen < 2;
  });
  ASSERT_TRUE(r);
  EXPECT_EQ(seen, 2);
}

TEST(Store, LastKeyIsGreatestKeyWithPrefix) {
  temp_dir dir;
  auto db = open_store(dir.path());
  put_all(*db, {keys::journal("acme", 1), keys::journal("acme", 70000),
                keys::journal("acme", 300), keys::journal("acme2", 99999),
                keys::journal("acmf", 1)});
  auto last = db->last_key(keys::journal_prefix("acme"));
  ASSERT_TRUE(last);
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ(**last, keys::journal("acme", 70000));
  auto none = db->last_key(keys::journal_prefix("zzz"));
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  auto before_all = db->last_key(keys::journal_prefix("a"));
  ASSERT_TRUE(before_all);
  EXPECT_FALSE(before_all->has_value());
}

TEST(Store, LastKeyOfLogWithMaxOffset) {
  temp_dir dir;
  auto db = open_store(dir.path());
  put_all(*db, {keys::log(0, 1), keys::log(0, ~0ull), keys::log(1, 0)});
  auto last = db->last_key(keys::log_prefix(0));
  ASSERT_TRUE(last && last->has_value());
  EXPECT_EQ(**last, keys::log(0, ~0ull));
}

TEST(Store, BatchIsAppliedWhole) {
  temp_dir dir;
  auto db = open_store(dir.path());
  put_all(*db, {"a", "b"});
  rocksdb::WriteBatch b;
  b.Put("c", "3");
  b.Delete("a");
  b.Put("b", "2");
  ASSERT_TRUE(db->write(b, true));
  EXPECT_FALSE(db->get("a")->has_value());
  EXPECT_EQ(db->get("b")->value(), "2");
  EXPECT_EQ(db->get("c")->value(), "3");
}

TEST(Store, DataSurvivesReopen) {
  temp_dir dir;
  {
    auto db = open_store(dir.path());
    put_all(*db, {keys::offset(0)});
  }
  auto db = open_store(dir.path());
  EXPECT_EQ(db->get(keys::offset(0))->value(), "v:" + keys::offset(0));
}

TEST(Store, ReadOnlyOpenSeesDataAndRefusesWrites) {
  temp_dir dir;
  auto rw = open_store(dir.path());
  put_all(*rw, {"k1", "k2"});
  // A replay opens the live data read-only while the engine holds it.
  auto ro = open_store(dir.path(), store::mode::read_only);
  ASSERT_NE(ro, nullptr);
  EXPECT_EQ(ro->get("k1")->value(), "v:k1");
  rocksdb::WriteBatch b;
  b.Put("k3", "x");
  b.Put("k1", "changed");
  auto w = ro->write(b, false);
  EXPECT_EQ(code_of(w), errc::internal);
  // Nothing of the refused batch is visible, to either handle.
  EXPECT_FALSE(rw->get("k3")->has_value());
  EXPECT_EQ(rw->get("k1")->value(), "v:k1");
  EXPECT_FALSE(ro->get("k3")->has_value());
}

TEST(Store, ReadOnlyOpenOfMissingDatabaseFails) {
  temp_dir dir;
  auto db = store::open(dir.sub("missing"), store::mode::read_only);
  EXPECT_EQ(code_of(db), errc::internal);
}

TEST(Store, SecondReadWriteOpenOfSameDirectoryFails) {
  temp_dir dir;
  auto first = open_store(dir.path());
  auto second = store::open(dir.path());
  EXPECT_EQ(code_of(second), errc::internal);
}

} // namespace
} // namespace atende

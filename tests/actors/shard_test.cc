// shard_test: the partition shard and the tenant actor under CAF
// (actors/shard.*, tenant_actor.*, entity_actor.h) against a real RocksDB
// store: outcomes per offset, duplicates, the committed offset and journal,
// the journal's hash chain, restarts and crashes (exactly once), and "replay
// equals live".
//
// No sleeps: the test waits on a condition variable that the commit sink
// signals; the shard is woken with wake_atom as the gateways do.
#include "actors/shard.h"

#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>

#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rocksdb/write_batch.h>

#include "actors/messages.h"
#include "actors/snapshot.h"
#include "actors/tenant_actor.h"
#include "events/chain.h"
#include "events/codec.h"
#include "events/json.h"
#include "tests/actors/harness.h"

namespace atende {
namespace {

using namespace atende::testing;
using status = outcome::status;

// ---- test doubles -----------------------------------------------------------

/// vector_source: a log in memory; offset i is the i-th appended value.
class vector_source : public record_source {
public:
  void append(std::string value) {
    std::lock_guard lock{mu_};
    values_.push_back(std::move(value));
  }
  void append(const input& in) { append(encode_input(in).dump()); }
  void append(const std::vector<input>& ins) {
    for (const auto& in : ins) {
      append(in);
    }
  }
  std::uint64_t size() const {
    std::lock_guard lock{mu_};
    return values_.size();
  }

  result<std::vector<log_record>>
  read(std::uint32_t partition, std::uint32_t stream, std::uint64_t from,
       std::size_t max) override {
    std::lock_guard lock{mu_};
    std::vector<log_record> out;
    for (auto o = from; o < values_.size() && out.size() < max; ++o) {
      log_record r;
      r.partition = partition;
      r.stream = stream;
      r.offset = o;
      r.value = values_[o];
      out.push_back(std::move(r));
    }
    return out;
  }

private:
  mutable std::mutex mu_;
  std::vector<std::string> values_;
};

/// recording_sink: keeps what the shard committed and lets the test wait
/// until a given offset is committed.
class recording_sink : public commit_sink {
public:
  void committed(std::uint32_t, const std::vector<event>& events,
                 std::vector<committed_input> inputs,
                 std::string_view) override {
    std::lock_guard lock{mu_};
    for (const auto& e : events) {
      events_.push_back(e);
    }
    for (auto& i : inputs) {
      offsets_.push_back(i.offset);
      next_ = std::max(next_, i.offset + 1);
      outcomes_[i.offset] = std::move(i.out);
    }
    cv_.notify_all();
  }

  /// wait_until returns once every offset below `next` is committed.
  [[nodiscard]] bool wait_until(std::uint64_t next) {
    std::unique_lock lock{mu_};
    return cv_.wait_for(lock, std::chrono::seconds{20},
                        [&] { return next_ >= next; });
  }

  outcome at(std::uint64_t offset) {
    std::lock_guard lock{mu_};
    auto it = outcomes_.find(offset);
    if (it == outcomes_.end()) {
      ADD_FAILURE() << "no outcome for offset " << offset;
      return {};
    }
    return it->second;
  }
  std::vector<event> events() {
    std::lock_guard lock{mu_};
    return events_;
  }
  std::vector<std::uint64_t> offsets() {
    std::lock_guard lock{mu_};
    return offsets_;
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t next_ = 0;
  std::map<std::uint64_t, outcome> outcomes_;
  std::vector<event> events_;
  std::vector<std::uint64_t> offsets_;
};

/// running_shard: a store, an actor system and one shard over `source`.
/// Destroying it stops the shard and closes the store, like a shutdown.
class running_shard {
public:
  running_shard(const std::string& dir, record_source& source,
                commit_sink& sink, std::size_t max_batch = 2000,
                std::size_t resident = default_resident_entities,
                bool sync = false) {
    auto db = store::open(dir);
    if (!db) {
      ADD_FAILURE() << db.error().message;
      return;
    }
    db_ = std::move(*db);
    cfg_.set("scheduler.max-threads", 2);
    cfg_.set("logger.verbosity", caf::atom("quiet"));
    sys_ = std::make_unique<caf::actor_system>(cfg_);
    shard_config sc;
    sc.db = db_.get();
    sc.source = &source;
    sc.sink = &sink;
    sc.max_batch = max_batch;
    sc.resident_entities = resident;
    sc.sync = sync;
    auto shard = spawn_shard(*sys_, sc);
    if (!shard) {
      ADD_FAILURE() << shard.error().message;
      return;
    }
    shard_ = *shard;
  }

  ~running_shard() {
    if (shard_) {
      caf::anon_send_exit(shard_, caf::exit_reason::user_shutdown);
    }
    shard_ = nullptr;
    sys_.reset();
    db_.reset();
  }

  void wake() { caf::anon_send(shard_, wake_atom_v); }
  store& db() { return *db_; }

private:
  std::unique_ptr<store> db_;
  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  caf::actor shard_;
};

// ---- reading the store back
// ---------------------------------------------------

std::vector<event> journal_of(const store& db, const std::string& tenant) {
  std::vector<event> out;
  auto r = db.scan(keys::journal_prefix(tenant),
                   [&](std::string_view k, std::string_view v) {
                     auto e = decode_event(v);
                     EXPECT_TRUE(e) << e.error().message;
                     if (e) {
                       EXPECT_EQ(k, keys::journal(tenant, e->seq));
                       out.push_back(std::move(*e));
                     }
                     return true;
                   });
  EXPECT_TRUE(r);
  return out;
}

/// contents: every key and value of the database.
std::map<std::string, std::string> contents(const store& db) {
  std::map<std::string, std::string> out;
  auto r = db.scan("", [&](std::string_view k, std::string_view v) {
    out.emplace(k, v);
    return true;
  });
  EXPECT_TRUE(r);
  return out;
}

std::string payload_of(const std::string& record) {
  auto rec = decode_record(record);
  EXPECT_TRUE(rec) << rec.error().message;
  return rec ? std::string{rec->payload} : std::string{};
}

std::map<std::string, std::string> snapshots(const store& db,
                                             const std::string& prefix) {
  std::map<std::string, std::string> out;
  auto r = db.scan(prefix, [&](std::string_view k, std::string_view v) {
    out.emplace(k.substr(prefix.size()), std::string{v});
    return true;
  });
  EXPECT_TRUE(r);
  return out;
}

// ---- inputs
// -------------------------------------------------------------------

/// setup: tenant acme (seq 1), team sales (2), channel wa-main (3), agent ana
/// (4), reason sold (5).
std::vector<input> setup() {
  return {
      make_input("t1", "root", t0, make_tenant()),
      make_input("t2", admin_actor, t0 + 1, create<team>{make_team("sales")}),
      make_input(
          "t3", admin_actor, t0 + 2,
          create<channel>{make_channel("wa-main", "310000000000001", "sales")}),
      make_input("t4", admin_actor, t0 + 3,
                 create<agent>{make_agent("ana", "agent", {"sales"})}),
      make_input("t5", admin_actor, t0 + 4,
                 create<reason>{reason{"sold", "Sold"}}),
  };
}

input message(const std::string& id, const std::string& from, timestamp at,
              const std::string& channel = "wa-main") {
  return make_input(id, "connector", at, inbound(channel, from, id));
}

/// phase1: setup, then Maria writes (contact k6, conversation c7, message m8),
/// João writes, and Maria's first message is redelivered.
std::vector<input> phase1() {
  auto v = setup();
  v.push_back(message("wamid.1", "5531988887777", t0 + 10));
  v.push_back(message("wamid.2", "5511900000001", t0 + 11));
  v.push_back(message("wamid.1", "5531988887777", t0 + 12));
  return v;
}

/// phase2: ana takes and answers Maria (twice with one key), a redelivery,
/// Maria writes without the 9th digit, ana finishes, Maria writes again (a new
/// conversation), a CRM updates João.
std::vector<input> phase2() {
  return {
      make_input("p1", "agent:ana", t0 + 20, conversation_assign{"c7", ""}),
      make_input("p2", "agent:ana", t0 + 21,
                 conversation_send{"c7", "Bom dia", "key-1", std::nullopt, nullptr}),
      make_input("p3", "agent:ana", t0 + 22,
                 conversation_send{"c7", "Bom dia", "key-1", std::nullopt, nullptr}),
      message("wamid.2", "5511900000001", t0 + 23),
      message("wamid.3", "553188887777", t0 + 24),
      make_input("p4", "agent:ana", t0 + 25,
                 conversation_finish{"c7", "sold", "ok"}),
      message("wamid.4", "5531988887777", t0 + 26),
      make_input("crm.1", "connector", t0 + 27,
                 contact_upsert_in{"5511900000001", "João",
                                   std::vector<std::string>{"vip"}, "won",
                                   std::nullopt}),
  };
}

std::vector<input> operator+(std::vector<input> a,
                             const std::vector<input>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// reference: the database after all `inputs` in one uninterrupted run.
std::map<std::string, std::string>
reference(const std::vector<input>& inputs, std::size_t max_batch = 2000,
          std::size_t resident = default_resident_entities,
          bool sync = false) {
  temp_dir dir;
  vector_source source;
  recording_sink sink;
  source.append(inputs);
  running_shard run{dir.path(), source, sink, max_batch, resident, sync};
  EXPECT_TRUE(sink.wait_until(source.size()));
  // The sink hears of every input once, in log order, whatever the cycles
  // and the fsyncs that covered them.
  auto offsets = sink.offsets();
  EXPECT_EQ(offsets.size(), inputs.size());
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    EXPECT_EQ(offsets[i], i);
  }
  return contents(run.db());
}

// ---- outcomes
// -----------------------------------------------------------------

TEST(Shard, CommitsOneOutcomePerOffset) {
  temp_dir dir;
  vector_source source;
  recording_sink sink;
  source.append(setup());                                              // 0..4
  source.append(message("wamid.1", "5531988887777", t0 + 10));         // 5
  source.append(message("wamid.1", "5531988887777", t0 + 10));         // 6
  source.append(std::string{"{not json"});                             // 7
  source.append(message("wamid.2", "5531988887777", t0 + 11, "nope")); // 8
  source.append(make_input("x1", "agent:ana", t0 + 12,
                           create<team>{make_team("x")})); // 9
  source.append(std::string{
      R"({"id":"x2","tenant":"acme","at":"2026-11-21T13:05:00.000Z",)"
      R"("type":"conversation.assign","actor":"agent:ana","data":{}})"}); // 10
  source.append(make_input("x3", "agent:ana", t0 + 13,
                           conversation_assign{"c7", ""})); // 11
  running_shard run{dir.path(), source, sink};
  ASSERT_TRUE(sink.wait_until(source.size()));

  for (std::uint64_t o = 0; o < 5; ++o) {
    EXPECT_EQ(sink.at(o).st, status::accepted) << o;
    EXPECT_EQ(sink.at(o).events.size(), 1u) << o;
  }
  auto first = sink.at(5);
  EXPECT_EQ(first.st, status::accepted);
  EXPECT_EQ(first.conversation, "c7");
  EXPECT_EQ(first.message, "m8");
  // A connector's outcome carries no events (its caller needs only the
  // conversation); the commit has them: contact, conversation, message.
  EXPECT_TRUE(first.events.empty());
  std::vector<event> of_first;
  for (const auto& e : sink.events()) {
    if (e.tenant == "acme" && e.seq >= 6 && e.seq <= 8) {
      of_first.push_back(e);
    }
  }
  ASSERT_EQ(of_first.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<contact_created>(of_first[0].data));
  EXPECT_TRUE(std::holds_alternative<conversation_opened>(of_first[1].data));
  EXPECT_TRUE(std::holds_alternative<message_received>(of_first[2].data));

  auto dup = sink.at(6);
  EXPECT_EQ(dup.st, status::duplicate);
  EXPECT_TRUE(dup.events.empty());

  EXPECT_EQ(sink.at(7).st, status::rejected);
  EXPECT_EQ(sink.at(7).err.code, errc::malformed);
  EXPECT_EQ(sink.at(8).st, status::rejected);
  EXPECT_EQ(sink.at(8).err.code, errc::unknown_reference);
  EXPECT_EQ(sink.at(8).err.field, "data.channel");
  EXPECT_EQ(sink.at(9).err.code, errc::forbidden);
  EXPECT_EQ(sink.at(10).err.code, errc::malformed);
  EXPECT_EQ(sink.at(10).err.field, "data.conversation");
  auto take = sink.at(11);
  EXPECT_EQ(take.st, status::accepted);
  EXPECT_EQ(take.conversation, "c7");

  // The sink saw the offsets in order, each once.
  std::vector<std::uint64_t> expected(source.size());
  for (std::uint64_t o = 0; o < expected.size(); ++o) {
    expected[o] = o;
  }
  EXPECT_EQ(sink.offsets(), expected);
}

TEST(Shard, RepeatedSendKeyIsDuplicateWithTheFirstMessage) {
  temp_dir dir;
  vector_source source;
  recording_sink sink;
  source.append(phase1() + phase2());
  running_shard run{dir.path(), source, sink};
  ASSERT_TRUE(sink.wait_until(source.size()));
  const auto base = phase1().size();
  auto first = sink.at(base + 1);
  auto again = sink.at(base + 2);
  EXPECT_EQ(first.st, status::accepted);
  EXPECT_EQ(again.st, status::duplicate);
  EXPECT_EQ(again.message, first.message);
  EXPECT_FALSE(first.message.empty());
  EXPECT_TRUE(again.events.empty());
}

// ---- duplicates
// ---------------------------------------------------------------

TEST(Shard, DuplicateEnvelopeInLaterCycleChangesNothing) {
  temp_dir dir;
  vector_source source;
  recording_sink sink;
  source.append(phase1());
  running_shard run{dir.path(), source, sink};
  ASSERT_TRUE(sink.wait_until(source.size()));
  auto before = contents(run.db());
  auto journal_before = journal_of(run.db(), "acme");

  source.append(message("wamid.1", "5531988887777", t0 + 99));
  source.append(message("wamid.2", "5511900000001", t0 + 99));
  run.wake();
  ASSERT_TRUE(sink.wait_until(source.size()));
  EXPECT_EQ(sink.at(source.size() - 2).st, status::duplicate);
  EXPECT_EQ(sink.at(source.size() - 1).st, status::duplicate);
  EXPECT_EQ(journal_of(run.db(), "acme").size(), journal_before.size());
  // Only the input offset moved.
  auto after = contents(run.db());
  after.erase(keys::offset(0));
  before.erase(keys::offset(0));
  EXPECT_EQ(after, before);
}

TEST(Shard, RejectedEnvelopeIsNotRememberedAsSeen) {
  temp_dir dir;
  vector_source source;
  recording_sink sink;
  source.append(setup());
  source.append(message("wamid.1", "5531988887777", t0 + 10, "wa-later"));
  running_shard run{dir.path(), source, sink};
  ASSERT_TRUE(sink.wait_until(source.size()));
  EXPECT_EQ(sink.at(5).err.code, errc::unknown_reference);
  // Once the channel exists, the connector's retry is applied.
  source.append(
      make_input("t6", admin_actor, t0 + 11,
                 create<channel>{make_channel("wa-later", "", "sales")}));
  source.append(message("wamid.1", "5531988887777", t0 + 12, "wa-later"));
  run.wake();
  ASSERT_TRUE(sink.wait_until(source.size()));
  EXPECT_EQ(sink.at(7).st, status::accepted);
}

// ---- what a commit leaves in the store
// ------------------------------------------

TEST(Shard, CommitStoresNextOffsetAndConsecutiveJournal) {
  temp_dir dir;
  vector_source source;
  recording_sink sink;
  source.append(phase1() + phase2());
  running_shard run{dir.path(), source, sink, 4}; // several cycles
  ASSERT_TRUE(sink.wait_until(source.size()));

  auto offset = stored_offset(run.db(), 0);
  ASSERT_TRUE(offset);
  EXPECT_EQ(*offset, source.size());
  auto other = stored_offset(run.db(), 1);
  ASSERT_TRUE(other);
  EXPECT_EQ(*other, 0u);

  auto journal = journal_of(run.db(), "acme");
  ASSERT_FALSE(journal.empty());
  for (std::size_t i = 0; i < journal.size(); ++i) {
    EXPECT_EQ(journal[i].seq, i + 1);
    EXPECT_EQ(journal[i].tenant, "acme");
  }
  // The journal holds exactly what the sink was told, in order.
  auto told = sink.events();
  ASSERT_EQ(told.size(), journal.size());
  for (std::size_t i = 0; i < journal.size(); ++i) {
    EXPECT_EQ(to_json(told[i]), to_json(journal[i]));
  }
  // The conversation index lists c7's events, and only those.
  std::vector<std::uint64_t> by_c7;
  auto prefix = keys::by_conversation_prefix("acme", "c7");
  ASSERT_TRUE(run.db().scan(prefix, [&](std::string_view k, std::string_view) {
    by_c7.push_back(keys::read_fixed64be(k.substr(prefix.size())));
    return true;
  }));
  std::vector<std::uint64_t> expected;
  for (const auto& e : journal) {
    if (conversation_of(e.data) == "c7") {
      expected.push_back(e.seq);
    }
  }
  EXPECT_EQ(by_c7, expected);
  EXPECT_GE(by_c7.size(), 6u);
}

TEST(Shard, BatchSizeDoesNotChangeTheResult) {
  auto inputs = phase1() + phase2();
  EXPECT_EQ(reference(inputs, 1), reference(inputs, 2000));
}

TEST(Shard, GroupCommitWithFsyncDoesNotChangeTheResult) {
  // One input per cycle, each cycle written while earlier ones wait for
  // their fsync.
  auto inputs = phase1() + phase2();
  EXPECT_EQ(reference(inputs, 1, default_resident_entities, true),
            reference(inputs, 2000));
}

TEST(Shard, PassivatingIdleEntitiesDoesNotChangeTheResult) {
  // One input per cycle, and at most one entity kept between cycles: every
  // conversation, contact and portfolio is read back from its snapshot.
  auto inputs = phase1() + phase2();
  EXPECT_EQ(reference(inputs, 1, 1), reference(inputs, 2000));
}

// Defined with the distribution tests below.
std::vector<input> distribution();

TEST(Shard, PassivatedPortfoliosAndDistributionComeBackFromTheStore) {
  auto inputs = distribution();
  inputs.push_back(make_input("k1", admin_actor, t0 + 20,
                              create<contact>{make_contact("k1", "Maria",
                                                           "5531988880001")}));
  inputs.push_back(make_input("k2", admin_actor, t0 + 21,
                              portfolio_contacts{"vip", {"k1"}, {}}));
  inputs.push_back(message("wamid.1", "5531988880001", t0 + 22));
  inputs.push_back(message("wamid.2", "5531988880002", t0 + 23));
  inputs.push_back(make_input("r1", "connector", t0 + 24,
                              conversation_route_in{"wa-main", "5531988880004",
                                                    "", "VIP"}));
  inputs.push_back(make_input("k3", admin_actor, t0 + 30,
                              portfolio_contacts{"vip", {"k1"}, {}}));
  EXPECT_EQ(reference(inputs, 1, 1), reference(inputs, 2000));
}

TEST(Shard, ADamagedTenantSnapshotFailsTheLoadOfTheCores) {
  temp_dir dir;
  vector_source source;
  for (auto& in : setup()) {
    source.append(std::move(in));
  }
  {
    recording_sink sink;
    running_shard run{dir.path(), source, sink};
    ASSERT_TRUE(sink.wait_until(source.size()));
    // Damage the tenant snapshot: a load now fails.
    auto t = run.db().get(keys::tenant("acme"));
    ASSERT_TRUE(t && t->has_value());
    auto bytes = **t;
    bytes[bytes.size() / 2] ^= 0x20;
    rocksdb::WriteBatch b;
    b.Put(keys::tenant("acme"), bytes);
    ASSERT_TRUE(run.db().write(b, true));
  }
  auto db = store::open(dir.path());
  ASSERT_TRUE(db);
  // The damage is found when the cores load, before any shard starts.
  auto cores = load_cores(**db, {"acme"});
  ASSERT_FALSE(cores);
  EXPECT_NE(cores.error().message.find("corruption"), std::string::npos)
      << cores.error().message;
}

TEST(Shard, EachTenantHasItsOwnSequence) {
  temp_dir dir;
  vector_source source;
  recording_sink sink;
  source.append(make_input("a1", "root", t0, make_tenant("acme")));
  source.append(make_input("b1", "root", t0, make_tenant("beta"), "beta"));
  source.append(
      make_input("a2", admin_actor, t0 + 1, create<team>{make_team("sales")}));
  source.append(make_input("b2", admin_actor, t0 + 1,
                           create<team>{make_team("sales")}, "beta"));
  source.append(make_input("b3", admin_actor, t0 + 2,
                           create<team>{make_team("support")}, "beta"));
  // Same envelope id in two tenants: not a duplicate.
  source.append(make_input("a3", admin_actor, t0 + 3,
                           create<channel>{make_channel("wa", "1", "sales")}));
  source.append(make_input("b4", admin_actor, t0 + 3,
                           create<channel>{make_channel("wa", "1", "sales")},
                           "beta"));
  source.append(message("wamid.1", "5531988887777", t0 + 4, "wa"));
  auto in_beta = message("wamid.1", "5531988887777", t0 + 4, "wa");
  in_beta.tenant = "beta";
  source.append(in_beta);
  running_shard run{dir.path(), source, sink};
  ASSERT_TRUE(sink.wait_until(source.size()));
  EXPECT_EQ(sink.at(7).st, status::accepted);
  EXPECT_EQ(sink.at(8).st, status::accepted);
  auto a = journal_of(run.db(), "acme");
  auto b = journal_of(run.db(), "beta");
  ASSERT_EQ(a.size(), 6u);
  ASSERT_EQ(b.size(), 7u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].seq, i + 1);
  }
  for (std::size_t i = 0; i < b.size(); ++i) {
    EXPECT_EQ(b[i].seq, i + 1);
  }
}

// ---- the journal's hash chain
// ----------------------------------------------------------

/// in_tenant: `inputs` sent to `tenant` instead (its tenant.create too).
std::vector<input> in_tenant(std::vector<input> inputs,
                             const std::string& tenant) {
  for (auto& in : inputs) {
    in.tenant = tenant;
    if (std::holds_alternative<tenant_create>(in.data)) {
      in.data = make_tenant(tenant);
    }
  }
  return inputs;
}

/// interleaved: acme's and beta's copy of `inputs`, alternating.
std::vector<input> interleaved(const std::vector<input>& inputs) {
  auto beta = in_tenant(inputs, "beta");
  std::vector<input> out;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    out.push_back(inputs[i]);
    out.push_back(beta[i]);
  }
  return out;
}

/// chained_entries checks that `tenant`'s journal is one unbroken hash chain
/// from chain_start, recomputed as an auditor would (chain_next over the
/// stored payloads in seq order), and returns its length. Unchained
/// (version-1) entries may come first; they are counted in `unchained`.
std::size_t chained_entries(const store& db, const std::string& tenant,
                            std::size_t* unchained = nullptr) {
  chain_hash head = chain_start;
  std::size_t chained = 0;
  std::size_t before = 0;
  auto r = db.scan(keys::journal_prefix(tenant),
                   [&](std::string_view, std::string_view v) {
                     auto entry = decode_journal_entry(v);
                     EXPECT_TRUE(entry) << entry.error().message;
                     if (!entry) {
                       return false;
                     }
                     if (!entry->hash) {
                       EXPECT_EQ(chained, 0u) << tenant << ": unchained entry "
                                              << "after a chained one";
                       ++before;
                       return true;
                     }
                     head = chain_next(head, entry->payload);
                     ++chained;
                     EXPECT_EQ(to_hex(*entry->hash), to_hex(head))
                         << tenant << ": link " << chained;
                     return true;
                   });
  EXPECT_TRUE(r);
  if (unchained != nullptr) {
    *unchained = before;
  } else {
    EXPECT_EQ(before, 0u) << tenant;
  }
  return chained;
}

TEST(Shard, JournalEntriesFormAHashChainPerTenant) {
  const auto inputs = interleaved(phase1() + phase2());
  temp_dir dir;
  vector_source source;
  recording_sink sink;
  source.append(inputs);
  running_shard run{dir.path(), source, sink, 3}; // many cycles, both tenants
  ASSERT_TRUE(sink.wait_until(source.size()));
  for (const std::string tenant : {"acme", "beta"}) {
    auto journal = journal_of(run.db(), tenant);
    ASSERT_GE(journal.size(), 15u) << tenant;
    EXPECT_EQ(chained_entries(run.db(), tenant), journal.size()) << tenant;
  }
  // Each cycle continued the chain where the one before left it: the store
  // is the one a single cycle writes.
  EXPECT_EQ(contents(run.db()), reference(inputs, 2000));
}

TEST(Shard, AChainContinuesAcrossARestart) {
  const auto first = interleaved(phase1());
  const auto second = interleaved(phase2());
  temp_dir dir;
  vector_source source;
  std::map<std::string, std::size_t> before;
  {
    recording_sink sink;
    source.append(first);
    running_shard run{dir.path(), source, sink, 4};
    ASSERT_TRUE(sink.wait_until(source.size()));
    for (const std::string tenant : {"acme", "beta"}) {
      before[tenant] = chained_entries(run.db(), tenant);
    }
  }
  recording_sink sink;
  running_shard run{dir.path(), source, sink, 4};
  source.append(second);
  run.wake();
  ASSERT_TRUE(sink.wait_until(source.size()));
  for (const std::string tenant : {"acme", "beta"}) {
    auto n = chained_entries(run.db(), tenant);
    EXPECT_EQ(n, journal_of(run.db(), tenant).size()) << tenant;
    EXPECT_GT(n, before[tenant]) << tenant;
  }
  EXPECT_EQ(contents(run.db()), reference(first + second));
}

TEST(Shard, AChainStartsAfterTheLastUnchainedEntry) {
  temp_dir dir;
  vector_source source;
  {
    recording_sink sink;
    source.append(phase1());
    running_shard run{dir.path(), source, sink};
    ASSERT_TRUE(sink.wait_until(source.size()));
  }
  // A journal written before the chain: the same events, version 1.
  std::size_t old_entries = 0;
  {
    auto db = store::open(dir.path());
    ASSERT_TRUE(db) << db.error().message;
    rocksdb::WriteBatch b;
    ASSERT_TRUE((*db)->scan(keys::journal_prefix("acme"),
                            [&](std::string_view k, std::string_view v) {
                              auto e = decode_event(v);
                              EXPECT_TRUE(e) << e.error().message;
                              if (!e) {
                                return false;
                              }
                              b.Put(k, encode_event(*e));
                              ++old_entries;
                              return true;
                            }));
    ASSERT_TRUE((*db)->write(b, true));
  }
  ASSERT_GT(old_entries, 0u);
  recording_sink sink;
  running_shard run{dir.path(), source, sink};
  source.append(phase2());
  run.wake();
  ASSERT_TRUE(sink.wait_until(source.size()));
  std::size_t unchained = 0;
  auto chained = chained_entries(run.db(), "acme", &unchained);
  EXPECT_EQ(unchained, old_entries);
  EXPECT_EQ(chained, sink.events().size());
  EXPECT_GT(chained, 0u);
}

// ---- restart and crash
// ----------------------------------------------------------

TEST(Shard, RestartResumesAtStoredOffsetAndReappliesNothing) {
  temp_dir dir;
  vector_source source;
  std::map<std::string, std::string> before;
  {
    recording_sink sink;
    source.append(phase1());
    running_shard run{dir.path(), source, sink};
    ASSERT_TRUE(sink.wait_until(source.size()));
    before = contents(run.db());
  }
  const auto old_size = source.size();
  const auto old_keys = before.size();
  recording_sink sink;
  running_shard run{dir.path(), source, sink};
  // Maria again (other form: joins c7) and a new number.
  source.append(message("wamid.9", "553188887777", t0 + 50));
  source.append(message("wamid.10", "5511900000077", t0 + 51));
  run.wake();
  ASSERT_TRUE(sink.wait_until(source.size()));

  // Nothing before the stored offset was read again.
  EXPECT_EQ(sink.offsets(),
            (std::vector<std::uint64_t>{old_size, old_size + 1}));
  auto joined = sink.at(old_size);
  EXPECT_EQ(joined.st, status::accepted);
  EXPECT_EQ(joined.conversation, "c7");
  EXPECT_TRUE(joined.events.empty());
  EXPECT_NE(sink.at(old_size + 1).conversation, "c7");
  // Their events: one message joining c7, then a contact, a conversation and
  // its message for the new number.
  {
    auto all = journal_of(run.db(), "acme");
    ASSERT_GE(all.size(), 4u);
    auto tail = std::vector<event>(all.end() - 4, all.end());
    ASSERT_TRUE(std::holds_alternative<message_received>(tail[0].data));
    EXPECT_EQ(std::get<message_received>(tail[0].data).conversation, "c7");
    EXPECT_TRUE(std::holds_alternative<contact_created>(tail[1].data));
    EXPECT_TRUE(std::holds_alternative<conversation_opened>(tail[2].data));
    EXPECT_TRUE(std::holds_alternative<message_received>(tail[3].data));
  }

  // The journal continues where it was, with no gap and no repeat.
  auto journal = journal_of(run.db(), "acme");
  for (std::size_t i = 0; i < journal.size(); ++i) {
    EXPECT_EQ(journal[i].seq, i + 1);
  }
  auto told = sink.events();
  ASSERT_EQ(told.size(), 4u);
  EXPECT_EQ(told.front().seq, journal.size() - 3);
  // What was committed before the restart is untouched.
  auto after = contents(run.db());
  for (const auto& [k, v] : before) {
    if (k.starts_with("j/") || k.starts_with("d/") || k.starts_with("x/")) {
      EXPECT_EQ(after.at(k), v);
    }
  }
  EXPECT_GT(after.size(), old_keys);
  EXPECT_EQ(*stored_offset(run.db(), 0), source.size());
}

TEST(Shard, RestartWithNothingNewChangesNothing) {
  temp_dir dir;
  vector_source source;
  std::map<std::string, std::string> before;
  {
    recording_sink sink;
    source.append(phase1() + phase2());
    running_shard run{dir.path(), source, sink};
    ASSERT_TRUE(sink.wait_until(source.size()));
    before = contents(run.db());
  }
  recording_sink sink;
  {
    running_shard run{dir.path(), source, sink};
    run.wake();
    // A marker input for another tenant proves the shard ran a cycle after
    // the restart; acme's state must not move.
    source.append(
        make_input("z1", "root", t0 + 90, make_tenant("zeta"), "zeta"));
    run.wake();
    ASSERT_TRUE(sink.wait_until(source.size()));
    EXPECT_EQ(sink.offsets(), std::vector<std::uint64_t>{source.size() - 1});
    auto after = contents(run.db());
    for (auto* m : {&before, &after}) {
      std::erase_if(*m, [](const auto& kv) {
        return kv.first == keys::offset(0) ||
               kv.first.find("zeta") != std::string::npos;
      });
    }
    EXPECT_EQ(after, before);
  }
}

TEST(Shard, InputsAppendedWhileStoppedAreAppliedOnceAfterRestart) {
  const auto all = phase1() + phase2();
  temp_dir dir;
  vector_source source;
  {
    recording_sink sink;
    source.append(phase1());
    running_shard run{dir.path(), source, sink};
    ASSERT_TRUE(sink.wait_until(source.size()));
  }
  // The engine is down; the log keeps growing.
  source.append(phase2());
  recording_sink sink;
  {
    // No wake: a shard starts by reading from its stored offset.
    running_shard run{dir.path(), source, sink};
    ASSERT_TRUE(sink.wait_until(source.size()));
    EXPECT_EQ(sink.offsets().front(), phase1().size());
    EXPECT_EQ(contents(run.db()), reference(all));
  }
}

TEST(Shard, CrashBeforeCommitIsRecoveredExactlyOnce) {
  const auto all = phase1() + phase2();
  temp_dir dir;
  const auto live = dir.sub("db");
  const auto saved = dir.sub("db-at-cycle-1");
  vector_source source;
  {
    recording_sink sink;
    source.append(phase1());
    running_shard run{live, source, sink};
    ASSERT_TRUE(sink.wait_until(source.size()));
  }
  // The disk as it was after cycle 1...
  std::filesystem::copy(live, saved, std::filesystem::copy_options::recursive);
  {
    recording_sink sink;
    running_shard run{live, source, sink};
    source.append(phase2());
    run.wake();
    ASSERT_TRUE(sink.wait_until(source.size()));
  }
  // ...is what a crash before the second cycle's write leaves: the inputs of
  // phase 2 were handled in memory (and maybe seen by views), never stored.
  std::filesystem::remove_all(live);
  std::filesystem::rename(saved, live);
  recording_sink sink;
  running_shard run{live, source, sink};
  ASSERT_TRUE(sink.wait_until(source.size()));
  EXPECT_EQ(sink.offsets().front(), phase1().size());
  EXPECT_EQ(contents(run.db()), reference(all));
}

// ---- replay equals live
// -------------------------------------------------------

TEST(Shard, ReplayOfJournalEqualsLiveSnapshots) {
  temp_dir dir;
  vector_source source;
  recording_sink sink;
  source.append(phase1() + phase2());
  source.append(make_input("q1", admin_actor, t0 + 40,
                           create<team>{make_team("support")}));
  source.append(
      make_input("q2", admin_actor, t0 + 41,
                 patch<agent>{"ana", {{"teams", {"sales", "support"}}}}));
  source.append(
      make_input("q3", "agent:ana", t0 + 42, conversation_assign{"c16", ""}));
  source.append(make_input("q4", "agent:ana", t0 + 43,
                           conversation_transfer{"c16", "", "support", ""}));
  running_shard run{dir.path(), source, sink, 3};
  ASSERT_TRUE(sink.wait_until(source.size()));
  // Maria's message after the finish (offset 14) opened c16.
  ASSERT_EQ(sink.at(14).conversation, "c16");
  ASSERT_EQ(sink.at(source.size() - 1).st, status::accepted)
      << sink.at(source.size() - 1).err.message;

  // Replay: the pure reducers over the journal, into fresh states.
  tenant_sim replay;
  for (const auto& e : journal_of(run.db(), "acme")) {
    replay.fold(e);
  }
  const auto& db = run.db();

  auto tenant_snapshot = db.get(keys::tenant("acme"));
  ASSERT_TRUE(tenant_snapshot && tenant_snapshot->has_value());
  EXPECT_EQ(payload_of(**tenant_snapshot), to_json(replay.tenant).dump());

  auto convs = snapshots(db, keys::conversation_prefix("acme"));
  ASSERT_EQ(convs.size(), replay.conversations.size());
  for (const auto& [id, s] : replay.conversations) {
    ASSERT_TRUE(convs.contains(id)) << id;
    EXPECT_EQ(convs.at(id), encode_conversation(s)) << id;
  }

  auto contacts = snapshots(db, keys::contact_prefix("acme"));
  ASSERT_EQ(contacts.size(), replay.contacts.size());
  for (const auto& [id, c] : replay.contacts) {
    ASSERT_TRUE(contacts.contains(id)) << id;
    EXPECT_EQ(contacts.at(id), encode_contact(c)) << id;
  }

  // And the indexes a restart rebuilds from those snapshots are the ones the
  // replay built.
  auto loaded = load_tenant(db, "acme");
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(sorted(loaded->open_conversation),
            sorted(replay.tenant.open_conversation));
  EXPECT_EQ(sorted(loaded->contact_by_key),
            sorted(replay.tenant.contact_by_key));
  EXPECT_EQ(nonzero(loaded->open_count), nonzero(replay.tenant.open_count));
  EXPECT_EQ(replay.conversations.at("c16").team, "support");
}

// ---- automatic distribution through the actors
// ------------------------------------------------

/// distribution: setup, agent bia, team sales round robin, a portfolio "vip"
/// owned by bia, both agents online.
std::vector<input> distribution() {
  auto v = setup();
  portfolio p;
  p.id = "vip";
  p.name = "VIP";
  p.code = "VIP";
  p.responsible = "bia";
  v.push_back(make_input("d1", admin_actor, t0 + 5,
                         create<agent>{make_agent("bia", "agent", {"sales"})}));
  v.push_back(make_input("d2", admin_actor, t0 + 6,
                         patch<team>{"sales", {{"distribution", "round_robin"}}}));
  v.push_back(make_input("d3", admin_actor, t0 + 7, create<portfolio>{p}));
  v.push_back(make_input("d4", "agent:ana", t0 + 8, agent_set_status{"online"}));
  v.push_back(make_input("d5", "agent:bia", t0 + 9, agent_set_status{"online"}));
  return v;
}

std::string assignee_in(const store& db, const std::string& conv) {
  auto c = load_conversation(db, "acme", conv);
  return c.assignee;
}

TEST(Shard, AutomaticDistributionIsJournaledAndItsTurnSurvivesARestart) {
  temp_dir dir;
  vector_source source;
  {
    recording_sink sink;
    source.append(distribution());
    source.append(message("wamid.1", "5531988880001", t0 + 20));
    source.append(message("wamid.2", "5531988880002", t0 + 21));
    running_shard run{dir.path(), source, sink, 3};
    ASSERT_TRUE(sink.wait_until(source.size()));
    auto c1 = sink.at(source.size() - 2).conversation;
    auto c2 = sink.at(source.size() - 1).conversation;
    EXPECT_EQ(assignee_in(run.db(), c1), "ana");
    EXPECT_EQ(assignee_in(run.db(), c2), "bia");
    auto journal = journal_of(run.db(), "acme");
    int automatic = 0;
    for (const auto& e : journal) {
      if (auto* a = std::get_if<conversation_assigned>(&e.data)) {
        EXPECT_EQ(e.actor, "rule:round_robin");
        EXPECT_EQ(a->eligible, (std::vector<std::string>{"ana", "bia"}));
        ++automatic;
      }
    }
    EXPECT_EQ(automatic, 2);
  }
  recording_sink sink;
  running_shard run{dir.path(), source, sink, 3};
  source.append(message("wamid.3", "5531988880003", t0 + 30));
  // A routed conversation goes to the portfolio's owner only.
  source.append(make_input("r1", "connector", t0 + 31,
                           conversation_route_in{"wa-main", "5531988880004",
                                                 "", "VIP"}));
  run.wake();
  ASSERT_TRUE(sink.wait_until(source.size()));
  EXPECT_EQ(assignee_in(run.db(), sink.at(source.size() - 2).conversation),
            "ana");
  EXPECT_EQ(assignee_in(run.db(), sink.at(source.size() - 1).conversation),
            "bia");

  // Replay equals live, presence and turn included.
  tenant_sim replay;
  for (const auto& e : journal_of(run.db(), "acme")) {
    replay.fold(e);
  }
  auto tenant_snapshot = run.db().get(keys::tenant("acme"));
  ASSERT_TRUE(tenant_snapshot && tenant_snapshot->has_value());
  EXPECT_EQ(payload_of(**tenant_snapshot), to_json(replay.tenant).dump());
  ASSERT_FALSE(replay.tenant.presence.empty());
  for (const auto& [id, p] : replay.tenant.presence) {
    auto v = run.db().get(keys::presence("acme", id));
    ASSERT_TRUE(v && v->has_value()) << id;
    EXPECT_EQ(payload_of(**v), to_json(p).dump()) << id;
  }
  ASSERT_FALSE(replay.tenant.round_robin_turn.empty());
  for (const auto& [team, agent] : replay.tenant.round_robin_turn) {
    auto v = run.db().get(keys::turn("acme", team));
    ASSERT_TRUE(v && v->has_value()) << team;
    EXPECT_EQ(**v, agent) << team;
  }
  auto convs = snapshots(run.db(), keys::conversation_prefix("acme"));
  for (const auto& [id, c] : replay.conversations) {
    EXPECT_EQ(convs.at(id), encode_conversation(c)) << id;
  }
}

TEST(Shard, PortfolioMembershipIsStoredAndRestored) {
  temp_dir dir;
  vector_source source;
  source.append(distribution());
  source.append(make_input("k1", admin_actor, t0 + 20,
                           create<contact>{make_contact("k1", "Maria",
                                                        "5531988880001")}));
  source.append(make_input("k2", admin_actor, t0 + 21,
                           portfolio_contacts{"vip", {"k1"}, {}}));
  {
    recording_sink sink;
    running_shard run{dir.path(), source, sink};
    ASSERT_TRUE(sink.wait_until(source.size()));
    EXPECT_EQ(sink.at(source.size() - 1).st, status::accepted);
  }
  recording_sink sink;
  running_shard run{dir.path(), source, sink};
  auto loaded = load_tenant(run.db(), "acme");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->contact_portfolios.at("k1"),
            (std::set<std::string>{"vip"}));
  EXPECT_TRUE(loaded->portfolio_by_code.contains("VIP"));
  // The portfolio actor comes back with its contacts: removing k1 is a
  // real change, adding it again is not.
  source.append(make_input("k3", admin_actor, t0 + 30,
                           portfolio_contacts{"vip", {"k1"}, {}}));
  source.append(make_input("k4", admin_actor, t0 + 31,
                           portfolio_delete{"vip"}));
  run.wake();
  ASSERT_TRUE(sink.wait_until(source.size()));
  auto evs = sink.events();
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(std::get<portfolio_contacts_changed>(evs[0].data).removed,
            (std::vector<std::string>{"k1"}));
  EXPECT_TRUE(std::holds_alternative<portfolio_deleted>(evs[1].data));
  auto after = load_tenant(run.db(), "acme");
  ASSERT_TRUE(after);
  EXPECT_FALSE(after->contact_portfolios.contains("k1"));
}

} // namespace
} // namespace atende

// store: the engine's RocksDB database — input log, state, journal, offsets.
//
// One database holds everything a partition shard must change atomically, so
// that one WriteBatch per commit cycle moves state, journal and input offset
// together. Key layout (all in the default column family; ids never contain
// '/' or NUL, see is_valid_id):
//
//   key        := log | offset | tenant | contact | conversation | member
//               | journal | by_conv | seen | outbox | sending | fetching
//               | published | core | meta
//   log        := "l/" partition:fixed16be offset:fixed64be     -> input JSON
//   offset     := "o/" partition:fixed16be [stream:fixed16be]   -> fixed64be:
//                 the next input offset the shard will read (stream 0 has
//                 no stream suffix; Kafka's commands are stream 1)
//   published  := "p/" partition:fixed16be                      -> fixed64be:
//                 Kafka mode: the changelog offset after the last cycle
//                 whose events and outbound records were published
//   tenant     := "t/" tenant                                   -> snapshot
//                 of the configuration (written when it changes; the
//                 tenant's next seq follows its last journal key)
//   presence   := "s/" tenant "/a/" agent-id                    -> snapshot
//                 of the agent's presence (actors/tenant.h agent_presence)
//   turn       := "s/" tenant "/r/" team-id                     -> the agent
//                 id that round-robin distribution served last in the team
//   contact    := "s/" tenant "/k/" contact-id                  -> snapshot
//   conversation := "s/" tenant "/c/" conversation-id           -> snapshot
//   member     := "s/" tenant "/q/" portfolio-id "\0" contact-id -> "1" while
//                 the contact is in the portfolio, "" after it left (the
//                 portfolio records themselves are in the tenant snapshot)
//   journal    := "j/" tenant "/" seq:fixed64be                 -> event record
//                 (version 2, chained: see events/codec.h)
//   by_conv    := "x/" tenant "/" conversation-id "\0" seq:fixed64be -> ""
//   seen       := "d/" tenant "/" input-id                      -> "" (an
//                 envelope with this id was applied: a repeat is a duplicate)
//   outbox     := "u/" tenant "/" seq:fixed64be                 -> outbound
//                 record JSON text (actors/outbound.h), keyed by the seq of
//                 the event that asked for it
//   sending    := "q/" tenant "/" seq:fixed64be                 -> "" (to
//                 send) or the send's attempt state (JSON, see
//                 gateways/whatsapp_sender.h): a `message.send` record of a
//                 channel with an access token, which atende sends itself;
//                 written with the outbox record, deleted once the outcome
//                 is recorded in the log
//   fetching   := "f/" tenant "/" seq:fixed64be                 -> the
//                 fetch's work (actors/outbound.h fetch_work) and attempt
//                 state (gateways/media_fetcher.h): a customer's media message on a
//                 channel with an access token, whose bytes atende fetches
//                 from Meta; written with the journal event, deleted once the
//                 outcome is recorded in the log
//   core       := "k/" tenant "/" piece:fixed64be              -> a piece
//                 (1 MiB at most) of the tenant core's derived indexes at
//                 its last stop (the core checkpoint, actors/snapshot.h),
//                 in order; used only while the journal has not moved past
//                 it
//   meta       := "m/format"                                    -> "1"
//
// Snapshots and journal entries are codec records (events/codec.h).
//
// Thread-safety: a store may be used from any number of threads; RocksDB
// serializes writes. Errors are values: no RocksDB status is dropped.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "events/errc.h"

namespace rocksdb {
class DB;
class WriteBatch;
} // namespace rocksdb

namespace atende {

namespace keys {

[[nodiscard]] std::string log(std::uint32_t partition, std::uint64_t offset);
[[nodiscard]] std::string log_prefix(std::uint32_t partition);
[[nodiscard]] std::string offset(std::uint32_t partition,
                                 std::uint32_t stream = 0);
[[nodiscard]] std::string published(std::uint32_t partition);
[[nodiscard]] std::string tenant(std::string_view tenant);
[[nodiscard]] std::string contact(std::string_view tenant, std::string_view id);
[[nodiscard]] std::string contact_prefix(std::string_view tenant);
[[nodiscard]] std::string presence(std::string_view tenant,
                                   std::string_view agent);
[[nodiscard]] std::string presence_prefix(std::string_view tenant);
[[nodiscard]] std::string turn(std::string_view tenant, std::string_view team);
[[nodiscard]] std::string turn_prefix(std::string_view tenant);
[[nodiscard]] std::string conversation(std::string_view tenant,
                                       std::string_view id);
[[nodiscard]] std::string conversation_prefix(std::string_view tenant);
[[nodiscard]] std::string membership_prefix(std::string_view tenant);
[[nodiscard]] std::string membership_prefix(std::string_view tenant,
                                            std::string_view portfolio);
[[nodiscard]] std::string membership(std::string_view tenant,
                                     std::string_view portfolio,
                                     std::string_view contact);
[[nodiscard]] std::string core(std::string_view tenant, std::uint64_t piece);
[[nodiscard]] std::string core_prefix(std::string_view tenant);
[[nodiscard]] std::string journal(std::string_view tenant, std::uint64_t seq);
[[nodiscard]] std::string journal_prefix(std::string_view tenant);
[[nodiscard]] std::string by_conversation(std::string_view tenant,
                                          std::string_view conversation,
                                          std::uint64_t seq);
[[nodiscard]] std::string by_conversation_prefix(std::string_view tenant,
                                                 std::string_view conv);
[[nodiscard]] std::string seen(std::string_view tenant, std::string_view id);
[[nodiscard]] std::string outbox(std::string_view tenant, std::uint64_t seq);
[[nodiscard]] std::string outbox_prefix(std::string_view tenant);
[[nodiscard]] std::string sending(std::string_view tenant, std::uint64_t seq);
inline constexpr std::string_view sending_prefix = "q/";
[[nodiscard]] std::string fetching(std::string_view tenant, std::uint64_t seq);
inline constexpr std::string_view fetching_prefix = "f/";

[[nodiscard]] std::string fixed64be(std::uint64_t v);
[[nodiscard]] std::uint64_t read_fixed64be(std::string_view s);

} // namespace keys

class store {
public:
  enum class mode { read_write, read_only };

  /// open opens (creating when read_write) the database in `dir`.
  [[nodiscard]] static result<std::unique_ptr<store>>
  open(const std::string& dir, mode m = mode::read_write);

  ~store();
  store(const store&) = delete;
  store& operator=(const store&) = delete;

  /// get returns the value of `key`, nullopt when absent.
  [[nodiscard]] result<std::optional<std::string>>
  get(std::string_view key) const;

  /// write applies `batch` atomically; `sync` makes it durable (fsync of the
  /// WAL) before returning.
  [[nodiscard]] result<void> write(rocksdb::WriteBatch& batch, bool sync);

  /// sync_wal makes every write that returned before it durable (one fsync
  /// of the WAL). Writes from other threads go on while it runs; a write
  /// made with `sync` false and then covered by sync_wal is as durable as
  /// one made with `sync` true (group commit: several writes, one fsync).
  [[nodiscard]] result<void> sync_wal();

  /// scan calls `f(key, value)` for every key that starts with `prefix`, from
  /// `start` (default: the prefix) in key order, while `f` returns true.
  using visitor = std::function<bool(std::string_view, std::string_view)>;
  [[nodiscard]] result<void> scan(std::string_view prefix, const visitor& f,
                                  std::string_view start = {}) const;

  /// last_key returns the greatest key with `prefix`, if any.
  [[nodiscard]] result<std::optional<std::string>>
  last_key(std::string_view prefix) const;

  /// flush writes the memtables to SST files (faster next open).
  [[nodiscard]] result<void> flush();

  /// The data format this build reads and writes (key "m/format").
  static constexpr std::string_view format_key = "m/format";
  /// Format 1 kept presence, round-robin turns and the next seq inside the
  /// tenant snapshot; it is still read, and `upgrade` (actors/snapshot.h)
  /// rewrites it.
  static constexpr std::string_view format_version = "2";
  static constexpr std::string_view previous_format = "1";

  /// needs_upgrade tells whether the data is in the previous format.
  [[nodiscard]] bool needs_upgrade() const { return previous_; }

  /// set_current_format writes `batch` with the current format mark, synced
  /// (the end of an upgrade).
  [[nodiscard]] result<void> set_current_format(rocksdb::WriteBatch& batch);

private:
  explicit store(rocksdb::DB* db);
  result<void> check_format(bool may_write);
  bool previous_ = false;
  std::unique_ptr<rocksdb::DB> db_;
};

/// last_journal_seq is the seq of `tenant`'s last journal entry, 0 when it
/// has none.
[[nodiscard]] result<std::uint64_t> last_journal_seq(const store& db,
                                                     std::string_view tenant);

} // namespace atende

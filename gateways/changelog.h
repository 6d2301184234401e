// changelog: the records of `atende.changelog`, from which a partition's
// RocksDB state is rebuilt on whichever instance owns the partition.
//
// Every commit cycle of partition P is published to changelog partition P as
// one or more records (a cycle larger than `max_part` bytes is split) whose
// payloads are RocksDB WriteBatches in RocksDB's serialized form. An owner
// that takes a partition over first writes a takeover record with a higher
// generation; records an older owner (a zombie) writes after that takeover
// point are ignored by every reader.
//
// Record value (big-endian integers; the record key is the partition number
// in decimal):
//
//   value     := magic:"atcl" version:u8=1 kind:u8 gen:u64 cycle:u64
//                part:u32 parts:u32 through:u64 payload
//   kind      := 1 (a part of a cycle) | 2 (takeover)
//   gen       := the owner's generation (takeover: the new one)
//   cycle     := the cycle's number within its generation (parts share it)
//   part      := 0..parts-1
//   through   := takeover: the changelog offset the new owner restored up to
//                (records of older generations from there on are void)
//   payload   := part: a WriteBatch rep; takeover: empty
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/errc.h"

namespace atende::changelog {

enum class kind : std::uint8_t { part = 1, takeover = 2 };

struct header {
  kind k = kind::part;
  std::uint64_t gen = 0;
  std::uint64_t cycle = 0;
  std::uint32_t part = 0;
  std::uint32_t parts = 1;
  std::uint64_t through = 0;
};

/// encode renders a record value.
[[nodiscard]] std::string encode(const header& h, std::string_view payload);

/// decode splits a record value; a value that is not a changelog record is
/// errc::internal "corruption: …".
struct decoded {
  header h;
  std::string_view payload;
};
[[nodiscard]] result<decoded> decode(std::string_view value);

/// split cuts a WriteBatch rep into reps of about `max_part` bytes or less
/// (a single larger entry stays whole), in order.
[[nodiscard]] result<std::vector<std::string>> split(std::string_view rep,
                                                     std::size_t max_part);

/// outputs: what a cycle asks to publish, read from its WriteBatch: journal
/// entries (`j/`) as event JSON text and outbox entries (`u/`) as outbound
/// record JSON text, each with its tenant.
struct output {
  std::string tenant;
  std::string value;
};
struct outputs {
  std::vector<output> events;
  std::vector<output> outbound;
};
[[nodiscard]] result<outputs> outputs_of(std::string_view rep);

/// stored: one record as read back, with its offset.
struct stored {
  std::uint64_t offset = 0;
  header h;
  std::string payload;
};

/// cycle_rep: a complete, valid cycle to apply, in changelog order.
struct cycle_rep {
  std::uint64_t offset = 0; // of its last part
  std::vector<std::string> reps;
};

/// plan: which cycles rebuild the state, and the next generation.
struct plan {
  std::vector<cycle_rep> cycles;
  std::uint64_t next_gen = 1;
};

/// plan_restore picks, from every record of a partition in offset order, the
/// complete cycles that are not void (a record of generation g at offset x is
/// void when a takeover of a higher generation restored `through` <= x).
[[nodiscard]] plan plan_restore(const std::vector<stored>& records);

} // namespace atende::changelog

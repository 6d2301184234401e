// log: how a partition shard reads its input and hands over what it committed.
//
// The shard reads records of one partition in offset order from a
// `record_source` (the embedded RocksDB log, or Kafka partitions) and, after
// each durable commit cycle, reports to a `commit_sink`. The core never
// includes an I/O library: gateways/ implements both interfaces.
//
// A partition may have several input streams, each with its own offsets (the
// embedded log has one; Kafka has two: stream 0 is `atende.inbound`, stream 1
// `atende.commands`, same partition number). The shard stores the next offset
// of every stream with the state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/errc.h"
#include "events/event.h"
#include "events/input.h"
#include "events/outcome.h"

namespace atende {

/// log_record: one input as the log stores it (its value is the input's JSON
/// form, events/input.h).
struct log_record {
  std::uint32_t partition = 0;
  std::uint64_t offset = 0;
  std::string value;
  std::uint32_t stream = 0;
  /// ref: the submitter's reference, handed back in committed_input so that a
  /// waiting caller gets its outcome (0: nobody waits).
  std::uint64_t ref = 0;
  /// scope: what the record may hold (a connectors' topic: envelopes only).
  input_scope scope = input_scope::any;
};

/// record_source: thread-safety: `read` is called from the shard's actor only.
class record_source {
public:
  virtual ~record_source() = default;

  /// streams is how many input streams each partition has.
  [[nodiscard]] virtual std::uint32_t streams() const { return 1; }

  /// read returns up to `max` records of `stream` of `partition` from offset
  /// `from` on; fewer (or none) at the end of the log.
  [[nodiscard]] virtual result<std::vector<log_record>>
  read(std::uint32_t partition, std::uint32_t stream, std::uint64_t from,
       std::size_t max) = 0;
};

/// committed_input: the outcome of the input at `offset`.
struct committed_input {
  std::uint64_t offset = 0;
  outcome out;
  std::uint32_t stream = 0;
  std::uint64_t ref = 0;
};

/// commit_sink: called on a shard's thread after each durable commit, with
/// the cycle's events in order, one outcome per input read and `writes`, the
/// cycle's RocksDB WriteBatch in RocksDB's own serialized form (what a
/// changelog needs to rebuild the state elsewhere).
class commit_sink {
public:
  virtual ~commit_sink() = default;
  virtual void committed(std::uint32_t partition,
                         const std::vector<event>& events,
                         std::vector<committed_input> inputs,
                         std::string_view writes) = 0;

  /// extra_puts: keys the sink wants written with the partition's next
  /// commit cycle (e.g. how far its outputs were published).
  virtual void extra_puts(std::uint32_t partition,
                          std::vector<std::pair<std::string, std::string>>& puts) {
    (void)partition;
    (void)puts;
  }
};

} // namespace atende

// log: how a partition shard reads its input and hands over what it committed.
//
// The shard reads records of one partition in offset order from a
// `record_source` (the embedded RocksDB log, or a Kafka partition) and, after
// each durable commit cycle, reports to a `commit_sink`. The core never
// includes an I/O library: gateways/ implements both interfaces.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "events/errc.h"
#include "events/event.h"
#include "events/outcome.h"

namespace atende {

/// log_record: one input as the log stores it (its value is the input's JSON
/// form, events/input.h).
struct log_record {
  std::uint32_t partition = 0;
  std::uint64_t offset = 0;
  std::string value;
};

/// record_source: thread-safety: `read` is called from the shard's actor only.
class record_source {
public:
  virtual ~record_source() = default;

  /// read returns up to `max` records of `partition` from offset `from` on;
  /// fewer (or none) at the end of the log.
  [[nodiscard]] virtual result<std::vector<log_record>>
  read(std::uint32_t partition, std::uint64_t from, std::size_t max) = 0;
};

/// committed_input: the outcome of the input at `offset`.
struct committed_input {
  std::uint64_t offset = 0;
  outcome out;
};

/// commit_sink: called on a shard's thread after each durable commit, with
/// the cycle's events in order and one outcome per input read.
class commit_sink {
public:
  virtual ~commit_sink() = default;
  virtual void committed(std::uint32_t partition,
                         const std::vector<event>& events,
                         std::vector<committed_input> inputs) = 0;
};

} // namespace atende

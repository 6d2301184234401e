// unrouted_log: the WhatsApp webhook payloads atende received and could not
// apply, kept for the operator (GET /v1/webhooks/whatsapp/unrouted).
//
// A payload lands here when part of it names a phone_number_id that no
// channel has, or when an item of it could not be applied (the engine
// refused it, or this version does not apply that kind of item yet): Meta
// gets its 200 either way, so nothing may be dropped in silence.
//
// Format: a JSON-lines file, one record per webhook request, appended and
// fsync'd before the request is answered:
//   {"seq": 1, "received_at": "2026-12-02T16:40:00.000Z",
//    "items": [{"id": "wamid.…", "type": "message.received",
//               "phone_number_id": "…", "reason": "no channel has …"}],
//    "payload": <the webhook body as Meta sent it, parsed>}
// `seq` counts from 1 in the file. A torn last line (a crash while
// appending) is skipped when the file is read, and the next record starts
// on a line of its own.
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/errc.h"

namespace atende {

class unrouted_log {
public:
  /// unrouted_log keeps its records in file `path` (created on the first
  /// append, its directory too); an empty path keeps them in memory only.
  explicit unrouted_log(std::string path);

  /// append adds a record of `items` and `payload` received at
  /// `received_at`, durably (fsync) before it returns.
  [[nodiscard]] result<void> append(std::string received_at,
                                    nlohmann::json items,
                                    nlohmann::json payload);

  /// metrics_text: atende_whatsapp_unrouted_items_total{type}, the items
  /// appended since the process started (a status for a wamid atende does
  /// not know counts as type "message.status").
  [[nodiscard]] std::string metrics_text() const;

  /// latest returns up to `limit` records, newest first.
  [[nodiscard]] result<std::vector<nlohmann::json>>
  latest(std::size_t limit) const;

private:
  [[nodiscard]] result<std::vector<nlohmann::json>> read_all() const;

  std::string path_;
  mutable std::mutex mu_;
  std::vector<nlohmann::json> memory_; // when path_ is empty
  std::uint64_t next_seq_ = 0;         // 0: not read yet
  bool torn_ = false; // the file ends in a cut line: start on a new one
  std::map<std::string, std::uint64_t> counts_; // items appended, by type
};

} // namespace atende

// codec: the framed, versioned encoding of what atende persists in RocksDB —
// journal entries (events), entity snapshots and log inputs.
//
// Format (one record per RocksDB value):
//
//   record    := unchained | chained
//   unchained := 0x01 kind crc:fixed32le length:varint32 payload
//   chained   := 0x02 0x01 crc:fixed32le length:varint32 payload hash
//   kind      := 0x01 (event) | 0x02 (snapshot) | 0x03 (input)
//              | 0x04 (entity)
//   crc       := crc32c(kind || payload), in a chained record
//                crc32c(kind || payload || hash); Castagnoli, see crc32c.h
//   length    := the payload's size in bytes, as a little-endian base-128
//                varint (LevelDB's varint32: at most 5 bytes)
//   payload   := UTF-8 JSON text of the value:
//                  event:    to_json(event) of event.h
//                  snapshot: the entity's JSON, as its owner renders it
//                  input:    encode_input(input) of input.h
//                  entity:   a conversation's or contact's snapshot in its
//                            binary form (grammar in actors/snapshot.h);
//                            JSON snapshots of them written before it stay
//                            readable
//   hash      := 32 bytes: the entry's link in its tenant's hash chain,
//                h_n = chain_next(h_{n-1}, payload) (chain.h)
//
// The first byte is the version. Version 1 (unchained) frames every kind;
// version 2 (chained) frames only events, and is what the journal is written
// in. Snapshots and inputs are written as version 1; version-1 events
// (journals written before the chain) stay readable.
//
// A record is exactly one framed value: bytes after the payload (version 1)
// or the hash (version 2) are corruption. The checksum covers the kind and,
// in version 2, the hash, so that any flipped byte is caught: a flipped kind,
// payload or hash byte as a bad checksum (or an unknown kind), a flipped
// version byte as an unsupported version (or as truncation or trailing bytes),
// a flipped length byte as truncation or trailing bytes. The checksum only
// catches accidents; the hash chain is what shows an entry rewritten on
// purpose (its hash no longer follows from its payload and predecessor).
//
// A new version gets a new `version` byte and a decoder branch; old records
// stay readable (tests/events/golden/ pins the bytes of versions 1 and 2).
//
// Decoders never throw: every failure is errc::internal with a message
// starting "corruption: " or "unsupported version N".
//
//   chain_hash head = chain_start;                          // a new tenant
//   std::string bytes = encode_chained_event(e, head, &head);
//   result<event> back = decode_event(bytes);               // *back == e
//   result<journal_entry> entry = decode_journal_entry(bytes);
//   // entry->hash == head == chain_next(chain_start, entry->payload)
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "events/chain.h"
#include "events/errc.h"
#include "events/event.h"
#include "events/input.h"

namespace atende {

/// record_kind says what a record's payload holds.
enum class record_kind : std::uint8_t {
  event = 1,
  snapshot = 2,
  input = 3,
  entity = 4
};

/// codec_version is the version byte encode_record writes.
inline constexpr std::uint8_t codec_version = 1;

/// chained_event_version is the version byte encode_chained_event writes.
inline constexpr std::uint8_t chained_event_version = 2;

/// decoded_record is a checked record; `payload` points into the decoded
/// bytes and lives as long as they do. `hash` is the chain hash a version-2
/// record carries, nullopt for version 1.
struct decoded_record {
  std::uint8_t version = codec_version;
  record_kind kind = record_kind::event;
  std::string_view payload;
  std::optional<chain_hash> hash;
};

/// encode_record frames `payload` as a record of kind `k`.
[[nodiscard]] std::string encode_record(record_kind k,
                                        std::string_view payload);

/// decode_record checks the framing and checksum of `bytes`, a record of
/// either version.
[[nodiscard]] result<decoded_record> decode_record(std::string_view bytes);

/// encode_event frames the JSON form of `e` as a version-1 (unchained) event
/// record.
[[nodiscard]] std::string encode_event(const event& e);

/// encode_chained_event frames the JSON form of `e` as a version-2 event
/// record chained to `prev`; `*next` receives the entry's hash,
/// chain_next(prev, payload). `next` may point to `prev` (advancing a head).
[[nodiscard]] std::string
encode_chained_event(const event& e, const chain_hash& prev, chain_hash* next);

/// decode_event is the inverse of encode_event and encode_chained_event; a
/// payload that is not a valid event is corruption. It does not check the
/// hash against a chain: that needs the entry's predecessor.
[[nodiscard]] result<event> decode_event(std::string_view bytes);

/// journal_entry: a checked event record; payload points into the bytes.
/// `hash` is empty for a version-1 (unchained) record.
struct journal_entry {
  std::string_view payload;
  std::optional<chain_hash> hash;
};

/// decode_journal_entry checks the framing and checksum of an event record of
/// either version without parsing its payload (a chain walk needs only the
/// payload's bytes); another kind is corruption.
[[nodiscard]] result<journal_entry>
decode_journal_entry(std::string_view bytes);

/// encode_input_record frames encode_input(in) as an input record.
[[nodiscard]] std::string encode_input_record(const input& in);

/// decode_input_record is the inverse of encode_input_record. A framing
/// error is corruption (errc::internal); a payload that is not a valid input
/// gives decode_input_text's error.
[[nodiscard]] result<input> decode_input_record(std::string_view bytes);

} // namespace atende

// codec: the framed, versioned encoding of what atende persists in RocksDB —
// journal entries (events), entity snapshots and log inputs.
//
// Format (one record per RocksDB value):
//
//   record   := version:u8 kind:u8 crc:fixed32le length:varint32 payload
//   version  := 0x01
//   kind     := 0x01 (event) | 0x02 (snapshot) | 0x03 (input)
//   crc      := crc32c(kind || payload), Castagnoli, see crc32c.h
//   length   := the payload's size in bytes, as a little-endian base-128
//               varint (LevelDB's varint32: at most 5 bytes)
//   payload  := UTF-8 JSON text of the value:
//                 event:    to_json(event) of event.h
//                 snapshot: the entity's JSON, as its owner renders it
//                 input:    encode_input(input) of input.h
//
// A record is exactly one framed value: bytes after the payload are
// corruption. The checksum covers the kind so that a flipped kind byte is
// caught; a flipped version byte shows as an unsupported version, a flipped
// length byte as truncation or trailing bytes.
//
// A new version gets a new `version` byte and a decoder branch; old records
// stay readable (tests/events/golden/ pins the bytes of version 1).
//
// Decoders never throw: every failure is errc::internal with a message
// starting "corruption: " or "unsupported version N".
//
//   std::string bytes = encode_event(e);       // store in the journal
//   result<event> back = decode_event(bytes);  // *back == e
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "events/errc.h"
#include "events/event.h"
#include "events/input.h"

namespace atende {

/// record_kind says what a record's payload holds.
enum class record_kind : std::uint8_t { event = 1, snapshot = 2, input = 3 };

/// codec_version is the version byte encode_record writes.
inline constexpr std::uint8_t codec_version = 1;

/// decoded_record is a checked record; `payload` points into the decoded
/// bytes and lives as long as they do.
struct decoded_record {
  std::uint8_t version = codec_version;
  record_kind kind = record_kind::event;
  std::string_view payload;
};

/// encode_record frames `payload` as a record of kind `k`.
[[nodiscard]] std::string encode_record(record_kind k,
                                        std::string_view payload);

/// decode_record checks the framing and checksum of `bytes`.
[[nodiscard]] result<decoded_record> decode_record(std::string_view bytes);

/// encode_event frames the JSON form of `e` as an event record.
[[nodiscard]] std::string encode_event(const event& e);

/// decode_event is the inverse of encode_event; a payload that is not a valid
/// event is corruption.
[[nodiscard]] result<event> decode_event(std::string_view bytes);

/// encode_input_record frames encode_input(in) as an input record.
[[nodiscard]] std::string encode_input_record(const input& in);

/// decode_input_record is the inverse of encode_input_record. A framing
/// error is corruption (errc::internal); a payload that is not a valid input
/// gives decode_input_text's error.
[[nodiscard]] result<input> decode_input_record(std::string_view bytes);

} // namespace atende

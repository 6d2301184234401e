#include "events/codec.h"

#include <gtest/gtest.h>

#include "events/crc32c.h"
#include "tests/events/samples.h"

namespace atende {
namespace {

std::string sample_record() {
  return encode_event(testing::sample_events()[14]);
}

TEST(Codec, EveryEventRoundTrips) {
  for (const auto& e : testing::sample_events()) {
    auto back = decode_event(encode_event(e));
    ASSERT_TRUE(back) << type_name(e.data) << ": " << back.error().message;
    EXPECT_EQ(*back, e);
  }
}

TEST(Codec, EveryInputRoundTrips) {
  for (const auto& in : testing::sample_inputs()) {
    auto back = decode_input_record(encode_input_record(in));
    ASSERT_TRUE(back) << in.type() << ": " << back.error().message;
    EXPECT_EQ(*back, in);
  }
}

TEST(Codec, LayoutFollowsTheGrammar) {
  auto bytes = encode_record(record_kind::snapshot, "{}");
  ASSERT_EQ(bytes.size(), 9u);
  EXPECT_EQ(bytes[0], 1);   // version
  EXPECT_EQ(bytes[1], 2);   // kind: snapshot
  EXPECT_EQ(bytes[6], 2);   // length
  EXPECT_EQ(bytes.substr(7), "{}");
  std::string covered = "\x02{}";
  std::uint32_t crc = crc32c::value(covered);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(static_cast<unsigned char>(bytes[2 + i]), (crc >> (8 * i)) & 0xFF);
  }
  auto r = decode_record(bytes);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->version, 1);
  EXPECT_EQ(r->kind, record_kind::snapshot);
  EXPECT_EQ(r->payload, "{}");
}

TEST(Codec, LongPayloadsUseMultiByteLengths) {
  for (std::size_t n : {0u, 127u, 128u, 16383u, 16384u, 300000u}) {
    std::string payload(n, 'x');
    auto bytes = encode_record(record_kind::snapshot, payload);
    auto r = decode_record(bytes);
    ASSERT_TRUE(r) << n << ": " << r.error().message;
    EXPECT_EQ(r->payload.size(), n);
  }
}

TEST(Codec, FlippingAnyByteIsDetected) {
  auto good = sample_record();
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (unsigned char mask : {0x01, 0x80, 0xFF}) {
      auto bad = good;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      auto r = decode_record(bad);
      ASSERT_FALSE(r) << "byte " << i << " mask " << int{mask};
      EXPECT_EQ(r.error().code, errc::internal);
    }
  }
}

TEST(Codec, FlippedPayloadByteIsABadChecksum) {
  auto bad = sample_record();
  bad[bad.size() / 2] ^= 0x20;
  auto r = decode_record(bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "corruption: bad checksum");
}

TEST(Codec, FlippedKindIsABadChecksum) {
  auto bad = sample_record();
  bad[1] = static_cast<char>(record_kind::snapshot);
  EXPECT_EQ(decode_record(bad).error().message, "corruption: bad checksum");
  bad[1] = 9;
  EXPECT_EQ(decode_record(bad).error().message, "corruption: unknown kind 9");
}

TEST(Codec, EveryTruncationIsDetected) {
  auto good = sample_record();
  for (std::size_t n = 0; n < good.size(); ++n) {
    auto r = decode_record(std::string_view{good}.substr(0, n));
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().message, "corruption: truncated") << n;
  }
}

TEST(Codec, TrailingBytesAreCorruption) {
  auto bad = sample_record() + "x";
  EXPECT_EQ(decode_record(bad).error().message, "corruption: trailing bytes");
}

TEST(Codec, UnknownVersionIsUnsupported) {
  auto bad = sample_record();
  bad[0] = 9;
  auto r = decode_record(bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::internal);
  EXPECT_EQ(r.error().message, "unsupported version 9");
}

TEST(Codec, OverlongLengthIsCorruption) {
  std::string bad = encode_record(record_kind::snapshot, "");
  bad.pop_back();
  bad += std::string(5, '\xFF');
  EXPECT_EQ(decode_record(bad).error().message, "corruption: bad length");
}

TEST(Codec, EventDecoderRejectsOtherKindsAndBadPayloads) {
  auto snapshot = encode_record(record_kind::snapshot, "{}");
  EXPECT_EQ(decode_event(snapshot).error().message,
            "corruption: not an event record");
  auto not_json = encode_record(record_kind::event, "{");
  EXPECT_EQ(decode_event(not_json).error().message,
            "corruption: event is not valid JSON");
  auto not_event = encode_record(record_kind::event, R"({"seq":1})");
  auto r = decode_event(not_event);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::internal);
  EXPECT_EQ(r.error().message, "corruption: tenant: is required");
}

// ---- version 2: chained event records ---------------------------------------

std::string chained_sample_record() {
  return encode_chained_event(testing::sample_events()[14], chain_start,
                              nullptr);
}

TEST(Codec, EveryEventRoundTripsChained) {
  chain_hash head = chain_start;
  for (const auto& e : testing::sample_events()) {
    chain_hash prev = head;
    auto bytes = encode_chained_event(e, prev, &head);
    auto back = decode_event(bytes);
    ASSERT_TRUE(back) << type_name(e.data) << ": " << back.error().message;
    EXPECT_EQ(*back, e);
    auto entry = decode_journal_entry(bytes);
    ASSERT_TRUE(entry) << type_name(e.data) << ": " << entry.error().message;
    EXPECT_EQ(entry->payload, to_json(e).dump());
    ASSERT_TRUE(entry->hash.has_value());
    EXPECT_EQ(*entry->hash, head);
    EXPECT_EQ(*entry->hash, chain_next(prev, entry->payload));
  }
}

TEST(Codec, ChainedLayoutFollowsTheGrammar) {
  const auto e = testing::sample_events()[0];
  const std::string payload = to_json(e).dump();
  ASSERT_GE(payload.size(), 128u); // a two-byte length
  ASSERT_LT(payload.size(), 16384u);
  chain_hash next{};
  auto bytes = encode_chained_event(e, chain_start, &next);
  EXPECT_EQ(next, chain_next(chain_start, payload));
  ASSERT_EQ(bytes.size(), 8 + payload.size() + 32);
  EXPECT_EQ(bytes[0], 2); // version
  EXPECT_EQ(bytes[1], 1); // kind: event
  EXPECT_EQ(static_cast<unsigned char>(bytes[6]),
            (payload.size() & 0x7F) | 0x80);
  EXPECT_EQ(static_cast<unsigned char>(bytes[7]), payload.size() >> 7);
  EXPECT_EQ(bytes.substr(8, payload.size()), payload);
  std::string hash(next.begin(), next.end());
  EXPECT_EQ(bytes.substr(8 + payload.size()), hash);
  std::uint32_t crc = crc32c::value("\x01" + payload + hash);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(static_cast<unsigned char>(bytes[2 + i]),
              (crc >> (8 * i)) & 0xFF);
  }
  auto r = decode_record(bytes);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->version, 2);
  EXPECT_EQ(r->kind, record_kind::event);
  EXPECT_EQ(r->payload, payload);
  EXPECT_EQ(r->hash, next);
}

TEST(Codec, TheNextHashMayAdvanceThePreviousInPlace) {
  const auto events = testing::sample_events();
  chain_hash head = chain_start;
  auto first = encode_chained_event(events[0], head, &head);
  auto second = encode_chained_event(events[1], head, &head);
  auto h1 = chain_next(chain_start, to_json(events[0]).dump());
  auto h2 = chain_next(h1, to_json(events[1]).dump());
  EXPECT_EQ(head, h2);
  EXPECT_EQ(decode_journal_entry(first)->hash, h1);
  EXPECT_EQ(decode_journal_entry(second)->hash, h2);
}

TEST(Codec, UnchainedEventsStillDecode) {
  auto bytes = sample_record();
  ASSERT_EQ(bytes[0], 1);
  auto e = decode_event(bytes);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(*e, testing::sample_events()[14]);
  auto entry = decode_journal_entry(bytes);
  ASSERT_TRUE(entry) << entry.error().message;
  EXPECT_EQ(entry->payload, to_json(testing::sample_events()[14]).dump());
  EXPECT_FALSE(entry->hash.has_value());
  EXPECT_FALSE(decode_record(bytes)->hash.has_value());
}

TEST(Codec, AFlippedByteInAChainedRecordIsCorruption) {
  auto good = chained_sample_record();
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (unsigned char mask : {0x01, 0x80, 0xFF}) {
      auto bad = good;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      auto r = decode_record(bad);
      ASSERT_FALSE(r) << "byte " << i << " mask " << int{mask};
      EXPECT_EQ(r.error().code, errc::internal);
      EXPECT_FALSE(decode_event(bad)) << "byte " << i << " mask " << int{mask};
      EXPECT_FALSE(decode_journal_entry(bad))
          << "byte " << i << " mask " << int{mask};
    }
  }
}

TEST(Codec, AFlippedPayloadOrHashByteInAChainedRecordIsABadChecksum) {
  auto good = chained_sample_record();
  auto payload = decode_journal_entry(good)->payload;
  const std::size_t hash_at = good.size() - 32;
  for (std::size_t i : {hash_at - payload.size(), hash_at - 1, hash_at,
                        hash_at + 16, good.size() - 1}) {
    auto bad = good;
    bad[i] ^= 0x20;
    auto r = decode_journal_entry(bad);
    ASSERT_FALSE(r) << i;
    EXPECT_EQ(r.error().message, "corruption: bad checksum") << i;
  }
}

TEST(Codec, AChainedRecordFramesOnlyEvents) {
  auto bad = chained_sample_record();
  bad[1] = static_cast<char>(record_kind::snapshot);
  EXPECT_EQ(decode_record(bad).error().message, "corruption: unknown kind 2");
  bad[1] = static_cast<char>(record_kind::input);
  EXPECT_EQ(decode_event(bad).error().message, "corruption: unknown kind 3");
}

TEST(Codec, AFlippedLengthByteInAChainedRecordIsTruncationOrTrailingBytes) {
  auto bad = chained_sample_record();
  bad[6] ^= 0x01; // the length's lowest bit: one byte more or less
  const bool grew = (bad[6] & 0x01) != 0;
  EXPECT_EQ(decode_record(bad).error().message,
            grew ? "corruption: truncated" : "corruption: trailing bytes");
}

TEST(Codec, EveryTruncationOfAChainedRecordIsDetected) {
  auto good = chained_sample_record();
  for (std::size_t n = 0; n < good.size(); ++n) {
    auto r = decode_record(std::string_view{good}.substr(0, n));
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().message, "corruption: truncated") << n;
  }
  EXPECT_EQ(decode_record(good + "x").error().message,
            "corruption: trailing bytes");
}

TEST(Codec, AnUnchainedRecordReadAsChainedIsTruncated) {
  auto bad = sample_record();
  bad[0] = 2;
  EXPECT_EQ(decode_record(bad).error().message, "corruption: truncated");
}

TEST(Codec, JournalEntryDecoderRejectsOtherKinds) {
  auto snapshot = encode_record(record_kind::snapshot, "{}");
  EXPECT_EQ(decode_journal_entry(snapshot).error().message,
            "corruption: not an event record");
  auto in = encode_input_record(testing::sample_inputs()[0]);
  EXPECT_EQ(decode_journal_entry(in).error().message,
            "corruption: not an event record");
}

TEST(Codec, InputDecoderRejectsOtherKinds) {
  auto r = decode_input_record(sample_record());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "corruption: not an input record");
}

} // namespace
} // namespace atende

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
    ASSERT_TRUE(back) << in.type << ": " << back.error().message;
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

TEST(Codec, InputDecoderRejectsOtherKinds) {
  auto r = decode_input_record(sample_record());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "corruption: not an input record");
}

} // namespace
} // namespace atende

// Golden files pin the bytes of the persisted encodings (codec.h, versions 1
// and 2):
// an accidental change to the framing, the JSON forms or the samples fails
// here. After an intended format change, add a new version instead; to
// regenerate after changing tests/events/samples.h on purpose, run
// `ATENDE_UPDATE_GOLDEN=1 events_test --gtest_filter='Golden*'`.

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "events/codec.h"
#include "tests/events/samples.h"

namespace atende {
namespace {

std::string golden_path(const std::string& name) {
  return std::string{ATENDE_SOURCE_DIR} + "/tests/events/golden/" + name;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 0xF];
  }
  return out;
}

std::string from_hex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string{hex.substr(i, 2)}, nullptr,
                                       16));
  }
  return out;
}

/// A golden file holds one record per line: `<label> <hex bytes>`.
using golden_lines = std::vector<std::pair<std::string, std::string>>;

golden_lines read_golden(const std::string& name) {
  golden_lines lines;
  std::ifstream in{golden_path(name)};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    auto space = line.find(' ');
    lines.emplace_back(line.substr(0, space), from_hex(line.substr(space + 1)));
  }
  return lines;
}

/// check_golden compares `actual` to the file, or rewrites the file when
/// ATENDE_UPDATE_GOLDEN is set.
void check_golden(const std::string& name, const golden_lines& actual,
                  int version = 1) {
  if (std::getenv("ATENDE_UPDATE_GOLDEN") != nullptr) {
    std::ofstream out{golden_path(name)};
    out << "# codec.h version " << version
        << " records; see tests/events/golden_test.cc\n";
    for (const auto& [label, bytes] : actual) {
      out << label << ' ' << to_hex(bytes) << '\n';
    }
    return;
  }
  auto expected = read_golden(name);
  ASSERT_EQ(expected.size(), actual.size()) << name;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(expected[i].first, actual[i].first) << name << " line " << i;
    EXPECT_EQ(to_hex(expected[i].second), to_hex(actual[i].second))
      << name << ": " << actual[i].first;
  }
}

TEST(Golden, EventEncodingIsPinned) {
  golden_lines actual;
  for (const auto& e : testing::sample_events()) {
    actual.emplace_back(std::string{type_name(e.data)}, encode_event(e));
  }
  check_golden("events.hex", actual);
}

TEST(Golden, PinnedEventsDecodeToTheSamples) {
  auto lines = read_golden("events.hex");
  auto samples = testing::sample_events();
  ASSERT_EQ(lines.size(), samples.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto e = decode_event(lines[i].second);
    ASSERT_TRUE(e) << lines[i].first << ": " << e.error().message;
    EXPECT_EQ(*e, samples[i]) << lines[i].first;
  }
}

// The chained events are the samples as one tenant's journal: each chained
// to the one before it, the first to chain_start. The hashes pinned here are
// SHA-256 digests, so this file also pins chain.h.
TEST(Golden, ChainedEventEncodingIsPinned) {
  golden_lines actual;
  chain_hash head = chain_start;
  for (const auto& e : testing::sample_events()) {
    actual.emplace_back(std::string{type_name(e.data)},
                        encode_chained_event(e, head, &head));
  }
  check_golden("chained_events.hex", actual, 2);
}

TEST(Golden, PinnedChainedEventsDecodeToTheSamplesAndFormAChain) {
  auto lines = read_golden("chained_events.hex");
  auto samples = testing::sample_events();
  ASSERT_EQ(lines.size(), samples.size());
  chain_hash head = chain_start;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto e = decode_event(lines[i].second);
    ASSERT_TRUE(e) << lines[i].first << ": " << e.error().message;
    EXPECT_EQ(*e, samples[i]) << lines[i].first;
    auto entry = decode_journal_entry(lines[i].second);
    ASSERT_TRUE(entry && entry->hash) << lines[i].first;
    head = chain_next(head, entry->payload);
    EXPECT_EQ(atende::to_hex(*entry->hash), atende::to_hex(head))
        << lines[i].first;
  }
}

TEST(Golden, InputEncodingIsPinned) {
  golden_lines actual;
  for (const auto& in : testing::sample_inputs()) {
    actual.emplace_back(std::string{in.type()}, encode_input_record(in));
  }
  check_golden("inputs.hex", actual);
}

TEST(Golden, PinnedInputsDecodeToTheSamples) {
  auto lines = read_golden("inputs.hex");
  auto samples = testing::sample_inputs();
  ASSERT_EQ(lines.size(), samples.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto in = decode_input_record(lines[i].second);
    ASSERT_TRUE(in) << lines[i].first << ": " << in.error().message;
    EXPECT_EQ(*in, samples[i]) << lines[i].first;
  }
}

TEST(Golden, SnapshotFramingIsPinned) {
  golden_lines actual{
    {"empty", encode_record(record_kind::snapshot, "")},
    {"object", encode_record(record_kind::snapshot, R"({"id":"cv-1"})")},
    {"long", encode_record(record_kind::snapshot, std::string(200, 'a'))},
  };
  check_golden("snapshots.hex", actual);
}

} // namespace
} // namespace atende

// csv_reader: RFC 4180 records, as POST /v1/contacts/import reads them.
#include "gateways/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace atende::testing {
namespace {

using fields = std::vector<std::string>;

/// read_all returns (line, fields) per record; an error's fields are
/// {"!", message}.
std::vector<std::pair<std::size_t, fields>> read_all(std::string_view text) {
  std::vector<std::pair<std::size_t, fields>> out;
  csv_reader r{text};
  while (auto rec = r.next()) {
    if (rec->fields) {
      out.emplace_back(rec->line, *rec->fields);
    } else {
      out.emplace_back(rec->line, fields{"!", rec->fields.error().message});
    }
  }
  return out;
}

using records = std::vector<std::pair<std::size_t, fields>>;

TEST(CsvReader, BareFieldsSplitAtCommas) {
  EXPECT_EQ(read_all("a,b,c\nd,,f"),
            (records{{1, {"a", "b", "c"}}, {2, {"d", "", "f"}}}));
}

TEST(CsvReader, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  EXPECT_EQ(
      read_all("\"Silva, Ana\",\"say \"\"oi\"\"\",\"two\nlines\"\nx,y,z\n"),
      (records{{1, {"Silva, Ana", "say \"oi\"", "two\nlines"}},
               {3, {"x", "y", "z"}}}));
}

TEST(CsvReader, ByteOrderMarkCrlfAndEmptyLinesAreAccepted) {
  EXPECT_EQ(read_all("\xEF\xBB\xBFh1,h2\r\n\r\na,b\r\n\r\n"),
            (records{{1, {"h1", "h2"}}, {3, {"a", "b"}}}));
  EXPECT_EQ(read_all("a\rb\r"), (records{{1, {"a"}}, {2, {"b"}}}));
}

TEST(CsvReader, ATrailingCommaIsAnEmptyLastField) {
  EXPECT_EQ(read_all("a,b,\nc,d,"),
            (records{{1, {"a", "b", ""}}, {2, {"c", "d", ""}}}));
}

TEST(CsvReader, AQuoteInsideABareFieldIsKept) {
  EXPECT_EQ(read_all("O\"Neil,x"), (records{{1, {"O\"Neil", "x"}}}));
}

TEST(CsvReader, TextAfterAClosingQuoteIsAnErrorOfThatRecordOnly) {
  auto got = read_all("\"Jo\"se,1\nok,2\n");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].first, 1u);
  EXPECT_EQ(got[0].second.front(), "!");
  EXPECT_EQ(got[1], (std::pair<std::size_t, fields>{2, {"ok", "2"}}));
}

TEST(CsvReader, AnUnclosedQuoteIsAnErrorAndReadingGoesOnAtTheNextLine) {
  auto got = read_all("a,\"open\nb,2\nc,3\n");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].first, 1u);
  EXPECT_EQ(got[0].second, (fields{"!", "a quoted field is not closed"}));
  EXPECT_EQ(got[1], (std::pair<std::size_t, fields>{2, {"b", "2"}}));
  EXPECT_EQ(got[2], (std::pair<std::size_t, fields>{3, {"c", "3"}}));
}

TEST(CsvReader, EmptyTextHasNoRecords) {
  EXPECT_TRUE(read_all("").empty());
  EXPECT_TRUE(read_all("\xEF\xBB\xBF").empty());
  EXPECT_TRUE(read_all("\n\r\n").empty());
}

} // namespace
} // namespace atende::testing

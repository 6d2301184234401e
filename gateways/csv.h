// csv: reading comma-separated text (RFC 4180) record by record, for
// POST /v1/contacts/import.
//
// Grammar (RFC 4180 section 2, relaxed the way spreadsheets write files):
//   text   := [BOM] *(record eol) [record]     ; BOM: EF BB BF, skipped
//   eol    := CR LF | LF | CR
//   record := field *("," field)
//   field  := quoted | bare
//   quoted := DQUOTE *(any byte but DQUOTE | DQUOTE DQUOTE) DQUOTE
//   bare   := *(any byte but "," CR LF)         ; a DQUOTE in it is kept
// A quoted field may hold commas and line breaks; `""` inside it is one
// `"`. An empty line is no record (a file usually ends with one). Bytes are
// not checked as UTF-8: values go to decode_input, which takes JSON strings.
//
// A record's `line` is the line on which it starts, counting from 1, so
// that an error points where an editor shows it. A quoted field that is not
// closed, or that a byte other than `,` or a line break follows, makes its
// record an error (errc::malformed); reading goes on at the next line.
//
// Thread-safety: none; a reader is a cursor over text it does not own.
//
// Example:
//   csv_reader r{"name,phone\r\n\"Silva, Ana\",5511987654321\r\n"};
//   while (auto rec = r.next()) {
//     if (rec->fields) { use(rec->line, *rec->fields); }
//   }
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/errc.h"

namespace atende {

/// csv_record is one record: its fields, or why it could not be read.
struct csv_record {
  std::size_t line = 0;
  result<std::vector<std::string>> fields;
};

class csv_reader {
public:
  /// csv_reader reads `text`, which must outlive it.
  explicit csv_reader(std::string_view text);

  /// next returns the next record, or nullopt after the last.
  [[nodiscard]] std::optional<csv_record> next();

private:
  [[nodiscard]] bool at_eol() const;
  void skip_eol();
  void skip_line();
  [[nodiscard]] result<std::string> quoted();
  [[nodiscard]] std::string bare();

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

} // namespace atende

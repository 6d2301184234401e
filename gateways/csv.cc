#include "gateways/csv.h"

#include <utility>

namespace atende {

namespace {

constexpr std::string_view bom = "\xEF\xBB\xBF";

} // namespace

csv_reader::csv_reader(std::string_view text) : text_(text) {
  if (text_.starts_with(bom)) {
    pos_ = bom.size();
  }
}

bool csv_reader::at_eol() const {
  return pos_ < text_.size() && (text_[pos_] == '\r' || text_[pos_] == '\n');
}

void csv_reader::skip_eol() {
  if (text_[pos_] == '\r' && pos_ + 1 < text_.size() &&
      text_[pos_ + 1] == '\n') {
    ++pos_;
  }
  ++pos_;
  ++line_;
}

void csv_reader::skip_line() {
  while (pos_ < text_.size() && !at_eol()) {
    ++pos_;
  }
  if (pos_ < text_.size()) {
    skip_eol();
  }
}

std::optional<csv_record> csv_reader::next() {
  while (at_eol()) {
    skip_eol();
  }
  if (pos_ >= text_.size()) {
    return std::nullopt;
  }
  csv_record rec{.line = line_, .fields = std::vector<std::string>{}};
  for (;;) {
    if (text_[pos_] == '"') {
      auto f = quoted();
      if (!f) {
        rec.fields = std::unexpected(std::move(f.error()));
        return rec;
      }
      rec.fields->push_back(std::move(*f));
    } else {
      rec.fields->push_back(bare());
    }
    if (pos_ >= text_.size()) {
      return rec;
    }
    if (text_[pos_] != ',') {
      skip_eol();
      return rec;
    }
    ++pos_;
    if (pos_ >= text_.size()) {
      rec.fields->emplace_back(); // a trailing comma ends in an empty field
      return rec;
    }
  }
}

result<std::string> csv_reader::quoted() {
  const auto open_pos = pos_;
  const auto open_line = line_;
  ++pos_;
  std::string out;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == '"' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
      out += '"';
      pos_ += 2;
      continue;
    }
    if (c == '"') {
      ++pos_;
      if (pos_ < text_.size() && text_[pos_] != ',' && !at_eol()) {
        skip_line();
        return fail(errc::malformed,
                    "a quoted field must end at a comma or at the end of "
                    "the line");
      }
      return out;
    }
    bool crlf = c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n';
    if (c == '\n' || (c == '\r' && !crlf)) {
      ++line_;
    }
    out += c;
    ++pos_;
  }
  // Unclosed, the quote would swallow the rest of the text; the lines after
  // it are more likely rows of their own, so reading goes on there.
  pos_ = open_pos;
  line_ = open_line;
  skip_line();
  return fail(errc::malformed, "a quoted field is not closed");
}

std::string csv_reader::bare() {
  auto start = pos_;
  while (pos_ < text_.size() && text_[pos_] != ',' && !at_eol()) {
    ++pos_;
  }
  return std::string{text_.substr(start, pos_ - start)};
}

} // namespace atende

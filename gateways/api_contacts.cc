// Contacts (CONTRACT section 3, "Contacts"): any agent of the tenant may
// create, change and find them, import them from a CSV file and read their
// history. The phone rules (digits only, both forms of a Brazilian mobile
// are one contact) live in events/phone.h and the engine.
//
// An import checks the file first: its type, the header, each row's shape
// and number, a number given twice. The rows left become one command each,
// contact.patch for a number that has a contact (found through the views by
// either form) and contact.create for a new one, submitted in one engine
// call, so that the engine's rejection of a row (an unknown portfolio, a
// number another request took meanwhile) is that row's error while the
// others are kept.
#include <algorithm>
#include <array>
#include <cctype>
#include <ranges>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "events/phone.h"
#include "gateways/api.h"
#include "gateways/api_records.h"
#include "gateways/csv.h"
#include "gateways/http_errors.h"

namespace atende {

namespace {

/// max_import_rows is the most data rows one import may hold, as many as
/// the envelopes of one POST /v1/events: the rows are one engine call and
/// one reply.
constexpr std::size_t max_import_rows = 10'000;

constexpr std::array<std::string_view, 4> import_columns = {
    "name", "phone", "tags", "portfolios"};

constexpr std::string_view import_header = "name,phone,tags,portfolios";

/// import_row is a data row that passed the gateway's checks.
struct import_row {
  std::size_t line = 0;
  std::string name, phone;
  std::vector<std::string> tags, portfolios;
};

/// row_error is a refused row: its line and why.
struct row_error {
  std::size_t line = 0;
  error err;
};

/// import_file is what the gateway's checks leave of a file.
struct import_file {
  std::vector<import_row> rows;
  std::vector<row_error> errors;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

/// split_list reads a multi-value cell: values separated by `;`, trimmed,
/// empty ones dropped.
std::vector<std::string> split_list(std::string_view cell) {
  std::vector<std::string> out;
  for (auto part : cell | std::views::split(';')) {
    auto v = trim(std::string_view{part.begin(), part.end()});
    if (!v.empty()) {
      out.emplace_back(v);
    }
  }
  return out;
}

/// columns_of drops one empty last column: spreadsheets write a trailing
/// separator.
std::span<const std::string> columns_of(const std::vector<std::string>& f) {
  std::span<const std::string> cols{f};
  if (cols.size() == import_columns.size() + 1 && trim(cols.back()).empty()) {
    cols = cols.first(import_columns.size());
  }
  return cols;
}

bool is_csv_media_type(std::string_view ct) {
  auto type = trim(ct.substr(0, ct.find(';')));
  std::string lower{type};
  std::ranges::transform(lower, lower.begin(), [](unsigned char ch) {
    return static_cast<char>(std::tolower(ch));
  });
  return lower == "text/csv";
}

result<void> check_header(const std::optional<csv_record>& rec) {
  if (!rec) {
    return fail(errc::malformed,
                "is empty: the first line must be the header " +
                    std::string{import_header},
                "body");
  }
  if (!rec->fields) {
    return fail(errc::malformed,
                "the header line: " + rec->fields.error().message, "body");
  }
  auto cols = columns_of(*rec->fields);
  bool ok = std::ranges::equal(
      cols, import_columns, [](const auto& a, auto b) { return trim(a) == b; });
  if (!ok) {
    std::string got;
    for (std::size_t i = 0; i < rec->fields->size(); ++i) {
      got += i == 0 ? "" : ",";
      got += (*rec->fields)[i];
    }
    return fail(
        errc::malformed,
        "the first line must be the header " + std::string{import_header} +
            " (columns in that order), not '" + got.substr(0, 100) + "'",
        "body");
  }
  return {};
}

/// read_row checks a data record's shape and number.
result<import_row> read_row(const csv_record& rec) {
  if (!rec.fields) {
    return std::unexpected(rec.fields.error());
  }
  auto cols = columns_of(*rec.fields);
  if (cols.size() != import_columns.size()) {
    return fail(errc::malformed, "the row has " + std::to_string(cols.size()) +
                                     " columns, not the " +
                                     std::to_string(import_columns.size()) +
                                     " of the header " +
                                     std::string{import_header});
  }
  auto phone = normalize_phone(trim(cols[1]));
  if (!phone) {
    return std::unexpected(phone.error());
  }
  return import_row{.line = rec.line,
                    .name = std::string{trim(cols[0])},
                    .phone = std::move(*phone),
                    .tags = split_list(cols[2]),
                    .portfolios = split_list(cols[3])};
}

/// read_file reads the body of an import: the whole request is refused for
/// a wrong type, an empty body, a wrong header or too many rows; a bad row
/// is refused alone.
result<import_file> read_file(const call& c) {
  const auto& req = c.request();
  if (!req.body.empty() && !is_csv_media_type(req.content_type)) {
    return fail(errc::malformed, "must be text/csv", "Content-Type");
  }
  csv_reader reader{req.body};
  if (auto ok = check_header(reader.next()); !ok) {
    return std::unexpected(ok.error());
  }
  import_file out;
  std::unordered_map<std::string, std::size_t> first_line; // by phone_key
  std::size_t count = 0;
  while (auto rec = reader.next()) {
    if (++count > max_import_rows) {
      return fail(errc::too_large, "an import holds at most " +
                                       std::to_string(max_import_rows) +
                                       " rows");
    }
    auto row = read_row(*rec);
    if (!row) {
      out.errors.push_back({rec->line, std::move(row.error())});
      continue;
    }
    auto [it, fresh] = first_line.emplace(phone_key(row->phone), row->line);
    if (!fresh) {
      out.errors.push_back(
          {row->line, make_error(errc::already_exists,
                                 "the number is already on line " +
                                     std::to_string(it->second),
                                 "phone")});
      continue;
    }
    out.rows.push_back(std::move(*row));
  }
  return out;
}

/// row_command is the command of a row: a patch of contact `existing`, or,
/// when it is empty, a create. An empty tags or portfolios cell leaves an
/// existing contact's as they are: a file exported without them must not
/// empty them.
result<input> row_command(const call& c, const import_row& row,
                          const std::string& existing) {
  if (!existing.empty()) {
    nlohmann::json fields = {{"name", row.name}};
    if (!row.tags.empty()) {
      fields["tags"] = row.tags;
    }
    if (!row.portfolios.empty()) {
      fields["portfolios"] = row.portfolios;
    }
    return make_command(c, "contact.patch",
                        {{"id", existing}, {"fields", std::move(fields)}});
  }
  auto id = client_id(nlohmann::json::object(), record_traits<contact>::prefix);
  if (!id) {
    return std::unexpected(id.error());
  }
  return make_command(c, "contact.create",
                      {{"id", *id},
                       {"name", row.name},
                       {"phone", row.phone},
                       {"tags", row.tags},
                       {"portfolios", row.portfolios}});
}

/// import_reply answers 200 with the counts and the refused rows by line.
void import_reply(const call& c, std::size_t imported, std::size_t updated,
                  std::vector<row_error> errors) {
  std::ranges::stable_sort(errors, {}, &row_error::line);
  auto items = nlohmann::json::array();
  for (const auto& e : errors) {
    auto j = error_json(e.err);
    j["line"] = e.line;
    items.push_back(std::move(j));
  }
  c.reply(200, {{"imported", imported},
                {"updated", updated},
                {"errors", std::move(items)}});
}

/// import_contacts: POST /v1/contacts/import.
void import_contacts(const call& c) {
  auto file = read_file(c);
  if (!file) {
    return c.reply_error(file.error());
  }
  std::vector<std::string> phones;
  phones.reserve(file->rows.size());
  for (const auto& row : file->rows) {
    phones.push_back(row.phone);
  }
  auto existing = c.api->view.contacts_by_phone(c.who, phones);
  std::vector<input> inputs;
  std::vector<std::size_t> lines;
  std::vector<bool> creates;
  for (std::size_t i = 0; i < file->rows.size(); ++i) {
    auto in = row_command(c, file->rows[i], existing[i]);
    if (!in) {
      file->errors.push_back({file->rows[i].line, std::move(in.error())});
      continue;
    }
    inputs.push_back(std::move(*in));
    lines.push_back(file->rows[i].line);
    creates.push_back(existing[i].empty());
  }
  if (inputs.empty()) {
    return import_reply(c, 0, 0, std::move(file->errors));
  }
  submit(c, std::move(inputs),
         [lines = std::move(lines), creates = std::move(creates),
          errors = std::move(file->errors)](const call& c,
                                            std::vector<outcome> out) mutable {
           std::size_t imported = 0, updated = 0;
           for (std::size_t i = 0; i < out.size(); ++i) {
             if (out[i].st == outcome::status::rejected) {
               errors.push_back({lines[i], std::move(out[i].err)});
             } else if (creates[i]) {
               ++imported;
             } else {
               ++updated;
             }
           }
           import_reply(c, imported, updated, std::move(errors));
         });
}

/// contact_history: GET /v1/contacts/{id}/history.
void contact_history(const call& c) {
  auto limit = parse_limit(c);
  if (!limit) {
    return c.reply_error(limit.error());
  }
  auto p = c.api->view.contact_history(c.who, c.param(0), *limit,
                                       query_param(c, "cursor"));
  if (!p) {
    return c.reply_error(p.error());
  }
  c.reply(200, page_json(std::move(*p)));
}

} // namespace

std::vector<route> contact_routes() {
  auto routes = record_routes<contact>("/v1/contacts", "/v1/contacts/{id}",
                                       access::agent);
  routes.push_back(
      {"POST", "/v1/contacts/import", access::agent, &import_contacts});
  routes.push_back(
      {"GET", "/v1/contacts/{id}/history", access::agent, &contact_history});
  return routes;
}

} // namespace atende

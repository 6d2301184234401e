// records: GET /v1/<resource> and GET /v1/<resource>/{id} for the
// configuration records and contacts of one tenant.
//
// Lists are ordered by id and keyset-paged with an id cursor (cursor.h).
// Contacts filter by `phone` (either form of a Brazilian mobile: one lookup
// by phone_key) or by `q`, a case-insensitive name prefix (ASCII and Latin-1
// letters fold), which walks contacts in id order: O(limit / share of
// matching contacts).
//
// Internal to projections/.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "projections/tenant.h"
#include "projections/views.h"

namespace atende::projections {

[[nodiscard]] result<page> list_records(const tenant& t, resource r,
                                        std::size_t limit,
                                        const std::string& cursor,
                                        const std::string& phone,
                                        const std::string& q);

[[nodiscard]] result<nlohmann::json> get_record(const tenant& t, resource r,
                                                const std::string& id);

/// fold_case lowercases ASCII and the Latin-1 letters of UTF-8 text.
[[nodiscard]] std::string fold_case(std::string_view s);

} // namespace atende::projections

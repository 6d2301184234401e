// records: GET /v1/<resource> and GET /v1/<resource>/{id} for the
// configuration records (message templates included) and contacts of one
// tenant.
//
// Lists are ordered by id and keyset-paged with an id cursor (cursor.h).
// Contacts filter by `phone` (either form of a Brazilian mobile: one lookup
// by phone_key) or by `q`, a case-insensitive name prefix (ASCII and Latin-1
// letters fold), which walks contacts in id order: O(limit / share of
// matching contacts). Agents are the supervisors' board, portfolios carry
// their contact counts and first contacts, contacts their portfolios
// (render.h).
//
// Internal to projections/.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "projections/tenant.h"
#include "projections/views.h"

namespace atende::projections {

/// list_records and get_record answer list and get (views.h); `now` is the
/// board's clock (0: the latest event time of the tenant).
[[nodiscard]] result<page> list_records(const tenant& t, resource r,
                                        std::size_t limit,
                                        const std::string& cursor,
                                        const std::string& phone,
                                        const std::string& q,
                                        const std::string& tag, timestamp now);

[[nodiscard]] result<nlohmann::json> get_record(const tenant& t, resource r,
                                                const std::string& id,
                                                timestamp now);

/// portfolio_contacts pages a portfolio's contacts by id.
[[nodiscard]] result<page> portfolio_contacts(const tenant& t,
                                              const std::string& portfolio,
                                              std::size_t limit,
                                              const std::string& cursor);

/// contacts_matching: known contacts by name prefix (fold_case) and tag,
/// in id order; a scan of the tenant's contacts.
[[nodiscard]] std::vector<std::string>
contacts_matching(const tenant& t, const std::string& name,
                  const std::string& tag);

/// contact_by_phone returns the known contact with number `phone`, in
/// either form of a Brazilian mobile (one lookup by phone_key), or null.
[[nodiscard]] const contact_row* contact_by_phone(const tenant& t,
                                                  std::string_view phone);

/// fold_case lowercases ASCII and the Latin-1 letters of UTF-8 text.
[[nodiscard]] std::string fold_case(std::string_view s);

} // namespace atende::projections

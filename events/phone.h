// phone: WhatsApp numbers as digits with country and area code.
//
// Brazilian mobiles may come with or without the 9th digit
// (`5531988887777` vs `553188887777`); both are one contact. `phone_key`
// gives the form under which a number is looked up, so that both forms meet.
#pragma once

#include <string>
#include <string_view>

#include "events/errc.h"

namespace atende {

/// normalize_phone checks that `raw` is 10 to 15 digits (no `+`, spaces or
/// punctuation) and returns it unchanged; otherwise `invalid_phone`.
[[nodiscard]] result<std::string> normalize_phone(std::string_view raw,
                                                  std::string field = "phone");

/// phone_key maps both forms of a Brazilian mobile to one key (the 13-digit
/// form, with the 9th digit); any other number is its own key.
[[nodiscard]] std::string phone_key(std::string_view digits);

} // namespace atende

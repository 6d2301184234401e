#include "events/phone.h"

namespace atende {

result<std::string> normalize_phone(std::string_view raw, std::string field) {
  if (raw.size() < 10 || raw.size() > 15) {
    return fail(errc::invalid_phone,
                "must be 10 to 15 digits with country and area code, e.g. "
                "5511999999999",
                std::move(field));
  }
  for (char c : raw) {
    if (c < '0' || c > '9') {
      return fail(errc::invalid_phone,
                  "must hold digits only (no '+', spaces or punctuation)",
                  std::move(field));
    }
  }
  if (raw[0] == '0') {
    return fail(errc::invalid_phone, "must start with the country code",
                std::move(field));
  }
  return std::string{raw};
}

std::string phone_key(std::string_view d) {
  // Brazil: 55 + 2-digit area code + 8 digits (old form) or 9 + 8 digits.
  // A mobile's 8-digit form starts with 6-9; the key inserts the 9.
  if (d.size() == 12 && d.starts_with("55") && d[4] >= '6' && d[4] <= '9') {
    std::string key{d.substr(0, 4)};
    key += '9';
    key += d.substr(4);
    return key;
  }
  return std::string{d};
}

} // namespace atende

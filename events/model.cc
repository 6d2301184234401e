#include "events/model.h"

namespace atende {

namespace {

bool is_id_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == ':' || c == '-';
}

} // namespace

bool is_valid_id(const std::string& s) {
  if (s.empty() || s.size() > 128) {
    return false;
  }
  for (char c : s) {
    if (!is_id_char(c)) {
      return false;
    }
  }
  return true;
}

} // namespace atende

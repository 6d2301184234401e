#include "events/templates.h"

#include <set>

namespace atende {

namespace {

/// placeholder reads `{{n}}` at `body[i]` (which is `{`); returns n and moves
/// `i` past it, or 0 when it is not a placeholder.
int placeholder(std::string_view body, std::size_t& i) {
  if (body.substr(i, 2) != "{{") {
    return 0;
  }
  std::size_t j = i + 2;
  int n = 0;
  while (j < body.size() && body[j] >= '0' && body[j] <= '9' && n < 1000) {
    n = n * 10 + (body[j] - '0');
    ++j;
  }
  if (j == i + 2 || body.substr(j, 2) != "}}") {
    return 0;
  }
  i = j + 2;
  return n;
}

} // namespace

result<int> placeholder_count(std::string_view body) {
  std::set<int> seen;
  for (std::size_t i = 0; i < body.size();) {
    if (body[i] != '{') {
      ++i;
      continue;
    }
    auto at = i;
    int n = placeholder(body, i);
    if (n == 0) {
      if (body.substr(at, 2) == "{{") {
        return fail(errc::invalid_value,
                    "placeholders are {{1}}, {{2}}, ... (offset " +
                      std::to_string(at) + ")");
      }
      ++i;
      continue;
    }
    seen.insert(n);
  }
  int count = static_cast<int>(seen.size());
  if (!seen.empty() && *seen.rbegin() != count) {
    return fail(errc::invalid_value,
                "placeholders must be numbered from {{1}} without gaps");
  }
  return count;
}

std::string fill_template(std::string_view body,
                          const std::vector<std::string>& params) {
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size();) {
    auto at = i;
    int n = body[i] == '{' ? placeholder(body, i) : 0;
    if (n > 0 && static_cast<std::size_t>(n) <= params.size()) {
      out += params[static_cast<std::size_t>(n) - 1];
    } else if (n > 0) {
      out += body.substr(at, i - at);
    } else {
      out += body[i++];
    }
  }
  return out;
}

} // namespace atende

// names: the closed sets of the language (a team's distribution, an agent's
// role, a channel's kind) are enums, each with one table of its names — the
// names of the API, the journal and the snapshots. Everything that reads or
// writes one goes through its table, so a name cannot be misspelt in one
// place and a value cannot be outside the set.
//
// Example:
//   name_of(team_distribution::round_robin)      // "round_robin"
//   from_name<team_distribution>("least_busy")   // team_distribution::least_busy
//   from_name<team_distribution>("random")       // nullopt
//   names_listed<agent_role>()                   // "agent, admin"
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace atende {

/// names_of<E>::list: the name of each value of E, in the order of E.
template <class E>
struct names_of;

template <class E>
concept named_enum = requires { names_of<E>::list; };

template <named_enum E>
[[nodiscard]] constexpr std::string_view name_of(E e) {
  return names_of<E>::list[static_cast<std::size_t>(e)];
}

template <named_enum E>
[[nodiscard]] constexpr std::optional<E> from_name(std::string_view s) {
  const auto& list = names_of<E>::list;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i] == s) {
      return static_cast<E>(i);
    }
  }
  return std::nullopt;
}

/// names_listed: "a, b, c", for errors ("must be one of a, b, c").
template <named_enum E>
[[nodiscard]] std::string names_listed() {
  std::string out;
  for (auto n : names_of<E>::list) {
    out += out.empty() ? "" : ", ";
    out += n;
  }
  return out;
}

} // namespace atende

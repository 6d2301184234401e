// symbols: a tenant's interned names (ids of channels, teams, agents, reasons,
// tags, stages, message kinds, template and automation names, languages), so
// that conversation rows, lanes and counters hold 4-byte numbers instead of
// strings. Symbol 0 is the empty string, which
// is how rows spell "none" (no assignee, no stage).
//
// Thread-safety: none; intern only under views' exclusive lock, find and name
// under either lock.
//
// Internal to projections/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace atende::projections {

using symbol = std::uint32_t;

class symbol_table {
public:
  symbol_table() { intern(""); }
  symbol_table(const symbol_table&) = delete;
  symbol_table& operator=(const symbol_table&) = delete;

  /// intern returns the symbol of `s`, adding it when new.
  symbol intern(std::string_view s) {
    if (auto it = ids_.find(s); it != ids_.end()) {
      return it->second;
    }
    auto id = static_cast<symbol>(names_.size());
    // The deque never moves its strings, so the map may key on views of them.
    const auto& stored = names_.emplace_back(s);
    ids_.emplace(std::string_view{stored}, id);
    return id;
  }

  /// find returns the symbol of `s` without adding it.
  [[nodiscard]] std::optional<symbol> find(std::string_view s) const {
    if (auto it = ids_.find(s); it != ids_.end()) {
      return it->second;
    }
    return std::nullopt;
  }

  /// name returns the string of a symbol.
  [[nodiscard]] const std::string& name(symbol id) const { return names_[id]; }

  /// size is the number of symbols (the next one's number).
  [[nodiscard]] std::size_t size() const { return names_.size(); }

private:
  std::deque<std::string> names_;
  std::unordered_map<std::string_view, symbol> ids_;
};

} // namespace atende::projections

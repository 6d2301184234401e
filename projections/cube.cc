#include "projections/cube.h"

#include <functional>

namespace atende::projections {

namespace {

std::uint64_t pair_key(symbol a, symbol b) {
  return (std::uint64_t{a} << 32) | b;
}

} // namespace

std::size_t cube::hash::operator()(const cell_key& k) const noexcept {
  std::uint64_t h = pair_key(k.team, k.assignee) * 0x9e3779b97f4a7c15ULL;
  h ^= pair_key(k.channel, k.stage) + 0x632be59bd9b4e019ULL + (h << 6) +
       (h >> 2);
  h ^= (std::uint64_t{static_cast<std::uint8_t>(k.status)} << 8 | k.flags) *
       0xbf58476d1ce4e5b9ULL;
  return std::hash<std::uint64_t>{}(h);
}

void cube::add(const cell_key& k, std::int64_t delta) {
  if (auto it = slots_.find(k); it != slots_.end()) {
    groups_[it->second.group].cells[it->second.cell].count += delta;
    return;
  }
  auto gk = pair_key(k.team, k.assignee);
  auto [git, fresh] =
    group_of_.try_emplace(gk, static_cast<std::uint32_t>(groups_.size()));
  if (fresh) {
    groups_.push_back({.team = k.team, .assignee = k.assignee, .cells = {}});
  }
  auto& g = groups_[git->second];
  slots_.emplace(k, slot{git->second, static_cast<std::uint32_t>(g.cells.size())});
  g.cells.push_back({.key = k, .count = delta});
}

} // namespace atende::projections

// inbox_match: the matching rules of inbox_query.h and the tab counts.
//
// Internal to projections/.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "events/visibility.h"
#include "projections/inbox_query.h"

namespace atende::projections {

/// filters are a query's filters as the tenant's symbols. `impossible` when a
/// filter names something the tenant never had: nothing can match.
struct filters {
  bool impossible = false;
  std::optional<symbol> channel, team, stage, tag;
  std::optional<std::uint32_t> contact; // contact ordinal
};

[[nodiscard]] filters resolve(const tenant& t, const inbox_query& q);

/// viewer is the caller as the visibility rules need it.
class viewer {
public:
  viewer(const tenant& t, const principal& who);

  [[nodiscard]] bool admin() const { return admin_; }
  [[nodiscard]] symbol agent() const { return agent_; }
  [[nodiscard]] const std::vector<std::string>& teams() const {
    return teams_;
  }

  /// sees and takes apply may_see / may_take (events/visibility.h) to
  /// conversation row `ord`.
  [[nodiscard]] bool sees(const tenant& t, std::uint32_t ord) const;
  [[nodiscard]] bool takes(const tenant& t, std::uint32_t ord) const;

  /// sees and takes apply them to the conversations of a cube cell group:
  /// (team, assignee), restricted or not, whether the viewer owns one of the
  /// governing portfolios.
  [[nodiscard]] bool sees(const tenant& t, symbol team, symbol assignee,
                          bool restricted, bool owns) const;
  [[nodiscard]] bool takes(const tenant& t, symbol team, symbol assignee,
                           bool restricted, bool owns) const;

  /// owns tells whether the viewer owns a portfolio governing row `ord`.
  [[nodiscard]] bool owns(const tenant& t, std::uint32_t ord) const;

private:
  const std::string& agent_name_;
  const std::vector<std::string>& teams_;
  bool admin_;
  symbol agent_ = 0; // 0: no conversation ever named the agent
};

/// cell_matches: status list and the channel/team/stage filters.
[[nodiscard]] bool cell_matches(const inbox_query& q, const filters& f,
                                const cell_key& k);

/// view_admits: the view's rule for conversation row `ord`.
[[nodiscard]] bool view_admits(const tenant& t, const viewer& v, view_kind view,
                               std::uint32_t ord);

/// row_matches: the whole predicate, for view `view`.
[[nodiscard]] bool row_matches(const tenant& t, const inbox_query& q,
                               const filters& f, const viewer& v,
                               view_kind view, std::uint32_t ord);

struct tab_counts {
  std::size_t all = 0, mine = 0, unassigned = 0;
  [[nodiscard]] std::size_t of(view_kind v) const {
    return v == view_kind::all ? all : v == view_kind::mine ? mine : unassigned;
  }
};

/// count_tabs counts the matches of each view (see inbox_query.h for cost).
[[nodiscard]] tab_counts count_tabs(const tenant& t, const viewer& v,
                                    const inbox_query& q, const filters& f);

} // namespace atende::projections

// tenant: one tenant's read model, the state behind views.
//
// Records (channels, teams, agents, reasons, pause types, portfolios,
// contacts, message templates) are kept as the events carry them, ordered by
// id for keyset-paged lists. Conversations are rows in a table addressed by
// ordinal (creation order); names inside rows are interned symbols
// (symbols.h). Three kinds of index follow every row:
//
//   lanes   ordered (last_activity_at, ordinal) sets, one per (dimension,
//           list, symbol): the tenant as a whole, each team, assignee,
//           channel, stage and tag, crossed with the status lists. A page is
//           a walk along the smallest lane that holds every match (see
//           inbox_query.cc). See `has_lane` for which pairs exist.
//   cubes   counters per (status, flags, team, assignee, channel, stage)
//           cell, overall and per stage and per tag, so that tab counts are a
//           pass over cells, never over rows (see cube.h).
//   open    per-agent count of assigned, unfinished conversations.
//
// Restricted rows. A waiting conversation routed to a portfolio, or waiting
// in a `contact_group` team while its contact is in a portfolio, is seen
// only by the owners of the portfolios that govern it (events/visibility.h,
// decided by `index` with governing_portfolios). Such a row
//   - carries the `restricted` cell flag, so counts admit its cells for
//     admins only, and it stays out of the team lanes (which therefore hold
//     exactly what the team's agents see) and goes to the team's
//     `restricted` lane instead (read by a team filter, with the team lane);
//   - is in the `owner` lane and the owner cubes (`owner_counts`, and per
//     tag `owner_tag_counts`, both keeping stages) of each owner
//     (responsible or member) of a governing portfolio: an agent's page and
//     counts add those to its teams' and its own;
//   - is in the `portfolio` lane of each governing portfolio, so that a
//     change of owners re-indexes only the rows that portfolio governs;
//   - has its governing portfolios and owners in `restrictions`, written by
//     `index` and consumed by `unindex`, so a row always leaves exactly the
//     lanes and cubes it entered.
// What makes a row restricted changes with routing and assignment (the
// row's own events), a contact's portfolios (re-index the contact's waiting
// rows), a portfolio's owners or its deletion (its `portfolio` lane) and a
// team's distribution (the team's waiting and restricted lanes).
//
// Every change to a row is `unindex`, change, `index`, so the indexes can
// never drift from the rows: `index` and `unindex` are the only functions
// that put rows into indexes or take them out.
//
// Waiting history. Because `index` is where a row's waiting audience is
// decided (its team's list, or the owners of its governing portfolios, or
// none once assigned or finished), `index` also notes each change of it on
// the row (`conversation_row::waiting`, see note_waiting) with the seq and
// time of the event being applied, whichever event it is: the row's own, or
// one of the others above (a contact's portfolios, owners, a team's
// distribution). The timeline shows who could see a waiting conversation and
// since when. Marks are 24 bytes (seq, time, symbols); a restricted audience
// is kept once per tenant (`audiences`), however many marks name it.
//
// Windows. The 24-hour window belongs to a (contact, channel), not to a
// conversation: a customer who wrote on a channel in a conversation since
// finished opened it for the next one there. `windows` keeps, per pair, the
// last inbound message and the last send that failed with 131047 (the
// provider found the window closed); a conversation's window_expires_at and
// composer_locked are computed from it when rendered, against the reader's
// clock, so nothing is indexed by time.
//
// Thread-safety: none; views serializes writers and readers.
//
// Internal to projections/.
#pragma once

#include <cstdint>
#include <deque>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "events/event.h"
#include "events/model.h"
#include "events/window.h"
#include "projections/cube.h"
#include "projections/lane.h"
#include "projections/symbols.h"

namespace atende::projections {

/// never marks an absent time (no inbound message, not finished).
inline constexpr timestamp never = std::numeric_limits<timestamp>::min();

enum class message_status : std::uint8_t {
  received, pending, sent, delivered, read, failed
};

/// reaction_mark is one reaction on a message: `by` "customer" or an agent
/// id, the emoji, when.
struct reaction_mark {
  std::string by;
  std::string emoji;
  timestamp at = 0;

  friend bool operator==(const reaction_mark&, const reaction_mark&) = default;
};

/// message_extra is what few messages have: the params of a template, the
/// error of a failed send, the content of a message that is more than text
/// (message_received::content, rendered as the message's own keys, without
/// `reply_to`), the message it quotes (its id, resolved from the provider's
/// id) and its reactions.
struct message_extra {
  std::vector<std::string> params;
  std::string error_code;
  std::string error_title;
  nlohmann::json content;
  std::string reply_to;
  std::vector<reaction_mark> reactions; // one per `by`, oldest first
};

/// message_row is a message of a conversation. `kind` is the event's
/// ("text", "image", ..., "template") or "automation" for an automation
/// flow's message; `name` the template's or the automation's, or a note's
/// author.
struct message_row {
  std::string id;
  std::string text; // a template's: its body with the params filled in
  timestamp at = 0;
  symbol kind = 0;
  symbol name = 0;
  symbol language = 0; // a template's
  // provider_key of the provider's id (the wamid), 0 when it has none: how
  // a quote or a reaction finds the message (tenant_apply.cc).
  std::uint64_t provider = 0;
  bool outbound = false;
  bool note = false; // an internal note: direction "note", never sent
  message_status status = message_status::received;
  std::unique_ptr<message_extra> extra; // null: no params, no error
};

/// no_message marks a row without outbound messages (conversation_row::
/// last_out).
inline constexpr std::uint32_t no_message =
  std::numeric_limits<std::uint32_t>::max();

/// not_waiting is the audience of an audience_mark of a row that stopped
/// waiting (assigned or finished).
inline constexpr std::uint32_t not_waiting =
  std::numeric_limits<std::uint32_t>::max();

/// audience_mark: from event `seq` (at `at`) on, the row waits in team
/// `team`: in the whole team's list when `audience` is 0, else only in the
/// lists of the owners of restriction tenant::audiences[audience]; or it does
/// not wait (`audience` not_waiting, `team` 0).
struct audience_mark {
  std::uint64_t seq = 0;
  timestamp at = 0;
  symbol team = 0;
  std::uint32_t audience = not_waiting;
};

struct conversation_row {
  std::string id;
  std::string description;
  std::vector<message_row> messages; // oldest first
  std::vector<audience_mark> waiting; // changes of its audience, oldest first
  timestamp created_at = 0;
  timestamp last_activity_at = 0;
  timestamp finished_at = never;
  std::uint32_t contact = 0; // ordinal in tenant::contacts
  // The index in `messages` of the last outbound one: its failure is the
  // row's `last_failed` flag.
  std::uint32_t last_out = no_message;
  symbol channel = 0, team = 0, assignee = 0, reason = 0, origin = 0;
  symbol portfolio = 0; // routed to it (conversation_routed); 0: none
  conv_status status = conv_status::waiting;
  std::uint8_t flags = 0; // cell_flags; `restricted` is index's to set
  bool held = false; // outside its portfolio's business hours
};

struct contact_row {
  contact value;
  std::vector<symbol> tags;
  symbol stage = 0;
  std::vector<std::uint32_t> conversations; // row ordinals
  // The portfolios holding the contact (ids, sorted), from
  // portfolio_contacts_changed and portfolio_deleted; the record's own
  // `portfolios` field is not membership and is ignored.
  std::vector<std::string> portfolios;
  // false for a contact that a conversation named before it was created; such
  // a row exists only to hold the conversations and is never listed.
  bool known = false;
};

/// portfolio_row is a portfolio and the ids of the contacts it holds.
struct portfolio_row {
  portfolio value;
  std::set<std::string, std::less<>> contacts;
};

/// agent_presence: online status and the running pause of an agent.
struct agent_presence {
  bool online = false;
  std::string pause_type; // empty: not paused
  timestamp pause_since = 0;
};

/// window_key keys tenant::windows: (contact ordinal, channel symbol).
[[nodiscard]] constexpr std::uint64_t window_key(std::uint32_t contact,
                                                 symbol channel) {
  return (std::uint64_t{contact} << 32) | channel;
}

/// restriction: where `index` put a restricted row besides the usual lanes
/// (symbols of the governing portfolios and of their owners, sorted, unique).
struct restriction {
  std::vector<symbol> portfolios;
  std::vector<symbol> owners;
  friend auto operator<=>(const restriction&, const restriction&) = default;
};

/// dim is what a lane is keyed by, besides the list. The last three hold
/// restricted rows only (see the top of this file): `restricted` per team,
/// `owner` per agent, `portfolio` per governing portfolio.
enum class dim : std::uint8_t {
  tenant, team, assignee, channel, stage, tag, restricted, owner, portfolio
};

/// has_lane tells which (dimension, list) lanes exist. Base lists (active,
/// finished) exist for the first six dimensions; `waiting` for the tenant and
/// teams (unassigned views); the rarer flag lists for the tenant and
/// assignees (an agent's own awaiting-customer list). A missing pair falls
/// back to the dimension's `active` lane, of which the flag lists are
/// subsets. Restricted rows all wait, so their dimensions have only the
/// `waiting` lane, which serves every list that holds waiting rows (a walk
/// checks the list of each row).
[[nodiscard]] bool has_lane(dim d, list_kind l);

/// holds_waiting tells whether list `l` may hold waiting rows, hence
/// restricted ones.
[[nodiscard]] bool holds_waiting(list_kind l);

[[nodiscard]] constexpr std::uint64_t lane_id(dim d, list_kind l, symbol s) {
  return (std::uint64_t{static_cast<std::uint8_t>(d)} << 40) |
         (std::uint64_t{static_cast<std::uint8_t>(l)} << 32) | s;
}

/// subscription_row: a subscription and where its deliveries stand
/// (views.h subscription_entry).
struct subscription_row {
  subscription value;
  std::int64_t position = 0;
  std::int64_t rewinds = 0;
};

struct tenant {
  tenant_info info;
  bool created = false;
  symbol_table symbols;

  std::map<std::string, channel, std::less<>> channels;
  std::map<std::string, team, std::less<>> teams;
  std::map<std::string, agent, std::less<>> agents;
  std::map<std::string, reason, std::less<>> reasons;
  std::map<std::string, pause_type, std::less<>> pause_types;
  std::map<std::string, portfolio_row, std::less<>> portfolios;
  std::map<std::string, message_template, std::less<>> templates;
  std::map<std::string, subscription_row, std::less<>> subscriptions;
  std::map<std::string, agent_presence, std::less<>> presence;
  timestamp clock = 0; // the latest event time seen

  std::deque<contact_row> contacts;
  std::map<std::string, std::uint32_t, std::less<>> contact_ids;
  // The indexes that grow with contacts and conversations are open-addressing
  // tables (one allocation per table, not per entry): a rebuild looks them
  // up for every event, and they hold one entry per row.
  absl::flat_hash_map<std::string, std::uint32_t> contact_phones; // phone_key
  absl::flat_hash_map<std::uint64_t, contact_window> windows; // window_key

  std::deque<conversation_row> rows;
  // Keys view rows' ids: rows never move (deque) and ids never change.
  absl::flat_hash_map<std::string_view, std::uint32_t> row_ids;
  // The rows whose messages hold each stored media (media id → row
  // ordinals, each once): who may see a conversation may fetch its media.
  absl::flat_hash_map<std::string, std::vector<std::uint32_t>> media_rows;

  std::unordered_map<std::uint64_t, lane> lanes;
  cube counts; // every row, with stage zeroed
  std::unordered_map<symbol, cube> stage_counts;
  std::unordered_map<symbol, cube> tag_counts;
  std::unordered_map<symbol, std::int64_t> open_count;

  // Restricted rows (see the top of this file).
  std::unordered_map<std::uint32_t, restriction> restrictions; // by ordinal
  std::unordered_map<symbol, cube> owner_counts;               // by owner
  std::unordered_map<std::uint64_t, cube> owner_tag_counts; // (owner, tag)

  // Waiting history (see the top of this file): the event being applied,
  // and the restricted audiences marks name ([0]: a whole team's list).
  std::uint64_t applying_seq = 0;
  timestamp applying_at = 0;
  std::vector<restriction> audiences = std::vector<restriction>(1);
  std::map<restriction, std::uint32_t> audience_ids;
};

/// apply_event folds one event of this tenant.
void apply_event(tenant& t, const event& e);

/// contact_ord returns the row of contact `id`, creating an unknown one (a
/// conversation or a portfolio may name a contact the view has not seen
/// created).
std::uint32_t contact_ord(tenant& t, const std::string& id);

/// The folds of portfolio_apply.cc: portfolios and their contacts, and the
/// team changes that move restricted rows.
void save_portfolio(tenant& t, const portfolio& p);
void delete_portfolio(tenant& t, const portfolio_deleted& d);
void change_portfolio_contacts(tenant& t, const portfolio_contacts_changed& c);
void save_team(tenant& t, const team& x);

/// governed_rows: the waiting rows routed to portfolio `id` (which it
/// restricts); team_waiting_rows: the waiting rows of team `id`,
/// restricted or not (its distribution decides which). The rows those
/// folds re-index.
[[nodiscard]] std::vector<std::uint32_t> governed_rows(const tenant& t,
                                                       const std::string& id);
[[nodiscard]] std::vector<std::uint32_t>
team_waiting_rows(const tenant& t, const std::string& id);

/// cell_of is the counting cell of a row (with its contact's stage).
[[nodiscard]] cell_key cell_of(const tenant& t, const conversation_row& r);

/// index adds row `ord` to every lane, cube and open count it belongs to,
/// deciding first whether it is restricted; unindex removes it. Call
/// unindex before changing a row or what restricts it, index after.
void index(tenant& t, std::uint32_t ord);
void unindex(tenant& t, std::uint32_t ord);

/// note_waiting appends to row `ord` a mark of its waiting audience, given its
/// restriction `rs` (null: none), when that differs from the last mark (index
/// calls it). A second change by the same event replaces the first.
void note_waiting(tenant& t, std::uint32_t ord, const restriction* rs);

/// owner_tag_key keys tenant::owner_tag_counts.
[[nodiscard]] constexpr std::uint64_t owner_tag_key(symbol owner, symbol tag) {
  return (std::uint64_t{owner} << 32) | tag;
}

/// restriction_of returns where restricted row `ord` was indexed, or null
/// when it is not restricted.
[[nodiscard]] const restriction* restriction_of(const tenant& t,
                                                std::uint32_t ord);

/// waiting_rows returns the ordinals in the waiting lanes (d, s) for each
/// (d, s) of `lanes`, for re-indexing them.
[[nodiscard]] std::vector<std::uint32_t>
waiting_rows(const tenant& t,
             std::initializer_list<std::pair<dim, symbol>> lanes);

/// find_lane returns the lane (d, l, s), or null when it never held a key.
[[nodiscard]] const lane* find_lane(const tenant& t, dim d, list_kind l,
                                    symbol s);

/// provider_key is message_row::provider of a provider's message id (the
/// wamid): its 64-bit FNV-1a hash, never 0 (0 is "none").
[[nodiscard]] std::uint64_t provider_key(std::string_view id);

/// find_by_provider finds the message whose provider id is `id` among the
/// messages of conversation `ord` and then of its contact's other
/// conversations, newest first (a customer quotes or reacts to a message of
/// an earlier conversation too); null when none. `in`, when given, gets
/// the ordinal of the conversation holding it.
[[nodiscard]] const message_row* find_by_provider(const tenant& t,
                                                  std::uint32_t ord,
                                                  std::string_view id,
                                                  std::uint32_t* in = nullptr);

/// find_row returns the ordinal of conversation `id`.
[[nodiscard]] std::optional<std::uint32_t> find_row(const tenant& t,
                                                    std::string_view id);

/// window_expires_at is when free text stops being allowed in row `r`'s
/// (contact, channel): 24 h after the contact's last message there, unless a
/// send failed with 131047 after that message. never: closed, or never
/// opened.
[[nodiscard]] timestamp window_expires_at(const tenant& t,
                                          const conversation_row& r);

/// open_count_of is the number of unfinished conversations assigned to
/// agent `id`.
[[nodiscard]] std::int64_t open_count_of(const tenant& t, std::string_view id);

} // namespace atende::projections

// views: the read side. In-memory indexes built from committed domain events
// that answer every HTTP query: the inbox views (all / mine / unassigned) with
// status lists, filters, sort, keyset paging and tab counts; a conversation
// with its messages; the configuration lists (channels, teams, agents,
// reasons, pause types, portfolios, message templates, contacts); whose
// waiting list each conversation was in, and since which event (the
// timeline's); the frames of the live stream (GET /v1/stream) a change
// makes for each subscriber; and the token table for authentication.
//
// Thread-safety: `apply` takes an exclusive lock and is called by the shards
// after each commit (before the commands' replies are released, so a client
// reads its own writes); every query takes a shared lock and may run on any
// number of HTTP threads at once. No query ever returns another tenant's data.
//
// Example:
//   views v;
//   v.apply(committed_events);
//   auto who = v.authenticate(sha256_hex(token));
//   auto page = v.conversations(*who, {.view = "unassigned"});
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/errc.h"
#include "events/event.h"

namespace atende {

/// principal is an authenticated caller of the API.
struct principal {
  std::string tenant; // empty for root
  std::string agent;  // empty for root
  bool admin = false;
  bool root = false;
  std::string session; // the token's hash when it is a sign-in session's
};

/// conversation_query: the parameters of GET /v1/conversations, unvalidated
/// strings as they came in the query string (views validates them and names a
/// bad one in errc::malformed with field e.g. "view").
struct conversation_query {
  std::string view = "all";     // all|mine|unassigned
  std::string status = "open";  // open|awaiting_customer|send_failed|finished|automation
  std::string channel, tag, stage, team, contact;
  std::string sort = "recent";  // recent|oldest
  std::size_t limit = 25;       // 1..500 (the gateway parses and bounds it)
  std::string cursor;           // opaque, from a previous next_cursor
};

/// page: one page of a list. `next_cursor` is empty at the end.
struct page {
  std::vector<nlohmann::json> items;
  std::string next_cursor;
};

struct conversation_page {
  page items; // rendering::json
  std::string items_text; // rendering::text: the items' JSON text, joined by ','
  std::size_t all = 0, mine = 0, unassigned = 0;
};

/// rendering: how a list's items come out: JSON values, or JSON text written
/// straight from the rows (for replies, where building values costs most).
enum class rendering { json, text };

/// waiting_audience: whose waiting list a conversation is in: that of its
/// team `team`, or, when `portfolios` is not empty (it is restricted,
/// events/visibility.h), only those of the portfolios' `owners` (agent ids;
/// none when the portfolios are gone: then only admins see it). Both sorted.
struct waiting_audience {
  std::string team;
  std::vector<std::string> portfolios;
  std::vector<std::string> owners;
  friend bool operator==(const waiting_audience&,
                         const waiting_audience&) = default;
};

/// waiting_mark: from event `seq` (at `at`) on, the conversation waits for
/// `audience`, or no longer waits (nullopt: assigned or finished).
struct waiting_mark {
  std::uint64_t seq = 0;
  timestamp at = 0;
  std::optional<waiting_audience> audience;
  friend bool operator==(const waiting_mark&, const waiting_mark&) = default;
};

/// The configuration lists: channels, teams, agents, reasons, contacts,
/// pause types, portfolios, message templates.
enum class resource {
  channels, teams, agents, reasons, contacts, pause_types, portfolios,
  templates, subscriptions
};

/// subscription_entry: a subscription of `tenant` (its secret sealed) and
/// where its deliveries stand: accepted up to the tenant's event
/// `position`, after `rewinds` rewinds (events/event.h).
struct subscription_entry {
  std::string tenant;
  subscription record;
  std::int64_t position = 0;
  std::int64_t rewinds = 0;
};

/// stream_frame: one frame of GET /v1/stream (CONTRACT "Live updates"):
/// its type and its data, JSON text shared by every stream it goes to.
/// `seq` is the tenant's event it follows, its resume position; 0 for a
/// frame that has none (counts).
struct stream_frame {
  std::string_view type; // a static string
  std::shared_ptr<const std::string> data;
  std::uint64_t seq = 0;
};

/// watcher: a stream's subscriber as the views see it — who, the list it
/// follows (view, status and filters of GET /v1/conversations; sort, limit
/// and cursor are not used; an empty status follows every status) — and
/// what the views found for it.
struct watcher {
  principal who;
  conversation_query query;
  std::vector<stream_frame> frames; // appended by watch and watch_counts
  bool reset = false; // what it may see changed wholesale: reload
  std::array<std::size_t, 3> counts{}; // all, mine, unassigned, last sent
  bool counted = false;
};

class views {
public:
  views();
  ~views();
  views(const views&) = delete;
  views& operator=(const views&) = delete;

  /// apply folds committed events into the indexes (in commit order).
  void apply(const std::vector<event>& events);

  /// forget drops every tenant for which `gone(tenant id)` holds, with its
  /// tokens and numbers (Kafka mode: the tenant's partition moved to another
  /// instance; it is rebuilt from the journal if it comes back).
  void forget(const std::function<bool(const std::string&)>& gone);

  /// authenticate maps a token's SHA-256 hex digest to its agent; a
  /// session's token (agent.session_started) only until it expires (`now`,
  /// Unix ms; 0: expiry not checked) or ends.
  [[nodiscard]] std::optional<principal>
  authenticate(const std::string& token_hash, timestamp now = 0) const;

  /// find_agent returns the record (with its password hash) of agent `id` of
  /// `tenant`, or nothing.
  [[nodiscard]] std::optional<agent> find_agent(const std::string& tenant,
                                                const std::string& id) const;

  /// agent_by_login returns the record (with its password hash) of the agent
  /// of `tenant` whose login is `login`, or nothing.
  [[nodiscard]] std::optional<agent>
  agent_by_login(const std::string& tenant, const std::string& login) const;

  /// tenant_exists tells whether a tenant was created.
  [[nodiscard]] bool tenant_exists(const std::string& tenant) const;

  /// conversations answers GET /v1/conversations for `who`. `now` is the
  /// wall clock the objects are shown at: a conversation's
  /// `composer_locked` says whether its 24-hour window has expired by then
  /// (0: the latest event time of the tenant).
  [[nodiscard]] result<conversation_page>
  conversations(const principal& who, const conversation_query& q,
                timestamp now = 0, rendering as = rendering::json) const;

  /// conversation answers GET /v1/conversations/{id}: the conversation object
  /// (CONTRACT section 3) at `now` (as conversations) plus `messages`, oldest
  /// first, each {id, direction, kind, text, at, status} with `error`
  /// {code, title} when failed, `template` {name, language, params} for a
  /// template, `automation` (its name) for an automation flow's message.
  /// not_found when it does not exist or `who` may not see it.
  [[nodiscard]] result<nlohmann::json>
  conversation(const principal& who, const std::string& id,
               timestamp now = 0) const;

  /// waiting_history answers, for conversation `id`, each change of whose
  /// waiting list it is in, oldest first: the event that made it (the
  /// conversation's own, or one that changed a portfolio, its contacts or
  /// owners, or a team's distribution) and the audience from then on. The
  /// first mark is the opening. not_found when it does not exist or `who`
  /// may not see it (as `conversation`; an admin needs no agent id, as the
  /// offline audit asks).
  [[nodiscard]] result<std::vector<waiting_mark>>
  waiting_history(const principal& who, const std::string& id) const;

  /// outbound_settled tells whether outbound message `message_id` of
  /// conversation `id` has an outcome: the provider accepted it (it has its
  /// id) or a status moved it on. False for a message the views do not
  /// show.
  [[nodiscard]] bool outbound_settled(const std::string& tenant,
                                      const std::string& id,
                                      const std::string& message_id) const;

  /// media_stored tells whether the media of customer message `message_id`
  /// of conversation `id` is stored (it has its media id). False for a
  /// message the views do not show.
  [[nodiscard]] bool media_stored(const std::string& tenant,
                                  const std::string& id,
                                  const std::string& message_id) const;

  /// sees_media tells whether `who` may see a conversation that holds
  /// media `id` (a customer's stored media or an agent's sent one).
  [[nodiscard]] bool sees_media(const principal& who,
                                const std::string& id) const;

  /// conversation_object is the object at `now` (as conversations), without
  /// messages and without a visibility check (for replies to a command the
  /// engine accepted).
  [[nodiscard]] std::optional<nlohmann::json>
  conversation_object(const std::string& tenant, const std::string& id,
                      timestamp now = 0) const;

  /// list answers GET /v1/<resource>, ordered by id, keyset-paged.
  /// For contacts, `phone` (either form of a Brazilian mobile) or `q` (name
  /// prefix, case-insensitive) filter; other resources ignore them.
  /// Agents are the supervisors' board: without token hashes, with
  /// `status` ("online"|"offline"), `pause` (null or {type, since,
  /// elapsed_minutes, overdue}, computed at `now`) and `open_count`.
  /// Portfolios carry `contact_count` and `contacts` (the first 10 by id,
  /// {id, name, phone}); contacts carry `portfolios` (ids, sorted);
  /// templates are {id, channel, name, language, body, status}.
  [[nodiscard]] result<page> list(const principal& who, resource r,
                                  std::size_t limit, const std::string& cursor,
                                  const std::string& phone = {},
                                  const std::string& q = {},
                                  const std::string& tag = {},
                                  timestamp now = 0) const;

  /// get answers GET /v1/<resource>/{id}; not_found if absent. Same forms
  /// as list.
  [[nodiscard]] result<nlohmann::json> get(const principal& who, resource r,
                                           const std::string& id,
                                           timestamp now = 0) const;

  /// portfolio_contacts answers GET /v1/portfolios/{id}/contacts: the
  /// portfolio's contacts ({id, name, phone, tags}), ordered by id,
  /// keyset-paged; not_found for an unknown portfolio.
  [[nodiscard]] result<page>
  portfolio_contacts(const principal& who, const std::string& portfolio,
                     std::size_t limit, const std::string& cursor) const;

  /// contact_history answers GET /v1/contacts/{id}/history: the contact's
  /// finished conversations that `who` may see (as `conversation` decides),
  /// newest first by finished_at, ties by id, keyset-paged; items {id,
  /// channel, agent, team, reason, description, opened_at, finished_at}
  /// (`agent` the assignee who served it, null when none). not_found for an
  /// unknown contact.
  [[nodiscard]] result<page> contact_history(const principal& who,
                                             const std::string& contact,
                                             std::size_t limit,
                                             const std::string& cursor) const;

  /// contacts_by_phone returns, for each number of `phones`, the id of the
  /// tenant's contact with that number in either form of a Brazilian mobile,
  /// or "" when there is none (one lock for the whole list: an import looks
  /// up thousands).
  [[nodiscard]] std::vector<std::string>
  contacts_by_phone(const principal& who,
                    const std::vector<std::string>& phones) const;

  /// contacts_matching returns the ids of the tenant's contacts whose name
  /// starts with `name` (case-insensitive; empty: any) and that carry tag
  /// `tag` (empty: any), ordered by id (the add_filter of
  /// POST /v1/portfolios/{id}/contacts).
  [[nodiscard]] std::vector<std::string>
  contacts_matching(const principal& who, const std::string& name,
                    const std::string& tag) const;

  /// channel_owner returns the (tenant, channel) that holds Meta's
  /// `phone_number_id`, across all tenants; nullopt when none does.
  [[nodiscard]] std::optional<std::pair<std::string, std::string>>
  channel_owner(const std::string& phone_number_id) const;

  /// channel_record returns channel `id` of `tenant` as recorded (secrets
  /// sealed), or nullopt.
  [[nodiscard]] std::optional<channel>
  channel_record(const std::string& tenant, const std::string& id) const;

  /// template_channels returns the (tenant, channel) pairs whose channel
  /// belongs to Meta's WhatsApp Business Account `waba_id` and has the
  /// template `name` in `language`, across all tenants: where a template
  /// status update of that account applies. A scan of every channel;
  /// template updates are rare.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>>
  template_channels(const std::string& waba_id, const std::string& name,
                    const std::string& language) const;

  /// subscriptions lists every subscription of the tenants for which
  /// `serves(tenant id)` holds (the subscriptions' sender starts from them).
  [[nodiscard]] std::vector<subscription_entry> subscriptions(
    const std::function<bool(const std::string&)>& serves) const;

  /// tenants_with_hours lists the tenants that have a portfolio with
  /// business hours (the engine's clock ticks them, see tenant.tick).
  [[nodiscard]] std::vector<std::string> tenants_with_hours() const;

  /// conversation_count is the number of conversations of all tenants.
  [[nodiscard]] std::size_t conversation_count() const;

  /// check_watch validates a stream's list query for `who` (errors as
  /// conversations': errc::malformed naming the field).
  [[nodiscard]] result<void> check_watch(const principal& who,
                                         const conversation_query& q) const;

  /// watch renders `events` of `tenant` (committed and applied, oldest
  /// first) as frames for each watcher: conversation.updated / .removed,
  /// message.created / .updated, agent.updated, or `reset` (rules in
  /// projections/stream.cc), objects shown at `now` (0: the tenant's
  /// latest event time). Objects are shown as they are now, so a frame
  /// may show more than its event did; a later event never goes unsent.
  void watch(const std::string& tenant, const std::vector<event>& events,
             const std::vector<watcher*>& ws, timestamp now = 0) const;

  /// watch_counts appends a `counts` frame to each watcher whose tab counts
  /// (status open, its filters) changed since the last one, or to all when
  /// `always`.
  void watch_counts(const std::string& tenant,
                    const std::vector<watcher*>& ws, bool always) const;

  /// last_seq is the seq of the tenant's latest applied event (0: none).
  [[nodiscard]] std::uint64_t last_seq(const std::string& tenant) const;

  /// checkpoint writes the whole state in the format of
  /// projections/checkpoint.h, marked as written by `build` (the program's
  /// identity), for `restore` at the next start.
  [[nodiscard]] std::string checkpoint(std::string_view build) const;

  /// restore reads a checkpoint into views that have applied nothing yet;
  /// then each tenant's events after last_seq(tenant) are still to be
  /// applied. A checkpoint of another build or version, or bytes that are
  /// not one (errc::internal, "corruption: ..."), leave the views empty and
  /// say why.
  [[nodiscard]] result<void> restore(std::string_view bytes,
                                     std::string_view build);

  /// swap exchanges the whole state of two views (a restored one taking
  /// the place of the one the engine serves from).
  void swap(views& other);

  /// positions lists each tenant held with the seq of its last applied
  /// event.
  [[nodiscard]] std::vector<std::pair<std::string, std::uint64_t>>
  positions() const;

private:
  struct impl;
  mutable std::shared_mutex mtx_;
  std::unique_ptr<impl> impl_;
};

} // namespace atende

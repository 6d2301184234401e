// tenant_apply: folding one tenant's domain events into its read model.
#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "events/content.h"
#include "events/phone.h"
#include "projections/tenant.h"

namespace atende::projections {

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

std::vector<symbol> tag_symbols(tenant& t, const std::vector<std::string>& in) {
  std::vector<symbol> out;
  out.reserve(in.size());
  for (const auto& tag : in) {
    if (!tag.empty()) {
      out.push_back(t.symbols.intern(tag));
    }
  }
  // A tag listed twice must not put a row twice into the tag's lane.
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void save_contact(tenant& t, const contact& c) {
  auto ord = contact_ord(t, c.id);
  auto& row = t.contacts[ord];
  auto tags = tag_symbols(t, c.tags);
  auto stage = t.symbols.intern(c.stage);
  // Tags and stage are facts of the contact's conversations: move them.
  bool moves = tags != row.tags || stage != row.stage;
  if (moves) {
    for (auto conv : row.conversations) {
      unindex(t, conv);
    }
  }
  if (row.known && !row.value.phone.empty()) {
    auto it = t.contact_phones.find(phone_key(row.value.phone));
    if (it != t.contact_phones.end() && it->second == ord) {
      t.contact_phones.erase(it);
    }
  }
  row.value = c;
  row.tags = std::move(tags);
  row.stage = stage;
  row.known = true;
  if (!c.phone.empty()) {
    t.contact_phones[phone_key(c.phone)] = ord;
  }
  if (moves) {
    for (auto conv : row.conversations) {
      index(t, conv);
    }
  }
}

void open(tenant& t, timestamp at, const conversation_opened& o) {
  if (t.row_ids.contains(o.conversation)) {
    return;
  }
  auto ord = static_cast<std::uint32_t>(t.rows.size());
  auto contact = contact_ord(t, o.contact);
  auto& r = t.rows.emplace_back();
  r.id = o.conversation;
  r.created_at = at;
  r.last_activity_at = at;
  r.contact = contact;
  r.channel = t.symbols.intern(o.channel);
  r.team = t.symbols.intern(o.team);
  r.origin = t.symbols.intern(o.origin);
  t.row_ids.emplace(std::string_view{r.id}, ord);
  t.contacts[contact].conversations.push_back(ord);
  index(t, ord);
}

// reindex changes a conversation through `change`, which must not change
// its last activity (its position in the lanes), and moves it between lists
// as its flags say.
template <class Fn>
void reindex(tenant& t, std::uint32_t ord, Fn&& change) {
  unindex(t, ord);
  change(t.rows[ord]);
  index(t, ord);
}

// touch changes a conversation through `change` and records the activity.
template <class Fn>
void touch(tenant& t, const std::string& id, timestamp at, Fn&& change) {
  auto ord = find_row(t, id);
  if (!ord) {
    return;
  }
  reindex(t, *ord, [&](conversation_row& r) {
    change(r);
    r.last_activity_at = at;
  });
}

// add_outbound appends our message `m` to `r`: the last message and the last
// outbound one, which has not failed (yet).
void add_outbound(conversation_row& r, message_row m) {
  r.last_out = static_cast<std::uint32_t>(r.messages.size());
  r.messages.push_back(std::move(m));
  r.flags |= last_outbound;
  r.flags &= static_cast<std::uint8_t>(~last_failed);
}

// find_by_provider, for the folds that change the message found.
message_row* find_by_provider(tenant& t, std::uint32_t ord,
                              std::string_view id) {
  return const_cast<message_row*>(
    find_by_provider(static_cast<const tenant&>(t), ord, id));
}

message_extra& extra_of(message_row& m) {
  if (!m.extra) {
    m.extra = std::make_unique<message_extra>();
  }
  return *m.extra;
}

// react sets `by`'s reaction on `m` to `emoji`; an empty emoji removes it.
void react(message_row& m, const std::string& by, const std::string& emoji,
           timestamp at) {
  auto& marks = extra_of(m).reactions;
  std::erase_if(marks, [&](const reaction_mark& r) { return r.by == by; });
  if (!emoji.empty()) {
    marks.push_back({.by = by, .emoji = emoji, .at = at});
  }
}

// customer_reaction applies a customer's reaction to the message it names,
// and tells whether it found it; one it does not find stays a message of
// its own, so that nothing is lost.
bool customer_reaction(tenant& t, std::uint32_t ord, timestamp at,
                       const message_received& m) {
  auto r = reaction_of(m);
  if (!r) {
    return false;
  }
  auto* target = find_by_provider(t, ord, r->message_id);
  if (target == nullptr) {
    return false;
  }
  react(*target, "customer", r->emoji, at);
  return true;
}

void receive(tenant& t, timestamp at, const message_received& m) {
  auto ord = find_row(t, m.conversation);
  if (!ord) {
    return;
  }
  const auto& row = t.rows[*ord];
  t.windows[window_key(row.contact, row.channel)].received(at);
  // A reaction found its message: it is the customer's activity, not a row.
  bool attached = customer_reaction(t, *ord, at, m);
  std::unique_ptr<message_extra> extra;
  if (!attached && m.content.is_object() && !m.content.empty()) {
    extra = std::make_unique<message_extra>();
    extra->content = m.content;
    // `media.id` of the message object is atende's media id (media not
    // stored yet has none); the provider's id is `media.provider_id`.
    if (auto media = extra->content.find("media");
        media != extra->content.end() && media->contains("id")) {
      (*media)["provider_id"] = std::move((*media)["id"]);
      media->erase("id");
    }
    if (auto quoted = content_string(m.content, "reply_to");
        !quoted.empty()) {
      extra->content.erase("reply_to");
      if (auto* q = find_by_provider(t, *ord, quoted)) {
        extra->reply_to = q->id;
      }
    }
  }
  auto kind = t.symbols.intern(m.kind);
  touch(t, m.conversation, at, [&](conversation_row& r) {
    if (!attached) {
      r.messages.push_back({.id = m.message_id,
                            .text = m.text,
                            .at = at,
                            .kind = kind,
                            .name = 0,
                            .language = 0,
                            .provider = provider_key(m.provider_id),
                            .outbound = false,
                            .note = false,
                            .status = message_status::received,
                            .extra = std::move(extra)});
    }
    // The last outbound message keeps its failure: it is still the one that
    // did not reach the customer, until a later send.
    r.flags &= static_cast<std::uint8_t>(~last_outbound);
  });
}

// note_media records that row `ord` holds media `id`.
void note_media(tenant& t, std::uint32_t ord, const std::string& id) {
  if (id.empty()) {
    return;
  }
  auto& ords = t.media_rows[id];
  if (std::find(ords.begin(), ords.end(), ord) == ords.end()) {
    ords.push_back(ord);
  }
}

// agent_reaction applies an agent's reaction to the message it names in the
// conversation; it is not a message of its own.
void agent_reaction(tenant& t, timestamp at, const message_sent& m) {
  auto ord = find_row(t, m.conversation);
  if (!ord) {
    return;
  }
  const auto& r = m.content["reaction"];
  const auto target = content_string(r, "message_id");
  auto& msgs = t.rows[*ord].messages;
  auto it = std::find_if(msgs.rbegin(), msgs.rend(),
                         [&](const message_row& x) { return x.id == target; });
  if (it != msgs.rend()) {
    react(*it, m.agent, content_string(r, "emoji"), at);
  }
  touch(t, m.conversation, at, [](conversation_row&) {});
}

void send(tenant& t, timestamp at, const message_sent& m) {
  if (m.kind == "reaction" && m.content.is_object() &&
      m.content.contains("reaction")) {
    return agent_reaction(t, at, m);
  }
  // Only a template keeps its name, language and params.
  bool is_template = m.kind == "template";
  std::unique_ptr<message_extra> extra;
  if (is_template && !m.params.empty()) {
    extra = std::make_unique<message_extra>();
    extra->params = m.params;
  }
  if (m.content.is_object() && !m.content.empty()) {
    if (!extra) {
      extra = std::make_unique<message_extra>();
    }
    extra->content = m.content;
    extra->reply_to = content_string(m.content, "reply_to");
    extra->content.erase("reply_to");
    extra->content.erase("reply_to_provider");
    if (auto ord = find_row(t, m.conversation)) {
      note_media(t, *ord, content_string(m.content, "media", "id"));
    }
  }
  message_row row{
    .id = m.message_id,
    .text = m.text,
    .at = at,
    .kind = t.symbols.intern(m.kind),
    .name = is_template ? t.symbols.intern(m.template_name) : 0,
    .language = is_template ? t.symbols.intern(m.language) : 0,
    .provider = 0,
    .outbound = true,
    .note = false,
    .status = message_status::pending,
    .extra = std::move(extra)};
  touch(t, m.conversation, at,
        [&](conversation_row& r) { add_outbound(r, std::move(row)); });
}

// add_note adds an internal note to its conversation's messages: it is no
// activity of the conversation (its place in the lists stays) and changes
// none of its flags.
void add_note(tenant& t, timestamp at, const note_added& n) {
  auto ord = find_row(t, n.conversation);
  if (!ord) {
    return;
  }
  t.rows[*ord].messages.push_back(message_row{
    .id = n.message_id,
    .text = n.text,
    .at = at,
    .kind = t.symbols.intern("text"),
    .name = t.symbols.intern(n.author),
    .language = 0,
    .provider = 0,
    .outbound = false,
    .note = true,
    .status = message_status::received,
    .extra = nullptr});
}

// store_media applies what became of a customer message's media: stored
// (its `id` and `size` join the message's media, replacing any error) or not
// fetched (`media.error` {code, title}). Not an activity.
void store_media(tenant& t, const message_media_changed& x) {
  auto ord = find_row(t, x.conversation);
  if (!ord) {
    return;
  }
  auto& msgs = t.rows[*ord].messages;
  auto it = std::find_if(msgs.rbegin(), msgs.rend(), [&](const message_row& m) {
    return !m.outbound && m.id == x.message_id;
  });
  if (it == msgs.rend() || !it->extra || !it->extra->content.is_object()) {
    return;
  }
  auto media = it->extra->content.find("media");
  if (media == it->extra->content.end() || !media->is_object()) {
    return;
  }
  if (x.media.is_object()) {
    for (auto key : {"id", "mime_type", "size", "sha256"}) {
      if (auto v = x.media.find(key); v != x.media.end()) {
        (*media)[key] = *v;
      }
    }
    media->erase("error");
    note_media(t, *ord, content_string(x.media, "id"));
  } else if (!media->contains("id")) {
    (*media)["error"] = {{"code", x.error_code}, {"title", x.error_title}};
  }
}

void send_automation(tenant& t, timestamp at,
                     const automation_message_sent& m) {
  message_row row{.id = m.message_id,
                  .text = m.text,
                  .at = at,
                  .kind = t.symbols.intern("automation"),
                  .name = t.symbols.intern(m.automation),
                  .language = 0,
                  .provider = 0,
                  .outbound = true,
                  .note = false,
                  .status = message_status::sent,
                  .extra = nullptr};
  touch(t, m.conversation, at, [&](conversation_row& r) {
    add_outbound(r, std::move(row));
    r.flags |= automated;
  });
}

std::optional<message_status> delivery_status(std::string_view s) {
  if (s == "sent") {
    return message_status::sent;
  }
  if (s == "delivered") {
    return message_status::delivered;
  }
  if (s == "read") {
    return message_status::read;
  }
  if (s == "failed") {
    return message_status::failed;
  }
  return std::nullopt;
}

// change_status is not an activity: the conversation keeps its place in the
// lanes. Only the failure of its last outbound message moves it (into
// send_failed); the engine decides that statuses only move forward.
void change_status(tenant& t, timestamp at, const message_status_changed& x) {
  auto ord = find_row(t, x.conversation);
  const bool accepted = x.status == "accepted";
  auto status = delivery_status(x.status);
  if (!ord || (!status && !accepted)) {
    return;
  }
  auto& r = t.rows[*ord];
  if (closes_window(x)) {
    t.windows[window_key(r.contact, r.channel)].refused(at);
  }
  auto it = std::find_if(r.messages.rbegin(), r.messages.rend(),
                         [&](const message_row& m) {
                           return m.outbound && m.id == x.message_id;
                         });
  if (it == r.messages.rend()) {
    return;
  }
  if (accepted) {
    // Meta's id of our message: a customer's quote or reaction names it.
    it->provider = provider_key(x.provider_id);
    return;
  }
  bool failed = *status == message_status::failed;
  it->status = *status;
  if (failed && (!x.error_code.empty() || !x.error_title.empty())) {
    extra_of(*it).error_code = x.error_code;
    extra_of(*it).error_title = x.error_title;
  }
  auto index_of = static_cast<std::uint32_t>(r.messages.rend() - it - 1);
  bool flagged = (r.flags & last_failed) != 0;
  if (index_of != r.last_out || flagged == failed) {
    return;
  }
  reindex(t, *ord, [&](conversation_row& row) {
    row.flags ^= last_failed;
  });
}

void assign(tenant& t, timestamp at, const conversation_assigned& a) {
  auto agent = t.symbols.intern(a.agent);
  touch(t, a.conversation, at, [&](conversation_row& r) {
    r.assignee = agent;
    r.status = conv_status::open;
    r.held = false;
  });
}

// transfer: a transfer to a team or an agent leaves the routed portfolio.
void transfer(tenant& t, timestamp at, const conversation_transferred& x) {
  auto team = t.symbols.intern(x.to_team);
  auto agent = t.symbols.intern(x.to_agent);
  touch(t, x.conversation, at, [&](conversation_row& r) {
    if (team != 0) {
      r.team = team;
    }
    r.assignee = agent;
    r.status = agent != 0 ? conv_status::open : conv_status::waiting;
    r.portfolio = 0;
    r.held = false;
  });
}

// route: the waiting conversation moves to `team`, for the owners of
// `portfolio` only when one is named.
void route(tenant& t, timestamp at, const conversation_routed& x) {
  auto team = t.symbols.intern(x.team);
  auto portfolio = t.symbols.intern(x.portfolio);
  touch(t, x.conversation, at, [&](conversation_row& r) {
    if (team != 0) {
      r.team = team;
    }
    r.portfolio = portfolio;
    r.held = false;
  });
}

// hold is not an activity of the conversation, and no index depends on it.
void hold(tenant& t, const conversation_held& x) {
  if (auto ord = find_row(t, x.conversation)) {
    t.rows[*ord].held = x.held;
  }
}

void set_status(tenant& t, const agent_status_changed& x) {
  t.presence[x.agent].online = x.status == "online";
}

void start_pause(tenant& t, timestamp at, const agent_pause_started& x) {
  auto& p = t.presence[x.agent];
  p.pause_type = x.pause_type;
  p.pause_since = at;
}

void end_pause(tenant& t, const agent_pause_ended& x) {
  auto& p = t.presence[x.agent];
  p.pause_type.clear();
  p.pause_since = 0;
}

void finish(tenant& t, timestamp at, const conversation_finished& f) {
  auto reason = t.symbols.intern(f.reason);
  touch(t, f.conversation, at, [&](conversation_row& r) {
    // The assignee stays: the history shows who served the conversation.
    r.status = conv_status::finished;
    r.finished_at = at;
    r.reason = reason;
    r.description = f.description;
  });
}

template <class T, int Tag>
void save(std::map<std::string, T, std::less<>>& records,
          const saved<T, Tag>& s) {
  records.insert_or_assign(s.value.id, s.value);
}

} // namespace

std::uint64_t provider_key(std::string_view id) {
  if (id.empty()) {
    return 0;
  }
  std::uint64_t h = 14695981039346656037ULL;
  for (unsigned char ch : id) {
    h = (h ^ ch) * 1099511628211ULL;
  }
  return h == 0 ? 1 : h;
}

// Two ids of one contact whose keys collide would let a quote find the
// wrong message: one in 2^64.
const message_row* find_by_provider(const tenant& t, std::uint32_t ord,
                                    std::string_view id, std::uint32_t* in) {
  auto key = provider_key(id);
  auto at = [&](std::uint32_t o) -> const message_row* {
    const auto& msgs = t.rows[o].messages;
    auto it = std::find_if(msgs.rbegin(), msgs.rend(),
                           [&](const message_row& m) {
                             return m.provider == key;
                           });
    if (it == msgs.rend()) {
      return nullptr;
    }
    if (in != nullptr) {
      *in = o;
    }
    return &*it;
  };
  if (key == 0) {
    return nullptr;
  }
  if (const auto* m = at(ord)) {
    return m;
  }
  const auto& others = t.contacts[t.rows[ord].contact].conversations;
  for (auto o = others.rbegin(); o != others.rend(); ++o) {
    if (*o != ord) {
      if (const auto* m = at(*o)) {
        return m;
      }
    }
  }
  return nullptr;
}

timestamp window_expires_at(const tenant& t, const conversation_row& r) {
  auto it = t.windows.find(window_key(r.contact, r.channel));
  if (it == t.windows.end()) {
    return never;
  }
  return it->second.expires_at().value_or(never);
}

std::uint32_t contact_ord(tenant& t, const std::string& id) {
  if (auto it = t.contact_ids.find(id); it != t.contact_ids.end()) {
    return it->second;
  }
  auto ord = static_cast<std::uint32_t>(t.contacts.size());
  t.contacts.emplace_back().value.id = id;
  t.contact_ids.emplace(id, ord);
  return ord;
}

void apply_event(tenant& t, const event& e) {
  t.clock = std::max(t.clock, e.at);
  t.applying_seq = e.seq;
  t.applying_at = e.at;
  std::visit(
    overloaded{
      [&](const tenant_created& x) {
        t.info = x.tenant;
        t.created = true;
        t.agents.insert_or_assign(x.admin.id, x.admin);
      },
      [&](const channel_created& x) { save(t.channels, x); },
      [&](const channel_updated& x) { save(t.channels, x); },
      [&](const team_created& x) { save_team(t, x.value); },
      [&](const team_updated& x) { save_team(t, x.value); },
      [&](const agent_created& x) { save(t.agents, x); },
      [&](const agent_updated& x) { save(t.agents, x); },
      [&](const reason_created& x) { save(t.reasons, x); },
      [&](const reason_updated& x) { save(t.reasons, x); },
      [&](const contact_created& x) { save_contact(t, x.value); },
      [&](const contact_updated& x) { save_contact(t, x.value); },
      [&](const conversation_opened& x) { open(t, e.at, x); },
      [&](const message_received& x) { receive(t, e.at, x); },
      [&](const message_sent& x) { send(t, e.at, x); },
      [&](const conversation_assigned& x) { assign(t, e.at, x); },
      [&](const conversation_transferred& x) { transfer(t, e.at, x); },
      [&](const conversation_finished& x) { finish(t, e.at, x); },
      [&](const conversation_routed& x) { route(t, e.at, x); },
      [&](const conversation_held& x) { hold(t, x); },
      [&](const pause_type_created& x) { save(t.pause_types, x); },
      [&](const pause_type_updated& x) { save(t.pause_types, x); },
      [&](const portfolio_created& x) { save_portfolio(t, x.value); },
      [&](const portfolio_updated& x) { save_portfolio(t, x.value); },
      [&](const portfolio_deleted& x) { delete_portfolio(t, x); },
      [&](const portfolio_contacts_changed& x) {
        change_portfolio_contacts(t, x);
      },
      [&](const agent_status_changed& x) { set_status(t, x); },
      [&](const agent_pause_started& x) { start_pause(t, e.at, x); },
      [&](const agent_pause_ended& x) { end_pause(t, x); },
      [&](const template_created& x) { save(t.templates, x); },
      [&](const template_updated& x) { save(t.templates, x); },
      [&](const message_status_changed& x) { change_status(t, e.at, x); },
      [&](const message_media_changed& x) { store_media(t, x); },
      [&](const note_added& x) { add_note(t, e.at, x); },
      [&](const subscription_created& x) {
        t.subscriptions[x.value.id] = {
          x.value, static_cast<std::int64_t>(e.seq), 0};
      },
      [&](const subscription_updated& x) {
        t.subscriptions[x.value.id].value = x.value;
      },
      [&](const subscription_deleted& x) {
        if (auto it = t.subscriptions.find(x.subscription);
            it != t.subscriptions.end()) {
          t.subscriptions.erase(it);
        }
      },
      [&](const subscription_rewound& x) {
        if (auto it = t.subscriptions.find(x.subscription);
            it != t.subscriptions.end()) {
          it->second.position = x.position;
          ++it->second.rewinds;
        }
      },
      [&](const subscription_delivered& x) {
        if (auto it = t.subscriptions.find(x.subscription);
            it != t.subscriptions.end()) {
          it->second.position = x.position;
        }
      },
      [&](const automation_message_sent& x) {
        send_automation(t, e.at, x);
      },
      // Events the views do not show (automation_requested: its messages
      // come as automation_message_sent) change nothing here.
      [](const auto&) {},
    },
    e.data);
}

} // namespace atende::projections

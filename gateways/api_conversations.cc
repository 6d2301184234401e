// Conversations (CONTRACT section 3, "Conversations"): the inbox views and
// one conversation from the views; its timeline from the journal; start
// (active conversation), assign, send, notes, transfer and finish as commands to
// the engine, answered with the conversation as committed; and the bulk
// actions, one command per conversation, each with its own result.
#include <array>
#include <string_view>

#include "events/event.h"
#include "events/model.h"
#include "events/time.h"
#include "events/json_text.h"
#include "gateways/api.h"
#include "gateways/timeline.h"
#include "gateways/whatsapp_io.h"

namespace atende {

result<conversation_query> conversation_query_of(const call& c) {
  conversation_query q;
  auto limit = parse_limit(c);
  if (!limit) {
    return std::unexpected(limit.error());
  }
  q.limit = *limit;
  q.view = query_param(c, "view", q.view);
  q.status = query_param(c, "status", q.status);
  q.channel = query_param(c, "channel");
  q.tag = query_param(c, "tag");
  q.stage = query_param(c, "stage");
  q.team = query_param(c, "team");
  q.contact = query_param(c, "contact");
  q.sort = query_param(c, "sort", q.sort);
  q.cursor = query_param(c, "cursor");
  return q;
}

namespace {

void list_conversations(const call& c) {
  auto q = conversation_query_of(c);
  if (!q) {
    return c.reply_error(q.error());
  }
  auto p = c.api->view.conversations(c.who, *q, now_ms(), rendering::text);
  if (!p) {
    return c.reply_error(p.error());
  }
  // The items come as JSON text; the body around them is
  // {"counts":{…},"items":[…],"next_cursor":…}, keys in page_json's order.
  http_response r;
  auto& b = r.body;
  b.reserve(p->items_text.size() + 128);
  b += R"({"counts":{"all":)";
  b += std::to_string(p->all);
  b += R"(,"mine":)";
  b += std::to_string(p->mine);
  b += R"(,"unassigned":)";
  b += std::to_string(p->unassigned);
  b += R"(},"items":[)";
  b += p->items_text;
  b += R"(],"next_cursor":)";
  if (p->items.next_cursor.empty()) {
    b += "null";
  } else {
    append_json_string(b, p->items.next_cursor);
  }
  b += '}';
  c.ex->reply(std::move(r));
}

/// mark_read: the conversation's agent opened it; on a channel with
/// `mark_read`, the customer's latest message is marked read at Meta.
void mark_read(const call& c, const nlohmann::json& conv) {
  const auto* w = c.api->options.whatsapp;
  if (w == nullptr || c.who.agent.empty() ||
      conv.value("assignee", nlohmann::json{}) != c.who.agent) {
    return;
  }
  const auto channel = conv.value("channel", "");
  auto ch = c.api->view.channel_record(c.who.tenant, channel);
  if (!ch || !ch->mark_read || ch->access_token.empty()) {
    return;
  }
  const auto& messages = conv["messages"];
  for (auto m = messages.rbegin(); m != messages.rend(); ++m) {
    if (m->value("direction", "") == "in") {
      w->mark_read(c.who.tenant, channel, conv.value("id", ""),
                   m->value("id", ""));
      return;
    }
  }
}

void get_conversation(const call& c) {
  auto x = c.api->view.conversation(c.who, c.param(0), now_ms());
  if (!x) {
    return c.reply_error(x.error());
  }
  mark_read(c, *x);
  c.reply(200, *x);
}

/// timeline: GET /v1/conversations/{id}/timeline (gateways/timeline.h),
/// paged by seq like the outbound records.
void timeline(const call& c) {
  auto limit = parse_limit(c);
  if (!limit) {
    return c.reply_error(limit.error());
  }
  auto after = parse_seq_cursor(c);
  if (!after) {
    return c.reply_error(after.error());
  }
  // Held while reading: in Kafka mode it keeps the partition here.
  auto db = c.api->engine.tenant_store(c.who.tenant);
  if (!db) {
    return c.reply_error(make_error(
      errc::unavailable, "the tenant's journal is not served here right now; "
                         "retry in a few seconds"));
  }
  auto page = conversation_timeline(*db, c.api->view, c.who, c.param(0),
                                    {.after = *after, .limit = *limit});
  db.reset();
  if (!page) {
    return c.reply_error(page.error());
  }
  c.reply(200, *page);
}

/// conversation_now returns the conversation object as committed.
result<nlohmann::json> conversation_now(const call& c, const std::string& id) {
  auto x = c.api->view.conversation_object(c.who.tenant, id, now_ms());
  if (!x) {
    return fail(errc::not_found, "no conversation " + id);
  }
  return *x;
}

/// command_body reads the body of a command on conversation {id}.
result<nlohmann::json> command_body(const call& c) {
  const auto& id = c.param(0);
  if (!is_valid_id(id)) {
    return fail(errc::not_found, "no conversation " + id);
  }
  auto body = json_body(c);
  if (!body) {
    return body;
  }
  (*body)["conversation"] = id;
  return body;
}

/// submit_command submits `type` with `data` and hands the accepted outcome
/// to `then`.
void submit_command(const call& c, const char* type, nlohmann::json data,
                    outcome_fn then) {
  auto in = make_command(c, type, std::move(data));
  if (!in) {
    return c.reply_error(in.error());
  }
  submit_one(c, std::move(*in), std::move(then));
}

/// command: a conversation command whose body needs no gateway checks.
void command(const call& c, const char* type, outcome_fn then) {
  auto body = command_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  submit_command(c, type, std::move(*body), std::move(then));
}

/// reply_conversation answers 200 with the conversation object.
void reply_conversation(const call& c, const outcome&) {
  auto x = conversation_now(c, c.param(0));
  if (!x) {
    return c.reply_error(x.error());
  }
  c.reply(200, *x);
}

void assign(const call& c) {
  command(c, "conversation.assign", &reply_conversation);
}

void transfer(const call& c) {
  command(c, "conversation.transfer", &reply_conversation);
}

void finish(const call& c) {
  command(c, "conversation.finish", &reply_conversation);
}

/// committed_message is message `o.message` of conversation {id} as the
/// views hold it now.
result<nlohmann::json> committed_message(const call& c, const outcome& o) {
  auto conv = c.api->view.conversation(c.who, c.param(0), now_ms());
  if (conv && conv->contains("messages")) {
    for (const auto& m : (*conv)["messages"]) {
      if (m.is_object() && m.value("id", "") == o.message) {
        return m;
      }
    }
  }
  return fail(errc::internal, "the message is missing from the views");
}

/// sent_message is the message a send produced or, for a retry with the
/// same idempotency key, the first send's message as the views hold it now.
result<nlohmann::json> sent_message(const call& c, const outcome& o) {
  for (const auto& e : o.events) {
    if (const auto* m = std::get_if<message_sent>(&e.data)) {
      nlohmann::json j{{"id", m->message_id},     {"direction", "out"},
                       {"kind", m->kind},         {"text", m->text},
                       {"at", format_time(e.at)}, {"status", "pending"}};
      if (m->kind == "template") {
        j["template"] = {{"name", m->template_name},
                         {"language", m->language},
                         {"params", m->params}};
      }
      if (m->content.is_object()) {
        if (auto media = m->content.find("media");
            media != m->content.end()) {
          j["media"] = *media;
        }
        if (auto q = m->content.find("reply_to"); q != m->content.end()) {
          j["reply_to"] = *q;
        }
      }
      return j;
    }
  }
  return committed_message(c, o);
}

/// reply_message answers 201 with `message` and the conversation object.
void reply_message(const call& c, result<nlohmann::json> message) {
  if (!message) {
    return c.reply_error(message.error());
  }
  auto conv = conversation_now(c, c.param(0));
  if (!conv) {
    return c.reply_error(conv.error());
  }
  c.reply(201, {{"message", std::move(*message)},
                {"conversation", std::move(*conv)}});
}

/// note: POST /v1/conversations/{id}/notes {text} → 201 {message,
/// conversation}; the message has direction "note" and its author.
void note(const call& c) {
  auto body = command_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  submit_command(c, "conversation.note",
                 pick(*body, {"conversation", "text"}),
                 [](const call& c, const outcome& o) {
                   reply_message(c, committed_message(c, o));
                 });
}

void reply_sent(const call& c, const outcome& o) {
  reply_message(c, sent_message(c, o));
}

void send(const call& c) {
  auto body = command_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  body->erase("reaction"); // reactions have their own endpoint
  if (auto r = fill_send_media(c, *body); !r) {
    return c.reply_error(r.error());
  }
  submit_command(c, "conversation.send", std::move(*body), &reply_sent);
}

/// react: POST /v1/conversations/{id}/messages/{message_id}/reaction
/// {emoji}, an agent's reaction (an empty emoji removes it); the reply is
/// the message reacted to and the conversation.
void react(const call& c) {
  auto body = command_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  auto emoji = optional_string(*body, "emoji");
  if (!emoji) {
    return c.reply_error(emoji.error());
  }
  nlohmann::json data = {
    {"conversation", c.param(0)},
    {"reaction", {{"message_id", c.param(1)}, {"emoji", *emoji}}}};
  submit_command(
    c, "conversation.send", std::move(data),
    [](const call& c, const outcome&) {
      auto conv = c.api->view.conversation(c.who, c.param(0), now_ms());
      if (!conv) {
        return c.reply_error(conv.error());
      }
      nlohmann::json message;
      for (const auto& m : (*conv)["messages"]) {
        if (m.value("id", "") == c.param(1)) {
          message = m;
        }
      }
      conv->erase("messages");
      c.reply(200, {{"message", std::move(message)},
                    {"conversation", std::move(*conv)}});
    });
}

/// start: POST /v1/conversations, an active conversation. The engine checks
/// the window and the template and answers 409 conversation_open with the
/// open conversation's id; the reply is 201 with the new conversation.
void start(const call& c) {
  auto body = json_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  submit_command(c, "conversation.start", std::move(*body),
                 [](const call& c, const outcome& o) {
                   auto x = conversation_now(c, o.conversation);
                   if (!x) {
                     return c.reply_error(x.error());
                   }
                   c.reply(201, *x);
                 });
}

/// bulk_action is what a bulk `action` does to each conversation: the
/// command `type`, with the body's fields `keys` ("" for none).
struct bulk_action {
  std::string_view action;
  const char* type;
  std::array<std::string_view, 3> keys;
};

constexpr std::array<bulk_action, 3> bulk_actions = {{
    {"finish", "conversation.finish", {"reason", "description", ""}},
    {"transfer", "conversation.transfer", {"agent", "team", "note"}},
    {"automation", "conversation.automation", {"automation", "", ""}},
}};

result<const bulk_action*> bulk_action_of(const nlohmann::json& body) {
  auto it = body.find("action");
  if (it != body.end() && it->is_string()) {
    for (const auto& a : bulk_actions) {
      if (a.action == it->get_ref<const std::string&>()) {
        return &a;
      }
    }
  }
  return fail(errc::malformed, "must be one of finish, transfer, automation",
              "action");
}

/// bulk: POST /v1/conversations/bulk `{action, ids, …}`. Every command is
/// built (and so validated) before any is submitted: a bad field is one 400
/// for the whole request.
void bulk(const call& c) {
  auto body = json_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  auto action = bulk_action_of(*body);
  if (!action) {
    return c.reply_error(action.error());
  }
  auto ids = id_list(*body, "ids", true, max_bulk);
  if (!ids) {
    return c.reply_error(ids.error());
  }
  const auto& a = **action;
  auto shared = nlohmann::json::object();
  for (auto key : a.keys) {
    if (key.empty()) {
      continue;
    }
    if (auto it = body->find(key); it != body->end()) {
      shared[std::string{key}] = *it;
    }
  }
  std::vector<input> inputs;
  inputs.reserve(ids->size());
  for (const auto& id : *ids) {
    auto data = shared;
    data["conversation"] = id;
    auto in = make_command(c, a.type, std::move(data));
    if (!in) {
      return c.reply_error(in.error());
    }
    inputs.push_back(std::move(*in));
  }
  submit_bulk(c, std::move(*ids), std::move(inputs));
}

} // namespace

std::vector<route> conversation_routes() {
  return {
      {"GET", "/v1/conversations", access::agent, &list_conversations},
      {"POST", "/v1/conversations", access::agent, &start},
      {"POST", "/v1/conversations/bulk", access::agent, &bulk},
      {"GET", "/v1/conversations/{id}", access::agent, &get_conversation},
      {"GET", "/v1/conversations/{id}/timeline", access::agent, &timeline},
      {"POST", "/v1/conversations/{id}/assign", access::agent, &assign},
      {"POST", "/v1/conversations/{id}/messages", access::agent, &send},
      {"POST", "/v1/conversations/{id}/messages/{id}/reaction", access::agent,
       &react},
      {"POST", "/v1/conversations/{id}/notes", access::agent, &note},
      {"POST", "/v1/conversations/{id}/transfer", access::agent, &transfer},
      {"POST", "/v1/conversations/{id}/finish", access::agent, &finish},
  };
}

} // namespace atende

// The live stream's frames (views::watch, projections/stream.cc): a
// subscriber that applies them to the list it read first holds what a
// fresh read of the list shows — its items, its tab counts, and, for the
// conversations it sees, their messages and the board.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <random>

#include "tests/projections/builders.h"

namespace atende::testing {
namespace {

using json = nlohmann::json;
using items = std::map<std::string, json>;

/// read_list reads every page of `q` for `who`.
items read_list(const views& v, const principal& who, conversation_query q) {
  q.limit = 500;
  items out;
  for (;;) {
    auto r = v.conversations(who, q);
    EXPECT_TRUE(r) << r.error().field << ": " << r.error().message;
    if (!r) {
      return out;
    }
    for (auto& x : r->items.items) {
      out[x["id"].get<std::string>()] = x;
    }
    if (r->items.next_cursor.empty()) {
      return out;
    }
    q.cursor = r->items.next_cursor;
  }
}

std::array<std::size_t, 3> read_counts(const views& v, const principal& who,
                                       conversation_query q) {
  q.status = "open";
  q.limit = 1;
  auto r = v.conversations(who, q);
  EXPECT_TRUE(r);
  return {r->all, r->mine, r->unassigned};
}

/// board drops what the clock changes without an event (a pause's elapsed
/// minutes; the board is read again to refresh them).
json board_row(json a) {
  if (a["pause"].is_object()) {
    a["pause"].erase("elapsed_minutes");
    a["pause"].erase("overdue");
  }
  return a;
}

/// model: what one client holds, built from its first reads and its frames.
struct model {
  watcher w;
  items list;
  std::array<std::size_t, 3> counts{};
  std::map<std::string, json> messages; // conversation "/" message id
  std::map<std::string, json> board;
  bool full = false; // keeps messages and the board (it sees everything)
  std::vector<std::string> mentioned; // note ids of its note.mention frames

  void read(const views& v) {
    if (w.query.status.empty()) {
      // Every status: the open list and the finished one.
      auto open = w.query, finished = w.query;
      open.status = "open";
      finished.status = "finished";
      list = read_list(v, w.who, open);
      list.merge(read_list(v, w.who, finished));
    } else {
      list = read_list(v, w.who, w.query);
    }
    counts = read_counts(v, w.who, w.query);
    w.counts = counts;
    w.counted = true;
    if (!full) {
      return;
    }
    messages.clear();
    for (const auto& [id, x] : read_list(v, w.who, {.status = "finished"})) {
      note_messages(v, id);
    }
    for (const auto& [id, x] : read_list(v, w.who, {})) {
      note_messages(v, id);
    }
    board.clear();
    auto agents = v.list(w.who, resource::agents, 500, "");
    for (auto& a : agents->items) {
      board[a["id"].get<std::string>()] = board_row(a);
    }
  }

  void note_messages(const views& v, const std::string& conv) {
    auto c = v.conversation(w.who, conv);
    for (const auto& m : (*c)["messages"]) {
      messages[conv + "/" + m["id"].get<std::string>()] = m;
    }
  }

  void take_frames() {
    for (const auto& f : w.frames) {
      auto data = json::parse(*f.data);
      if (f.type == "conversation.updated") {
        list[data["id"].get<std::string>()] = data;
      } else if (f.type == "conversation.removed") {
        list.erase(data["id"].get<std::string>());
      } else if (f.type == "counts") {
        counts = {data["all"].get<std::size_t>(),
                  data["mine"].get<std::size_t>(),
                  data["unassigned"].get<std::size_t>()};
      } else if (f.type == "message.created" ||
                 f.type == "message.updated") {
        messages[data["conversation"].get<std::string>() + "/" +
                 data["message"]["id"].get<std::string>()] = data["message"];
      } else if (f.type == "agent.updated") {
        board[data["id"].get<std::string>()] = board_row(data);
      } else if (f.type == "note.mention") {
        // A notice, not part of what a GET shows: only to whom it names.
        mentioned.push_back(data["message"]["id"].get<std::string>());
      }
    }
    w.frames.clear();
  }
};

class StreamProperty : public ::testing::Test {
protected:
  void SetUp() override {
    h.tenant("boss", "hash-boss")
      .team("sales", "contact_group")
      .team("support", "manual")
      .channel("wa", "sales")
      .reason("done")
      .pause_type("lunch", 60)
      .agent("ana", {"sales"})
      .agent("bia", {"sales"})
      .agent("caio", {"support"})
      .agent("dora", {});
    for (int i = 1; i <= 6; ++i) {
      h.contact(numbered("c", i), numbered("Contact ", i),
                numbered("55319888800", 10 + i), i % 2 ? strings{"vip"}
                                                       : strings{});
    }
    h.portfolio("p1", "dora", {"ana"})
      .portfolio("p2", "caio")
      .portfolio_contacts("p1", {"c1", "c3"})
      .portfolio_contacts("p2", {"c3"});
    v.apply(h.take());
  }

  using strings = std::vector<std::string>;

  history h{"acme"};
  views v;
};

TEST_F(StreamProperty, AStreamAppliedToAGetEqualsAFreshGet) {
  unsigned seed = std::random_device{}();
  if (const char* s = std::getenv("ATENDE_STREAM_SEED")) {
    seed = static_cast<unsigned>(std::strtoul(s, nullptr, 10));
  }
  std::cout << "ATENDE_STREAM_SEED=" << seed << "\n";
  std::mt19937 rng{seed};
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>{0, n - 1}(rng);
  };

  std::vector<model> models;
  auto add = [&](principal who, conversation_query q, bool full = false) {
    model m;
    m.w.who = std::move(who);
    m.w.query = std::move(q);
    m.full = full;
    models.push_back(std::move(m));
  };
  add(admin_of("acme", "boss"), {.status = ""}, true);
  add(admin_of("acme", "boss"), {.status = "finished"});
  add(agent_of("acme", "ana"), {});
  add(agent_of("acme", "ana"), {.status = ""});
  add(agent_of("acme", "caio"), {.status = "", .tag = "vip"});
  add(agent_of("acme", "ana"), {.view = "mine"});
  add(agent_of("acme", "bia"), {.view = "unassigned"});
  add(agent_of("acme", "bia"), {.tag = "vip"});
  add(agent_of("acme", "caio"), {});
  add(agent_of("acme", "dora"), {.view = "unassigned"});
  add(agent_of("acme", "dora"), {.status = "awaiting_customer"});
  for (auto& m : models) {
    m.read(v);
  }

  // The state the generator needs to make valid events.
  struct conv {
    std::string id, contact, team, assignee;
    bool finished = false;
    std::vector<std::string> sent, received;
  };
  std::vector<conv> convs;
  const strings agents{"ana", "bia", "caio", "dora"};
  const strings teams{"sales", "support"};
  const std::map<std::string, std::string> team_of{
    {"ana", "sales"}, {"bia", "sales"}, {"caio", "support"}, {"dora", ""}};
  int clock = 10, n = 0;
  std::map<std::string, strings> mentions_of; // agent → notes naming it
  auto open_for = [&](const std::string& contact) -> conv* {
    for (auto& c : convs) {
      if (c.contact == contact && !c.finished) {
        return &c;
      }
    }
    return nullptr;
  };

  for (int step = 0; step < 400; ++step) {
    const int batch = 1 + static_cast<int>(pick(4));
    for (int b = 0; b < batch; ++b) {
      ++clock;
      const auto at = at_s(clock);
      auto op = pick(14);
      auto contact = numbered("c", 1 + static_cast<long long>(pick(6)));
      conv* c = convs.empty() ? nullptr : &convs[pick(convs.size())];
      if (op <= 1 || c == nullptr) {
        // A customer writes: to its open conversation, or a new one.
        auto* o = open_for(contact);
        if (o == nullptr) {
          convs.push_back({numbered("k", ++n), contact,
                           teams[pick(teams.size())], "", false, {}, {}});
          o = &convs.back();
          h.open(o->id, contact, "wa", o->team, at);
        }
        o->received.push_back(numbered("in", ++n));
        h.receive(o->id, o->received.back(), "oi", at);
      } else if (c->finished) {
        continue;
      } else if (op == 2 && c->assignee.empty()) {
        auto a = agents[pick(agents.size())];
        h.add(conversation_assigned{.conversation = c->id, .agent = a,
                                    .previous = {}, .rule = "take",
                                    .eligible = {}},
              at, "agent:" + a);
        c->assignee = a;
      } else if (op == 3) {
        auto to_team = teams[pick(teams.size())];
        std::string to_agent =
          pick(2) ? agents[pick(agents.size())] : std::string{};
        h.add(conversation_transferred{.conversation = c->id,
                                       .from_team = c->team,
                                       .to_team = to_team,
                                       .from_agent = c->assignee,
                                       .to_agent = to_agent},
              at);
        c->team = to_team;
        c->assignee = to_agent;
      } else if (op == 4 && !c->assignee.empty()) {
        h.finish(c->id, "done", "", at);
        c->finished = true;
      } else if (op == 5 && !c->assignee.empty()) {
        auto id = numbered("out", ++n);
        h.send(c->id, id, c->assignee, "resposta", at);
        c->sent.push_back(id);
      } else if (op == 6 && !c->sent.empty()) {
        static const strings statuses{"sent", "delivered", "read", "failed"};
        h.delivery(c->id, c->sent[pick(c->sent.size())],
                   statuses[pick(statuses.size())], at);
      } else if (op == 7) {
        h.contact(contact, "Renamed",
                  numbered("55319888800", 10 + std::stoll(contact.substr(1))),
                  pick(2) ? strings{"vip"} : strings{}, "", true);
      } else if (op == 8) {
        strings in{contact}, out;
        if (pick(2)) {
          std::swap(in, out);
        }
        h.portfolio_contacts(pick(2) ? "p1" : "p2", in, out);
      } else if (op == 9) {
        static const std::vector<strings> owners{{"ana"}, {}, {"bia", "ana"}};
        h.portfolio("p1", pick(2) ? "dora" : "caio",
                    owners[pick(owners.size())], true);
      } else if (op == 10) {
        auto a = agents[pick(agents.size())];
        if (pick(2)) {
          h.status(a, pick(2) ? "online" : "offline", at);
        } else {
          h.pause(a, "lunch", at);
        }
      } else if (op == 11 && !c->received.empty()) {
        // The customer reacts to one of its messages (or takes it back).
        h.reaction(c->id, numbered("in", ++n),
                   c->received[pick(c->received.size())],
                   pick(3) ? "👍" : "", at);
      } else if (op == 12) {
        // An internal note, mentioning someone now and then.
        auto a = agents[pick(agents.size())];
        strings mentions;
        if (pick(2)) {
          mentions.push_back(agents[pick(agents.size())]);
        }
        const auto id = numbered("nt", ++n);
        for (const auto& m : mentions) {
          mentions_of[m].push_back(id);
        }
        h.add(note_added{.conversation = c->id,
                         .message_id = id,
                         .author = a,
                         .text = "nota",
                         .mentions = mentions},
              at, "agent:" + a);
      } else {
        c->received.push_back(numbered("in", ++n));
        h.receive(c->id, c->received.back(), "mais", at);
      }
    }
    auto events = h.take();
    v.apply(events);
    std::vector<watcher*> ws;
    for (auto& m : models) {
      ws.push_back(&m.w);
    }
    v.watch("acme", events, ws);
    v.watch_counts("acme", ws, false);
    for (auto& m : models) {
      ASSERT_FALSE(m.w.reset) << "seed " << seed;
      m.take_frames();
    }
  }

  for (auto& m : models) {
    model fresh;
    fresh.w.who = m.w.who;
    fresh.w.query = m.w.query;
    fresh.full = m.full;
    fresh.read(v);
    const auto who = m.w.who.agent + " " + m.w.query.view + "/" +
                     m.w.query.status + " tag " + m.w.query.tag +
                     " (ATENDE_STREAM_SEED=" + std::to_string(seed) + ")";
    for (const auto& [id, x] : m.list) {
      EXPECT_TRUE(fresh.list.contains(id)) << who << ": " << id << " held, not listed: " << x.dump();
      if (fresh.list.contains(id)) {
        EXPECT_EQ(x.dump(), fresh.list[id].dump()) << who;
      }
    }
    for (const auto& [id, x] : fresh.list) {
      EXPECT_TRUE(m.list.contains(id)) << who << ": " << id << " listed, not held: " << x.dump();
    }
    EXPECT_EQ(m.counts, fresh.counts) << who;
    if (m.full) {
      EXPECT_EQ(json(m.messages).dump(), json(fresh.messages).dump()) << who;
      EXPECT_EQ(json(m.board).dump(), json(fresh.board).dump()) << who;
    }
    // Each note that names it, once, in order; none that does not.
    EXPECT_EQ(m.mentioned, mentions_of[m.w.who.agent]) << who;
  }
}

TEST_F(StreamProperty, AnAgentsOwnRecordChangingResetsItsStreams) {
  watcher ana{.who = agent_of("acme", "ana")};
  watcher bia{.who = agent_of("acme", "bia")};
  h.add(agent_updated{.value = {.id = "ana", .name = "ana", .role = agent_role::agent,
                                .teams = {"support"}, .max_concurrent = {},
                                .token_hash = {}}});
  auto events = h.take();
  v.apply(events);
  v.watch("acme", events, {&ana, &bia});
  EXPECT_TRUE(ana.reset);
  EXPECT_FALSE(bia.reset);
}

} // namespace
} // namespace atende::testing

// The indexed views against a plain model: random histories, random queries,
// every page and every count compared with a scan written from the contract,
// restricted conversations (portfolios, routing, contact_group teams),
// delivery statuses and automation messages included.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <cstdio>
#include <random>
#include <set>
#include <type_traits>

#include "events/json_text.h"
#include "tests/projections/builders.h"

namespace atende::testing {
namespace {

using strings = std::vector<std::string>;

struct model_conv {
  std::string id, contact, channel, team, assignee;
  std::string portfolio; // routed to it
  std::string status = "waiting";
  bool last_out = false;
  strings outbound;                // our messages, oldest first
  std::set<std::string> failed;   // those of them that failed
  bool automated = false;         // an automation flow messaged the contact
  timestamp at = 0;
  int ord = 0;
};

struct model_contact {
  strings tags;
  std::string stage;
};

struct model_portfolio {
  strings owners; // responsible first
  std::set<std::string> contacts;
};

struct model {
  std::map<std::string, strings> teams_of; // agent -> teams
  std::map<std::string, model_contact> contacts;
  std::vector<model_conv> convs;
  std::map<std::string, std::string> distribution; // team -> distribution
  std::map<std::string, model_portfolio> portfolios;

  // governing: the contract's words — routed to a portfolio, or waiting in a
  // contact_group team for a contact in portfolios.
  strings governing(const model_conv& c) const {
    if (c.status != "waiting") {
      return {};
    }
    if (!c.portfolio.empty()) {
      return {c.portfolio};
    }
    strings out;
    if (distribution.at(c.team) == "contact_group") {
      for (const auto& [id, p] : portfolios) {
        if (p.contacts.contains(c.contact)) {
          out.push_back(id);
        }
      }
    }
    return out;
  }

  bool sees(const principal& p, const model_conv& c) const {
    if (p.admin || (!c.assignee.empty() && c.assignee == p.agent)) {
      return true;
    }
    auto gov = governing(c);
    if (!gov.empty()) {
      for (const auto& id : gov) {
        auto it = portfolios.find(id);
        if (it != portfolios.end() &&
            std::find(it->second.owners.begin(), it->second.owners.end(),
                      p.agent) != it->second.owners.end()) {
          return true;
        }
      }
      return false;
    }
    const auto& teams = teams_of.at(p.agent);
    return std::find(teams.begin(), teams.end(), c.team) != teams.end();
  }

  bool in_status(const std::string& s, const model_conv& c) const {
    if (s == "open") {
      return c.status != "finished";
    }
    bool last_failed =
      !c.outbound.empty() && c.failed.contains(c.outbound.back());
    if (s == "awaiting_customer") {
      return c.status == "open" && c.last_out && !last_failed;
    }
    if (s == "send_failed") {
      return c.status != "finished" && last_failed;
    }
    if (s == "automation") {
      return c.status != "finished" && c.automated;
    }
    return s == "finished" && c.status == "finished";
  }

  bool in_view(const std::string& view, const principal& p,
               const model_conv& c) const {
    if (view == "mine") {
      return c.assignee == p.agent;
    }
    if (view == "unassigned") {
      return c.status == "waiting" && sees(p, c);
    }
    return sees(p, c);
  }

  bool passes(const conversation_query& q, const model_conv& c) const {
    const auto& k = contacts.at(c.contact);
    return (q.channel.empty() || c.channel == q.channel) &&
           (q.team.empty() || c.team == q.team) &&
           (q.contact.empty() || c.contact == q.contact) &&
           (q.stage.empty() || k.stage == q.stage) &&
           (q.tag.empty() ||
            std::find(k.tags.begin(), k.tags.end(), q.tag) != k.tags.end());
  }

  strings expect(const principal& p, const conversation_query& q,
                 const std::string& view) const {
    std::vector<const model_conv*> hits;
    for (const auto& c : convs) {
      if (in_status(q.status, c) && passes(q, c) && in_view(view, p, c)) {
        hits.push_back(&c);
      }
    }
    std::sort(hits.begin(), hits.end(), [&](auto* a, auto* b) {
      auto ka = std::pair(a->at, a->ord), kb = std::pair(b->at, b->ord);
      return q.sort == "oldest" ? ka < kb : ka > kb;
    });
    strings out;
    for (auto* c : hits) {
      out.push_back(c->id);
    }
    return out;
  }
};

const strings teams = {"t0", "t1", "t2"};
const strings channels = {"wa", "ig"};
const strings tags = {"vip", "b2b", "cold"};
const strings stages = {"", "lead", "won"};

template <class T>
const T& pick(std::mt19937& rng, const std::vector<T>& v) {
  return v[rng() % v.size()];
}

strings random_tags(std::mt19937& rng) {
  strings out;
  for (const auto& t : tags) {
    if (rng() % 3 == 0) {
      out.push_back(t);
    }
  }
  return out;
}

const strings agents = {"a0", "a1", "a2", "a3", "a4"};
const strings portfolio_ids = {"p0", "p1", "p2"};

// random_routing_step changes what restricts conversations: owners,
// contacts, deletion of portfolios, teams' distribution, routing.
void random_routing_step(std::mt19937& rng, history& h, model& m,
                         timestamp at) {
  const auto& id = pick(rng, portfolio_ids);
  int op = static_cast<int>(rng() % 10);
  auto it = m.portfolios.find(id);
  if (op < 3 || it == m.portfolios.end()) {
    strings owners{pick(rng, agents)};
    for (const auto& a : agents) {
      if (rng() % 4 == 0) {
        owners.push_back(a);
      }
    }
    h.portfolio(id, owners[0], strings(owners.begin() + 1, owners.end()),
                it != m.portfolios.end());
    m.portfolios[id].owners = owners;
  } else if (op < 7) {
    auto contact = "c" + std::to_string(rng() % 12);
    bool in = it->second.contacts.contains(contact);
    if (in) {
      h.portfolio_contacts(id, {}, {contact});
      it->second.contacts.erase(contact);
    } else {
      h.portfolio_contacts(id, {contact});
      it->second.contacts.insert(contact);
    }
  } else if (op == 7) {
    h.delete_portfolio(id);
    m.portfolios.erase(it);
  } else if (op == 8) {
    const auto& team = pick(rng, teams);
    auto& d = m.distribution[team];
    d = d == "contact_group" ? "manual" : "contact_group";
    h.team(team, d, true);
  } else if (!m.convs.empty()) {
    auto& c = m.convs[rng() % m.convs.size()];
    if (c.status != "waiting") {
      return;
    }
    c.team = pick(rng, teams);
    c.portfolio = rng() % 3 == 0 ? std::string{} : id;
    c.at = at;
    h.route(c.id, c.team, c.portfolio, at);
  }
}

// random_delivery_step reports a status for one of our messages, in any
// conversation (finished ones too); it is not an activity. A failed message
// stays failed, as the engine never moves a status back.
void random_delivery_step(std::mt19937& rng, history& h, model_conv& c,
                          timestamp at) {
  if (c.outbound.empty()) {
    return;
  }
  // Mostly the last message, whose failure is what the lists show.
  const auto& msg = rng() % 2 == 0 ? c.outbound.back() : pick(rng, c.outbound);
  if (c.failed.contains(msg)) {
    return;
  }
  if (rng() % 2 == 0) {
    h.delivery(c.id, msg, "failed", at, "131026", "Message undeliverable");
    c.failed.insert(msg);
  } else {
    h.delivery(c.id, msg, pick(rng, strings{"sent", "delivered", "read"}), at);
  }
}

void random_step(std::mt19937& rng, history& h, model& m, int step) {
  timestamp at = at_s(step / 3); // several events share an instant
  int op = static_cast<int>(rng() % 16);
  if (op >= 10 && op < 13) {
    random_routing_step(rng, h, m, at);
    return;
  }
  if (op == 13 && !m.convs.empty()) {
    random_delivery_step(rng, h, m.convs[rng() % m.convs.size()], at);
    return;
  }
  if (m.convs.empty() || op < 3) {
    model_conv c{.id = "k" + std::to_string(m.convs.size()),
                 .contact = "c" + std::to_string(rng() % 12),
                 .channel = pick(rng, channels),
                 .team = pick(rng, teams),
                 .at = at,
                 .ord = static_cast<int>(m.convs.size())};
    h.open(c.id, c.contact, c.channel, c.team, at);
    m.convs.push_back(c);
    return;
  }
  auto& c = m.convs[rng() % m.convs.size()];
  if (op == 9) {
    auto& k = m.contacts[c.contact];
    k = {random_tags(rng), pick(rng, stages)};
    h.contact(c.contact, c.contact, "5511900000000", k.tags, k.stage, true);
    return;
  }
  if (c.status == "finished") {
    return;
  }
  c.at = at;
  if (op >= 14) {
    auto id = c.id + "-auto" + std::to_string(step);
    h.automation_message(c.id, id, "welcome", "hello", at);
    c.last_out = true;
    c.outbound.push_back(id);
    c.automated = true;
  } else if (op == 3) {
    h.receive(c.id, c.id + "-in" + std::to_string(step), "hi", at);
    c.last_out = false;
  } else if (op == 4 && c.status == "open") {
    auto id = c.id + "-out" + std::to_string(step);
    h.send(c.id, id, c.assignee, "ok", at);
    c.last_out = true;
    c.outbound.push_back(id);
  } else if (op == 5 || op == 4) {
    c.assignee = pick(rng, agents);
    c.status = "open";
    h.assign(c.id, c.assignee, at);
  } else if (op == 6 || op == 7) {
    c.team = pick(rng, teams);
    c.assignee = rng() % 2 ? pick(rng, agents) : "";
    c.status = c.assignee.empty() ? "waiting" : "open";
    c.portfolio.clear();
    h.transfer(c.id, c.team, c.assignee, at);
  } else {
    c.status = "finished";
    h.finish(c.id, "", "", at);
  }
}

conversation_query random_query(std::mt19937& rng) {
  conversation_query q;
  q.view = pick(rng, strings{"all", "mine", "unassigned"});
  q.status = pick(rng, strings{"open", "open", "awaiting_customer", "finished",
                               "send_failed", "automation"});
  q.sort = pick(rng, strings{"recent", "oldest"});
  q.limit = 1 + rng() % 6;
  auto maybe = [&](const strings& v) {
    return rng() % 4 == 0 ? pick(rng, v) : std::string{};
  };
  q.channel = maybe(channels);
  q.team = maybe(teams);
  q.tag = maybe(tags);
  q.stage = maybe(strings{"lead", "won"});
  q.contact = rng() % 8 == 0 ? "c" + std::to_string(rng() % 12) : "";
  return q;
}

strings page_through(views& v, const principal& p, conversation_query q) {
  strings out;
  for (int pages = 0; pages < 1000; ++pages) {
    auto r = v.conversations(p, q);
    EXPECT_TRUE(r);
    if (!r) {
      break;
    }
    EXPECT_LE(r->items.items.size(), q.limit);
    auto got = ids(r->items);
    out.insert(out.end(), got.begin(), got.end());
    if (r->items.next_cursor.empty()) {
      break;
    }
    q.cursor = r->items.next_cursor;
  }
  return out;
}

/// each_random_state builds random histories (12 seeds, 400 steps each) and
/// calls `check(v, m, rng, seed, step)` every 50 steps, with the views and
/// the model of the same history (and the events just applied, when `check`
/// takes a sixth argument).
template <class F>
void each_random_state(F check) {
  for (unsigned seed = 1; seed <= 12; ++seed) {
    std::mt19937 rng(seed);
    history h{"acme"};
    model m;
    h.tenant("boss", "hash-boss");
    m.teams_of["boss"] = {};
    for (const auto& team : teams) {
      m.distribution[team] = team == "t0" ? "contact_group" : "manual";
      h.team(team, m.distribution[team]);
    }
    for (int i = 0; i < 5; ++i) {
      auto id = "a" + std::to_string(i);
      if (i < 4) { // a4 is in no team: it sees what it owns or is given
        m.teams_of[id] = {teams[static_cast<std::size_t>(i) % 3]};
      } else {
        m.teams_of[id] = {};
      }
      if (i == 3) {
        m.teams_of[id].push_back("t1");
      }
      h.agent(id, m.teams_of[id]);
    }
    for (int i = 0; i < 12; ++i) {
      auto id = "c" + std::to_string(i);
      m.contacts[id] = {random_tags(rng), pick(rng, stages)};
      h.contact(id, id, "5511900000000", m.contacts[id].tags,
                m.contacts[id].stage);
    }
    views v;
    for (int step = 0; step < 400; ++step) {
      random_step(rng, h, m, step);
      if (step % 50 != 49) {
        continue;
      }
      auto batch = h.take();
      v.apply(batch);
      if constexpr (std::is_invocable_v<F, views&, const model&,
                                        std::mt19937&, unsigned, int,
                                        const std::vector<event>&>) {
        check(v, m, rng, seed, step, batch);
      } else {
        check(v, m, rng, seed, step);
      }
    }
  }
}

principal random_principal(std::mt19937& rng) {
  return rng() % 6 == 0 ? admin_of("acme", "boss")
                        : agent_of("acme", pick(rng, agents));
}

TEST(ReferenceModel, PagesAndCountsMatchAScanOfTheContract) {
  int nonempty = 0;
  each_random_state([&](views& v, const model& m, std::mt19937& rng,
                        unsigned seed, int step) {
    for (int n = 0; n < 40; ++n) {
      auto q = random_query(rng);
      auto p = random_principal(rng);
      auto want = m.expect(p, q, q.view);
      nonempty += want.empty() ? 0 : 1;
      ASSERT_EQ(page_through(v, p, q), want)
        << "seed " << seed << " step " << step << " view " << q.view
        << " status " << q.status << " agent " << p.agent;
      auto r = v.conversations(p, q);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->all, m.expect(p, q, "all").size());
      EXPECT_EQ(r->mine, m.expect(p, q, "mine").size());
      EXPECT_EQ(r->unassigned, m.expect(p, q, "unassigned").size());
      for (const auto& c : m.convs) {
        EXPECT_EQ(v.conversation(p, c.id).has_value(), m.sees(p, c))
          << "seed " << seed << " step " << step << " " << c.id << " "
          << p.agent;
      }
    }
  });
  // Random filters often match nothing; enough queries must match something
  // for the comparison to mean anything.
  EXPECT_GT(nonempty, 12 * 8 * 40 / 5);
  std::printf("non-empty answers: %d of %d\n", nonempty, 12 * 8 * 40);
}

TEST(ReferenceModel, APageRenderedAsTextIsTheTextOfThePageAsValues) {
  int items = 0;
  each_random_state([&](views& v, const model&, std::mt19937& rng,
                        unsigned seed, int step) {
    for (int n = 0; n < 40; ++n) {
      auto q = random_query(rng);
      auto p = random_principal(rng);
      auto values = v.conversations(p, q, 0, rendering::json);
      auto text = v.conversations(p, q, 0, rendering::text);
      ASSERT_TRUE(values && text);
      std::string want;
      for (const auto& item : values->items.items) {
        if (!want.empty()) {
          want += ',';
        }
        want += json_text(item);
        ++items;
      }
      ASSERT_EQ(text->items_text, want) << "seed " << seed << " step " << step;
      EXPECT_EQ(text->items.next_cursor, values->items.next_cursor);
      EXPECT_TRUE(text->items.items.empty());
      EXPECT_EQ(text->all, values->all);
      EXPECT_EQ(text->mine, values->mine);
      EXPECT_EQ(text->unassigned, values->unassigned);
    }
  });
  EXPECT_GT(items, 1000);
}

// ---- the views' checkpoint (projections/checkpoint.h) -------------------------

/// expect_same_answers asks `a` and `b` the same random questions.
void expect_same_answers(views& a, views& b, const model& m, std::mt19937& rng,
                         const std::string& where) {
  for (int n = 0; n < 30; ++n) {
    auto q = random_query(rng);
    auto p = random_principal(rng);
    ASSERT_EQ(page_through(a, p, q), page_through(b, p, q)) << where;
    auto x = a.conversations(p, q);
    auto y = b.conversations(p, q);
    ASSERT_TRUE(x && y);
    EXPECT_EQ(x->all, y->all) << where;
    EXPECT_EQ(x->mine, y->mine) << where;
    EXPECT_EQ(x->unassigned, y->unassigned) << where;
  }
  auto admin = admin_of("acme", "boss");
  for (const auto& c : m.convs) {
    auto p = random_principal(rng);
    auto x = a.conversation(p, c.id);
    auto y = b.conversation(p, c.id);
    ASSERT_EQ(x.has_value(), y.has_value()) << where << " " << c.id;
    if (x) {
      EXPECT_EQ(json_text(*x), json_text(*y)) << where << " " << c.id;
    }
    auto wx = a.waiting_history(admin, c.id);
    auto wy = b.waiting_history(admin, c.id);
    ASSERT_TRUE(wx && wy);
    EXPECT_EQ(*wx, *wy) << where << " " << c.id;
  }
  for (auto r : {resource::contacts, resource::agents, resource::portfolios,
                 resource::teams}) {
    auto x = a.list(admin, r, 500, "");
    auto y = b.list(admin, r, 500, "");
    ASSERT_TRUE(x && y);
    EXPECT_EQ(x->items, y->items) << where;
  }
}

TEST(ViewsCheckpoint, ARestoredViewAnswersAndGoesOnLikeTheViewItWasWrittenFrom) {
  std::unique_ptr<views> restored;
  int compared = 0;
  each_random_state([&](views& v, const model& m, std::mt19937& rng,
                        unsigned seed, int step,
                        const std::vector<event>& batch) {
    auto where = "seed " + std::to_string(seed) + " step " +
                 std::to_string(step);
    if (step == 49) {
      restored.reset();
    }
    // Written after 200 steps, the checkpoint then follows the same events.
    if (step == 199) {
      auto bytes = v.checkpoint("build-1");
      restored = std::make_unique<views>();
      auto r = restored->restore(bytes, "build-1");
      ASSERT_TRUE(r) << r.error().message;
      EXPECT_EQ(restored->checkpoint("build-1"), bytes) << where;
      EXPECT_EQ(restored->positions(), v.positions());
    } else if (restored) {
      restored->apply(batch);
    }
    if (restored) {
      EXPECT_EQ(restored->checkpoint("build-1"), v.checkpoint("build-1"))
        << where;
      expect_same_answers(v, *restored, m, rng, where);
      ++compared;
    }
  });
  EXPECT_EQ(compared, 12 * 5);
}

TEST(ViewsCheckpoint, EveryKindOfFactSurvivesARestore) {
  history h{"acme"};
  h.tenant("boss", "hash-boss");
  h.team("t0", "manual").team("t1", "contact_group");
  h.add(channel_created{.value = {.id = "ch0", .kind = channel_kind::whatsapp,
                                  .name = "Main", .phone = "5511999990000",
                                  .phone_number_id = "pnid-1",
                                  .default_team = "t0"}});
  h.agent("ana", {"t0", "t1"}, "hash-ana").agent("bia", {"t1"}, "hash-bia");
  h.add(agent_session_started{.agent = "ana", .token_hash = "hash-session",
                              .expires_at = "2027-01-01T00:00:00.000Z"});
  h.pause_type("lunch", 60).reason("solved");
  h.status("ana", "online", at_s(1)).pause("ana", "lunch", at_s(2));
  h.message_template("tpl", "ch0", "hello", "pt_BR", "Oi {{1}}", "approved");
  h.add(subscription_created{.value = {.id = "sub", .url = "https://x.test/h",
                                       .events = {"conversation.opened"},
                                       .secret = "sealed", .active = true}});
  h.add(subscription_delivered{.subscription = "sub", .position = 3});
  h.contact("c1", "Maria", "5511988887777", {"vip", "lead"}, "won");
  h.contact("c2", "José", "5511988886666");
  h.portfolio("p1", "ana", {"bia"}).portfolio_contacts("p1", {"c2"}, {});
  h.open("k1", "c1", "ch0", "t0", at_s(3));
  h.receive_content("k1", "m1", "image", "foto",
                    {{"media", {{"id", "meta-1"}, {"mime_type", "image/jpeg"}}},
                     {"location", {{"latitude", -23.5505}, {"longitude", -46.63}}}},
                    at_s(4));
  h.add(message_media_changed{.conversation = "k1", .message_id = "m1",
                              .media = {{"id", "ab12"},
                                        {"mime_type", "image/jpeg"},
                                        {"size", 10},
                                        {"sha256", "ab12"}},
                              .error_code = {}, .error_title = {}},
        at_s(5), "connector");
  h.assign("k1", "ana", at_s(6));
  h.send_template("k1", "o1", "ana", "hello", "pt_BR", {"Maria"}, "Oi Maria",
                  at_s(7));
  h.delivery("k1", "o1", "failed", at_s(8), "131047", "Re-engagement message");
  h.reaction("k1", "m2", "o1", "👍", at_s(9));
  h.add(note_added{.conversation = "k1", .message_id = "n1", .author = "ana",
                   .text = "@bia veja", .mentions = {"bia"}},
        at_s(10), "agent:ana");
  h.automation_message("k1", "a1", "welcome", "Bem-vindo", at_s(11));
  h.finish("k1", "solved", "ok", at_s(12));
  h.open("k2", "c2", "ch0", "t1", at_s(13));
  h.route("k2", "t1", "p1", at_s(14)).hold("k2", "p1", true, at_s(15));
  views v;
  v.apply(h.take());

  auto bytes = v.checkpoint("build-1");
  views w;
  ASSERT_TRUE(w.restore(bytes, "build-1"));
  EXPECT_EQ(w.checkpoint("build-1"), bytes);
  auto admin = admin_of("acme", "boss");
  for (auto r : {resource::channels, resource::teams, resource::agents,
                 resource::reasons, resource::contacts, resource::pause_types,
                 resource::portfolios, resource::templates,
                 resource::subscriptions}) {
    auto x = v.list(admin, r, 500, "");
    auto y = w.list(admin, r, 500, "");
    ASSERT_TRUE(x && y);
    EXPECT_EQ(x->items, y->items);
  }
  for (const auto* id : {"k1", "k2"}) {
    for (const auto& p : {admin, agent_of("acme", "ana"),
                          agent_of("acme", "bia")}) {
      auto x = v.conversation(p, id);
      auto y = w.conversation(p, id);
      ASSERT_EQ(x.has_value(), y.has_value()) << id << " " << p.agent;
      if (x) {
        EXPECT_EQ(json_text(*x), json_text(*y));
      }
    }
  }
  for (const auto* hash : {"hash-boss", "hash-ana", "hash-session"}) {
    auto x = v.authenticate(hash);
    auto y = w.authenticate(hash);
    ASSERT_TRUE(x && y) << hash;
    EXPECT_EQ(x->agent, y->agent);
    EXPECT_EQ(x->session, y->session);
  }
  EXPECT_EQ(w.channel_owner("pnid-1"), v.channel_owner("pnid-1"));
  EXPECT_TRUE(w.sees_media(agent_of("acme", "ana"), "ab12"));
  EXPECT_EQ(w.sees_media(agent_of("acme", "bia"), "ab12"),
            v.sees_media(agent_of("acme", "bia"), "ab12"));
  auto board_x = v.list(admin, resource::agents, 500, "", {}, {}, {}, at_s(99));
  auto board_y = w.list(admin, resource::agents, 500, "", {}, {}, {}, at_s(99));
  ASSERT_TRUE(board_x && board_y);
  EXPECT_EQ(board_x->items, board_y->items);
}

TEST(ViewsCheckpoint, AnotherBuildsOrADamagedCheckpointLeavesTheViewsEmpty) {
  history h{"acme"};
  h.tenant("boss", "hash-boss");
  h.team("t0", "manual");
  h.open("k1", "c1", "ch0", "t0", at_s(1));
  views v;
  v.apply(h.take());
  auto bytes = v.checkpoint("build-1");

  auto refused = [&](std::string_view b, std::string_view build,
                     std::string_view says) {
    views w;
    auto r = w.restore(b, build);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::internal);
    EXPECT_NE(r.error().message.find(says), std::string::npos)
      << r.error().message;
    EXPECT_FALSE(w.tenant_exists("acme"));
    EXPECT_TRUE(w.positions().empty());
  };
  refused(bytes, "build-2", "another build");
  refused(bytes, "", "another build");
  refused(bytes.substr(0, bytes.size() - 1), "build-1", "checksum");
  refused("", "build-1", "magic");
  for (std::size_t i = 0; i < bytes.size(); i += 7) {
    auto flipped = bytes;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x20);
    views w;
    EXPECT_FALSE(w.restore(flipped, "build-1")) << "byte " << i;
    EXPECT_TRUE(w.positions().empty());
  }
  views w;
  ASSERT_TRUE(w.restore(bytes, "build-1"));
  EXPECT_TRUE(w.tenant_exists("acme"));
  EXPECT_EQ(w.last_seq("acme"), v.last_seq("acme"));
  auto again = w.restore(bytes, "build-1");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, errc::conflict);
}

} // namespace
} // namespace atende::testing

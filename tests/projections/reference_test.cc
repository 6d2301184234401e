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
/// the model of the same history.
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
      v.apply(h.take());
      check(v, m, rng, seed, step);
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

} // namespace
} // namespace atende::testing

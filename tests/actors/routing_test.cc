// routing_test: automatic distribution, availability and portfolios in the
// pure tenant core (tenant_distribution.cc, tenant_route.cc) and the agent
// and portfolio cores — one test per rule of PRODUCT.md "Teams", "Agents and
// pauses" and "Portfolios", driven through the simulator of harness.h.
//
// Time: t0 is Saturday 2026-11-21 10:05 in America/Sao_Paulo (the tenant's
// zone); the simulator's clock advances one second per input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "actors/agent.h"
#include "actors/portfolio.h"
#include "actors/tenant.h"
#include "tests/actors/harness.h"

namespace atende {
namespace {

using namespace atende::testing;

constexpr timestamp minute = 60 * 1000;

class Routing : public ::testing::Test {
protected:
  void SetUp() override { configure(sim); }

  /// distribute sets team sales' distribution and capacity.
  void distribute(const std::string& how, int max_per_agent = 5) {
    sim.must(admin_actor,
             patch<team>{"sales", {{"distribution", how},
                                   {"max_per_agent", max_per_agent}}});
  }

  void online(const std::string& agent) {
    sim.must("agent:" + agent, agent_set_status{"online"});
  }

  /// customer writes from a new number; returns the conversation.
  std::string customer(int n) {
    auto s = sim.must("connector",
                      inbound("wa-main", "55319888800" + two(n),
                              "wamid." + std::to_string(n)));
    return s.conversation;
  }

  std::string assignee(const std::string& conv) {
    return sim.tenant.conversations.at(conv).assignee;
  }

  const conversation_assigned* last_assignment(const std::string& conv) {
    const conversation_assigned* out = nullptr;
    for (const auto& e : sim.journal) {
      if (auto* a = std::get_if<conversation_assigned>(&e.data);
          a != nullptr && a->conversation == conv) {
        out = a;
      }
    }
    return out;
  }

  void finish(const std::string& agent, const std::string& conv) {
    sim.must("agent:" + agent, conversation_finish{conv, "", ""});
  }

  static std::string two(int n) {
    return (n < 10 ? "0" : "") + std::to_string(n);
  }

  tenant_sim sim;
};

// ---- distribution types -------------------------------------------------

TEST_F(Routing, ManualTeamNeverAssignsAutomatically) {
  online("ana");
  auto c = customer(1);
  EXPECT_EQ(assignee(c), "");
}

TEST_F(Routing, RoundRobinAlternates) {
  distribute("round_robin");
  online("ana");
  online("bia");
  std::vector<std::string> got;
  for (int i = 1; i <= 4; ++i) {
    got.push_back(assignee(customer(i)));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"ana", "bia", "ana", "bia"}));
}

TEST_F(Routing, RoundRobinResumesItsTurnAfterARestart) {
  distribute("round_robin");
  online("ana");
  online("bia");
  EXPECT_EQ(assignee(customer(1)), "ana");
  // Restart: the tenant comes back from its snapshot, the presence and
  // turns stored apart, and the conversations'.
  sim.tenant = sim.restored();
  EXPECT_EQ(assignee(customer(2)), "bia");
  EXPECT_EQ(assignee(customer(3)), "ana");
}

TEST_F(Routing, RoundRobinSkipsUnavailableAgents) {
  distribute("round_robin");
  online("ana");
  EXPECT_EQ(assignee(customer(1)), "ana");
  EXPECT_EQ(assignee(customer(2)), "ana"); // bia is offline
}

TEST_F(Routing, LeastBusyPicksFewestOpenConversations) {
  distribute("least_busy");
  online("ana");
  EXPECT_EQ(assignee(customer(1)), "ana");
  online("bia");
  EXPECT_EQ(assignee(customer(2)), "bia");
  EXPECT_EQ(assignee(customer(3)), "ana"); // 1 each: ana idle longest
  auto c4 = customer(4);
  EXPECT_EQ(assignee(c4), "bia");
}

TEST_F(Routing, LeastBusyTieGoesToTheAgentIdleLongest) {
  distribute("least_busy");
  online("ana");
  online("bia");
  auto c1 = customer(1); // ana (both idle since never, ana first by id)
  auto c2 = customer(2); // bia
  ASSERT_EQ(assignee(c1), "ana");
  ASSERT_EQ(assignee(c2), "bia");
  finish("ana", c1);
  finish("bia", c2);
  // Both free; ana's last assignment is older.
  EXPECT_EQ(assignee(customer(3)), "ana");
}

TEST_F(Routing, AutomaticAssignmentNamesItsRuleAndWhoWasEligible) {
  distribute("least_busy");
  online("ana");
  online("bia");
  auto c = customer(1);
  auto* a = last_assignment(c);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->rule, "least_busy");
  EXPECT_EQ(a->eligible, (std::vector<std::string>{"ana", "bia"}));
  EXPECT_EQ(sim.journal.back().actor, "rule:least_busy");
}

// ---- eligibility and capacity ---------------------------------------------

TEST_F(Routing, OfflineAgentGetsNothing) {
  distribute("round_robin");
  auto c = customer(1);
  EXPECT_EQ(assignee(c), "");
}

TEST_F(Routing, TwoAgentsAtCapacityThirdWaitsThenGoesToTheFirstThatFreesUp) {
  distribute("least_busy", 1);
  online("ana");
  online("bia");
  auto c1 = customer(1);
  auto c2 = customer(2);
  auto c3 = customer(3);
  EXPECT_EQ(assignee(c1), "ana");
  EXPECT_EQ(assignee(c2), "bia");
  EXPECT_EQ(assignee(c3), "");
  finish("bia", c2);
  EXPECT_EQ(assignee(c3), "bia");
  EXPECT_EQ(last_assignment(c3)->rule, "freed_agent");
}

TEST_F(Routing, WhenCapacityFreesTheOldestWaitingGoesFirst) {
  distribute("round_robin", 1);
  online("ana");
  auto c1 = customer(1);
  auto c2 = customer(2);
  auto c3 = customer(3);
  ASSERT_EQ(assignee(c1), "ana");
  finish("ana", c1);
  EXPECT_EQ(assignee(c2), "ana");
  EXPECT_EQ(assignee(c3), "");
}

TEST_F(Routing, CapacityIsNeverExceeded) {
  distribute("round_robin", 2);
  online("ana");
  online("bia");
  for (int i = 1; i <= 10; ++i) {
    customer(i);
  }
  EXPECT_EQ(sim.tenant.open_count.at("ana"), 2);
  EXPECT_EQ(sim.tenant.open_count.at("bia"), 2);
  // A manual take over capacity is refused as well.
  std::string waiting;
  for (const auto& [id, c] : sim.tenant.conversations) {
    if (c.assignee.empty()) {
      waiting = id;
    }
  }
  EXPECT_EQ(code_of(sim.as("agent:ana", conversation_assign{waiting, ""})),
            errc::at_capacity);
}

TEST_F(Routing, AgentCapacityOverridesTheTeams) {
  distribute("round_robin", 1);
  sim.must(admin_actor, patch<agent>{"ana", {{"max_concurrent", 3}}});
  online("ana");
  for (int i = 1; i <= 4; ++i) {
    customer(i);
  }
  EXPECT_EQ(sim.tenant.open_count.at("ana"), 3);
}

TEST_F(Routing, ComingOnlineTakesTheOldestWaiting) {
  distribute("round_robin");
  auto c1 = customer(1);
  auto c2 = customer(2);
  online("bia");
  EXPECT_EQ(assignee(c1), "bia");
  EXPECT_EQ(assignee(c2), "bia");
}

TEST_F(Routing, ConcurrentTakesOfOneConversationGiveExactlyOneWinner) {
  auto c = customer(1);
  auto first = sim.as("agent:ana", conversation_assign{c, ""});
  auto second = sim.as("agent:bia", conversation_assign{c, ""});
  EXPECT_TRUE(first);
  EXPECT_EQ(code_of(second), errc::already_assigned);
  EXPECT_EQ(assignee(c), "ana");
}

TEST_F(Routing, ManualTakeIgnoresOnlineStatusAndPauses) {
  sim.must(admin_actor, create<pause_type>{{"coffee", "Coffee", 10, ""}});
  online("ana");
  sim.must("agent:ana", agent_pause{"coffee"});
  auto c = customer(1);
  EXPECT_TRUE(sim.as("agent:ana", conversation_assign{c, ""}));
}

TEST_F(Routing, TransferToATeamThatDistributesAssignsAtOnce) {
  sim.must(admin_actor,
           patch<team>{"support", {{"distribution", "round_robin"}}});
  online("caio");
  auto c = customer(1);
  sim.must("agent:ana", conversation_assign{c, ""});
  sim.must("agent:ana", conversation_transfer{c, "", "support", ""});
  EXPECT_EQ(assignee(c), "caio");
  EXPECT_EQ(sim.tenant.conversations.at(c).team, "support");
}

TEST_F(Routing, TransferAwayFreesTheAgentForTheOldestWaiting) {
  distribute("round_robin", 1);
  online("ana");
  auto c1 = customer(1);
  auto c2 = customer(2);
  ASSERT_EQ(assignee(c1), "ana");
  sim.must("agent:ana", conversation_transfer{c1, "caio", "", ""});
  EXPECT_EQ(assignee(c2), "ana");
}

// ---- pauses -------------------------------------------------------------

class Pauses : public Routing {
protected:
  void SetUp() override {
    Routing::SetUp();
    sim.must(admin_actor, create<pause_type>{{"lunch", "Lunch", 60, "11:00"}});
    sim.must(admin_actor, create<pause_type>{{"coffee", "Coffee", 10, ""}});
  }
};

TEST_F(Pauses, PauseTypeBeforeItsAllowedFromIsRefused) {
  // 10:05 in São Paulo.
  auto r = sim.as("agent:ana", agent_pause{"lunch"});
  EXPECT_EQ(code_of(r), errc::pause_not_allowed_yet);
  EXPECT_EQ(field_of(r), "type");
  sim.clock += 55 * minute; // 11:00 local
  EXPECT_TRUE(sim.as("agent:ana", agent_pause{"lunch"}));
}

TEST_F(Pauses, AllowedFromIsReadInTheTenantsTimeZone) {
  tenant_sim tokyo;
  tokyo.must("root", tenant_create{tenant_info{"acme", "Acme", "Asia/Tokyo"},
                                   make_agent("boss", "admin", {})});
  tokyo.must(admin_actor, create<pause_type>{{"lunch", "Lunch", 60, "11:00"}});
  // 13:05 UTC is 22:05 in Tokyo: after 11:00.
  EXPECT_TRUE(tokyo.as(admin_actor, agent_pause{"lunch"}));
}

TEST_F(Pauses, UnknownPauseTypeIsAnUnknownReference) {
  auto r = sim.as("agent:ana", agent_pause{"nap"});
  EXPECT_EQ(code_of(r), errc::unknown_reference);
  EXPECT_EQ(field_of(r), "type");
}

TEST_F(Pauses, SecondPauseIsAlreadyPaused) {
  sim.must("agent:ana", agent_pause{"coffee"});
  EXPECT_EQ(code_of(sim.as("agent:ana", agent_pause{"coffee"})),
            errc::already_paused);
}

TEST_F(Pauses, EndingWithoutAPauseIsNotPaused) {
  EXPECT_EQ(code_of(sim.as("agent:ana", agent_resume{})), errc::not_paused);
}

TEST_F(Pauses, PausedAgentGetsNothingAndGetsTheOldestWaitingWhenThePauseEnds) {
  distribute("round_robin");
  online("ana");
  sim.must("agent:ana", agent_pause{"coffee"});
  auto c1 = customer(1);
  auto c2 = customer(2);
  EXPECT_EQ(assignee(c1), "");
  EXPECT_EQ(assignee(c2), "");
  sim.must("agent:ana", agent_resume{});
  EXPECT_EQ(assignee(c1), "ana");
  EXPECT_EQ(assignee(c2), "ana");
  EXPECT_EQ(last_assignment(c1)->rule, "freed_agent");
}

TEST_F(Pauses, PauseEndRecordsItsLengthAndWhetherItRanOver) {
  sim.must("agent:ana", agent_pause{"coffee"});
  sim.clock += 12 * minute;
  auto s = sim.must("agent:ana", agent_resume{});
  auto* end = s.find<agent_pause_ended>();
  ASSERT_NE(end, nullptr);
  EXPECT_EQ(end->minutes, 12);
  EXPECT_TRUE(end->overdue);
  sim.must("agent:ana", agent_pause{"coffee"});
  sim.clock += 5 * minute;
  end = sim.must("agent:ana", agent_resume{}).find<agent_pause_ended>();
  ASSERT_NE(end, nullptr);
  EXPECT_FALSE(end->overdue);
}

TEST_F(Pauses, StatusThatDoesNotChangeRecordsNothing) {
  online("ana");
  auto s = sim.must("agent:ana", agent_set_status{"online"});
  EXPECT_TRUE(s.events.empty());
}

// ---- portfolios ---------------------------------------------------------

class Portfolios : public Routing {
protected:
  void SetUp() override {
    Routing::SetUp();
    portfolio p;
    p.id = "vip";
    p.name = "VIP";
    p.code = "VIP";
    p.responsible = "bia";
    p.members = {"caio"};
    sim.must(admin_actor, create<portfolio>{p});
  }

  /// known_customer: contact k<n> exists (created by a first message whose
  /// conversation is finished by an admin).
  std::string contact_of(const std::string& conv) {
    return sim.tenant.conversations.at(conv).contact;
  }

  void add(const std::string& portfolio_id, const std::string& contact) {
    sim.must(admin_actor, portfolio_contacts{portfolio_id, {contact}, {}});
  }
};

TEST_F(Portfolios, ContactsAreAddedAndRemovedAndOnlyRealChangesAreRecorded) {
  sim.must(admin_actor, create<contact>{make_contact("k1", "Ana", "5531988880001")});
  sim.must(admin_actor, create<contact>{make_contact("k2", "Bia", "5531988880002")});
  auto s = sim.must(admin_actor, portfolio_contacts{"vip", {"k1", "k2", "k1"}, {}});
  auto* ch = s.find<portfolio_contacts_changed>();
  ASSERT_NE(ch, nullptr);
  EXPECT_EQ(ch->added, (std::vector<std::string>{"k1", "k2"}));
  s = sim.must(admin_actor, portfolio_contacts{"vip", {"k1"}, {"k2"}});
  ch = s.find<portfolio_contacts_changed>();
  ASSERT_NE(ch, nullptr);
  EXPECT_TRUE(ch->added.empty());
  EXPECT_EQ(ch->removed, (std::vector<std::string>{"k2"}));
  EXPECT_EQ(sim.portfolios.at("vip").contacts, (std::set<std::string>{"k1"}));
}

TEST_F(Portfolios, UnknownContactIsAnUnknownReference) {
  auto r = sim.as(admin_actor, portfolio_contacts{"vip", {"nobody"}, {}});
  EXPECT_EQ(code_of(r), errc::unknown_reference);
  EXPECT_EQ(field_of(r), "add");
}

TEST_F(Portfolios, OnlyAdminsAndOwnersChangeItsContacts) {
  sim.must(admin_actor, create<contact>{make_contact("k1", "Ana", "5531988880001")});
  EXPECT_EQ(code_of(sim.as("agent:ana", portfolio_contacts{"vip", {"k1"}, {}})),
            errc::forbidden);
  EXPECT_TRUE(sim.as("agent:caio", portfolio_contacts{"vip", {"k1"}, {}}));
}

TEST_F(Portfolios, AContactMayBeInSeveralPortfolios) {
  portfolio p2;
  p2.id = "gold";
  p2.name = "Gold";
  p2.responsible = "ana";
  sim.must(admin_actor, create<portfolio>{p2});
  contact k = make_contact("k1", "Ana", "5531988880001");
  k.portfolios = {"vip", "gold"};
  sim.must(admin_actor, create<contact>{k});
  EXPECT_EQ(sim.tenant.contact_portfolios.at("k1"),
            (std::set<std::string>{"gold", "vip"}));
  // The record itself does not carry them: membership lives in portfolio
  // events.
  EXPECT_TRUE(sim.contacts.at("k1").portfolios.empty());
  sim.must(admin_actor, patch<contact>{"k1", {{"portfolios", {"gold"}}}});
  EXPECT_EQ(sim.tenant.contact_portfolios.at("k1"),
            (std::set<std::string>{"gold"}));
}

TEST_F(Portfolios, DeleteRemovesItsMembershipFirst) {
  sim.must(admin_actor, create<contact>{make_contact("k1", "Ana", "5531988880001")});
  add("vip", "k1");
  auto s = sim.must(admin_actor, portfolio_delete{"vip"});
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(std::get<portfolio_contacts_changed>(s.events[0].data).removed,
            (std::vector<std::string>{"k1"}));
  EXPECT_TRUE(std::holds_alternative<portfolio_deleted>(s.events[1].data));
  EXPECT_FALSE(sim.tenant.contact_portfolios.contains("k1"));
  EXPECT_FALSE(sim.tenant.portfolios.contains("vip"));
  EXPECT_EQ(code_of(sim.as(admin_actor, portfolio_delete{"vip"})),
            errc::not_found);
}

TEST_F(Portfolios, CodeIsUniqueAndOwnersMustExist) {
  portfolio p;
  p.id = "other";
  p.name = "Other";
  p.code = "VIP";
  p.responsible = "ana";
  auto r = sim.as(admin_actor, create<portfolio>{p});
  EXPECT_EQ(code_of(r), errc::already_exists);
  EXPECT_EQ(field_of(r), "code");
  p.code = "";
  p.responsible = "ghost";
  r = sim.as(admin_actor, create<portfolio>{p});
  EXPECT_EQ(code_of(r), errc::unknown_reference);
  EXPECT_EQ(field_of(r), "responsible");
}

TEST_F(Portfolios, ContactGroupConversationIsRefusedOnTakeByANonOwner) {
  distribute("contact_group");
  auto c = customer(1);
  finish("boss", c); // contact k exists now
  add("vip", contact_of(c));
  auto c2 = customer(1); // the same customer again
  EXPECT_EQ(assignee(c2), ""); // nobody online
  EXPECT_EQ(code_of(sim.as("agent:ana", conversation_assign{c2, ""})),
            errc::not_found); // ana may not even see it
  EXPECT_TRUE(sim.as("agent:caio", conversation_assign{c2, ""}));
}

TEST_F(Portfolios, AdminMayNotGiveARestrictedConversationToANonOwner) {
  distribute("contact_group");
  auto c = customer(1);
  finish("boss", c);
  add("vip", contact_of(c));
  auto c2 = customer(1);
  EXPECT_EQ(code_of(sim.as(admin_actor, conversation_assign{c2, "ana"})),
            errc::not_eligible);
}

TEST_F(Portfolios, ContactGroupAssignsTheLeastBusyAvailableOwner) {
  distribute("contact_group");
  auto c = customer(1);
  finish("boss", c);
  add("vip", contact_of(c));
  online("ana");
  online("caio");
  auto c2 = customer(1);
  EXPECT_EQ(assignee(c2), "caio"); // bia (responsible) is offline
  EXPECT_EQ(last_assignment(c2)->rule, "contact_group");
}

TEST_F(Portfolios, ContactInNoPortfolioWaitsForAManualTakeByAnyTeamAgent) {
  distribute("contact_group");
  online("ana");
  auto c = customer(1);
  EXPECT_EQ(assignee(c), "");
  EXPECT_TRUE(sim.as("agent:bia", conversation_assign{c, ""}));
}

TEST_F(Portfolios, AddingTheContactLaterHandsTheWaitingConversationToAnOwner) {
  distribute("contact_group");
  online("caio");
  auto c = customer(1);
  ASSERT_EQ(assignee(c), "");
  add("vip", contact_of(c));
  EXPECT_EQ(assignee(c), "caio");
}

TEST_F(Portfolios, RouteByPortfolioCodeLimitsToItsOwnersWhateverTheTeam) {
  online("ana");
  online("caio");
  auto s = sim.must("connector", conversation_route_in{"wa-main",
                                                       "5531988880077", "",
                                                       "VIP"});
  ASSERT_FALSE(s.conversation.empty());
  EXPECT_EQ(sim.tenant.conversations.at(s.conversation).portfolio, "vip");
  EXPECT_EQ(assignee(s.conversation), "caio");
  EXPECT_EQ(last_assignment(s.conversation)->rule, "portfolio");
}

TEST_F(Portfolios, RouteToATeamMovesTheWaitingConversation) {
  auto c = customer(1);
  auto s = sim.must("connector",
                    conversation_route_in{"wa-main", contact_of(c), "support", ""});
  EXPECT_EQ(s.conversation, c);
  EXPECT_EQ(sim.tenant.conversations.at(c).team, "support");
}

TEST_F(Portfolios, RouteWithAnUnknownCodeIsRejected) {
  auto r = sim.as("connector", conversation_route_in{"wa-main", "5531988880077",
                                                     "", "NOPE"});
  EXPECT_EQ(code_of(r), errc::unknown_reference);
  EXPECT_EQ(field_of(r), "data.portfolio_code");
}

TEST_F(Portfolios, RouteOfAServedConversationIsAlreadyAssigned) {
  auto c = customer(1);
  sim.must("agent:ana", conversation_assign{c, ""});
  EXPECT_EQ(code_of(sim.as("connector", conversation_route_in{
                                          "wa-main", contact_of(c), "", "VIP"})),
            errc::already_assigned);
}

TEST_F(Portfolios, OutsideBusinessHoursItWaitsFlaggedUntilTheHoursOpen) {
  // Open Saturdays 11:00–12:00 local; it is 10:05.
  sim.must(admin_actor,
           patch<portfolio>{"vip", {{"hours", nlohmann::json::parse(
                                                R"({"week":{"sat":[["11:00","12:00"]]}})")}}});
  online("caio");
  auto s = sim.must("connector", conversation_route_in{"wa-main",
                                                       "5531988880077", "",
                                                       "VIP"});
  auto c = s.conversation;
  EXPECT_EQ(assignee(c), "");
  EXPECT_TRUE(sim.tenant.conversations.at(c).held);
  EXPECT_NE(s.find<conversation_held>(), nullptr);
  // Any input of the tenant at 11:00 opens the hours.
  sim.clock += 55 * minute;
  customer(2);
  EXPECT_EQ(assignee(c), "caio");
  EXPECT_FALSE(sim.tenant.conversations.at(c).held);
}

TEST_F(Portfolios, AClockTickOpensTheHoursWithoutOtherTraffic) {
  sim.must(admin_actor,
           patch<portfolio>{"vip", {{"hours", nlohmann::json::parse(
                                                R"({"week":{"sat":[["11:00","12:00"]]}})")}}});
  online("caio");
  auto c = sim.must("connector", conversation_route_in{"wa-main",
                                                       "5531988880077", "",
                                                       "VIP"})
             .conversation;
  ASSERT_TRUE(sim.tenant.conversations.at(c).held);
  sim.clock += 10 * minute; // 10:15: still closed
  auto quiet = sim.must("rule:clock", tenant_tick{});
  EXPECT_TRUE(quiet.events.empty());
  sim.clock += 45 * minute; // 11:00
  auto s = sim.must("rule:clock", tenant_tick{});
  EXPECT_EQ(assignee(c), "caio");
  ASSERT_EQ(s.events.size(), 2u); // released, then assigned
  EXPECT_EQ(s.events[0].actor, "rule:business_hours");
  EXPECT_EQ(s.events[1].actor, "rule:portfolio");
}

TEST_F(Portfolios, RestoreRebuildsMembershipQueueAndHolds) {
  distribute("contact_group");
  auto c = customer(1);
  finish("boss", c);
  add("vip", contact_of(c));
  auto c2 = customer(1);
  auto snap = std::optional<tenant_state>{sim.restored()};
  EXPECT_EQ(snap->queue, sim.tenant.queue);
  EXPECT_EQ(snap->contact_portfolios, sim.tenant.contact_portfolios);
  EXPECT_EQ(snap->presence, sim.tenant.presence);
  EXPECT_EQ(snap->round_robin_turn, sim.tenant.round_robin_turn);
  sim.tenant = std::move(*snap);
  online("caio");
  EXPECT_EQ(assignee(c2), "caio");
}

} // namespace
} // namespace atende

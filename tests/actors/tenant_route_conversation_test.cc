// tenant_route_conversation_test: inbound messages and the commands on a
// conversation (assign, send, transfer, finish) through the tenant core and
// the conversation core, as the tenant actor combines them.
#include "actors/detail/route_ctx.h"

#include <gtest/gtest.h>

#include "events/phone.h"
#include "tests/actors/harness.h"

namespace atende {
namespace {

using namespace atende::testing;

class ConversationRouteTest : public ::testing::Test {
protected:
  void SetUp() override { configure(sim); }

  /// open: an inbound message from `from` on wa-main; returns the
  /// conversation it landed in.
  std::string open(const std::string& from = "5531988887777") {
    auto s = sim.must(
        "connector", inbound("wa-main", from, "w" + std::to_string(++wamids_)));
    return s.conversation;
  }

  /// taken: a conversation opened and taken by `agent`.
  std::string taken(const std::string& agent,
                    const std::string& from = "5531988887777") {
    auto id = open(from);
    sim.must("agent:" + agent, conversation_assign{id, ""});
    return id;
  }

  const conversation_state& conv(const std::string& id) {
    return sim.conversations.at(id);
  }

  int load(const std::string& agent) {
    auto it = sim.tenant.open_count.find(agent);
    return it == sim.tenant.open_count.end() ? 0 : it->second;
  }

  tenant_sim sim;
  int wamids_ = 0;
};

// ---- inbound ------------------------------------------------------------

TEST_F(ConversationRouteTest,
       InboundFromNewNumberCreatesContactAndOpensWaitingConversation) {
  auto s = sim.must("connector", inbound("wa-main", "5531988887777", "w1"));
  ASSERT_EQ(s.events.size(), 3u);
  auto* k = s.find<contact_created>();
  auto* o = s.find<conversation_opened>();
  auto* m = s.find<message_received>();
  ASSERT_TRUE(k && o && m);
  EXPECT_EQ(k->value.phone, "5531988887777");
  EXPECT_EQ(k->value.name, "Maria");
  EXPECT_EQ(o->contact, k->value.id);
  EXPECT_EQ(o->channel, "wa-main");
  EXPECT_EQ(o->team, "sales");
  EXPECT_EQ(o->origin, "inbound");
  EXPECT_EQ(m->conversation, o->conversation);
  EXPECT_EQ(m->provider_id, "w1");
  EXPECT_EQ(m->text, "Oi");
  EXPECT_EQ(s.conversation, o->conversation);

  const auto& c = conv(o->conversation);
  EXPECT_EQ(c.status, "waiting");
  EXPECT_EQ(c.team, "sales");
  EXPECT_TRUE(c.assignee.empty());
  EXPECT_EQ(c.messages, 1u);
  EXPECT_EQ(c.last_inbound_at, s.events[0].at);
  EXPECT_EQ(sim.tenant.open_conversation.at(
                conversation_open_key(k->value.id, "wa-main")),
            o->conversation);
}

TEST_F(ConversationRouteTest,
       SecondInboundFromSameNumberJoinsOpenConversation) {
  auto first = open("5531988887777");
  auto s = sim.must("connector", inbound("wa-main", "5531988887777", "w-2"));
  EXPECT_EQ(s.conversation, first);
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_NE(s.find<message_received>(), nullptr);
  EXPECT_EQ(conv(first).messages, 2u);
  EXPECT_EQ(sim.contacts.size(), 1u);
}

TEST_F(ConversationRouteTest, InboundWithoutNinthDigitJoinsSameConversation) {
  auto first = open("5531988887777");
  auto s = sim.must("connector", inbound("wa-main", "553188887777", "w-2"));
  EXPECT_EQ(s.conversation, first);
  EXPECT_EQ(s.find<contact_created>(), nullptr);
  EXPECT_EQ(s.find<conversation_opened>(), nullptr);
}

TEST_F(ConversationRouteTest, InboundWithNinthDigitJoinsShortFormConversation) {
  auto first = open("553188887777");
  auto s = sim.must("connector", inbound("wa-main", "5531988887777", "w-2"));
  EXPECT_EQ(s.conversation, first);
  EXPECT_EQ(sim.contacts.size(), 1u);
}

TEST_F(ConversationRouteTest, InboundAfterFinishOpensNewConversation) {
  auto first = taken("ana");
  sim.must("agent:ana", conversation_finish{first, "sold", ""});
  auto s = sim.must("connector", inbound("wa-main", "5531988887777", "w-9"));
  EXPECT_NE(s.conversation, first);
  EXPECT_EQ(s.find<contact_created>(), nullptr); // same contact
  auto* o = s.find<conversation_opened>();
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->contact, conv(first).contact);
  EXPECT_EQ(conv(first).status, "finished");
  EXPECT_EQ(conv(s.conversation).status, "waiting");
}

TEST_F(ConversationRouteTest, InboundOnAnotherChannelOpensItsOwnConversation) {
  sim.must(admin_actor,
           create<channel>{make_channel("wa-2", "310000000000002", "support")});
  auto first = open("5531988887777");
  auto s = sim.must("connector", inbound("wa-2", "5531988887777", "w-x"));
  EXPECT_NE(s.conversation, first);
  EXPECT_EQ(conv(s.conversation).team, "support");
}

TEST_F(ConversationRouteTest, InboundChannelMayBeGivenByPhoneNumberId) {
  auto s =
      sim.must("connector", inbound("310000000000001", "5531988887777", "w1"));
  auto* o = s.find<conversation_opened>();
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->channel, "wa-main");
  // And the channel id joins the same conversation.
  auto again = sim.must("connector", inbound("wa-main", "5531988887777", "w2"));
  EXPECT_EQ(again.conversation, s.conversation);
}

TEST_F(ConversationRouteTest, InboundOnUnknownChannelIsRejectedNamingIt) {
  auto before = sim.journal.size();
  auto r = sim.as("connector", inbound("nope", "5531988887777", "w1"));
  EXPECT_EQ(code_of(r), errc::unknown_reference);
  EXPECT_EQ(field_of(r), "data.channel");
  EXPECT_EQ(sim.journal.size(), before);
  EXPECT_TRUE(sim.contacts.empty());
}

// ---- assign -------------------------------------------------------------

TEST_F(ConversationRouteTest, AgentTakesWaitingConversationOfItsTeam) {
  auto id = open();
  auto s = sim.must("agent:ana", conversation_assign{id, ""});
  auto* a = s.find<conversation_assigned>();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->agent, "ana");
  EXPECT_EQ(a->rule, "take");
  EXPECT_TRUE(a->previous.empty());
  // Team agents with room; not the admin (no team) nor caio (support).
  EXPECT_EQ(a->eligible, (std::vector<std::string>{"ana", "bia"}));
  EXPECT_EQ(conv(id).status, "open");
  EXPECT_EQ(conv(id).assignee, "ana");
  EXPECT_EQ(load("ana"), 1);
}

TEST_F(ConversationRouteTest, EligibleLeavesOutTeamAgentsWithoutRoom) {
  sim.must(admin_actor, patch<agent>{"bia", {{"max_concurrent", 1}}});
  taken("bia", "5511900000001");
  auto id = open("5511900000002");
  auto s = sim.must("agent:ana", conversation_assign{id, ""});
  EXPECT_EQ(s.find<conversation_assigned>()->eligible,
            std::vector<std::string>{"ana"});
}

TEST_F(ConversationRouteTest, AgentOfAnotherTeamDoesNotSeeItAndGetsNotFound) {
  auto id = open();
  auto r = sim.as("agent:caio", conversation_assign{id, ""});
  EXPECT_EQ(code_of(r), errc::not_found);
  EXPECT_EQ(conv(id).status, "waiting");
}

TEST_F(ConversationRouteTest, UnknownConversationIsNotFound) {
  EXPECT_EQ(code_of(sim.as("agent:ana", conversation_assign{"c999", ""})),
            errc::not_found);
}

TEST_F(ConversationRouteTest,
       AdminAssigningToAgentWhoCannotSeeItIsNotEligible) {
  auto id = open();
  auto r = sim.as(admin_actor, conversation_assign{id, "caio"});
  EXPECT_EQ(code_of(r), errc::not_eligible);
  EXPECT_TRUE(conv(id).assignee.empty());
}

TEST_F(ConversationRouteTest, AdminAssignsToTeamAgent) {
  auto id = open();
  auto s = sim.must(admin_actor, conversation_assign{id, "bia"});
  auto* a = s.find<conversation_assigned>();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->agent, "bia");
  EXPECT_EQ(a->rule, "admin");
  EXPECT_EQ(s.events[0].actor, admin_actor);
}

TEST_F(ConversationRouteTest, AdminAssigningToUnknownAgentIsUnknownReference) {
  auto id = open();
  auto r = sim.as(admin_actor, conversation_assign{id, "ghost"});
  EXPECT_EQ(code_of(r), errc::unknown_reference);
  EXPECT_EQ(field_of(r), "agent");
}

TEST_F(ConversationRouteTest, PlainAgentMayNotAssignToAnotherAgent) {
  auto id = open();
  EXPECT_EQ(code_of(sim.as("agent:ana", conversation_assign{id, "bia"})),
            errc::forbidden);
}

TEST_F(ConversationRouteTest, FirstTakeWinsSecondGetsAlreadyAssigned) {
  auto id = open();
  sim.must("agent:ana", conversation_assign{id, ""});
  auto before = sim.journal.size();
  auto r = sim.as("agent:bia", conversation_assign{id, ""});
  EXPECT_EQ(code_of(r), errc::already_assigned);
  EXPECT_EQ(conv(id).assignee, "ana");
  EXPECT_EQ(sim.journal.size(), before);
  EXPECT_EQ(load("bia"), 0);
}

TEST_F(ConversationRouteTest, TakingOwnConversationAgainIsAlreadyAssigned) {
  auto id = taken("ana");
  EXPECT_EQ(code_of(sim.as("agent:ana", conversation_assign{id, ""})),
            errc::already_assigned);
  EXPECT_EQ(load("ana"), 1);
}

TEST_F(ConversationRouteTest, AgentAtMaxConcurrentIsAtCapacity) {
  sim.must(admin_actor, patch<agent>{"ana", {{"max_concurrent", 1}}});
  taken("ana", "5511900000001");
  auto second = open("5511900000002");
  auto r = sim.as("agent:ana", conversation_assign{second, ""});
  EXPECT_EQ(code_of(r), errc::at_capacity);
  EXPECT_TRUE(conv(second).assignee.empty());
  EXPECT_EQ(load("ana"), 1);
}

TEST_F(ConversationRouteTest, TeamMaxPerAgentLimitsTakes) {
  sim.must(admin_actor, patch<team>{"sales", {{"max_per_agent", 1}}});
  taken("ana", "5511900000001");
  auto second = open("5511900000002");
  EXPECT_EQ(code_of(sim.as("agent:ana", conversation_assign{second, ""})),
            errc::at_capacity);
  // An admin assignment respects the limit too.
  EXPECT_EQ(code_of(sim.as(admin_actor, conversation_assign{second, "ana"})),
            errc::at_capacity);
  // Another agent with room may take it.
  sim.must("agent:bia", conversation_assign{second, ""});
}

TEST_F(ConversationRouteTest, AgentMaxConcurrentOverridesTeamLimit) {
  sim.must(admin_actor, patch<team>{"sales", {{"max_per_agent", 1}}});
  sim.must(admin_actor, patch<agent>{"ana", {{"max_concurrent", 2}}});
  taken("ana", "5511900000001");
  taken("ana", "5511900000002");
  EXPECT_EQ(load("ana"), 2);
  auto third = open("5511900000003");
  EXPECT_EQ(code_of(sim.as("agent:ana", conversation_assign{third, ""})),
            errc::at_capacity);
}

TEST_F(ConversationRouteTest, FinishingFreesCapacity) {
  sim.must(admin_actor, patch<agent>{"ana", {{"max_concurrent", 1}}});
  auto first = taken("ana", "5511900000001");
  auto second = open("5511900000002");
  ASSERT_EQ(code_of(sim.as("agent:ana", conversation_assign{second, ""})),
            errc::at_capacity);
  sim.must("agent:ana", conversation_finish{first, "sold", ""});
  EXPECT_EQ(load("ana"), 0);
  sim.must("agent:ana", conversation_assign{second, ""});
  EXPECT_EQ(load("ana"), 1);
}

TEST_F(ConversationRouteTest, AssigningFinishedConversationIsRejected) {
  auto id = taken("ana");
  sim.must("agent:ana", conversation_finish{id, "sold", ""});
  EXPECT_EQ(code_of(sim.as(admin_actor, conversation_assign{id, "bia"})),
            errc::conversation_finished);
}

TEST_F(ConversationRouteTest, AdminReassignmentMovesTheLoad) {
  auto id = taken("ana");
  auto s = sim.must(admin_actor, conversation_assign{id, "bia"});
  EXPECT_EQ(s.find<conversation_assigned>()->previous, "ana");
  EXPECT_EQ(load("ana"), 0);
  EXPECT_EQ(load("bia"), 1);
}

// ---- send ---------------------------------------------------------------

TEST_F(ConversationRouteTest, AssigneeSendsMessage) {
  auto id = taken("ana");
  auto s = sim.must("agent:ana", conversation_send{id, "Bom dia", "", std::nullopt, nullptr});
  auto* m = s.find<message_sent>();
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->agent, "ana");
  EXPECT_EQ(m->text, "Bom dia");
  EXPECT_EQ(m->message_id, "m" + std::to_string(s.events[0].seq));
  EXPECT_EQ(s.conversation, id);
}

TEST_F(ConversationRouteTest, OnlyAssigneeOrAdminSends) {
  auto id = taken("ana");
  EXPECT_EQ(code_of(sim.as("agent:bia", conversation_send{id, "Oi", "", std::nullopt, nullptr})),
            errc::not_assignee);
  auto s = sim.must(admin_actor, conversation_send{id, "Oi", "", std::nullopt, nullptr});
  EXPECT_EQ(s.find<message_sent>()->agent, "boss");
}

TEST_F(ConversationRouteTest, SendingToWaitingConversationIsNotAssignee) {
  auto id = open();
  EXPECT_EQ(code_of(sim.as("agent:ana", conversation_send{id, "Oi", "", std::nullopt, nullptr})),
            errc::not_assignee);
}

TEST_F(ConversationRouteTest, SendWithSameIdempotencyKeyReturnsFirstMessage) {
  auto id = taken("ana");
  auto first = sim.must("agent:ana", conversation_send{id, "Bom dia", "key-1", std::nullopt, nullptr});
  const auto first_id = first.find<message_sent>()->message_id;
  auto before = sim.journal.size();
  auto again = sim.must("agent:ana", conversation_send{id, "Bom dia", "key-1", std::nullopt, nullptr});
  EXPECT_TRUE(again.events.empty());
  EXPECT_EQ(again.matched, first_id);
  EXPECT_EQ(sim.journal.size(), before);
  EXPECT_EQ(conv(id).messages, 2u); // the inbound one and the first send
  // Another key sends again.
  auto other = sim.must("agent:ana", conversation_send{id, "Bom dia", "key-2", std::nullopt, nullptr});
  EXPECT_NE(other.find<message_sent>()->message_id, first_id);
}

TEST_F(ConversationRouteTest, SendToFinishedConversationIsRejected) {
  auto id = taken("ana");
  sim.must("agent:ana", conversation_finish{id, "sold", ""});
  EXPECT_EQ(code_of(sim.as("agent:ana", conversation_send{id, "Oi", "", std::nullopt, nullptr})),
            errc::conversation_finished);
}

// ---- finish -------------------------------------------------------------

TEST_F(ConversationRouteTest, FinishRecordsReasonAndDescription) {
  auto id = taken("ana");
  auto s = sim.must("agent:ana", conversation_finish{id, "sold", "deal"});
  auto* f = s.find<conversation_finished>();
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->reason, "sold");
  EXPECT_EQ(f->description, "deal");
  EXPECT_EQ(conv(id).status, "finished");
  EXPECT_EQ(conv(id).finished_at, s.events[0].at);
  EXPECT_TRUE(sim.tenant.conversations.at(id).finished);
  EXPECT_TRUE(sim.tenant.open_conversation.empty());
}

TEST_F(ConversationRouteTest,
       FinishWithoutReasonWhenTeamRequiresOneIsRejected) {
  sim.must(admin_actor, patch<team>{"sales", {{"require_reason", true}}});
  auto id = taken("ana");
  auto r = sim.as("agent:ana", conversation_finish{id, "", "no reason"});
  EXPECT_EQ(code_of(r), errc::reason_required);
  EXPECT_EQ(field_of(r), "reason");
  EXPECT_EQ(conv(id).status, "open");
  sim.must("agent:ana", conversation_finish{id, "sold", ""});
}

TEST_F(ConversationRouteTest, FinishWithoutReasonIsFineWhenNotRequired) {
  auto id = taken("ana");
  sim.must("agent:ana", conversation_finish{id, "", ""});
  EXPECT_EQ(conv(id).status, "finished");
}

TEST_F(ConversationRouteTest, FinishWithUnknownReasonIsRejected) {
  auto id = taken("ana");
  auto r = sim.as("agent:ana", conversation_finish{id, "nope", ""});
  EXPECT_EQ(code_of(r), errc::unknown_reason);
  EXPECT_EQ(field_of(r), "reason");
}

TEST_F(ConversationRouteTest, FinishByAnotherAgentIsNotAssignee) {
  auto id = taken("ana");
  EXPECT_EQ(code_of(sim.as("agent:bia", conversation_finish{id, "sold", ""})),
            errc::not_assignee);
  sim.must(admin_actor, conversation_finish{id, "sold", ""});
}

TEST_F(ConversationRouteTest, FinishingTwiceIsConversationFinished) {
  auto id = taken("ana");
  sim.must("agent:ana", conversation_finish{id, "sold", ""});
  EXPECT_EQ(code_of(sim.as("agent:ana", conversation_finish{id, "sold", ""})),
            errc::conversation_finished);
}

// ---- transfer -----------------------------------------------------------

TEST_F(ConversationRouteTest, TransferToTeamWaitsUnassignedThere) {
  auto id = taken("ana");
  auto s = sim.must("agent:ana", conversation_transfer{id, "", "support", ""});
  auto* t = s.find<conversation_transferred>();
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->from_team, "sales");
  EXPECT_EQ(t->to_team, "support");
  EXPECT_EQ(t->from_agent, "ana");
  EXPECT_TRUE(t->to_agent.empty());
  EXPECT_EQ(conv(id).status, "waiting");
  EXPECT_EQ(conv(id).team, "support");
  EXPECT_TRUE(conv(id).assignee.empty());
  EXPECT_EQ(load("ana"), 0);
  // Now support's agent sees and takes it; sales' agents no longer see it.
  EXPECT_EQ(code_of(sim.as("agent:bia", conversation_assign{id, ""})),
            errc::not_found);
  sim.must("agent:caio", conversation_assign{id, ""});
}

TEST_F(ConversationRouteTest, TransferToUnknownTeamIsUnknownReference) {
  auto id = taken("ana");
  auto r = sim.as("agent:ana", conversation_transfer{id, "", "nowhere", ""});
  EXPECT_EQ(code_of(r), errc::unknown_reference);
  EXPECT_EQ(field_of(r), "team");
}

TEST_F(ConversationRouteTest, TransferToAgentOfAnotherTeamMovesItToTheirTeam) {
  auto id = taken("ana");
  auto s = sim.must("agent:ana", conversation_transfer{id, "caio", "", ""});
  auto* t = s.find<conversation_transferred>();
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->to_agent, "caio");
  EXPECT_EQ(t->to_team, "support");
  EXPECT_EQ(conv(id).status, "open");
  EXPECT_EQ(conv(id).assignee, "caio");
  EXPECT_EQ(conv(id).team, "support");
  EXPECT_EQ(load("ana"), 0);
  EXPECT_EQ(load("caio"), 1);
}

TEST_F(ConversationRouteTest, TransferToAgentOfSameTeamKeepsTheTeam) {
  auto id = taken("ana");
  sim.must("agent:ana", conversation_transfer{id, "bia", "", ""});
  EXPECT_EQ(conv(id).team, "sales");
  EXPECT_EQ(conv(id).assignee, "bia");
}

TEST_F(ConversationRouteTest, TransferOfWaitingConversationToAgentAssignsIt) {
  auto id = open();
  sim.must(admin_actor, conversation_transfer{id, "caio", "", ""});
  EXPECT_EQ(conv(id).status, "open");
  EXPECT_EQ(conv(id).assignee, "caio");
  EXPECT_EQ(conv(id).team, "support");
}

TEST_F(ConversationRouteTest, TransferToAgentAtCapacityIsRejected) {
  sim.must(admin_actor, patch<agent>{"caio", {{"max_concurrent", 1}}});
  sim.must(admin_actor,
           create<channel>{make_channel("wa-2", "310000000000002", "support")});
  auto s = sim.must("connector", inbound("wa-2", "5511900000001", "wx"));
  sim.must("agent:caio", conversation_assign{s.conversation, ""});
  auto id = taken("ana");
  EXPECT_EQ(code_of(sim.as("agent:ana", conversation_transfer{id, "caio", "", ""})),
            errc::at_capacity);
}

TEST_F(ConversationRouteTest, TransferByAgentWhoIsNotAssigneeIsRejected) {
  auto id = taken("ana");
  EXPECT_EQ(
      code_of(sim.as("agent:bia", conversation_transfer{id, "", "support", ""})),
      errc::not_assignee);
}

TEST_F(ConversationRouteTest, TransferToSameAssigneeIsAlreadyAssigned) {
  auto id = taken("ana");
  EXPECT_EQ(code_of(sim.as("agent:ana", conversation_transfer{id, "ana", "", ""})),
            errc::already_assigned);
}

TEST_F(ConversationRouteTest, TransferOfFinishedConversationIsRejected) {
  auto id = taken("ana");
  sim.must("agent:ana", conversation_finish{id, "sold", ""});
  EXPECT_EQ(
      code_of(sim.as("agent:ana", conversation_transfer{id, "", "support", ""})),
      errc::conversation_finished);
}

} // namespace
} // namespace atende

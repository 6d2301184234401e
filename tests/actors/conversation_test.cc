// conversation_test: the pure conversation core (actors/conversation.*):
// decide against the conversation's own state, apply, and the snapshot form.
#include "actors/conversation.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/actors/harness.h"

namespace atende {
namespace {

using namespace atende::testing;

conversation_state waiting() {
  conversation_state s;
  apply(s, conversation_opened{"c1", "k1", "wa-main", "sales", "inbound"}, t0);
  apply(s, message_received{"c1", "m2", "w1", "text", "Oi", "", "in-1", nullptr},
        t0 + 1);
  return s;
}

conversation_state assigned_to(const std::string& agent) {
  auto s = waiting();
  apply(s, conversation_assigned{"c1", agent, "", "take", {agent}}, t0 + 2);
  return s;
}

TEST(Conversation, DecideOnConversationThatDoesNotExistIsNotFound) {
  conversation_state none;
  EXPECT_EQ(code_of(decide(none, assign_cmd{"ana", "take", {}})),
            errc::not_found);
  EXPECT_EQ(code_of(decide(none, send_cmd{"ana", false, "m9", "x", "", std::nullopt, std::nullopt, nullptr})),
            errc::not_found);
}

TEST(Conversation, OpenedConversationWaitsInItsTeam) {
  auto s = waiting();
  EXPECT_EQ(s.id, "c1");
  EXPECT_EQ(s.status, "waiting");
  EXPECT_EQ(s.team, "sales");
  EXPECT_EQ(s.created_at, t0);
  EXPECT_EQ(s.last_inbound_at, t0 + 1);
  EXPECT_EQ(s.last_activity_at, t0 + 1);
  EXPECT_EQ(s.messages, 1u);
}

TEST(Conversation, AssignmentOpensIt) {
  auto s = assigned_to("ana");
  EXPECT_EQ(s.status, "open");
  EXPECT_EQ(s.assignee, "ana");
  EXPECT_EQ(s.last_activity_at, t0 + 2);
}

TEST(Conversation, TakeOfAssignedConversationIsAlreadyAssigned) {
  auto s = assigned_to("ana");
  EXPECT_EQ(code_of(decide(s, assign_cmd{"bia", "take", {}})),
            errc::already_assigned);
  EXPECT_EQ(code_of(decide(s, assign_cmd{"ana", "admin", {}})),
            errc::already_assigned);
}

TEST(Conversation, AdminMayReassign) {
  auto s = assigned_to("ana");
  auto d = decide(s, assign_cmd{"bia", "admin", {"bia"}});
  ASSERT_TRUE(d);
  ASSERT_EQ(d->events.size(), 1u);
  const auto& a = std::get<conversation_assigned>(d->events[0]);
  EXPECT_EQ(a.previous, "ana");
  EXPECT_EQ(a.agent, "bia");
}

TEST(Conversation, SendRecordsIdempotencyKeyAndRepeatMatches) {
  auto s = assigned_to("ana");
  auto d = decide(s, send_cmd{"ana", false, "m5", "Bom dia", "key-1", std::nullopt, std::nullopt, nullptr});
  ASSERT_TRUE(d);
  ASSERT_EQ(d->events.size(), 1u);
  apply(s, d->events[0], t0 + 3);
  EXPECT_EQ(s.sent_by_key.at("key-1"), "m5");
  auto again = decide(s, send_cmd{"ana", false, "m6", "Bom dia", "key-1", std::nullopt, std::nullopt, nullptr});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(again->matched, "m5");
}

TEST(Conversation, AReplyAndAReactionNameTheirMessageByTheProvidersId) {
  auto s = assigned_to("ana");
  apply(s,
        message_received{"c1", "m3", "wamid.in3", "text", "oi", "", "in3",
                         nullptr},
        t0 + 2);
  auto reply = decide(s, send_cmd{"ana", false, "m5", "Bom dia", "",
                                  std::nullopt, std::nullopt,
                                  {{"reply_to", "m3"},
                                   {"reply_to_provider", "forged"}}});
  ASSERT_TRUE(reply);
  const auto& r = std::get<message_sent>(reply->events[0]);
  EXPECT_EQ(r.content["reply_to_provider"], "wamid.in3");
  auto react = decide(s, send_cmd{"ana", false, "m6", "", "", std::nullopt,
                                  std::nullopt,
                                  {{"reaction",
                                    {{"message_id", "m3"}, {"emoji", "👍"}}}}});
  ASSERT_TRUE(react);
  const auto& x = std::get<message_sent>(react->events[0]);
  EXPECT_EQ(x.kind, "reaction");
  EXPECT_EQ(x.content["reaction"]["provider_id"], "wamid.in3");
  apply(s, reply->events[0], t0 + 3);
  // Our own message has no WhatsApp id until Meta accepts it.
  auto early = decide(s, send_cmd{"ana", false, "m7", "", "", std::nullopt,
                                  std::nullopt,
                                  {{"reaction",
                                    {{"message_id", "m5"}, {"emoji", "👍"}}}}});
  EXPECT_EQ(code_of(early), errc::conflict);
  auto unknown = decide(s, send_cmd{"ana", false, "m7", "x", "", std::nullopt,
                                    std::nullopt, {{"reply_to", "m99"}}});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().field, "reply_to");
  EXPECT_EQ(conversation_from_json(to_json(s))->inbound_ids, s.inbound_ids);
}

TEST(Conversation, AMediaSendHasTheMediasKind) {
  auto s = assigned_to("ana");
  auto d = decide(s, send_cmd{"ana", false, "m5", "", "", std::nullopt,
                              std::nullopt,
                              {{"media",
                                {{"id", "x"}, {"mime_type", "audio/ogg"}}}}});
  ASSERT_TRUE(d);
  EXPECT_EQ(std::get<message_sent>(d->events[0]).kind, "audio");
}

TEST(Conversation, SendByNonAssigneeIsNotAssignee) {
  auto s = assigned_to("ana");
  EXPECT_EQ(code_of(decide(s, send_cmd{"bia", false, "m5", "x", "", std::nullopt, std::nullopt, nullptr})),
            errc::not_assignee);
  EXPECT_TRUE(decide(s, send_cmd{"boss", true, "m5", "x", "", std::nullopt, std::nullopt, nullptr}));
}

TEST(Conversation, FinishedConversationRejectsEverything) {
  auto s = assigned_to("ana");
  apply(s, conversation_finished{"c1", "sold", "ok"}, t0 + 9);
  EXPECT_EQ(s.status, "finished");
  EXPECT_EQ(s.finished_at, t0 + 9);
  EXPECT_EQ(s.reason, "sold");
  EXPECT_EQ(code_of(decide(s, send_cmd{"ana", false, "m", "x", "", std::nullopt, std::nullopt, nullptr})),
            errc::conversation_finished);
  EXPECT_EQ(code_of(decide(s, assign_cmd{"bia", "admin", {}})),
            errc::conversation_finished);
  EXPECT_EQ(code_of(decide(s, transfer_cmd{"support", ""})),
            errc::conversation_finished);
  EXPECT_EQ(
      code_of(decide(s, finish_cmd{"ana", false, "sold", "", false, true})),
      errc::conversation_finished);
}

TEST(Conversation, FinishChecksReasonRules) {
  auto s = assigned_to("ana");
  EXPECT_EQ(code_of(decide(s, finish_cmd{"ana", false, "", "", true, true})),
            errc::reason_required);
  EXPECT_EQ(code_of(decide(s, finish_cmd{"ana", false, "x", "", false, false})),
            errc::unknown_reason);
  EXPECT_TRUE(decide(s, finish_cmd{"ana", false, "sold", "", true, true}));
}

TEST(Conversation, TransferToSameWaitingTeamIsConflict) {
  auto s = waiting();
  EXPECT_EQ(code_of(decide(s, transfer_cmd{"sales", ""})), errc::conflict);
}

TEST(Conversation, TransferToAgentOpensItInTheGivenTeam) {
  auto s = waiting();
  auto d = decide(s, transfer_cmd{"support", "caio"});
  ASSERT_TRUE(d);
  apply(s, d->events[0], t0 + 5);
  EXPECT_EQ(s.status, "open");
  EXPECT_EQ(s.team, "support");
  EXPECT_EQ(s.assignee, "caio");
}

TEST(Conversation, ReceiveDuringOpenConversationKeepsItOpen) {
  auto s = assigned_to("ana");
  auto d = decide(
      s, receive_cmd{message_received{"c1", "m7", "w2", "text", "?", "", "i", nullptr}});
  ASSERT_TRUE(d);
  apply(s, d->events[0], t0 + 7);
  EXPECT_EQ(s.status, "open");
  EXPECT_EQ(s.messages, 2u);
  EXPECT_EQ(s.last_inbound_at, t0 + 7);
}

TEST(Conversation, SnapshotRoundTrips) {
  auto s = assigned_to("ana");
  apply(s, message_sent{"c1", "m5", "ana", "text", "Bom dia", "key-1", "", "", {}, nullptr}, t0 + 3);
  apply(s, conversation_finished{"c1", "sold", "fechou \"negócio\""}, t0 + 4);
  auto j = to_json(s);
  auto back = conversation_from_json(nlohmann::json::parse(j.dump()));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, s);
  EXPECT_EQ(to_json(*back), j);
}

TEST(Conversation, CorruptSnapshotIsAnErrorNotAThrow) {
  auto j = to_json(waiting());
  j.erase("team");
  auto r = conversation_from_json(j);
  EXPECT_EQ(code_of(r), errc::internal);
  auto wrong_type = to_json(waiting());
  wrong_type["messages"] = "many";
  EXPECT_EQ(code_of(conversation_from_json(wrong_type)), errc::internal);
}

} // namespace
} // namespace atende

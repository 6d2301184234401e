// note_test: internal notes on a conversation (CONTRACT "Working tools"):
// who may write one, which agents a note mentions, and a transfer that
// carries a note.
#include <gtest/gtest.h>

#include "actors/tenant.h"
#include "tests/actors/harness.h"

namespace atende {
namespace {

using namespace atende::testing;

class NoteDecide : public ::testing::Test {
protected:
  void SetUp() override { configure(sim); }

  /// taken: a conversation on wa-main (team sales), taken by ana.
  std::string taken() {
    auto s = sim.must("connector", inbound("wa-main", "5531988887777", "w1"));
    sim.must("agent:ana", conversation_assign{s.conversation, ""});
    return s.conversation;
  }

  tenant_sim sim;
};

TEST_F(NoteDecide, AnAgentWhoSeesTheConversationWritesANoteAsItsAuthor) {
  auto id = taken();
  auto s = sim.must("agent:bia", conversation_note{id, "cliente VIP"});
  ASSERT_EQ(s.events.size(), 1u);
  const auto* n = s.find<note_added>();
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->conversation, id);
  EXPECT_EQ(n->author, "bia");
  EXPECT_EQ(n->text, "cliente VIP");
  EXPECT_EQ(n->message_id, "m" + std::to_string(s.events[0].seq));
  EXPECT_TRUE(n->mentions.empty());
}

TEST_F(NoteDecide, ANoteOnAConversationTheCallerMayNotSeeIsNotFound) {
  auto id = taken();
  // caio is in support; the conversation is sales'.
  EXPECT_EQ(code_of(sim.as("agent:caio", conversation_note{id, "oi"})),
            errc::not_found);
  EXPECT_EQ(code_of(sim.as("agent:ana", conversation_note{"c999", "oi"})),
            errc::not_found);
}

TEST_F(NoteDecide, MentionsAreTheTenantsAgentsNamedWithAnAtEachOnceInOrder) {
  auto id = taken();
  auto s = sim.must("agent:ana",
                    conversation_note{id, "@caio veja; @ghost não existe, "
                                          "@bia e de novo @caio. e-mail "
                                          "x@y.com"});
  const auto* n = s.find<note_added>();
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->mentions, (std::vector<std::string>{"caio", "bia"}));
}

TEST_F(NoteDecide, ANoteIsNeverSentToTheCustomer) {
  auto id = taken();
  auto s = sim.must("agent:ana", conversation_note{id, "não enviar"});
  EXPECT_EQ(s.find<message_sent>(), nullptr);
  EXPECT_TRUE(sim.tenant.outbound.empty());
  // Nor does it count as the conversation's activity.
  EXPECT_EQ(sim.conversations.at(id).messages, 1u);
}

TEST_F(NoteDecide, ATransferCarriesItsNoteRecordedBeforeIt) {
  auto id = taken();
  auto s = sim.must("agent:ana",
                    conversation_transfer{id, "", "support", "@caio assume"});
  ASSERT_EQ(s.events.size(), 2u);
  const auto* n = std::get_if<note_added>(&s.events[0].data);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->text, "@caio assume");
  EXPECT_EQ(n->mentions, (std::vector<std::string>{"caio"}));
  EXPECT_TRUE(
    std::holds_alternative<conversation_transferred>(s.events[1].data));
}

TEST_F(NoteDecide, ARefusedTransferRecordsNoNote) {
  auto id = taken();
  auto r = sim.as("agent:ana", conversation_transfer{id, "", "nowhere", "x"});
  EXPECT_EQ(code_of(r), errc::unknown_reference);
  for (const auto& e : sim.journal) {
    EXPECT_FALSE(std::holds_alternative<note_added>(e.data));
  }
}

} // namespace
} // namespace atende

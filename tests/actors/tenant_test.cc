// tenant_test: the pure tenant core (actors/tenant.*, tenant_route.cc) —
// tenant creation, configuration, contacts and deterministic ids — driven
// through the simulator of harness.h.
#include "actors/tenant.h"

#include <gtest/gtest.h>

#include "events/phone.h"
#include "tests/actors/harness.h"

namespace atende {
namespace {

using namespace atende::testing;

class TenantTest : public ::testing::Test {
protected:
  void SetUp() override { configure(sim); }
  tenant_sim sim;
};

// ---- tenant creation ----------------------------------------------------

TEST(TenantCreate, OnlyRootMayCreateATenant) {
  tenant_sim sim;
  auto r = sim.as("agent:boss", make_tenant());
  EXPECT_EQ(code_of(r), errc::forbidden);
  EXPECT_FALSE(sim.tenant.exists);
  EXPECT_TRUE(sim.journal.empty());
}

TEST(TenantCreate, RootCreatesTenantWithItsFirstAdmin) {
  tenant_sim sim;
  auto s = sim.must("root", make_tenant());
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].seq, 1u);
  EXPECT_TRUE(sim.tenant.exists);
  EXPECT_EQ(sim.tenant.info.id, "acme");
  ASSERT_TRUE(sim.tenant.agents.contains("boss"));
  EXPECT_EQ(sim.tenant.agents.at("boss").role, agent_role::admin);
  EXPECT_TRUE(is_admin(sim.tenant, "agent:boss"));
  EXPECT_EQ(sim.tenant.next_seq, 2u);
}

TEST(TenantCreate, SecondCreateIsAlreadyExists) {
  tenant_sim sim;
  sim.must("root", make_tenant());
  auto r = sim.as("root", make_tenant());
  EXPECT_EQ(code_of(r), errc::already_exists);
  EXPECT_EQ(sim.journal.size(), 1u);
}

TEST(TenantCreate, InputForTenantThatDoesNotExistIsNotFound) {
  tenant_sim sim;
  auto r = sim.as("connector", inbound("wa-main", "5531988887777", "w1"));
  EXPECT_EQ(code_of(r), errc::not_found);
}

// ---- configuration ------------------------------------------------------

TEST_F(TenantTest, ConfigCommandFromPlainAgentIsForbidden) {
  EXPECT_EQ(code_of(sim.as("agent:ana", create<team>{make_team("x")})),
            errc::forbidden);
  EXPECT_EQ(code_of(sim.as("agent:ana", create<reason>{reason{"r", "R"}})),
            errc::forbidden);
  EXPECT_EQ(code_of(sim.as("agent:ana",
                           create<channel>{make_channel("c2", "", "sales")})),
            errc::forbidden);
  EXPECT_FALSE(sim.tenant.teams.contains("x"));
}

TEST_F(TenantTest, ConfigCommandFromRootIsForbidden) {
  EXPECT_EQ(code_of(sim.as("root", create<team>{make_team("x")})),
            errc::forbidden);
}

TEST_F(TenantTest, CommandFromUnknownAgentIsUnauthorized) {
  EXPECT_EQ(code_of(sim.as("agent:ghost", create<team>{make_team("x")})),
            errc::unauthorized);
}

TEST_F(TenantTest, AdminCreatesTeam) {
  auto s = sim.must(admin_actor, create<team>{make_team("billing", 2, true)});
  ASSERT_NE(s.find<team_created>(), nullptr);
  EXPECT_EQ(sim.tenant.teams.at("billing").max_per_agent, 2);
  EXPECT_TRUE(sim.tenant.teams.at("billing").require_reason);
}

TEST_F(TenantTest, CreatingExistingTeamIsAlreadyExists) {
  EXPECT_EQ(code_of(sim.as(admin_actor, create<team>{make_team("sales")})),
            errc::already_exists);
}

TEST_F(TenantTest, ChannelWithUnknownDefaultTeamNamesDefaultTeam) {
  auto r =
      sim.as(admin_actor, create<channel>{make_channel("wa-2", "", "nowhere")});
  EXPECT_EQ(code_of(r), errc::unknown_reference);
  EXPECT_EQ(field_of(r), "default_team");
  EXPECT_FALSE(sim.tenant.channels.contains("wa-2"));
}

TEST_F(TenantTest, PhoneNumberIdIsUniqueWithinTenant) {
  auto r = sim.as(admin_actor, create<channel>{make_channel(
                                   "wa-2", "310000000000001", "support")});
  EXPECT_EQ(code_of(r), errc::already_exists);
  EXPECT_EQ(field_of(r), "phone_number_id");
}

TEST_F(TenantTest, PatchingChannelToAnotherChannelsPhoneNumberIdIsRejected) {
  sim.must(admin_actor,
           create<channel>{make_channel("wa-2", "310000000000002", "support")});
  auto r =
      sim.as(admin_actor,
             patch<channel>{"wa-2", {{"phone_number_id", "310000000000001"}}});
  EXPECT_EQ(code_of(r), errc::already_exists);
}

TEST_F(TenantTest, ChangedPhoneNumberIdFreesTheOldOne) {
  sim.must(admin_actor,
           patch<channel>{"wa-main", {{"phone_number_id", "310000000000009"}}});
  EXPECT_FALSE(sim.tenant.channel_by_pnid.contains("310000000000001"));
  EXPECT_EQ(sim.tenant.channel_by_pnid.at("310000000000009"), "wa-main");
  // The freed id may now go to another channel.
  auto s = sim.must(admin_actor, create<channel>{make_channel(
                                     "wa-2", "310000000000001", "support")});
  EXPECT_NE(s.find<channel_created>(), nullptr);
}

TEST_F(TenantTest, AgentWithUnknownTeamIsUnknownReference) {
  auto r = sim.as(admin_actor,
                  create<agent>{make_agent("dora", "agent", {"nowhere"})});
  EXPECT_EQ(code_of(r), errc::unknown_reference);
  EXPECT_EQ(field_of(r), "teams");
}

TEST_F(TenantTest, AgentPatchIsDecidedByTheAgentAndRecorded) {
  auto s = sim.must(admin_actor,
                    patch<agent>{"ana", {{"teams", {"sales", "support"}}}});
  auto* u = s.find<agent_updated>();
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->value.teams, (std::vector<std::string>{"sales", "support"}));
  EXPECT_EQ(sim.tenant.agents.at("ana").teams, u->value.teams);
}

TEST_F(TenantTest, AgentPatchThatChangesNothingRecordsNothing) {
  auto s = sim.must(admin_actor, patch<agent>{"ana", {{"teams", {"sales"}}}});
  EXPECT_TRUE(s.events.empty());
}

TEST_F(TenantTest, PatchOfUnknownAgentIsNotFound) {
  EXPECT_EQ(
      code_of(sim.as(admin_actor, patch<agent>{"ghost", {{"name", "G"}}})),
      errc::not_found);
}

// ---- contacts -----------------------------------------------------------

TEST_F(TenantTest, ContactUpsertOfNewNumberCreatesContact) {
  contact_upsert_in up{"5531988887777", "Maria",
                       std::vector<std::string>{"vip"}, "lead",
                       std::vector<std::string>{"sales"}};
  auto s = sim.must("connector", up);
  auto* c = s.find<contact_created>();
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->value.id, "k" + std::to_string(s.events[0].seq));
  EXPECT_EQ(c->value.name, "Maria");
  EXPECT_EQ(c->value.phone, "5531988887777");
  EXPECT_EQ(c->value.tags, std::vector<std::string>{"vip"});
  EXPECT_EQ(c->value.stage, "lead");
  EXPECT_EQ(c->value.departments, std::vector<std::string>{"sales"});
  EXPECT_EQ(sim.tenant.contact_by_key.at(phone_key("5531988887777")),
            c->value.id);
}

TEST_F(TenantTest, ContactUpsertWithoutNameNamesContactByNumber) {
  auto s = sim.must("connector", upsert("5511912345678"));
  auto* c = s.find<contact_created>();
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->value.name, "5511912345678");
}

TEST_F(TenantTest, ContactUpsertMergesIntoExistingContactOfEitherForm) {
  auto first =
      sim.must("connector", contact_upsert_in{"5531988887777", "Maria",
                                              std::vector<std::string>{"vip"},
                                              "lead", std::nullopt});
  const auto id = first.find<contact_created>()->value.id;
  // The same mobile without its 9th digit, from a CRM: only what it names
  // changes.
  auto s = sim.must("connector",
                    contact_upsert_in{"553188887777", std::nullopt,
                                      std::vector<std::string>{"vip", "b2b"},
                                      "won", std::vector<std::string>{"x"}});
  EXPECT_EQ(s.find<contact_created>(), nullptr);
  auto* u = s.find<contact_updated>();
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->value.id, id);
  EXPECT_EQ(u->value.name, "Maria");
  EXPECT_EQ(u->value.phone, "5531988887777");
  EXPECT_EQ(u->value.tags, (std::vector<std::string>{"vip", "b2b"}));
  EXPECT_EQ(u->value.stage, "won");
  EXPECT_EQ(u->value.departments, std::vector<std::string>{"x"});
  EXPECT_EQ(sim.contacts.at(id), u->value);
  EXPECT_EQ(sim.tenant.contact_by_key.size(), 1u);
}

TEST_F(TenantTest, ContactUpsertThatChangesNothingRecordsNothing) {
  contact_upsert_in up{"5531988887777", "Maria",
                       std::vector<std::string>{"vip"}, std::nullopt,
                       std::nullopt};
  sim.must("connector", up);
  auto before = sim.journal.size();
  auto s = sim.must("connector", up);
  EXPECT_TRUE(s.events.empty());
  EXPECT_EQ(sim.journal.size(), before);
}

TEST_F(TenantTest, ContactCreateWithTakenNumberIsAlreadyExists) {
  sim.must(admin_actor,
           create<contact>{make_contact("maria", "Maria", "5531988887777")});
  auto same =
      sim.as(admin_actor,
             create<contact>{make_contact("m2", "Maria", "5531988887777")});
  EXPECT_EQ(code_of(same), errc::already_exists);
  EXPECT_EQ(field_of(same), "phone");
  auto other_form =
      sim.as(admin_actor,
             create<contact>{make_contact("m3", "Maria", "553188887777")});
  EXPECT_EQ(code_of(other_form), errc::already_exists);
  EXPECT_EQ(field_of(other_form), "phone");
}

TEST_F(TenantTest, ContactCreateWithShortFormFirstBlocksLongForm) {
  sim.must(admin_actor,
           create<contact>{make_contact("maria", "Maria", "553188887777")});
  auto r =
      sim.as(admin_actor,
             create<contact>{make_contact("m2", "Maria", "5531988887777")});
  EXPECT_EQ(code_of(r), errc::already_exists);
}

TEST_F(TenantTest, ContactCreateWithExistingIdIsAlreadyExists) {
  sim.must(admin_actor,
           create<contact>{make_contact("maria", "Maria", "5531988887777")});
  auto r =
      sim.as(admin_actor,
             create<contact>{make_contact("maria", "Other", "5511912345678")});
  EXPECT_EQ(code_of(r), errc::already_exists);
  EXPECT_EQ(field_of(r), "id");
}

TEST_F(TenantTest, ContactPatchToTakenNumberIsAlreadyExists) {
  sim.must(admin_actor,
           create<contact>{make_contact("maria", "Maria", "5531988887777")});
  sim.must(admin_actor,
           create<contact>{make_contact("joao", "João", "5511912345678")});
  auto r =
      sim.as(admin_actor, patch<contact>{"joao", {{"phone", "553188887777"}}});
  EXPECT_EQ(code_of(r), errc::already_exists);
}

TEST_F(TenantTest, ContactPatchMovesTheNumberIndex) {
  sim.must(admin_actor,
           create<contact>{make_contact("maria", "Maria", "5531988887777")});
  sim.must(admin_actor, patch<contact>{"maria", {{"phone", "5511912345678"}}});
  EXPECT_FALSE(sim.tenant.contact_by_key.contains(phone_key("5531988887777")));
  EXPECT_EQ(sim.tenant.contact_by_key.at(phone_key("5511912345678")), "maria");
  // The old number is free again.
  sim.must(admin_actor,
           create<contact>{make_contact("ana-c", "Ana", "553188887777")});
}

// ---- determinism --------------------------------------------------------

TEST_F(TenantTest, GeneratedIdsDeriveFromSequenceNumbers) {
  auto s = sim.must("connector", inbound("wa-main", "5531988887777", "w1"));
  ASSERT_EQ(s.events.size(), 3u);
  const auto& k = std::get<contact_created>(s.events[0].data);
  const auto& o = std::get<conversation_opened>(s.events[1].data);
  const auto& m = std::get<message_received>(s.events[2].data);
  EXPECT_EQ(k.value.id, "k" + std::to_string(s.events[0].seq));
  EXPECT_EQ(o.conversation, "c" + std::to_string(s.events[1].seq));
  EXPECT_EQ(m.message_id, "m" + std::to_string(s.events[2].seq));
  EXPECT_EQ(s.events[1].seq, s.events[0].seq + 1);
  EXPECT_EQ(s.events[2].seq, s.events[1].seq + 1);
}

TEST(TenantDeterminism, SameInputsGiveSameEventsAndIds) {
  auto script = [](tenant_sim& sim) {
    configure(sim);
    auto s = sim.must("connector", inbound("wa-main", "5531988887777", "w1"));
    sim.must("agent:ana", conversation_assign{s.conversation, ""});
    sim.must("agent:ana", conversation_send{s.conversation, "Bom dia", "k1", std::nullopt, nullptr});
    sim.must("connector", inbound("310000000000001", "553188887777", "w2"));
    sim.must("connector", upsert("5511912345678", "João"));
    sim.must("agent:ana", conversation_finish{s.conversation, "sold", "ok"});
    sim.must("connector", inbound("wa-main", "5531988887777", "w3"));
  };
  tenant_sim a;
  tenant_sim b;
  script(a);
  script(b);
  ASSERT_EQ(a.journal.size(), b.journal.size());
  for (std::size_t i = 0; i < a.journal.size(); ++i) {
    EXPECT_EQ(to_json(a.journal[i]), to_json(b.journal[i])) << "event " << i;
  }
  EXPECT_EQ(to_json(a.tenant), to_json(b.tenant));
  EXPECT_EQ(a.conversations, b.conversations);
  EXPECT_EQ(a.contacts, b.contacts);
}

TEST_F(TenantTest, SequenceNumbersHaveNoGaps) {
  sim.must("connector", inbound("wa-main", "5531988887777", "w1"));
  sim.must("connector", inbound("wa-main", "5511912345678", "w2"));
  for (std::size_t i = 0; i < sim.journal.size(); ++i) {
    EXPECT_EQ(sim.journal[i].seq, i + 1);
  }
  EXPECT_EQ(sim.tenant.next_seq, sim.journal.size() + 1);
}

} // namespace
} // namespace atende

#include "events/json.h"

#include <gtest/gtest.h>

#include "tests/events/samples.h"

namespace atende {
namespace {

using nlohmann::json;

TEST(RecordJson, ChannelShapeRendersEmptyPhoneNumberIdAsNull) {
  channel c{"wa", channel_kind::whatsapp, "Main", "5511999999999", "", "sales", "", "", "", false};
  EXPECT_EQ(json(c), json::parse(R"({"id":"wa","kind":"whatsapp",
    "name":"Main","phone":"5511999999999","phone_number_id":null,
    "default_team":"sales"})"));
}

TEST(RecordJson, AChannelMarksReadOnlyWhenSetAndSaysSoInPublic) {
  channel c{"wa", channel_kind::whatsapp, "Main", "5511999999999", "", "sales", "", "", "", true};
  auto j = json(c);
  EXPECT_EQ(j["mark_read"], true);
  EXPECT_EQ(*channel_from_json(j), c);
  c.mark_read = false;
  EXPECT_FALSE(json(c).contains("mark_read")); // earlier journals' bytes
  EXPECT_EQ(public_channel(c)["mark_read"], false);
}

TEST(RecordJson, TeamShape) {
  EXPECT_EQ(json(testing::sample_team()), json::parse(R"({"id":"sales",
    "name":"Sales","distribution":"round_robin","max_per_agent":3,
    "require_reason":true})"));
}

TEST(RecordJson, AgentShapeRendersAbsentLimitAsNull) {
  EXPECT_EQ(json(testing::sample_admin()), json::parse(R"({"id":"boss",
    "name":"Boss","role":"admin","teams":[],"max_concurrent":null,
    "token_hash":"abc123"})"));
}

TEST(RecordJson, PublicAgentHasNoTokenHash) {
  auto j = public_agent(testing::sample_agent());
  EXPECT_FALSE(j.contains("token_hash"));
  EXPECT_EQ(j["max_concurrent"], 4);
}

TEST(RecordJson, ContactShapeRendersEmptyStageAsNull) {
  contact c{"c", "C", "5511999999999", {}, "", {}, {"p"}};
  EXPECT_EQ(json(c), json::parse(R"({"id":"c","name":"C",
    "phone":"5511999999999","tags":[],"stage":null,"departments":[],
    "portfolios":["p"]})"));
}

TEST(RecordJson, TenantShape) {
  EXPECT_EQ(json(testing::sample_tenant()),
            json::parse(R"({"id":"acme","name":"Acme",
    "timezone":"America/Recife"})"));
}

TEST(RecordJson, EveryRecordRoundTrips) {
  EXPECT_EQ(channel_from_json(json(testing::sample_channel())),
            testing::sample_channel());
  EXPECT_EQ(team_from_json(json(testing::sample_team())),
            testing::sample_team());
  EXPECT_EQ(agent_from_json(json(testing::sample_agent())),
            testing::sample_agent());
  EXPECT_EQ(agent_from_json(json(testing::sample_admin())),
            testing::sample_admin());
  EXPECT_EQ(reason_from_json(json(testing::sample_reason())),
            testing::sample_reason());
  EXPECT_EQ(contact_from_json(json(testing::sample_contact())),
            testing::sample_contact());
  EXPECT_EQ(tenant_from_json(json(testing::sample_tenant())),
            testing::sample_tenant());
}

TEST(RecordJson, StoredFormRequiresEveryField) {
  json j = testing::sample_team();
  j.erase("require_reason");
  auto t = team_from_json(j);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, errc::malformed);
  EXPECT_EQ(t.error().field, "require_reason");
  EXPECT_EQ(t.error().message, "require_reason: is required");
}

TEST(RecordJson, IllTypedFieldsAreNamed) {
  json j = testing::sample_agent();
  j["teams"] = {"a", 2};
  EXPECT_EQ(agent_from_json(j).error().field, "teams");
  j = testing::sample_agent();
  j["max_concurrent"] = 2.5;
  EXPECT_EQ(agent_from_json(j).error().field, "max_concurrent");
  j = testing::sample_channel();
  j["kind"] = nullptr;
  EXPECT_EQ(channel_from_json(j).error().field, "kind");
  j = testing::sample_team();
  j["require_reason"] = 1;
  EXPECT_EQ(team_from_json(j).error().field, "require_reason");
  j = testing::sample_team();
  j["max_per_agent"] = 1ll << 40;
  EXPECT_EQ(team_from_json(j).error().code, errc::invalid_value);
  EXPECT_FALSE(reason_from_json(json::array()));
}

TEST(Patch, AcceptsKnownMutableFields) {
  EXPECT_TRUE(check_patch<channel>({{"name", "x"}, {"default_team", "t"}}));
  EXPECT_TRUE(check_patch<team>({{"max_per_agent", 2}}));
  EXPECT_TRUE(check_patch<agent>({{"max_concurrent", nullptr}}));
  EXPECT_TRUE(check_patch<reason>({{"name", "x"}}));
  EXPECT_TRUE(check_patch<contact>({{"phone", "5511999999999"}}));
  EXPECT_TRUE(check_patch<contact>(json::object()));
}

TEST(Patch, UnknownKeyIsMalformedNamingIt) {
  auto r = check_patch<team>({{"colour", "red"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::malformed);
  EXPECT_EQ(r.error().field, "colour");
}

TEST(Patch, IdAndTokenHashMayNotChange) {
  EXPECT_EQ(check_patch<channel>({{"id", "x"}}).error().field, "id");
  EXPECT_EQ(check_patch<agent>({{"token_hash", "x"}}).error().field,
            "token_hash");
}

TEST(Patch, WrongTypeIsMalformedNamingTheField) {
  auto r = check_patch<channel>({{"default_team", 5}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::malformed);
  EXPECT_EQ(r.error().field, "default_team");
  EXPECT_EQ(check_patch<team>({{"require_reason", "yes"}}).error().field,
            "require_reason");
  EXPECT_EQ(check_patch<contact>({{"tags", "vip"}}).error().field, "tags");
  EXPECT_FALSE(check_patch<reason>(json::array()));
}

TEST(Patch, MergeChangesOnlyTheGivenFields) {
  auto a = merge_patch(testing::sample_agent(),
                       {{"name", "Ana Maria"}, {"max_concurrent", nullptr}});
  ASSERT_TRUE(a);
  auto expected = testing::sample_agent();
  expected.name = "Ana Maria";
  expected.max_concurrent.reset();
  EXPECT_EQ(*a, expected);
  auto c = merge_patch(testing::sample_contact(), {{"stage", nullptr}});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->stage, "");
}

TEST(Patch, MergeAppliesValueRules) {
  auto expect_value_error = [](auto r, errc code, const char* field) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, code);
    EXPECT_EQ(r.error().field, field);
  };
  expect_value_error(merge_patch(testing::sample_channel(), {{"kind", "sms"}}),
                     errc::invalid_value, "kind");
  expect_value_error(merge_patch(testing::sample_team(), {{"max_per_agent", 0}}),
                     errc::invalid_value, "max_per_agent");
  expect_value_error(
    merge_patch(testing::sample_team(), {{"distribution", "random"}}),
    errc::invalid_value, "distribution");
  expect_value_error(merge_patch(testing::sample_agent(), {{"role", "root"}}),
                     errc::invalid_value, "role");
  expect_value_error(
    merge_patch(testing::sample_agent(), {{"max_concurrent", -1}}),
    errc::invalid_value, "max_concurrent");
  expect_value_error(merge_patch(testing::sample_reason(), {{"name", ""}}),
                     errc::invalid_value, "name");
  expect_value_error(merge_patch(testing::sample_contact(), {{"phone", "+55"}}),
                     errc::invalid_phone, "phone");
  expect_value_error(merge_patch(testing::sample_contact(), {{"nick", "x"}}),
                     errc::malformed, "nick");
}

TEST(Patch, MergeIgnoresRulesOfUntouchedFields) {
  auto c = testing::sample_contact();
  c.name = ""; // e.g. created by contact.upsert without a name
  auto merged = merge_patch(c, {{"tags", {"vip", "new"}}});
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->tags, (std::vector<std::string>{"vip", "new"}));
}

// ---- closed sets -------------------------------------------------------------

template <class E>
void expect_names_round_trip() {
  for (std::size_t i = 0; i < names_of<E>::list.size(); ++i) {
    auto e = static_cast<E>(i);
    auto name = name_of(e);
    EXPECT_EQ(from_name<E>(name), e) << name;
    // Wherever it goes into a JSON value, it is its name.
    EXPECT_EQ(nlohmann::json(e), std::string{name});
  }
  EXPECT_FALSE(from_name<E>("").has_value());
  EXPECT_FALSE(from_name<E>("Manual").has_value());
}

TEST(ClosedSets, EachValueIsItsNameAndBackAndJsonHoldsTheName) {
  expect_names_round_trip<channel_kind>();
  expect_names_round_trip<team_distribution>();
  expect_names_round_trip<agent_role>();
  EXPECT_EQ(names_listed<team_distribution>(),
            "manual, round_robin, least_busy, contact_group");
}

TEST(ClosedSets, AnUnknownNameIsInvalidValueListingTheNames) {
  nlohmann::json t = testing::sample_team();
  t["distribution"] = "random";
  auto r = team_from_json(t);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::invalid_value);
  EXPECT_EQ(r.error().field, "distribution");
  EXPECT_NE(r.error().message.find(
              "must be one of manual, round_robin, least_busy, contact_group"),
            std::string::npos)
    << r.error().message;
  nlohmann::json a = testing::sample_agent();
  a["role"] = 1;
  auto ra = agent_from_json(a);
  ASSERT_FALSE(ra);
  EXPECT_EQ(ra.error().code, errc::malformed);
  EXPECT_EQ(ra.error().field, "role");
}

} // namespace
} // namespace atende

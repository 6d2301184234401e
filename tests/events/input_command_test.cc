#include "events/input.h"

#include <gtest/gtest.h>

#include "tests/events/input_helpers.h"

namespace atende {
namespace {

using nlohmann::json;
using testing::command;
using testing::expect_error;

TEST(InputDecode, TenantCreateDefaultsAdminRoleAndZone) {
  json d{{"tenant", {{"id", "acme"}, {"name", "Acme"}}},
         {"admin", {{"id", "boss"}, {"name", "Boss"}, {"token_hash", "ab"}}}};
  auto j = command("tenant.create", d);
  j["actor"] = "root";
  auto in = decode_input(j, input_scope::any);
  ASSERT_TRUE(in) << in.error().message;
  auto& t = std::get<tenant_create>(in->data);
  EXPECT_EQ(t.tenant.timezone, "America/Sao_Paulo");
  EXPECT_EQ(t.admin.role, agent_role::admin);
  j["data"]["admin"]["role"] = "agent";
  expect_error(j, errc::invalid_value, "data.admin.role");
  j["data"]["admin"].erase("token_hash");
  expect_error(j, errc::malformed, "data.admin.token_hash");
  j["data"].erase("tenant");
  expect_error(j, errc::malformed, "data.tenant");
  j = command("tenant.create", d);
  j["data"]["tenant"]["id"] = "a b";
  expect_error(j, errc::invalid_value, "data.tenant.id");
}

TEST(InputDecode, CreatesApplyDefaultsForOptionalFields) {
  auto in = decode_input(command("team.create", {{"id", "t"}, {"name", "T"}}),
                         input_scope::any);
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(std::get<create<team>>(in->data).value,
            (team{"t", "T", team_distribution::manual, 5, false}));
  in = decode_input(
      command("contact.create",
              {{"id", "c"}, {"name", "C"}, {"phone", "5511999999999"}}),
      input_scope::any);
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(std::get<create<contact>>(in->data).value.stage, "");
}

TEST(InputDecode, CreateValueRulesNameTheField) {
  json channel_body{{"id", "wa"},
                    {"kind", "telegram"},
                    {"name", "Main"},
                    {"phone", "5511999999999"},
                    {"default_team", "sales"}};
  expect_error(command("channel.create", channel_body), errc::invalid_value,
               "data.kind");
  channel_body["kind"] = "whatsapp";
  channel_body["name"] = "";
  expect_error(command("channel.create", channel_body), errc::invalid_value,
               "data.name");
  channel_body.erase("id");
  expect_error(command("channel.create", channel_body), errc::malformed,
               "data.id");
  expect_error(
      command("team.create",
              {{"id", "t"}, {"name", "T"}, {"distribution", "random"}}),
      errc::invalid_value, "data.distribution");
  expect_error(command("team.create",
                       {{"id", "t"}, {"name", "T"}, {"max_per_agent", 0}}),
               errc::invalid_value, "data.max_per_agent");
  expect_error(command("team.create",
                       {{"id", "t"}, {"name", "T"}, {"max_per_agent", "5"}}),
               errc::malformed, "data.max_per_agent");
  json agent_body{{"id", "a"}, {"name", "A"}, {"token_hash", "h"}};
  EXPECT_TRUE(
      decode_input(command("agent.create", agent_body), input_scope::any));
  agent_body["role"] = "boss";
  expect_error(command("agent.create", agent_body), errc::invalid_value,
               "data.role");
  agent_body["role"] = "agent";
  agent_body["max_concurrent"] = 0;
  expect_error(command("agent.create", agent_body), errc::invalid_value,
               "data.max_concurrent");
  agent_body.erase("max_concurrent");
  agent_body.erase("token_hash");
  expect_error(command("agent.create", agent_body), errc::malformed,
               "data.token_hash");
  expect_error(command("contact.create",
                       {{"id", "c"}, {"name", "C"}, {"phone", "1234"}}),
               errc::invalid_phone, "data.phone");
  expect_error(command("reason.create", {{"id", "r"}, {"name", ""}}),
               errc::invalid_value, "data.name");
}

TEST(InputDecode, PatchFieldsAreCheckedWithTheirPath) {
  auto j = command("team.patch", {{"id", "sales"}, {"fields", {{"nme", "x"}}}});
  expect_error(j, errc::malformed, "data.fields.nme");
  j["data"]["fields"] = {{"name", 3}};
  expect_error(j, errc::malformed, "data.fields.name");
  j["data"]["fields"] = {{"id", "x"}};
  expect_error(j, errc::malformed, "data.fields.id");
  j["data"]["fields"] = "name";
  expect_error(j, errc::malformed, "data.fields");
  j["data"].erase("fields");
  expect_error(j, errc::malformed, "data.fields");
  j["data"]["fields"] = json::object();
  j["data"].erase("id");
  expect_error(j, errc::malformed, "data.id");
  j = command("agent.patch",
              {{"id", "ana"}, {"fields", {{"token_hash", "x"}}}});
  expect_error(j, errc::malformed, "data.fields.token_hash");
}

TEST(InputDecode, ConversationCommandRules) {
  expect_error(command("conversation.assign", json::object()), errc::malformed,
               "data.conversation");
  expect_error(
      command("conversation.assign", {{"conversation", "cv"}, {"agent", ""}}),
      errc::malformed, "data.agent");
  expect_error(command("conversation.send", {{"conversation", "cv"}}),
               errc::malformed, "data.text");
  expect_error(command("conversation.transfer", {{"conversation", "cv"}}),
               errc::malformed, "data.agent");
  expect_error(command("conversation.transfer",
                       {{"conversation", "cv"}, {"agent", "a"}, {"team", "t"}}),
               errc::malformed, "data.team");
  expect_error(command("conversation.finish",
                       {{"conversation", "cv"}, {"description", 5}}),
               errc::malformed, "data.description");
  auto in =
      decode_input(command("conversation.finish", {{"conversation", "cv"}}),
                   input_scope::any);
  ASSERT_TRUE(in);
  EXPECT_EQ(std::get<conversation_finish>(in->data).reason, "");
}

} // namespace
} // namespace atende

// Authentication and the configuration lists (GET /v1/<resource>).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "events/json.h"
#include "tests/projections/builders.h"

namespace atende::testing {
namespace {

using nlohmann::json;

class Records : public ::testing::Test {
protected:
  void SetUp() override {
    h.tenant("boss", "hash-boss")
      .team("sales")
      .team("support")
      .channel("wa", "sales")
      .agent("ana", {"sales"}, "hash-ana");
    v.apply(h.take());
  }

  std::vector<std::string> all_ids(resource r, std::size_t limit,
                                   const std::string& phone = {},
                                   const std::string& q = {},
                                   const std::string& tag = {}) {
    std::vector<std::string> out;
    std::string cursor;
    do {
      auto p = v.list(boss, r, limit, cursor, phone, q, tag);
      EXPECT_TRUE(p);
      if (!p) {
        break;
      }
      auto got = ids(*p);
      out.insert(out.end(), got.begin(), got.end());
      cursor = p->next_cursor;
    } while (!cursor.empty());
    return out;
  }

  history h{"acme"};
  views v;
  principal boss = admin_of("acme", "boss");
};

TEST_F(Records, TenantCreatedAuthenticatesItsAdmin) {
  EXPECT_TRUE(v.tenant_exists("acme"));
  EXPECT_FALSE(v.tenant_exists("globex"));
  auto who = v.authenticate("hash-boss");
  ASSERT_TRUE(who);
  EXPECT_EQ(who->tenant, "acme");
  EXPECT_EQ(who->agent, "boss");
  EXPECT_TRUE(who->admin);
  EXPECT_FALSE(who->root);
  auto ana = v.authenticate("hash-ana");
  ASSERT_TRUE(ana);
  EXPECT_FALSE(ana->admin);
  EXPECT_FALSE(v.authenticate("hash-nobody"));
}

TEST_F(Records, AgentUpdateRotatesTheTokenAndTheRole) {
  agent a{.id = "ana", .name = "Ana", .role = agent_role::admin, .teams = {"support"},
          .max_concurrent = 3, .token_hash = "hash-ana-2"};
  v.apply(h.add(agent_updated{.value = a}).take());
  EXPECT_FALSE(v.authenticate("hash-ana"));
  auto who = v.authenticate("hash-ana-2");
  ASSERT_TRUE(who);
  EXPECT_TRUE(who->admin);
  auto got = v.get(boss, resource::agents, "ana");
  ASSERT_TRUE(got);
  EXPECT_EQ((*got)["teams"], json({"support"}));
}

TEST_F(Records, AgentBoardHidesTokensAndCountsOpenConversations) {
  v.apply(h.contact("c1", "Maria", "5511988887777")
            .open("k1", "c1", "wa", "sales", at_s(1))
            .open("k2", "c1", "wa", "sales", at_s(2))
            .open("k3", "c1", "wa", "sales", at_s(3))
            .assign("k1", "ana", at_s(4))
            .assign("k2", "ana", at_s(5))
            .assign("k3", "ana", at_s(6))
            .finish("k3", "", "", at_s(7))
            .transfer("k2", "support", "", at_s(8))
            .take());
  auto p = v.list(boss, resource::agents, 25, "");
  ASSERT_TRUE(p);
  ASSERT_EQ(ids(*p), (std::vector<std::string>{"ana", "boss"}));
  const auto& ana = p->items[0];
  EXPECT_FALSE(ana.contains("token_hash"));
  EXPECT_FALSE(ana.contains("token"));
  EXPECT_EQ(ana["status"], "offline");
  EXPECT_EQ(ana["pause"], nullptr);
  EXPECT_EQ(ana["open_count"], 1);
  EXPECT_EQ(ana["role"], "agent");
  EXPECT_EQ(p->items[1]["open_count"], 0);
}

TEST_F(Records, ListsArePagedById) {
  for (int i = 0; i < 23; ++i) {
    h.team(numbered("t", 100 + i));
  }
  v.apply(h.take());
  auto got = all_ids(resource::teams, 4);
  ASSERT_EQ(got.size(), 25U);
  EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
  EXPECT_EQ(std::set<std::string>(got.begin(), got.end()).size(), 25U);
  auto first = v.list(boss, resource::teams, 4, "");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->items.size(), 4U);
  EXPECT_FALSE(first->next_cursor.empty());
  auto bad = v.list(boss, resource::teams, 4, "%%");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, errc::malformed);
  EXPECT_EQ(bad.error().field, "cursor");
}

TEST_F(Records, RecordsRenderAsStored) {
  auto p = v.list(boss, resource::channels, 25, "");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->items.size(), 1U);
  EXPECT_EQ(p->items[0]["id"], "wa");
  EXPECT_EQ(p->items[0]["default_team"], "sales");
  auto t = v.get(boss, resource::teams, "support");
  ASSERT_TRUE(t);
  EXPECT_EQ((*t)["distribution"], "manual");
}

TEST_F(Records, ContactsFilterByEitherPhoneFormAndNamePrefix) {
  v.apply(h.contact("c1", "Maria", "5531988887777")
            .contact("c2", "mariana", "5511977776666")
            .contact("c3", "Érica", "5521966665555")
            .contact("c4", "Jose", "14155550100")
            .take());
  auto by_old_form = v.list(boss, resource::contacts, 25, "", "553188887777");
  ASSERT_TRUE(by_old_form);
  EXPECT_EQ(ids(*by_old_form), std::vector<std::string>{"c1"});
  auto by_new_form = v.list(boss, resource::contacts, 25, "", "5531988887777");
  EXPECT_EQ(ids(*by_new_form), std::vector<std::string>{"c1"});
  auto foreign = v.list(boss, resource::contacts, 25, "", "14155550100");
  EXPECT_EQ(ids(*foreign), std::vector<std::string>{"c4"});
  auto none = v.list(boss, resource::contacts, 25, "", "5531900000000");
  EXPECT_TRUE(none->items.empty());

  EXPECT_EQ(all_ids(resource::contacts, 1, "", "MAR"),
            (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(all_ids(resource::contacts, 1, "", "éri"),
            std::vector<std::string>{"c3"});
  EXPECT_EQ(all_ids(resource::contacts, 2).size(), 4U);
}

TEST_F(Records, ContactsFilterByTagAloneOrWithANamePrefix) {
  v.apply(h.contact("c1", "Maria", "5531988887777", {"vip", "b2b"})
            .contact("c2", "mariana", "5511977776666", {"b2b"})
            .contact("c3", "Marcos", "5521966665555", {"VIP"})
            .contact("c4", "Jose", "14155550100", {"vip"})
            .take());
  auto by_tag = [&](const std::string& q, const std::string& tag,
                    std::size_t limit) {
    return all_ids(resource::contacts, limit, {}, q, tag);
  };
  // Tags compare exactly, as a portfolio's add_filter does.
  EXPECT_EQ(by_tag("", "vip", 1), (std::vector<std::string>{"c1", "c4"}));
  EXPECT_EQ(by_tag("mar", "b2b", 1), (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(by_tag("mar", "vip", 25), std::vector<std::string>{"c1"});
  EXPECT_TRUE(by_tag("", "nope", 25).empty());
  EXPECT_EQ(by_tag("", "vip", 25),
            v.contacts_matching(boss, "", "vip"));
}

TEST_F(Records, ContactPhoneChangeMovesItsLookup) {
  v.apply(h.contact("c1", "Maria", "5531988887777")
            .contact("c1", "Maria", "5511955554444", {}, "", true)
            .take());
  auto old = v.list(boss, resource::contacts, 25, "", "5531988887777");
  EXPECT_TRUE(old->items.empty());
  auto now = v.list(boss, resource::contacts, 25, "", "5511955554444");
  EXPECT_EQ(ids(*now), std::vector<std::string>{"c1"});
}

TEST_F(Records, TemplatesAreListedByIdAndReadOneByOne) {
  v.apply(h.message_template("tp3", "wa", "promo", "pt_BR",
                             "Oi {{1}}, {{2}} hoje", "pending")
            .message_template("tp1", "wa", "hello", "en", "Hello!", "approved")
            .message_template("tp2", "wa", "hello", "pt_BR", "Olá!",
                              "approved")
            .take());
  EXPECT_EQ(all_ids(resource::templates, 2),
            (std::vector<std::string>{"tp1", "tp2", "tp3"}));
  auto got = v.get(boss, resource::templates, "tp3");
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, (json{{"id", "tp3"},
                        {"channel", "wa"},
                        {"name", "promo"},
                        {"language", "pt_BR"},
                        {"body", "Oi {{1}}, {{2}} hoje"},
                        {"status", "pending"}}));
  // An update replaces the record; any agent may read templates.
  v.apply(h.message_template("tp3", "wa", "promo", "pt_BR",
                             "Oi {{1}}, {{2}} hoje", "approved", true)
            .take());
  auto seen = v.get(agent_of("acme", "ana"), resource::templates, "tp3");
  ASSERT_TRUE(seen);
  EXPECT_EQ((*seen)["status"], "approved");
  auto listed = v.list(agent_of("acme", "ana"), resource::templates, 25, "");
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->items.size(), 3U);
}

TEST_F(Records, UnknownRecordIsNotFound) {
  for (auto r : {resource::channels, resource::teams, resource::agents,
                 resource::reasons, resource::contacts, resource::pause_types,
                 resource::portfolios, resource::templates}) {
    auto got = v.get(boss, r, "nope");
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, errc::not_found);
  }
}

TEST_F(Records, AnotherTenantsRecordsAreInvisible) {
  history other{"globex"};
  v.apply(other.tenant("boss", "hash-g").team("ops").take());
  auto got = v.get(admin_of("globex", "boss"), resource::teams, "sales");
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, errc::not_found);
  auto p = v.list(admin_of("globex", "boss"), resource::teams, 25, "");
  EXPECT_EQ(ids(*p), std::vector<std::string>{"ops"});
}

} // namespace
} // namespace atende::testing

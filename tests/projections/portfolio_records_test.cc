// Portfolios as records: the table, their contacts (paged), a contact's
// portfolios and the add_filter lookup (contacts_matching).
#include <gtest/gtest.h>

#include "tests/projections/builders.h"

namespace atende::testing {
namespace {

using nlohmann::json;
using strings = std::vector<std::string>;

class PortfolioRecords : public ::testing::Test {
protected:
  void SetUp() override {
    h.tenant("boss", "hash-boss").team("sales").agent("ana", {"sales"});
    v.apply(h.take());
  }

  // contacts adds contacts c00..c<n-1>.
  void contacts(int n) {
    for (int i = 0; i < n; ++i) {
      auto id = numbered(i < 10 ? "c0" : "c", i);
      h.contact(id, numbered("Cliente ", i),
                std::to_string(5511900000000LL + i));
    }
  }

  history h{"acme"};
  views v;
  principal boss = admin_of("acme", "boss");
  principal ana = agent_of("acme", "ana");
};

TEST_F(PortfolioRecords, PortfolioTableShowsCountAndFirstTenContacts) {
  contacts(12);
  strings all;
  for (int i = 11; i >= 0; --i) {
    all.push_back(numbered(i < 10 ? "c0" : "c", i));
  }
  v.apply(h.portfolio("p1", "ana", {"bia"})
            .portfolio("p2", "boss")
            .portfolio_contacts("p1", all)
            .take());
  auto page = v.list(ana, resource::portfolios, 25, "");
  ASSERT_TRUE(page);
  ASSERT_EQ(ids(*page), (strings{"p1", "p2"}));
  const auto& p1 = page->items[0];
  EXPECT_EQ(p1["name"], "p1");
  EXPECT_EQ(p1["code"], "p1-code");
  EXPECT_EQ(p1["responsible"], "ana");
  EXPECT_EQ(p1["members"], json({"bia"}));
  EXPECT_EQ(p1["hours"], nullptr);
  EXPECT_EQ(p1["contact_count"], 12);
  ASSERT_EQ(p1["contacts"].size(), 10U);
  EXPECT_EQ(p1["contacts"][0], (json{{"id", "c00"},
                                     {"name", "Cliente 0"},
                                     {"phone", "5511900000000"}}));
  EXPECT_EQ(p1["contacts"][9]["id"], "c09");
  EXPECT_EQ(page->items[1]["contact_count"], 0);
  EXPECT_EQ(page->items[1]["contacts"], json::array());

  auto got = v.get(ana, resource::portfolios, "p1");
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, p1);

  v.apply(h.portfolio_contacts("p1", {}, {"c00", "c05"})
            .delete_portfolio("p2")
            .take());
  got = v.get(ana, resource::portfolios, "p1");
  EXPECT_EQ((*got)["contact_count"], 10);
  EXPECT_EQ((*got)["contacts"][0]["id"], "c01");
  auto gone = v.get(ana, resource::portfolios, "p2");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, errc::not_found);
}

TEST_F(PortfolioRecords, PortfolioContactsArePaged) {
  contacts(7);
  v.apply(h.portfolio("p1", "ana")
            .portfolio_contacts("p1", {"c06", "c01", "c03", "c04", "c00"})
            .take());
  strings got;
  std::string cursor;
  int pages = 0;
  do {
    auto p = v.portfolio_contacts(ana, "p1", 2, cursor);
    ASSERT_TRUE(p);
    EXPECT_LE(p->items.size(), 2U);
    for (const auto& item : p->items) {
      EXPECT_EQ(item.size(), 4U); // id, name, phone, tags
      EXPECT_TRUE(item.contains("tags"));
    }
    auto page_ids = ids(*p);
    got.insert(got.end(), page_ids.begin(), page_ids.end());
    cursor = p->next_cursor;
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(got, (strings{"c00", "c01", "c03", "c04", "c06"}));
  EXPECT_EQ(pages, 3);

  auto unknown = v.portfolio_contacts(ana, "nope", 25, "");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, errc::not_found);
  auto bad = v.portfolio_contacts(ana, "p1", 25, "%%");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "cursor");
  auto other = v.portfolio_contacts(admin_of("globex", "boss"), "p1", 25, "");
  EXPECT_FALSE(other);
}

TEST_F(PortfolioRecords, ContactsMatchingByNamePrefixAndTag) {
  v.apply(h.contact("c1", "Maria", "5531988887777", {"vip"})
            .contact("c2", "mariana", "5511977776666", {"b2b"})
            .contact("c3", "Márcia", "5521966665555", {"vip", "b2b"})
            .contact("c4", "Jose", "14155550100", {"vip"})
            .take());
  // A conversation naming a contact never created does not make it one.
  v.apply(h.channel("wa", "sales")
            .open("k1", "c0", "wa", "sales", at_s(1))
            .take());
  EXPECT_EQ(v.contacts_matching(boss, "MARI", ""), (strings{"c1", "c2"}));
  EXPECT_EQ(v.contacts_matching(boss, "", "vip"), (strings{"c1", "c3", "c4"}));
  EXPECT_EQ(v.contacts_matching(boss, "mar", "b2b"), strings{"c2"});
  EXPECT_EQ(v.contacts_matching(boss, "", "b2b"), (strings{"c2", "c3"}));
  EXPECT_EQ(v.contacts_matching(boss, "MÁR", ""), strings{"c3"});
  EXPECT_EQ(v.contacts_matching(boss, "", ""),
            (strings{"c1", "c2", "c3", "c4"}));
  EXPECT_EQ(v.contacts_matching(boss, "x", ""), strings{});
  EXPECT_EQ(v.contacts_matching(admin_of("globex", "boss"), "", ""),
            strings{});
}

TEST_F(PortfolioRecords, ContactShowsItsPortfolios) {
  contacts(2);
  v.apply(h.portfolio("pz", "ana")
            .portfolio("pa", "ana")
            .portfolio_contacts("pz", {"c00"})
            .portfolio_contacts("pa", {"c00", "c01"})
            .take());
  auto got = v.get(boss, resource::contacts, "c00");
  ASSERT_TRUE(got);
  EXPECT_EQ((*got)["portfolios"], json({"pa", "pz"}));
  auto by_phone = v.list(boss, resource::contacts, 25, "", "5511900000001");
  ASSERT_TRUE(by_phone);
  EXPECT_EQ(by_phone->items[0]["portfolios"], json({"pa"}));
  auto by_name = v.list(boss, resource::contacts, 25, "", "", "cliente 0");
  EXPECT_EQ(by_name->items[0]["portfolios"], json({"pa", "pz"}));

  // The record's own portfolios field is not membership.
  v.apply(h.add(contact_updated{.value = {.id = "c01", .name = "Cliente 1",
                                          .phone = "5511900000001",
                                          .tags = {}, .stage = {},
                                          .departments = {},
                                          .portfolios = {"pz"}}})
            .portfolio_contacts("pa", {}, {"c00"})
            .delete_portfolio("pz")
            .take());
  EXPECT_EQ((*v.get(boss, resource::contacts, "c00"))["portfolios"],
            json::array());
  EXPECT_EQ((*v.get(boss, resource::contacts, "c01"))["portfolios"],
            json({"pa"}));
}

} // namespace
} // namespace atende::testing

// Contacts over HTTP (CONTRACT section 3, "Contacts").
#include "http_fixture.h"

namespace atende::testing {
namespace {

class contacts : public http_test {
protected:
  void SetUp() override {
    http_test::SetUp();
    admin_ = make_tenant("acme");
    ana_ = make_agent(admin_, "ana");
  }
  std::string admin_, ana_;
};

TEST_F(contacts, InvalidPhoneIs422) {
  auto r =
      client().post("/v1/contacts",
                    {{"name", "Maria"}, {"phone", "+55 11 98888-7777"}}, ana_);
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.code(), "invalid_phone");
  EXPECT_EQ(r.field(), "phone");
}

TEST_F(contacts, CreatedContactIsFoundById) {
  auto r = client().post("/v1/contacts",
                         {{"id", "ct1"},
                          {"name", "Maria"},
                          {"phone", "5511988887777"},
                          {"tags", {"vip"}}},
                         ana_);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.json()["tags"], nlohmann::json({"vip"}));
  auto got = client().get("/v1/contacts/ct1", ana_);
  EXPECT_EQ(got.status, 200u);
  EXPECT_EQ(got.json()["phone"], "5511988887777");
  EXPECT_EQ(client().get("/v1/contacts/nope", ana_).status, 404u);
}

TEST_F(contacts, SearchQueryIsPercentDecoded) {
  for (auto [id, name, phone] :
       {std::tuple{"ct1", "Ana Maria", "5511988887777"},
        std::tuple{"ct2", "Ana Paula", "5511988886666"}}) {
    ASSERT_EQ(client()
                  .post("/v1/contacts",
                        {{"id", id}, {"name", name}, {"phone", phone}}, ana_)
                  .status,
              201u);
  }
  auto r = client().get("/v1/contacts?q=Ana%20M", ana_).json();
  ASSERT_EQ(r["items"].size(), 1u) << r;
  EXPECT_EQ(r["items"][0]["id"], "ct1");
  r = client().get("/v1/contacts?q=Ana+P", ana_).json();
  ASSERT_EQ(r["items"].size(), 1u) << r;
  EXPECT_EQ(r["items"][0]["id"], "ct2");
}

TEST_F(contacts, PatchChangesTheContact) {
  ASSERT_EQ(
      client()
          .post("/v1/contacts",
                {{"id", "ct1"}, {"name", "Maria"}, {"phone", "5511988887777"}},
                ana_)
          .status,
      201u);
  auto r = client().patch("/v1/contacts/ct1", {{"stage", "lead"}}, ana_);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json()["stage"], "lead");
}

} // namespace
} // namespace atende::testing

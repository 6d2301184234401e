// http_fixture: a real http_server on 127.0.0.1 (a free port) in front of a
// fake engine and real views, with a client and helpers to create a tenant
// and agents through the API itself.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "actors/shard_probe.h"
#include "fake_engine.h"
#include "gateways/crypto.h"
#include "gateways/http_server.h"
#include "http_client.h"
#include "projections/views.h"

namespace atende::testing {

inline constexpr const char* root_token = "root-token-for-tests";

class http_test : public ::testing::Test {
protected:
  void SetUp() override { start(http_options{}); }

  /// start (re)starts the server with `o` (host and port are forced to
  /// 127.0.0.1:0 and the root token to root_token).
  void start(http_options o) {
    client_.reset();
    server_.reset();
    o.host = "127.0.0.1";
    o.port = 0;
    o.root_token_hash = sha256_hex(root_token);
    probe_.partition = 3;
    server_ = std::make_unique<http_server>(
        o, engine_, views_, std::vector<const shard_probe*>{&probe_});
    auto ok = server_->start();
    ASSERT_TRUE(ok) << ok.error().message;
    client_ = std::make_unique<http_client>(server_->endpoint().port);
  }

  http_client& client() { return *client_; }

  /// make_tenant creates tenant `id` with the root token and returns its
  /// admin's token.
  std::string make_tenant(const std::string& id) {
    auto r =
        client().post("/v1/tenants", {{"id", id}, {"name", id}}, root_token);
    EXPECT_EQ(r.status, 201u) << r.body;
    return r.json()["admin"].value("token", "");
  }

  /// make_agent creates an agent with `admin` and returns its token.
  std::string make_agent(const std::string& admin, const std::string& id,
                         const std::string& role = "agent",
                         nlohmann::json teams = nlohmann::json::array()) {
    auto r = client().post(
        "/v1/agents",
        {{"id", id}, {"name", id}, {"role", role}, {"teams", teams}}, admin);
    EXPECT_EQ(r.status, 201u) << r.body;
    return r.json().value("token", "");
  }

  /// make_team_and_channel creates team t1 and channel ch1 (into t1).
  void make_team_and_channel(const std::string& admin) {
    EXPECT_EQ(
        client().post("/v1/teams", {{"id", "t1"}, {"name", "T"}}, admin).status,
        201u);
    EXPECT_EQ(client()
                  .post("/v1/channels",
                        {{"id", "ch1"},
                         {"kind", "whatsapp"},
                         {"name", "C"},
                         {"phone", "5511999990000"},
                         {"default_team", "t1"}},
                        admin)
                  .status,
              201u);
  }

  views views_;
  fake_engine engine_{views_};
  shard_probe probe_;
  std::unique_ptr<http_server> server_;
  std::unique_ptr<http_client> client_;
};

} // namespace atende::testing

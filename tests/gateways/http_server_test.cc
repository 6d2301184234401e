// The server itself: routing, limits, keep-alive, metrics, lifecycle.
#include <thread>

#include "http_fixture.h"

namespace atende::testing {
namespace {

using server = http_test;

TEST_F(server, PortZeroPicksAFreePort) {
  EXPECT_NE(server_->endpoint().port, 0);
  EXPECT_EQ(server_->endpoint().host, "127.0.0.1");
}

TEST_F(server, ListenErrorNamesTheAddress) {
  http_options o;
  o.host = "127.0.0.1";
  o.port = server_->endpoint().port;
  http_server second{o, engine_, views_, {}};
  auto ok = second.start();
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message.find("127.0.0.1:" + std::to_string(o.port)),
            std::string::npos)
      << ok.error().message;
}

TEST_F(server, UnknownRouteIs404) {
  auto r = client().get("/v1/nothing-here");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.code(), "not_found");
}

TEST_F(server, WrongMethodIs405WithAllow) {
  auto r = client().request("DELETE", "/v1/channels");
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.code(), "method_not_allowed");
  EXPECT_EQ(r.allow, "GET, POST");
}

TEST_F(server, ContractEndpointsNotServedYetAre422Unsupported) {
  auto admin = make_tenant("acme");
  auto r = client().get("/v1/stream", admin);
  EXPECT_EQ(r.status, 422u);
  EXPECT_EQ(r.code(), "unsupported");
}

TEST_F(server, BodyTooLargeIs413) {
  http_options o;
  o.max_body_bytes = 1024;
  start(o);
  std::string big = "{\"name\":\"" + std::string(4096, 'x') + "\"}";
  auto r = client().request("POST", "/v1/tenants", root_token, big);
  EXPECT_EQ(r.status, 413u);
  EXPECT_EQ(r.code(), "too_large");
  EXPECT_EQ(client().get("/healthz").status, 200u); // a new connection works
}

TEST_F(server, KeepAliveServesManyRequestsOnOneConnection) {
  auto admin = make_tenant("acme");
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(client().get("/v1/channels", admin).status, 200u);
  }
  EXPECT_EQ(client().connections(), 1);
}

TEST_F(server, ManyClientsAtOnce) {
  auto admin = make_tenant("acme");
  auto port = server_->endpoint().port;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      http_client c{port};
      for (int i = 0; i < 20; ++i) {
        auto id = "r" + std::to_string(t) + "-" + std::to_string(i);
        auto r = c.post("/v1/reasons", {{"id", id}, {"name", id}}, admin);
        ok += r.status == 201u ? 1 : 0;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(ok.load(), 160);
}

TEST_F(server, MetricsExposeRequestCounts) {
  auto admin = make_tenant("acme");
  client().get("/v1/channels", admin);
  client().get("/v1/channels/nope", admin);
  client().get("/v1/nothing");
  probe_.inputs_applied = 7;
  probe_.commit_latency.observe_us(300);
  auto r = client().get("/metrics");
  ASSERT_EQ(r.status, 200u);
  EXPECT_TRUE(r.content_type.starts_with("text/plain"));
  auto has = [&](const std::string& line) {
    return r.body.find(line) != std::string::npos;
  };
  EXPECT_TRUE(has("atende_http_requests_total{route=\"/v1/channels\","
                  "method=\"GET\",status=\"200\"} 1\n"))
      << r.body;
  EXPECT_TRUE(has("atende_http_requests_total{route=\"/v1/channels/{id}\","
                  "method=\"GET\",status=\"404\"} 1\n"))
      << r.body;
  EXPECT_TRUE(has("atende_http_requests_total{route=\"unmatched\","
                  "method=\"GET\",status=\"404\"} 1\n"));
  EXPECT_TRUE(has("atende_http_request_duration_seconds_count{route=\"/v1/"
                  "tenants\",method=\"POST\"} 1\n"));
  EXPECT_TRUE(has("atende_inputs_applied_total{partition=\"3\"} 7\n"));
  EXPECT_TRUE(has("atende_commit_latency_seconds_bucket{partition=\"3\","
                  "le=\"0.0005\"} 1\n"));
  EXPECT_TRUE(has("atende_commit_latency_seconds_count{partition=\"3\"} 1\n"));
  EXPECT_TRUE(has("atende_conversations 0\n"));
}

TEST_F(server, StoppingWhileTheEngineWorksIsSafe) {
  engine_.hold();
  auto port = server_->endpoint().port;
  std::thread caller([port] {
    http_client c{port};
    auto r =
        c.post("/v1/tenants", {{"id", "late"}, {"name", "Late"}}, root_token);
    EXPECT_EQ(r.status, 0u); // the connection closed without an answer
  });
  while (engine_.inputs().empty()) {
    std::this_thread::yield();
  }
  server_->stop();
  caller.join();
  server_.reset();
  engine_.release(); // the engine calls back into a stopped server
}

} // namespace
} // namespace atende::testing

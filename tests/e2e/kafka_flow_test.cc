// Kafka mode end to end (CONTRACT section 5, DESIGN "Scale"): the devbroker
// (librdkafka's mock cluster, real Kafka protocol over TCP), `atende serve
// --kafka` as child processes, `kcat` as the outside client, HTTP over
// loopback. Waiting is polling with a deadline: rebalances take seconds.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateways/crypto.h"
#include "gateways/http_client.h"
#include "tests/e2e/broker_process.h"
#include "tests/e2e/server_process.h"
#include "tests/e2e/sse_client.h"
#include "tests/support/fake_graph.h"
#include "tests/support/fake_receiver.h"

namespace {

using namespace atende;
using namespace atende::test;
using json = nlohmann::json;

constexpr std::uint32_t partitions = 4;

/// eventually polls `ok` until it holds or `within` passes.
template <class F>
bool eventually(F ok, std::chrono::milliseconds within) {
  auto deadline = clock_type::now() + within;
  while (clock_type::now() < deadline) {
    if (ok()) {
      return true;
    }
    std::this_thread::sleep_for(100ms);
  }
  return ok();
}

/// kcat_produce sends `key|value` lines to `topic` with Kafka's Java
/// partitioner (murmur2), as a connector keyed by tenant does.
void kcat_produce(const std::string& boot, const std::string& topic,
                  const std::vector<std::pair<std::string, std::string>>& kv) {
  auto cmd = "timeout 30 kcat -b " + boot + " -P -t " + topic +
             " -K '|' -X partitioner=murmur2_random";
  FILE* p = popen(cmd.c_str(), "w");
  ASSERT_NE(p, nullptr);
  for (const auto& [k, v] : kv) {
    std::fprintf(p, "%s|%s\n", k.c_str(), v.c_str());
  }
  ASSERT_EQ(pclose(p), 0);
}

/// kcat_consume reads every record of `topic` (all partitions) as values.
std::vector<std::string> kcat_consume(const std::string& boot,
                                      const std::string& topic) {
  auto cmd = "timeout 30 kcat -b " + boot + " -C -t " + topic +
             " -o beginning -e -q -f '%s\\n'";
  FILE* p = popen(cmd.c_str(), "r");
  std::vector<std::string> out;
  char line[65536];
  while (p != nullptr && std::fgets(line, sizeof line, p) != nullptr) {
    std::string s = line;
    if (!s.empty() && s.back() == '\n') {
      s.pop_back();
    }
    if (!s.empty()) {
      out.push_back(s);
    }
  }
  if (p != nullptr) {
    pclose(p);
  }
  return out;
}

/// owned: the partitions an instance serves, from its /metrics.
std::set<int> owned(std::uint16_t port) {
  http_client c{"127.0.0.1", port};
  auto r = c.request("GET", "/metrics");
  std::set<int> out;
  if (!r) {
    return out;
  }
  for (int p = 0; p < static_cast<int>(partitions); ++p) {
    auto line = "atende_kafka_partition_owned{partition=\"" +
                std::to_string(p) + "\"} 1";
    if (r->body.find(line) != std::string::npos) {
      out.insert(p);
    }
  }
  return out;
}

/// serves_all waits until the instance at `port` serves every partition.
bool serves_all(std::uint16_t port, std::chrono::milliseconds within = 60s) {
  return eventually([&] { return owned(port).size() == partitions; }, within);
}

/// owner_call sends a request to `port`, following one 307 to the owner.
api::reply owner_call(std::uint16_t port, const std::string& token,
                      const std::string& method, const std::string& path,
                      const json& body = nullptr) {
  api a{port, token};
  auto r = a.call(method, path, body);
  if (r.status != 307) {
    return r;
  }
  // The Location is the owner's URL plus the same target.
  auto msg = r.body["error"]["message"].get<std::string>();
  auto at = msg.rfind(':');
  auto owner = static_cast<std::uint16_t>(std::stoi(msg.substr(at + 1)));
  api b{owner, token};
  return b.call(method, path, body);
}

std::string envelope(const std::string& tenant, const std::string& id,
                     const std::string& text) {
  auto now = std::chrono::system_clock::now();
  auto t = std::chrono::system_clock::to_time_t(now);
  char at[32];
  std::strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S.000Z", std::gmtime(&t));
  return json{{"id", id},
              {"type", "message.received"},
              {"tenant", tenant},
              {"at", at},
              {"data",
               {{"channel", "wa"},
                {"from", "5531988887777"},
                {"name", "Maria"},
                {"message_id", id},
                {"kind", "text"},
                {"text", text}}}}
    .dump();
}

/// cluster: a devbroker and a config for the instances (short session
/// timeout, so that a killed instance's partitions move within seconds).
struct cluster {
  temp_dir dir;
  broker_process broker{{"--partitions", std::to_string(partitions)}};
  std::string boot = broker.bootstrap();
  std::string conf = [this] {
    auto path = dir.path() + "/kafka.conf";
    std::ofstream out{path};
    out << "kafka.session.timeout.ms = 6000\n"
        << "kafka.heartbeat.interval.ms = 500\n"
        << "engine.tick_seconds = 0\n"
        << "partitions = " << partitions << "\n";
    return path;
  }();

  std::unique_ptr<server_process> instance(const std::string& name) {
    auto s = std::make_unique<server_process>(
      dir.path() + "/" + name,
      std::vector<std::string>{"--config", conf, "--kafka", boot});
    EXPECT_TRUE(s->start());
    return s;
  }
};

/// tenant_setup creates a tenant (following the redirect to its owner) with
/// a channel "wa", and returns its admin token.
std::string tenant_setup(std::uint16_t port, const std::string& id) {
  auto t = owner_call(port, root_token, "POST", "/v1/tenants",
                      {{"id", id}, {"name", id}});
  EXPECT_EQ(t.status, 201) << t.body.dump();
  auto admin = t.body["admin"]["token"].get<std::string>();
  auto team = owner_call(port, admin, "POST", "/v1/teams",
                         {{"id", "support"},
                          {"name", "Support"},
                          {"distribution", "manual"}});
  EXPECT_EQ(team.status, 201) << team.body.dump();
  auto ch = owner_call(port, admin, "POST", "/v1/channels",
                       {{"id", "wa"},
                        {"kind", "whatsapp"},
                        {"name", "Sales"},
                        {"phone", "5511999990000"},
                        {"phone_number_id", "pn-" + id},
                        {"default_team", "support"}});
  EXPECT_EQ(ch.status, 201) << ch.body.dump();
  return admin;
}

/// messages returns the texts of the tenant's only conversation.
std::vector<std::string> messages(std::uint16_t port, const std::string& token,
                                  std::string* conversation = nullptr) {
  auto list = owner_call(port, token, "GET", "/v1/conversations?view=all");
  if (list.status != 200 || list.body["items"].empty()) {
    return {};
  }
  auto id = list.body["items"][0]["id"].get<std::string>();
  if (conversation != nullptr) {
    *conversation = id;
  }
  auto c = owner_call(port, token, "GET", "/v1/conversations/" + id);
  std::vector<std::string> out;
  for (const auto& m : c.body["messages"]) {
    out.push_back(m.value("text", ""));
  }
  return out;
}

/// give_token sets the channel "wa"'s access token (atende then sends and
/// fetches for it).
api::reply give_token(std::uint16_t port, const std::string& admin) {
  return owner_call(port, admin, "PATCH", "/v1/channels/wa",
                    {{"access_token", "EAAG-kafka-token"}});
}

/// first_conversation produces a customer's message with kcat and returns
/// the conversation it opened once the instance at `port` shows it ("" if
/// it never did).
std::string first_conversation(const std::string& boot, std::uint16_t port,
                               const std::string& admin,
                               const std::string& wamid,
                               const std::string& text) {
  kcat_produce(boot, "atende.inbound",
               {{"acme", envelope("acme", wamid, text)}});
  std::string conv;
  eventually([&] { return messages(port, admin, &conv).size() == 1; }, 20s);
  return conv;
}

/// accepted tells whether the timeline of `conv` says Meta accepted
/// message `id` (its wamid came back through the log).
bool accepted(std::uint16_t port, const std::string& admin,
              const std::string& conv, const std::string& id) {
  auto t = owner_call(port, admin, "GET",
                      "/v1/conversations/" + conv + "/timeline");
  return t.body.dump().find("WhatsApp accepted message " + id) !=
         std::string::npos;
}

TEST(KafkaFlow, HealthIsStartingUntilEveryPartitionIsServedThenRequestsSucceed) {
  cluster k;
  ASSERT_FALSE(k.boot.empty());
  auto a = k.instance("a");
  // As a deployment script does: wait for a healthy answer, then create.
  api h{a->port(), ""};
  bool saw_starting = false;
  api::reply health;
  ASSERT_TRUE(eventually(
    [&] {
      health = h.get("/healthz");
      if (health.status == 503) {
        saw_starting = true;
        EXPECT_EQ(health.body["status"], "starting") << health.body.dump();
        EXPECT_NE(health.body.value("reason", "").find("partitions"),
                  std::string::npos);
      }
      return health.status == 200;
    },
    30s));
  EXPECT_EQ(health.body["status"], "ok") << health.body.dump();
  EXPECT_EQ(health.body["partitions"].size(), partitions) << health.body.dump();
  // The rebalance takes seconds in the mock cluster: the instance said so.
  EXPECT_TRUE(saw_starting);
  api root{a->port(), root_token};
  auto t = root.post("/v1/tenants", {{"id", "acme"}, {"name", "Acme"}});
  EXPECT_EQ(t.status, 201) << t.body.dump();
}

TEST(KafkaFlow, AnInboundMessageProducedByKcatBecomesAConversation) {
  cluster k;
  ASSERT_FALSE(k.boot.empty());
  auto a = k.instance("a");
  ASSERT_TRUE(serves_all(a->port(), 30s));
  auto admin = tenant_setup(a->port(), "acme");
  kcat_produce(k.boot, "atende.inbound",
               {{"acme", envelope("acme", "wamid.k1", "Oi pelo Kafka")}});
  ASSERT_TRUE(eventually([&] { return messages(a->port(), admin).size() == 1; },
                         20s));
  EXPECT_EQ(messages(a->port(), admin)[0], "Oi pelo Kafka");
  // WhatsApp redelivers: the same envelope again changes nothing.
  kcat_produce(k.boot, "atende.inbound",
               {{"acme", envelope("acme", "wamid.k1", "Oi pelo Kafka")},
                {"acme", envelope("acme", "wamid.k2", "segunda")}});
  ASSERT_TRUE(eventually([&] { return messages(a->port(), admin).size() == 2; },
                         20s));
  EXPECT_EQ(messages(a->port(), admin),
            (std::vector<std::string>{"Oi pelo Kafka", "segunda"}));
  // The events topic carries the domain events, keyed by tenant.
  auto events = kcat_consume(k.boot, "atende.events");
  std::size_t received = 0;
  for (const auto& e : events) {
    auto j = json::parse(e, nullptr, false);
    if (j.value("type", "") == "message.received") {
      ++received;
    }
  }
  EXPECT_EQ(received, 2u);
}

TEST(KafkaFlow,
     WhenAnInstanceIsKilledTheOtherTakesOverItsTenantsWithNothingLostOrDoubled) {
  cluster k;
  ASSERT_FALSE(k.boot.empty());
  auto a = k.instance("a");
  ASSERT_TRUE(serves_all(a->port(), 30s));
  auto b = k.instance("b");
  ASSERT_TRUE(eventually(
    [&] {
      auto oa = owned(a->port());
      auto ob = owned(b->port());
      return !oa.empty() && !ob.empty() && oa.size() + ob.size() == partitions;
    },
    60s));

  const std::vector<std::string> tenants = {"t0", "t1", "t2", "t3", "t4", "t5"};
  std::map<std::string, std::string> admin;
  for (const auto& t : tenants) {
    admin[t] = tenant_setup(a->port(), t);
  }
  // Queries reach the owner: each tenant answers through either instance.
  for (const auto& t : tenants) {
    for (auto port : {a->port(), b->port()}) {
      auto r = owner_call(port, admin[t], "GET", "/v1/conversations");
      EXPECT_EQ(r.status, 200) << t << " via " << port;
    }
  }
  std::vector<std::pair<std::string, std::string>> first;
  for (const auto& t : tenants) {
    for (int i = 0; i < 10; ++i) {
      first.emplace_back(t, envelope(t, t + "-w" + std::to_string(i),
                                     "m" + std::to_string(i)));
    }
  }
  kcat_produce(k.boot, "atende.inbound", first);
  std::map<std::string, std::string> conv;
  for (const auto& t : tenants) {
    ASSERT_TRUE(eventually(
      [&] { return messages(b->port(), admin[t], &conv[t]).size() == 10; },
      30s))
      << t;
  }
  // Two replies per conversation: outbound records.
  for (const auto& t : tenants) {
    for (int i = 0; i < 2; ++i) {
      auto r = owner_call(b->port(), admin[t], "POST",
                          "/v1/conversations/" + conv[t] + "/messages",
                          {{"text", "r" + std::to_string(i)},
                           {"idempotency_key", "send-" + std::to_string(i)}});
      ASSERT_EQ(r.status, 201) << r.body.dump();
    }
  }

  a->kill9();

  // Meanwhile the connector goes on: ten new envelopes per tenant and three
  // redeliveries of old ones.
  std::vector<std::pair<std::string, std::string>> second;
  for (const auto& t : tenants) {
    for (int i = 10; i < 20; ++i) {
      second.emplace_back(t, envelope(t, t + "-w" + std::to_string(i),
                                      "m" + std::to_string(i)));
    }
    for (int i = 0; i < 3; ++i) {
      second.emplace_back(t, envelope(t, t + "-w" + std::to_string(i),
                                      "m" + std::to_string(i)));
    }
  }
  kcat_produce(k.boot, "atende.inbound", second);
  ASSERT_TRUE(serves_all(b->port()));

  for (const auto& t : tenants) {
    ASSERT_TRUE(eventually(
      [&] { return messages(b->port(), admin[t]).size() == 22; }, 30s))
      << t << ": " << messages(b->port(), admin[t]).size();
    auto texts = messages(b->port(), admin[t]);
    std::multiset<std::string> seen(texts.begin(), texts.end());
    for (int i = 0; i < 20; ++i) {
      EXPECT_EQ(seen.count("m" + std::to_string(i)), 1u) << t << " m" << i;
    }
    EXPECT_EQ(seen.count("r0"), 1u);
    EXPECT_EQ(seen.count("r1"), 1u);
    // A retried send (same idempotency key) answers the first one.
    auto again = owner_call(b->port(), admin[t], "POST",
                            "/v1/conversations/" + conv[t] + "/messages",
                            {{"text", "r0"}, {"idempotency_key", "send-0"}});
    EXPECT_EQ(again.status, 201) << again.body.dump();
    EXPECT_EQ(messages(b->port(), admin[t]).size(), 22u);
  }

  // Every outbound id reaches a consumer that dedupes exactly once.
  std::map<std::string, int> by_id;
  for (const auto& v : kcat_consume(k.boot, "atende.outbound")) {
    auto j = json::parse(v, nullptr, false);
    ASSERT_TRUE(j.is_object()) << v;
    by_id[j["id"].get<std::string>()]++;
  }
  EXPECT_EQ(by_id.size(), tenants.size() * 2);
}

TEST(KafkaFlow, BrokerErrorsInjectedWithTheMockAreSurvived) {
  cluster k;
  ASSERT_FALSE(k.boot.empty());
  auto a = k.instance("a");
  ASSERT_TRUE(serves_all(a->port(), 30s));
  auto admin = tenant_setup(a->port(), "acme");
  // Produce errors (the broker says it is not the leader, then times out):
  // the idempotent producer retries; every command is applied once.
  k.broker.send("error Produce 4 NOT_LEADER_FOR_PARTITION");
  EXPECT_EQ(k.broker.read_line(10s).value_or(""), "ok");
  k.broker.send("error Produce 3 REQUEST_TIMED_OUT");
  EXPECT_EQ(k.broker.read_line(10s).value_or(""), "ok");
  k.broker.send("error Fetch 3 NOT_LEADER_FOR_PARTITION");
  EXPECT_EQ(k.broker.read_line(10s).value_or(""), "ok");
  for (int i = 0; i < 5; ++i) {
    auto r = owner_call(a->port(), admin, "POST", "/v1/teams",
                        {{"id", "team" + std::to_string(i)},
                         {"name", "Team"},
                         {"distribution", "manual"}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
  }
  auto teams = owner_call(a->port(), admin, "GET", "/v1/teams");
  EXPECT_EQ(teams.body["items"].size(), 6u); // with "support"

  // The broker goes down: /healthz says degraded; an inbound record produced
  // before is applied once it is back.
  kcat_produce(k.boot, "atende.inbound",
               {{"acme", envelope("acme", "wamid.f1", "antes da queda")}});
  k.broker.send("down 1");
  EXPECT_EQ(k.broker.read_line(10s).value_or(""), "ok");
  auto health_is = [&](const std::string& status) {
    return eventually(
      [&] {
        api h{a->port(), ""};
        return h.get("/healthz").body.value("status", "") == status;
      },
      20s);
  };
  EXPECT_TRUE(health_is("degraded"));
  k.broker.send("up 1");
  EXPECT_EQ(k.broker.read_line(10s).value_or(""), "ok");
  EXPECT_TRUE(health_is("ok"));
  ASSERT_TRUE(eventually([&] { return messages(a->port(), admin).size() == 1; },
                         30s));
  // A slow broker (300 ms per request) slows replies down but loses nothing.
  k.broker.send("rtt 1 300");
  EXPECT_EQ(k.broker.read_line(10s).value_or(""), "ok");
  auto slow = owner_call(a->port(), admin, "POST", "/v1/teams",
                         {{"id", "slow"}, {"name", "Slow"},
                          {"distribution", "manual"}});
  EXPECT_EQ(slow.status, 201) << slow.body.dump();
  k.broker.send("rtt 1 0");
  EXPECT_EQ(k.broker.read_line(10s).value_or(""), "ok");
  // The lag per partition is on /metrics.
  http_client c{"127.0.0.1", a->port()};
  auto m = c.request("GET", "/metrics");
  ASSERT_TRUE(m.has_value());
  EXPECT_NE(m->body.find("atende_kafka_consumer_lag{topic=\"atende.inbound\","
                         "partition=\"0\"} 0"),
            std::string::npos);
}

TEST(KafkaFlow, TheInstanceThatOwnsThePartitionSendsThroughTheGraphApi) {
  fake_graph graph;
  graph.accept_token("EAAG-kafka-token");
  setenv("ATENDE_WHATSAPP_GRAPH_URL", graph.url().c_str(), 1);
  setenv("ATENDE_SECRET_KEY", std::string(64, '5').c_str(), 1);
  cluster k;
  ASSERT_FALSE(k.boot.empty());
  auto a = k.instance("a");
  unsetenv("ATENDE_WHATSAPP_GRAPH_URL");
  unsetenv("ATENDE_SECRET_KEY");
  ASSERT_TRUE(serves_all(a->port(), 30s));
  auto admin = tenant_setup(a->port(), "acme");
  auto p = give_token(a->port(), admin);
  ASSERT_EQ(p.status, 200) << p.body.dump();
  EXPECT_EQ(p.body["has_access_token"], true);
  auto conv = first_conversation(k.boot, a->port(), admin, "wamid.k1",
                                 "Oi pelo Kafka");
  ASSERT_FALSE(conv.empty());
  auto sent = owner_call(a->port(), admin, "POST",
                         "/v1/conversations/" + conv + "/messages",
                         {{"text", "Resposta pelo Kafka"}});
  ASSERT_EQ(sent.status, 201) << sent.body.dump();
  ASSERT_TRUE(graph.wait_sends(1, 20s));
  auto req = graph.sends().at(0);
  EXPECT_EQ(req.target, "/v21.0/pn-acme/messages");
  EXPECT_EQ(req.authorization, "Bearer EAAG-kafka-token");
  EXPECT_EQ(req.json["to"], "5531988887777");
  EXPECT_EQ(req.json["text"]["body"], "Resposta pelo Kafka");
  // Meta's wamid comes back through the log, as on the embedded one.
  const auto id = sent.body["message"].value("id", "");
  EXPECT_TRUE(
    eventually([&] { return accepted(a->port(), admin, conv, id); }, 20s));
  EXPECT_EQ(graph.count_sends(), 1u);
  // The owner of the tenant's partition shows its sender's health.
  auto ch = owner_call(a->port(), admin, "GET", "/v1/channels/wa");
  ASSERT_EQ(ch.status, 200) << ch.body.dump();
  EXPECT_EQ(ch.body["health"]["accepted"], 1) << ch.body.dump();
  EXPECT_EQ(ch.body["health"]["media"]["fetched"], 0) << ch.body.dump();
  api plain{a->port(), ""};
  auto m = plain.raw("GET", "/metrics", "", {});
  EXPECT_NE(m.body.find("atende_whatsapp_sends_total{tenant=\"acme\","
                        "channel=\"wa\",outcome=\"accepted\"} 1"),
            std::string::npos)
    << m.body;
}

TEST(KafkaFlow, TheNextOwnerOfAPartitionDoesNotSendAgainWhatWasSent) {
  fake_graph graph;
  graph.accept_token("EAAG-kafka-token");
  setenv("ATENDE_WHATSAPP_GRAPH_URL", graph.url().c_str(), 1);
  setenv("ATENDE_SECRET_KEY", std::string(64, '5').c_str(), 1);
  cluster k;
  ASSERT_FALSE(k.boot.empty());
  auto a = k.instance("a");
  ASSERT_TRUE(serves_all(a->port(), 30s));
  auto admin = tenant_setup(a->port(), "acme");
  ASSERT_EQ(give_token(a->port(), admin).status, 200);
  auto conv = first_conversation(k.boot, a->port(), admin, "wamid.k1",
                                 "Oi pelo Kafka");
  ASSERT_FALSE(conv.empty());
  auto first = owner_call(a->port(), admin, "POST",
                          "/v1/conversations/" + conv + "/messages",
                          {{"text", "Primeira"}});
  ASSERT_EQ(first.status, 201) << first.body.dump();
  const auto id = first.body["message"].value("id", "");
  ASSERT_TRUE(
    eventually([&] { return accepted(a->port(), admin, conv, id); }, 20s));

  // The partition moves: the next owner restores the work list from the
  // changelog, where the send is still "to send", but its outcome is in the
  // log.
  auto b = k.instance("b");
  unsetenv("ATENDE_WHATSAPP_GRAPH_URL");
  unsetenv("ATENDE_SECRET_KEY");
  a->kill9();
  ASSERT_TRUE(serves_all(b->port()));
  auto second = owner_call(b->port(), admin, "POST",
                           "/v1/conversations/" + conv + "/messages",
                           {{"text", "Segunda"}});
  ASSERT_EQ(second.status, 201) << second.body.dump();
  const auto id2 = second.body["message"].value("id", "");
  ASSERT_TRUE(
    eventually([&] { return accepted(b->port(), admin, conv, id2); }, 20s));
  auto sends = graph.sends();
  ASSERT_EQ(sends.size(), 2u);
  EXPECT_EQ(sends[0].json["text"]["body"], "Primeira");
  EXPECT_EQ(sends[1].json["text"]["body"], "Segunda");
}

TEST(KafkaFlow, MediaAreFetchedServedAndSentByThePartitionsOwnerFromTheSharedMediaDirectory) {
  fake_graph graph;
  graph.accept_token("EAAG-kafka-token");
  const std::string voice = "OggS" + std::string(3000, 'v');
  const auto provider_id = graph.add_media(voice, "audio/ogg");
  setenv("ATENDE_WHATSAPP_GRAPH_URL", graph.url().c_str(), 1);
  setenv("ATENDE_SECRET_KEY", std::string(64, '5').c_str(), 1);
  cluster k;
  ASSERT_FALSE(k.boot.empty());
  // The instances share one media directory, as on a network file system.
  const auto shared = k.dir.path() + "/shared-media";
  setenv("ATENDE_MEDIA_DIR", shared.c_str(), 1);
  auto a = k.instance("a");
  ASSERT_TRUE(serves_all(a->port(), 30s));
  auto admin = tenant_setup(a->port(), "acme");
  ASSERT_EQ(give_token(a->port(), admin).status, 200);
  auto in = json::parse(envelope("acme", "wamid.voice", ""));
  in["data"]["kind"] = "audio";
  in["data"]["media"] = {{"id", provider_id},
                         {"mime_type", "audio/ogg"},
                         {"sha256", sha256_hex(voice)},
                         {"voice", true}};
  kcat_produce(k.boot, "atende.inbound", {{"acme", in.dump()}});
  const auto id = sha256_hex(voice);
  std::string conv;
  auto media_of_first = [&](std::uint16_t port) {
    if (messages(port, admin, &conv).size() != 1) {
      return json::object();
    }
    auto c = owner_call(port, admin, "GET", "/v1/conversations/" + conv);
    return c.body["messages"][0].value("media", json::object());
  };
  ASSERT_TRUE(eventually(
    [&] { return media_of_first(a->port()).value("id", "") == id; }, 20s))
    << media_of_first(a->port()).dump() << " after "
    << graph.count_requests() << " requests to Meta";
  api on_a{a->port(), admin};
  auto got = on_a.raw("GET", "/v1/media/" + id, "", {});
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, voice);
  auto gets = [&] {
    std::size_t n = 0;
    for (const auto& r : graph.requests()) {
      n += r.method == "GET" ? 1 : 0;
    }
    return n;
  };
  const auto fetched = gets();
  EXPECT_EQ(fetched, 2u); // the media's URL, then its bytes

  // The partition moves. Its next owner restores the fetch from the
  // changelog but finds the media stored: it does not fetch it again, and
  // serves it from the shared directory.
  auto b = k.instance("b");
  unsetenv("ATENDE_WHATSAPP_GRAPH_URL");
  unsetenv("ATENDE_SECRET_KEY");
  unsetenv("ATENDE_MEDIA_DIR");
  a->kill9();
  ASSERT_TRUE(serves_all(b->port()));
  api on_b{b->port(), admin};
  auto again = on_b.raw("GET", "/v1/media/" + id, "", {});
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, voice);

  // An agent's photo, uploaded to the new owner, is uploaded to Meta and
  // sent by Meta's id.
  const std::string photo = "\xff\xd8\xff\xe0" + std::string(5000, 'p');
  auto up = on_b.post_text("/v1/media?filename=foto.jpg", photo, "image/jpeg");
  ASSERT_EQ(up.status, 201) << up.body.dump();
  auto sent = on_b.post("/v1/conversations/" + conv + "/messages",
                        {{"media", {{"id", up.body["id"]},
                                    {"caption", "Sua foto"}}}});
  ASSERT_EQ(sent.status, 201) << sent.body.dump();
  ASSERT_TRUE(graph.wait_sends(1, 20s));
  auto req = graph.sends().at(0).json;
  EXPECT_EQ(req["type"], "image");
  EXPECT_EQ(req["image"]["caption"], "Sua foto");
  auto uploaded = graph.uploaded(req["image"]["id"].get<std::string>());
  ASSERT_TRUE(uploaded.has_value()) << req.dump();
  EXPECT_EQ(uploaded->first, photo);
  EXPECT_EQ(gets(), fetched);
}

TEST(KafkaFlow, AStreamResumesAtTheTenantsNextOwnerWithNothingMissed) {
  cluster k;
  ASSERT_FALSE(k.boot.empty());
  auto a = k.instance("a");
  ASSERT_TRUE(serves_all(a->port(), 30s));
  auto admin = tenant_setup(a->port(), "acme");
  ASSERT_FALSE(
    first_conversation(k.boot, a->port(), admin, "wamid.s1", "Primeira")
      .empty());
  auto text_is = [](const std::string& t) {
    return [t](const json& d) { return d["message"]["text"] == t; };
  };
  std::string resume_at;
  {
    sse_client s{a->port(), "/v1/stream",
                 {{"Authorization", "Bearer " + admin}}};
    ASSERT_EQ(s.status(), 200) << s.head();
    kcat_produce(k.boot, "atende.inbound",
                 {{"acme", envelope("acme", "wamid.s2", "Segunda")}});
    ASSERT_FALSE(s.until("message.created", text_is("Segunda"), 20s).empty());
    resume_at = s.last_id();
  }
  ASSERT_FALSE(resume_at.empty());
  // The owner dies; a message arrives while the tenant moves.
  auto b = k.instance("b");
  a->kill9();
  kcat_produce(k.boot, "atende.inbound",
               {{"acme", envelope("acme", "wamid.s3", "Terceira")}});
  ASSERT_TRUE(serves_all(b->port()));
  sse_client r{b->port(), "/v1/stream",
               {{"Authorization", "Bearer " + admin},
                {"Last-Event-ID", resume_at}}};
  ASSERT_EQ(r.status(), 200) << r.head();
  auto seen = r.until("message.created", text_is("Terceira"), 30s);
  ASSERT_FALSE(seen.empty());
  for (const auto& f : seen) {
    if (f.event == "message.created") {
      // Nothing it had already: only the message after its position.
      EXPECT_EQ(f.data["message"]["text"], "Terceira");
    }
    EXPECT_NE(f.event, "reset");
  }
}


TEST(KafkaFlow, TheTenantsNextOwnerDeliversItsSubscriptionsWithNothingSkipped) {
  fake_receiver rx;
  setenv("ATENDE_SUBSCRIPTIONS_ALLOW_PRIVATE", "true", 1);
  setenv("ATENDE_SUBSCRIPTIONS_RETRY_BASE_MS", "50", 1);
  // One key for every instance: the next owner opens the sealed secret.
  setenv("ATENDE_SECRET_KEY", std::string(64, '5').c_str(), 1);
  cluster k;
  ASSERT_FALSE(k.boot.empty());
  auto a = k.instance("a");
  ASSERT_TRUE(serves_all(a->port(), 30s));
  auto admin = tenant_setup(a->port(), "acme");
  const std::string secret = "kafka-subscription-secret";
  auto sub = owner_call(a->port(), admin, "POST", "/v1/subscriptions",
                        {{"id", "crm"},
                         {"url", rx.url()},
                         {"events", {"message.created"}},
                         {"secret", secret}});
  ASSERT_EQ(sub.status, 201) << sub.body.dump();
  auto texts = [&rx] {
    std::map<std::string, std::string> by_id; // delivery id → text
    for (const auto& r : rx.delivered()) {
      by_id[r.json.value("id", "")] =
        r.json["data"]["message"].value("text", "");
    }
    std::multiset<std::string> out;
    for (const auto& [id, text] : by_id) {
      out.insert(text);
    }
    return out;
  };
  ASSERT_FALSE(
    first_conversation(k.boot, a->port(), admin, "wamid.d1", "Primeira")
      .empty());
  kcat_produce(k.boot, "atende.inbound",
               {{"acme", envelope("acme", "wamid.d2", "Segunda")}});
  ASSERT_TRUE(eventually([&] { return texts().size() == 2; }, 20s));
  // The owner dies; a message arrives while the tenant moves.
  auto b = k.instance("b");
  a->kill9();
  kcat_produce(k.boot, "atende.inbound",
               {{"acme", envelope("acme", "wamid.d3", "Terceira")}});
  ASSERT_TRUE(serves_all(b->port()));
  ASSERT_TRUE(eventually([&] { return texts().contains("Terceira"); }, 30s));
  unsetenv("ATENDE_SUBSCRIPTIONS_ALLOW_PRIVATE");
  unsetenv("ATENDE_SUBSCRIPTIONS_RETRY_BASE_MS");
  unsetenv("ATENDE_SECRET_KEY");
  // Each message once per delivery id (a repeat keeps its id), none missed,
  // every request signed with the subscription's secret.
  EXPECT_EQ(texts(), (std::multiset<std::string>{"Primeira", "Segunda",
                                                 "Terceira"}));
  for (const auto& r : rx.requests()) {
    EXPECT_TRUE(signature_valid(r, secret)) << r.body;
  }
  auto state = owner_call(b->port(), admin, "GET", "/v1/subscriptions/crm");
  ASSERT_EQ(state.status, 200) << state.body.dump();
  EXPECT_TRUE(state.body["delivery"].is_object()) << state.body.dump();
}

} // namespace

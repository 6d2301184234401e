// The command line: every command answers --help; a bad flag or value exits
// non-zero with a message naming it. `atende devbroker` runs a local
// Kafka-protocol broker that kcat can use and that answers control commands.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <poll.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/e2e/broker_process.h"
#include "tests/e2e/server_process.h"

namespace {

struct run_result {
  int code = -1;
  std::string output;
};

run_result run(const std::string& args) {
  std::string cmd = std::string{ATENDE_BINARY} + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  run_result r;
  std::array<char, 512> buf{};
  while (std::fgets(buf.data(), buf.size(), p) != nullptr) {
    r.output += buf.data();
  }
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(Cli, EveryCommandAnswersHelp) {
  for (const char* c : {"serve", "replay", "devbroker", "loadgen"}) {
    auto r = run(std::string{c} + " --help");
    EXPECT_EQ(r.code, 0) << c;
    EXPECT_NE(r.output.find("usage: atende"), std::string::npos) << c;
  }
  EXPECT_EQ(run("--help").code, 0);
}

TEST(Cli, UnknownFlagIsNamed) {
  auto r = run("serve --bogus 1");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("--bogus"), std::string::npos) << r.output;
}

TEST(Cli, BadValueIsNamed) {
  auto r = run("serve --partitions 0 --data /tmp/atende-cli-unused");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("--partitions"), std::string::npos) << r.output;
  auto l = run("serve --listen nowhere --data /tmp/atende-cli-unused");
  EXPECT_EQ(l.code, 2);
  EXPECT_NE(l.output.find("listen"), std::string::npos) << l.output;
}

TEST(Cli, UnknownCommandFails) {
  auto r = run("frobnicate");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("frobnicate"), std::string::npos);
}

// --- devbroker --------------------------------------------------------------

using namespace std::chrono_literals;
using atende::test::broker_process;
using clock_type = std::chrono::steady_clock;

/// read_when_ready polls for `path` until it exists or `within` passes.
std::string read_when_ready(const std::string& path,
                            std::chrono::milliseconds within) {
  auto deadline = clock_type::now() + within;
  while (clock_type::now() < deadline) {
    if (std::filesystem::exists(path)) {
      std::ifstream in{path};
      std::string line;
      std::getline(in, line);
      return line;
    }
    std::this_thread::sleep_for(10ms);
  }
  return {};
}

/// kcat runs kcat with `args`, killed after 30 s at the latest; stdout only.
run_result kcat(const std::string& args, const std::string& input = {}) {
  std::string cmd = "timeout 30 /usr/bin/kcat " + args;
  if (!input.empty()) {
    cmd = "printf '%s\\n' '" + input + "' | " + cmd;
  }
  FILE* p = popen(cmd.c_str(), "r");
  run_result r;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p) != nullptr) {
    r.output += buf.data();
  }
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(Devbroker, PrintsABootstrapAddressThatKcatCanProduceToAndConsumeFrom) {
  atende::test::temp_dir dir;
  auto file = dir.path() + "/bootstrap";
  broker_process broker({"--bootstrap-file", file});
  auto boot = read_when_ready(file, 10s);
  ASSERT_FALSE(boot.empty());
  EXPECT_EQ(broker.bootstrap(), boot);
  EXPECT_FALSE(std::filesystem::exists(file + ".tmp"));

  auto produce = kcat("-b " + boot + " -m 10 -P -t atende.inbound -p 0",
                      "hello from kcat");
  ASSERT_EQ(produce.code, 0) << produce.output;
  auto consume = kcat("-b " + boot +
                      " -m 10 -C -t atende.inbound -p 0 -o beginning -c 1 -e");
  ASSERT_EQ(consume.code, 0) << consume.output;
  EXPECT_EQ(consume.output, "hello from kcat\n");
}

TEST(Devbroker, CreatesEveryTopicWithTheAskedPartitions) {
  broker_process broker({"--partitions", "6", "--brokers", "3",
                         "--topic-prefix", "t1."});
  auto boot = broker.bootstrap();
  ASSERT_FALSE(boot.empty());
  auto meta = kcat("-b " + boot + " -m 10 -L -J");
  ASSERT_EQ(meta.code, 0) << meta.output;
  auto doc = nlohmann::json::parse(meta.output, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << meta.output;
  std::map<std::string, std::size_t> partitions;
  for (const auto& t : doc["topics"]) {
    partitions[t["topic"].get<std::string>()] = t["partitions"].size();
  }
  std::map<std::string, std::size_t> want{
    {"t1.inbound", 6},  {"t1.commands", 6},  {"t1.events", 6},
    {"t1.outbound", 6}, {"t1.changelog", 6}, {"t1.members", 1}};
  EXPECT_EQ(partitions, want) << meta.output;
  EXPECT_EQ(doc["brokers"].size(), 3u) << meta.output;
}

TEST(Devbroker, AnswersControlCommandsOnStdin) {
  broker_process broker({"--brokers", "2"});
  ASSERT_FALSE(broker.bootstrap().empty());
  for (const auto& [command, reply] :
       std::vector<std::pair<std::string, std::string>>{
         {"down 1", "ok"},
         {"up 1", "ok"},
         {"rtt 2 5", "ok"},
         {"error Produce 2 NOT_LEADER_FOR_PARTITION", "ok"},
         {"error Fetch 1 7", "ok"},
         {"topic extra.topic 3", "ok"},
         {"down 3", "error: broker id '3' is not between 1 and 2"},
         {"error Frobnicate 1 6", "error: unknown API 'Frobnicate'"},
         {"bogus", "error: unknown command 'bogus'"}}) {
    ASSERT_TRUE(broker.send(command));
    EXPECT_EQ(broker.read_line(10s), reply) << command;
  }
  ASSERT_TRUE(broker.send("help"));
  auto list = broker.read_line(10s);
  ASSERT_TRUE(list.has_value());
  EXPECT_TRUE(list->starts_with("commands: ")) << *list;
  EXPECT_EQ(broker.read_line(10s), "ok");
}

TEST(Devbroker, ABadFlagExitsNonZeroNamingIt) {
  auto r = run("devbroker --partitions 0");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("--partitions: must be an integer between 1 and 256"),
            std::string::npos)
    << r.output;
  auto b = run("devbroker --brokers 10");
  EXPECT_EQ(b.code, 2);
  EXPECT_NE(b.output.find("--brokers"), std::string::npos) << b.output;
  auto u = run("devbroker --bogus");
  EXPECT_EQ(u.code, 2);
  EXPECT_NE(u.output.find("--bogus"), std::string::npos) << u.output;
}

TEST(Devbroker, StopsOnSigterm) {
  broker_process broker(std::vector<std::string>{});
  ASSERT_FALSE(broker.bootstrap().empty());
  auto status = broker.stop(SIGTERM, 10s);
  ASSERT_TRUE(status.has_value()) << "still running 10 s after SIGTERM";
  ASSERT_TRUE(WIFEXITED(*status));
  EXPECT_EQ(WEXITSTATUS(*status), 0);
}

} // namespace

// The command line: every command answers --help; a bad flag or value exits
// non-zero with a message naming it.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

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

} // namespace

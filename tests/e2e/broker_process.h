// broker_process: `atende devbroker ARGS` as a child process for tests, with
// pipes on its stdin (control commands) and stdout (answers).
#pragma once

#include <chrono>
#include <csignal>
#include <optional>
#include <poll.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace atende::test {

using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;


/// broker_process: `atende devbroker ARGS` as a child with pipes on its stdin
/// and stdout (stderr is the test's); killed in the destructor.
class broker_process {
public:
  explicit broker_process(const std::vector<std::string>& args) {
    std::signal(SIGPIPE, SIG_IGN);  // a dead child must fail a test, not end it
    int in[2];
    int out[2];
    if (pipe(in) != 0 || pipe(out) != 0) {
      return;
    }
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], STDIN_FILENO);
      dup2(out[1], STDOUT_FILENO);
      for (int fd : {in[0], in[1], out[0], out[1]}) {
        close(fd);
      }
      std::vector<char*> argv{const_cast<char*>(ATENDE_BINARY),
                              const_cast<char*>("devbroker")};
      for (const auto& a : args) {
        argv.push_back(const_cast<char*>(a.c_str()));
      }
      argv.push_back(nullptr);
      execv(ATENDE_BINARY, argv.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    in_ = in[1];
    out_ = out[0];
  }
  ~broker_process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    for (int fd : {in_, out_}) {
      if (fd >= 0) {
        close(fd);
      }
    }
  }
  broker_process(const broker_process&) = delete;
  broker_process& operator=(const broker_process&) = delete;

  bool send(const std::string& line) {
    std::string s = line + "\n";
    return write(in_, s.data(), s.size()) == static_cast<ssize_t>(s.size());
  }

  /// read_line returns the next stdout line, or nothing once `within` passed
  /// or the child closed its stdout.
  std::optional<std::string> read_line(std::chrono::milliseconds within) {
    auto deadline = clock_type::now() + within;
    for (;;) {
      if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
        auto line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - clock_type::now());
      pollfd p{out_, POLLIN, 0};
      if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) {
        return std::nullopt;
      }
      char buf[1024];
      auto n = read(out_, buf, sizeof buf);
      if (n <= 0) {
        return std::nullopt;
      }
      buffer_.append(buf, static_cast<std::size_t>(n));
    }
  }

  /// bootstrap reads the `bootstrap: ...` line and returns the address list.
  std::string bootstrap() {
    auto line = read_line(10s);
    const std::string prefix = "bootstrap: ";
    if (!line || !line->starts_with(prefix)) {
      return {};
    }
    return line->substr(prefix.size());
  }

  /// stop sends `sig` and returns the wait status, or nothing if the child
  /// did not end within `within` (the destructor then kills it).
  std::optional<int> stop(int sig, std::chrono::milliseconds within) {
    ::kill(pid_, sig);
    auto deadline = clock_type::now() + within;
    while (clock_type::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return status;
      }
      std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
  }

private:
  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  std::string buffer_;
};


} // namespace atende::test

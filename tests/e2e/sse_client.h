// sse_client: a Server-Sent Events client for the tests, over a plain
// loopback socket: it sends the request, reads the head and then parses
// frames (event, data, id; comment lines counted) as they arrive.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace atende::test {

struct sse_frame {
  std::string event;
  nlohmann::json data;
  std::string id; // "" when the frame carried none
};

class sse_client {
public:
  /// The constructor connects and sends GET `target` with `headers`.
  /// `rcvbuf` > 0 sets the socket's receive buffer (a client that reads
  /// little and slowly).
  sse_client(std::uint16_t port, const std::string& target,
             const std::vector<std::pair<std::string, std::string>>& headers,
             int rcvbuf = 0)
  {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (rcvbuf > 0) {
      (void)::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    }
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd_);
      fd_ = -1;
      return;
    }
    std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Accept: text/event-stream\r\nConnection: close\r\n";
    for (const auto& [k, v] : headers) {
      req += k + ": " + v + "\r\n";
    }
    req += "\r\n";
    (void)::send(fd_, req.data(), req.size(), MSG_NOSIGNAL);
  }
  ~sse_client() { close(); }
  sse_client(const sse_client&) = delete;
  sse_client& operator=(const sse_client&) = delete;

  void close() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

  /// status reads the head and returns its status (0: none within
  /// `within`); `body` gets what followed a non-200 head.
  int status(std::chrono::milliseconds within = std::chrono::seconds{10}) {
    const auto end = std::chrono::steady_clock::now() + within;
    while (buf_.find("\r\n\r\n") == std::string::npos) {
      if (!fill(end)) {
        return 0;
      }
    }
    auto head_end = buf_.find("\r\n\r\n");
    head_ = buf_.substr(0, head_end);
    buf_.erase(0, head_end + 4);
    auto sp = head_.find(' ');
    return sp == std::string::npos ? 0 : std::stoi(head_.substr(sp + 1, 3));
  }

  [[nodiscard]] const std::string& head() const { return head_; }

  /// rest reads until the server closes (or `within` passes): a non-200
  /// answer's body.
  std::string rest(std::chrono::milliseconds within = std::chrono::seconds{5}) {
    const auto end = std::chrono::steady_clock::now() + within;
    while (fill(end)) {
    }
    return std::exchange(buf_, {});
  }

  /// next returns the next frame, skipping comments, or nullopt when none
  /// arrives within `within` or the stream ended.
  std::optional<sse_frame> next(
      std::chrono::milliseconds within = std::chrono::seconds{10}) {
    const auto end = std::chrono::steady_clock::now() + within;
    for (;;) {
      auto at = buf_.find("\n\n");
      if (at != std::string::npos) {
        auto block = buf_.substr(0, at);
        buf_.erase(0, at + 2);
        sse_frame f;
        bool any = false;
        std::size_t pos = 0;
        while (pos <= block.size()) {
          auto nl = block.find('\n', pos);
          auto line = block.substr(pos, nl == std::string::npos
                                          ? std::string::npos
                                          : nl - pos);
          pos = nl == std::string::npos ? block.size() + 1 : nl + 1;
          if (line.starts_with(":")) {
            ++comments_;
          } else if (line.starts_with("event: ")) {
            f.event = line.substr(7);
            any = true;
          } else if (line.starts_with("data: ")) {
            f.data = nlohmann::json::parse(line.substr(6), nullptr, false);
          } else if (line.starts_with("id: ")) {
            f.id = line.substr(4);
          }
        }
        if (any) {
          if (!f.id.empty()) {
            last_id_ = f.id;
          }
          return f;
        }
        continue;
      }
      if (!fill(end)) {
        return std::nullopt;
      }
    }
  }

  /// until reads frames until one of type `event` whose data satisfies
  /// `ok`, and returns every frame read (empty when it never came).
  template <class F>
  std::vector<sse_frame> until(const std::string& event, F ok,
                               std::chrono::milliseconds within =
                                 std::chrono::seconds{10}) {
    std::vector<sse_frame> seen;
    const auto end = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < end) {
      auto f = next(std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now()));
      if (!f) {
        break;
      }
      seen.push_back(*f);
      if (f->event == event && ok(f->data)) {
        return seen;
      }
    }
    return {};
  }

  [[nodiscard]] const std::string& last_id() const { return last_id_; }
  [[nodiscard]] int comments() const { return comments_; }
  /// ended: the server closed the connection.
  [[nodiscard]] bool ended() const { return ended_; }

private:
  bool fill(std::chrono::steady_clock::time_point end) {
    if (fd_ < 0 || ended_) {
      return false;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      end - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return false;
    }
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      return false;
    }
    char b[65536];
    auto n = ::recv(fd_, b, sizeof b, 0);
    if (n <= 0) {
      ended_ = true;
      return false;
    }
    buf_.append(b, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buf_, head_, last_id_;
  int comments_ = 0;
  bool ended_ = false;
};

} // namespace atende::test

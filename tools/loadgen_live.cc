// loadgen_live: the live-update scenarios of `atende loadgen`.
//
//   deliveries: a receiver of its own (HTTP/1.1 on 127.0.0.1, keep-alive, one
//     epoll thread, every signature checked) gets S subscriptions'
//     deliveries of N ingested messages. It prints deliveries/s (first to
//     last delivery) and the latency from the reply to each ingest batch
//     (the batch is committed) to each of its messages' deliveries.
//   streams: M streams (`GET /v1/stream?status=open`) of 100 agents in 10
//     teams, each team with its channel, read by one epoll thread; messages
//     posted at R/s for D seconds (batches every 10 ms), each to one team:
//     the latency from each message's request to each of its
//     message.created frames (an upper bound of commit to delivery).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <strings.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "gateways/crypto.h"
#include "tools/loadgen.h"

namespace atende::tools::load {

namespace {

using clock_type = std::chrono::steady_clock;
using json = nlohmann::json;

double ms_between(clock_type::time_point a, clock_type::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

/// order_number reads k from text holding "order number k".
std::int64_t order_number(std::string_view text) {
  static constexpr std::string_view mark = "order number ";
  auto at = text.find(mark);
  if (at == std::string_view::npos) {
    return -1;
  }
  std::int64_t k = 0;
  bool any = false;
  for (auto i = at + mark.size(); i < text.size() && text[i] >= '0' &&
                                  text[i] <= '9';
       ++i) {
    k = k * 10 + (text[i] - '0');
    any = true;
  }
  return any ? k : -1;
}

void set_nonblocking(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
  int one = 1;
  (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/// receiver: an HTTP/1.1 server on 127.0.0.1 answering every request 200,
/// handing each (headers, body) to `on_request` on its one thread.
class receiver {
public:
  using handler = std::function<void(std::string_view head,
                                     std::string_view body)>;
  explicit receiver(handler h) : on_request_(std::move(h)) {
    listen_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    (void)::setsockopt(listen_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(listen_, 512) != 0) {
      return;
    }
    socklen_t len = sizeof a;
    ::getsockname(listen_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    set_nonblocking(listen_);
    ep_ = ::epoll_create1(0);
    add(listen_);
    thread_ = std::thread([this] { run(); });
  }
  ~receiver() {
    stop_ = true;
    if (thread_.joinable()) {
      thread_.join();
    }
    for (auto& [fd, buf] : conns_) {
      ::close(fd);
    }
    ::close(listen_);
    if (ep_ >= 0) {
      ::close(ep_);
    }
  }
  std::uint16_t port() const { return port_; }

private:
  void add(int fd) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    ::epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
  }

  void run() {
    std::vector<epoll_event> evs(256);
    char chunk[65536];
    while (!stop_) {
      int n = ::epoll_wait(ep_, evs.data(), static_cast<int>(evs.size()), 100);
      for (int i = 0; i < n; ++i) {
        int fd = evs[static_cast<std::size_t>(i)].data.fd;
        if (fd == listen_) {
          while (true) {
            int c = ::accept(listen_, nullptr, nullptr);
            if (c < 0) {
              break;
            }
            set_nonblocking(c);
            conns_[c];
            add(c);
          }
          continue;
        }
        auto& buf = conns_[fd];
        bool closed = false;
        while (true) {
          auto got = ::read(fd, chunk, sizeof chunk);
          if (got > 0) {
            buf.append(chunk, static_cast<std::size_t>(got));
            continue;
          }
          closed = got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
          break;
        }
        serve(fd, buf);
        if (closed) {
          ::close(fd);
          conns_.erase(fd);
        }
      }
    }
  }

  void serve(int fd, std::string& buf) {
    static constexpr std::string_view ok =
      "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    std::size_t at = 0;
    while (true) {
      auto end = buf.find("\r\n\r\n", at);
      if (end == std::string::npos) {
        break;
      }
      std::string_view head{buf.data() + at, end - at};
      std::size_t length = 0;
      for (std::size_t p = 0; p < head.size();) {
        auto e = head.find("\r\n", p);
        auto line = head.substr(p, e == std::string_view::npos ? head.npos
                                                               : e - p);
        if (line.size() > 15 && (line[0] == 'C' || line[0] == 'c') &&
            strncasecmp(line.data(), "content-length:", 15) == 0) {
          length = std::strtoull(std::string{line.substr(15)}.c_str(),
                                 nullptr, 10);
        }
        if (e == std::string_view::npos) {
          break;
        }
        p = e + 2;
      }
      if (buf.size() < end + 4 + length) {
        break;
      }
      on_request_(head, std::string_view{buf.data() + end + 4, length});
      (void)::write(fd, ok.data(), ok.size());
      at = end + 4 + length;
    }
    buf.erase(0, at);
  }

  handler on_request_;
  int listen_ = -1;
  int ep_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::unordered_map<int, std::string> conns_;
};

std::string header_value(std::string_view head, std::string_view name) {
  for (std::size_t p = 0; p < head.size();) {
    auto e = head.find("\r\n", p);
    auto line = head.substr(p, e == std::string_view::npos ? head.npos : e - p);
    if (line.size() > name.size() && line[name.size()] == ':' &&
        strncasecmp(line.data(), name.data(), name.size()) == 0) {
      auto v = line.substr(name.size() + 1);
      while (!v.empty() && v.front() == ' ') {
        v.remove_prefix(1);
      }
      return std::string{v};
    }
    if (e == std::string_view::npos) {
      break;
    }
    p = e + 2;
  }
  return {};
}

bool signature_ok(const std::string& header, std::string_view body,
                  const std::string& secret) {
  auto t = header.find("t=");
  auto v = header.find(",v1=");
  if (t != 0 || v == std::string::npos) {
    return false;
  }
  auto ts = header.substr(2, v - 2);
  std::string signed_text = ts + ".";
  signed_text.append(body);
  return constant_time_equal(hmac_sha256_hex(secret, signed_text),
                             header.substr(v + 4));
}

} // namespace

int deliveries(const target& t, const setup_result& s, const flags& f) {
  const auto subs = std::stoul(f.get("subscriptions", "4"));
  const auto total = std::stoull(f.get("events", "20000"));
  const auto batch = std::stoull(f.get("batch", "100"));
  const auto k = std::stoul(f.get("concurrency", "2"));
  const std::string secret = "loadgen-secret-0123456789abcdef";
  const auto expected = total * subs;

  std::mutex mtx;
  std::unordered_set<std::string> ids;
  std::vector<std::pair<std::int64_t, clock_type::time_point>> arrivals;
  arrivals.reserve(expected);
  std::uint64_t repeats = 0, bad_signatures = 0;
  clock_type::time_point first{}, last{};
  receiver rx([&](std::string_view head, std::string_view body) {
    const auto now = clock_type::now();
    const bool signed_ok = signature_ok(
      header_value(head, "X-Atende-Signature"), body, secret);
    const auto id = header_value(head, "X-Atende-Delivery");
    const auto number = order_number(body);
    std::lock_guard g{mtx};
    if (!signed_ok) {
      ++bad_signatures;
    }
    if (!ids.insert(id).second) {
      ++repeats;
      return;
    }
    if (arrivals.empty()) {
      first = now;
    }
    last = now;
    arrivals.emplace_back(number, now);
  });
  if (rx.port() == 0) {
    std::fprintf(stderr, "loadgen: the receiver cannot listen\n");
    return 1;
  }
  http_client admin{t.host, t.port};
  for (unsigned long i = 0; i < subs; ++i) {
    auto r = call(admin, "POST", "/v1/subscriptions",
                  {{"id", "load-" + std::to_string(i)},
                   {"url", "http://127.0.0.1:" + std::to_string(rx.port()) +
                             "/hook/" + std::to_string(i)},
                   {"events", {"message.created"}},
                   {"secret", secret}},
                  s.admin_token, 201);
    if (!r) {
      std::fprintf(stderr,
                   "loadgen: POST /v1/subscriptions: %s (does the server "
                   "run with ATENDE_SUBSCRIPTIONS_ALLOW_PRIVATE=true?)\n",
                   r.error().message.c_str());
      return 1;
    }
  }
  // Each batch's reply time: its messages are committed by then.
  std::vector<clock_type::time_point> acked(total);
  const auto base = now_ms() - 3600 * 1000;
  latencies ingest_lat;
  const auto t0 = clock_type::now();
  double secs = run_clients(
    t, k, ingest_lat, [&](http_client& c, std::uint64_t i, bool& ok) {
      auto from = i * batch;
      if (from >= total) {
        return false;
      }
      auto n = std::min<std::uint64_t>(batch, total - from);
      ok = check(c.request("POST", "/v1/events",
                           envelopes(s.tenant, from, n, total, base),
                           s.admin_token),
                 202, "POST /v1/events");
      auto now = clock_type::now();
      for (auto j = from; j < from + n; ++j) {
        acked[j] = now;
      }
      return true;
    });
  if (secs < 0) {
    return 1;
  }
  std::fprintf(stderr, "loadgen: %llu messages ingested in %.1f s\n",
               static_cast<unsigned long long>(total), secs);
  // Wait for every delivery, saying how far it got.
  auto deadline = clock_type::now() + std::chrono::minutes{10};
  std::size_t got = 0, seen = 0;
  auto stalled_since = clock_type::now();
  while (clock_type::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::seconds{1});
    {
      std::lock_guard g{mtx};
      got = arrivals.size();
    }
    std::fprintf(stderr, "loadgen: %zu of %llu deliveries\n", got,
                 static_cast<unsigned long long>(expected));
    if (got >= expected) {
      break;
    }
    if (got != seen) {
      seen = got;
      stalled_since = clock_type::now();
    } else if (clock_type::now() - stalled_since > std::chrono::seconds{30}) {
      break;
    }
  }
  std::lock_guard g{mtx};
  latencies lat;
  for (const auto& [number, at] : arrivals) {
    if (number >= 0 && static_cast<std::uint64_t>(number) < total) {
      lat.ms.push_back(std::max(0.0, ms_between(acked[static_cast<std::size_t>(
                                                  number)],
                                                at)));
    }
  }
  const double span = std::max(1e-9, ms_between(first, last) / 1000.0);
  std::printf("deliveries: %lu subscriptions, %llu messages (%lu clients, "
              "batches of %llu)\n",
              subs, static_cast<unsigned long long>(total), k,
              static_cast<unsigned long long>(batch));
  report("deliveries", arrivals.size(), "deliveries", span, lat);
  std::printf("deliveries: from the first request to the last delivery "
              "%.2f s; repeats %llu; bad signatures %llu; missing %llu\n",
              ms_between(t0, last) / 1000.0,
              static_cast<unsigned long long>(repeats),
              static_cast<unsigned long long>(bad_signatures),
              static_cast<unsigned long long>(expected > arrivals.size()
                                                ? expected - arrivals.size()
                                                : 0));
  return arrivals.size() >= expected && bad_signatures == 0 ? 0 : 1;
}

namespace {

/// fan_in: M Server-Sent Events streams read by one epoll thread; each
/// message.created frame's order number and arrival go to `on_frame`.
class fan_in {
public:
  using handler = std::function<void(std::int64_t, clock_type::time_point)>;
  fan_in(const target& t, const std::vector<std::string>& requests,
         handler h)
    : on_frame_(std::move(h)) {
    ep_ = ::epoll_create1(0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(t.port);
    ::inet_pton(AF_INET, t.host == "localhost" ? "127.0.0.1" : t.host.c_str(),
                &a.sin_addr);
    for (const auto& req : requests) {
      int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
          ::write(fd, req.data(), req.size()) !=
            static_cast<ssize_t>(req.size())) {
        ::close(fd);
        ++failed_;
        continue;
      }
      set_nonblocking(fd);
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.fd = fd;
      ::epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
      conns_[fd];
    }
    thread_ = std::thread([this] { run(); });
  }
  ~fan_in() {
    stop_ = true;
    if (thread_.joinable()) {
      thread_.join();
    }
    for (auto& [fd, c] : conns_) {
      ::close(fd);
    }
    ::close(ep_);
  }
  std::size_t failed() const { return failed_; }
  std::size_t open() const { return conns_.size() - closed_; }
  std::size_t started() const { return started_; }

private:
  struct conn {
    std::string buf;
    bool head = false;
    bool created = false; // the frame being read is a message.created
  };

  void run() {
    std::vector<epoll_event> evs(512);
    char chunk[65536];
    while (!stop_) {
      int n = ::epoll_wait(ep_, evs.data(), static_cast<int>(evs.size()), 100);
      const auto now = clock_type::now();
      for (int i = 0; i < n; ++i) {
        int fd = evs[static_cast<std::size_t>(i)].data.fd;
        auto& c = conns_[fd];
        while (true) {
          auto got = ::read(fd, chunk, sizeof chunk);
          if (got > 0) {
            c.buf.append(chunk, static_cast<std::size_t>(got));
            continue;
          }
          if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            ::epoll_ctl(ep_, EPOLL_CTL_DEL, fd, nullptr);
            ++closed_;
          }
          break;
        }
        lines(c, now);
      }
    }
  }

  void lines(conn& c, clock_type::time_point now) {
    std::size_t at = 0;
    if (!c.head) {
      auto end = c.buf.find("\r\n\r\n");
      if (end == std::string::npos) {
        return;
      }
      c.head = true;
      ++started_;
      at = end + 4;
    }
    while (true) {
      auto e = c.buf.find('\n', at);
      if (e == std::string::npos) {
        break;
      }
      std::string_view line{c.buf.data() + at, e - at};
      if (line.starts_with("event: ")) {
        c.created = line == "event: message.created";
      } else if (line.starts_with("data: ") && c.created) {
        on_frame_(order_number(line), now);
      } else if (line.empty()) {
        c.created = false;
      }
      at = e + 1;
    }
    c.buf.erase(0, at);
  }

  handler on_frame_;
  int ep_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::unordered_map<int, conn> conns_;
  std::size_t failed_ = 0;
  std::atomic<std::size_t> closed_{0}, started_{0};
};

} // namespace

int streams(const target& t, const std::string& root, const flags& f) {
  const auto m = std::stoul(f.get("streams", "1000"));
  const auto rate = std::stoull(f.get("rate", "1000"));
  const auto seconds = std::stoull(f.get("seconds", "20"));
  constexpr int teams = 10, per_team = 10;
  http_client c{t.host, t.port};
  auto suffix = random_token();
  if (!suffix) {
    return 1;
  }
  const auto tenant = "live-" + suffix->substr(0, 8);
  auto ten = call(c, "POST", "/v1/tenants",
                  {{"id", tenant}, {"name", "Live load"}}, root, 201);
  if (!ten) {
    std::fprintf(stderr, "loadgen: %s\n", ten.error().message.c_str());
    return 1;
  }
  const std::string admin = (*ten)["admin"]["token"];
  std::vector<std::string> tokens;
  for (int i = 0; i < teams; ++i) {
    auto team = "team" + std::to_string(i);
    auto num = std::to_string(5511900000100LL + i);
    for (auto [path, body] :
         {std::pair{"/v1/teams",
                    json{{"id", team}, {"name", team}, {"max_per_agent", 1000000}}},
          std::pair{"/v1/channels",
                    json{{"id", "wa" + std::to_string(i)}, {"kind", "whatsapp"},
                         {"name", team}, {"phone", num},
                         {"default_team", team}}}}) {
      if (auto r = call(c, "POST", path, body, admin, 201); !r) {
        std::fprintf(stderr, "loadgen: %s\n", r.error().message.c_str());
        return 1;
      }
    }
    for (int j = 0; j < per_team; ++j) {
      auto a = call(c, "POST", "/v1/agents",
                    {{"id", team + "-agent" + std::to_string(j)},
                     {"name", "Agent"},
                     {"role", "agent"},
                     {"teams", {team}}},
                    admin, 201);
      if (!a) {
        std::fprintf(stderr, "loadgen: %s\n", a.error().message.c_str());
        return 1;
      }
      tokens.push_back((*a)["token"]);
    }
  }
  std::vector<std::string> requests;
  for (unsigned long i = 0; i < m; ++i) {
    requests.push_back("GET /v1/stream?status=open&access_token=" +
                       tokens[i % tokens.size()] +
                       " HTTP/1.1\r\nHost: loadgen\r\n\r\n");
  }
  const auto total = rate * seconds;
  std::vector<clock_type::time_point> sent(total), acked(total);
  std::vector<std::pair<std::int64_t, clock_type::time_point>> arrivals;
  arrivals.reserve(total * per_team * (m / tokens.size()));
  std::mutex mtx;
  latencies lat;
  std::uint64_t frames = 0;
  fan_in in(t, requests, [&](std::int64_t k, clock_type::time_point at) {
    if (k < 0 || static_cast<std::uint64_t>(k) >= total) {
      return;
    }
    std::lock_guard g{mtx};
    ++frames;
    arrivals.emplace_back(k, at);
  });
  for (int i = 0; i < 200 && in.started() + in.failed() < m; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  std::fprintf(stderr, "loadgen: %zu streams open, %zu refused\n",
               in.started(), m - in.started());
  // Messages from `rate` customers a second, each team's channel in turn:
  // every message reaches the streams of its team's 10 agents.
  const auto per_tick = std::max<std::uint64_t>(1, rate / 100);
  const auto base = now_ms() - 3600 * 1000;
  auto next = clock_type::now();
  http_client poster{t.host, t.port};
  latencies post_lat; // each batch's request to its reply (committed)
  std::uint64_t posted = 0;
  while (posted < total) {
    const auto n = std::min<std::uint64_t>(per_tick, total - posted);
    std::string body = "[";
    for (std::uint64_t j = posted; j < posted + n; ++j) {
      char buf[512];
      std::snprintf(
        buf, sizeof buf,
        "%s{\"id\":\"live.%llu\",\"type\":\"message.received\","
        "\"tenant\":\"%s\",\"at\":\"%s\",\"data\":{\"channel\":\"wa%llu\","
        "\"from\":\"%llu\",\"message_id\":\"live.%llu\",\"kind\":\"text\","
        "\"text\":\"Hello, order number %llu\"}}",
        j == posted ? "" : ",", static_cast<unsigned long long>(j),
        tenant.c_str(), format_time(base + static_cast<timestamp>(j)).c_str(),
        static_cast<unsigned long long>(j % teams),
        static_cast<unsigned long long>(5511000000000ULL + j),
        static_cast<unsigned long long>(j), static_cast<unsigned long long>(j));
      body += buf;
    }
    body += "]";
    const auto now = clock_type::now();
    for (auto j = posted; j < posted + n; ++j) {
      sent[j] = now;
    }
    if (!check(poster.request("POST", "/v1/events", body, admin), 202,
               "POST /v1/events")) {
      return 1;
    }
    const auto replied = clock_type::now();
    post_lat.ms.push_back(ms_between(now, replied));
    for (auto j = posted; j < posted + n; ++j) {
      acked[j] = replied;
    }
    posted += n;
    next += std::chrono::milliseconds{10};
    std::this_thread::sleep_until(next);
  }
  // The last frames: at most a few seconds more.
  const auto expected = total * per_team * (m / tokens.size());
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard g{mtx};
      if (frames >= expected) {
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  std::lock_guard g{mtx};
  latencies after_reply; // from the reply (committed) to the frame
  for (const auto& [k, at] : arrivals) {
    const auto i = static_cast<std::size_t>(k);
    lat.ms.push_back(std::max(0.0, ms_between(sent[i], at)));
    after_reply.ms.push_back(std::max(0.0, ms_between(acked[i], at)));
  }
  std::printf("streams: %zu open (%zu still at the end), %llu messages at "
              "%llu/s, each to %llu streams\n",
              in.started(), in.open(), static_cast<unsigned long long>(total),
              static_cast<unsigned long long>(rate),
              static_cast<unsigned long long>(per_team * (m / tokens.size())));
  report("streams", frames, "frames", static_cast<double>(seconds), lat);
  report("streams: ingest", total / per_tick, "requests",
         static_cast<double>(seconds), post_lat);
  report("streams: reply to frame", frames, "frames",
         static_cast<double>(seconds), after_reply);
  std::printf("streams: message.created frames %llu of %llu expected\n",
              static_cast<unsigned long long>(frames),
              static_cast<unsigned long long>(expected));
  return 0;
}

} // namespace atende::tools::load

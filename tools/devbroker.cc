// devbroker: a local Kafka-protocol broker for development (CONTRACT
// section 1). It runs librdkafka's mock cluster in memory, creates the
// engine's topics, prints `bootstrap: HOST:PORT,...` on stdout and then
// answers control commands read from stdin (one per line, each answered by
// `ok` or `error: <why>`) until SIGINT or SIGTERM.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <poll.h>
#include <pthread.h>
#include <string>
#include <string_view>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "tools/commands.h"
#include "tools/flags.h"

namespace atende::tools {

namespace {

constexpr const char* devbroker_help =
  "usage: atende devbroker [--brokers N] [--partitions P] "
  "[--topic-prefix PREFIX] [--bootstrap-file FILE]\n\n"
  "A local Kafka-protocol broker (librdkafka's mock cluster), in memory only.\n"
  "It creates the topics PREFIX{inbound,commands,events,outbound,changelog}\n"
  "with P partitions and PREFIXmembers with 1, prints one line\n"
  "`bootstrap: HOST:PORT[,HOST:PORT...]` on stdout and runs until SIGINT or\n"
  "SIGTERM.\n\n"
  "  --brokers N            brokers in the cluster, 1..9 (default 1)\n"
  "  --partitions P         partitions per topic, 1..256 (default 4)\n"
  "  --topic-prefix PREFIX  topic name prefix (default atende.)\n"
  "  --bootstrap-file FILE  also write the bootstrap list to FILE\n"
  "                         (written whole: FILE.tmp, then renamed)\n\n"
  "Control commands, one per line on stdin; each answers `ok` or\n"
  "`error: <why>` on stdout (EOF on stdin only ends the commands):\n"
  "  down ID                  broker ID (1..N) drops connections, refuses new\n"
  "  up ID                    broker ID accepts connections again\n"
  "  rtt ID MS                broker ID answers MS milliseconds late\n"
  "  error API COUNT CODE     the next COUNT requests of API fail with CODE\n"
  "                           API: Produce Fetch ListOffsets Metadata\n"
  "                           OffsetCommit OffsetFetch FindCoordinator\n"
  "                           JoinGroup Heartbeat LeaveGroup SyncGroup\n"
  "                           InitProducerId; CODE: a number or one of\n"
  "                           NOT_LEADER_FOR_PARTITION REQUEST_TIMED_OUT\n"
  "                           LEADER_NOT_AVAILABLE NOT_ENOUGH_REPLICAS\n"
  "                           NOT_COORDINATOR COORDINATOR_NOT_AVAILABLE\n"
  "  topic NAME PARTITIONS    create one more topic\n"
  "  help                     list the commands\n";

constexpr const char* commands_line =
  "commands: down ID | up ID | rtt ID MS | error API COUNT CODE | "
  "topic NAME PARTITIONS | help";

constexpr std::string_view topic_suffixes[] = {"inbound", "commands", "events",
                                               "outbound", "changelog"};

struct options {
  int brokers = 1;
  int partitions = 4;
  std::string prefix = "atende.";
  std::string bootstrap_file;
};

/// parse_int reads a whole decimal integer; anything else is nullopt.
std::optional<long> parse_int(std::string_view s) {
  long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) {
    return std::nullopt;
  }
  return v;
}

std::optional<int> parse_in_range(std::string_view s, long lo, long hi) {
  auto v = parse_int(s);
  if (!v || *v < lo || *v > hi) {
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

result<int> int_flag(const flags& f, const std::string& name, int def, int lo,
                     int hi) {
  if (!f.has(name)) {
    return def;
  }
  auto v = parse_in_range(f.get(name), lo, hi);
  if (!v) {
    return fail(errc::invalid_value,
                "must be an integer between " + std::to_string(lo) + " and " +
                  std::to_string(hi),
                "--" + name);
  }
  return *v;
}

/// valid_topic_chars: Kafka topic names use [A-Za-z0-9._-], at most 249.
bool valid_topic_chars(std::string_view s, std::size_t max) {
  return s.size() <= max && std::ranges::all_of(s, [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
         });
}

result<options> load_options(const flags& f) {
  options o;
  auto brokers = int_flag(f, "brokers", 1, 1, 9);
  if (!brokers) {
    return std::unexpected(brokers.error());
  }
  auto partitions = int_flag(f, "partitions", 4, 1, 256);
  if (!partitions) {
    return std::unexpected(partitions.error());
  }
  o.brokers = *brokers;
  o.partitions = *partitions;
  o.prefix = f.get("topic-prefix", o.prefix);
  if (!valid_topic_chars(o.prefix, 200)) {
    return fail(errc::invalid_value,
                "only letters, digits, '.', '_' and '-' (at most 200)",
                "--topic-prefix");
  }
  o.bootstrap_file = f.get("bootstrap-file");
  if (f.has("bootstrap-file") && o.bootstrap_file.empty()) {
    return fail(errc::invalid_value, "needs a file name", "--bootstrap-file");
  }
  return o;
}

/// cluster owns the client handle the mock cluster needs for its book
/// keeping and the mock cluster itself; the cluster goes first.
struct cluster {
  struct rk_deleter {
    void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
  };
  struct mock_deleter {
    void operator()(rd_kafka_mock_cluster_t* m) const {
      rd_kafka_mock_cluster_destroy(m);
    }
  };
  std::unique_ptr<rd_kafka_t, rk_deleter> rk;
  std::unique_ptr<rd_kafka_mock_cluster_t, mock_deleter> mock;
  int brokers = 0;

  int replication() const { return std::min(brokers, 3); }
};

result<std::unique_ptr<cluster>> start_cluster(int brokers) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err) !=
      RD_KAFKA_CONF_OK) {
    rd_kafka_conf_destroy(conf);
    return fail(errc::internal, err);
  }
  auto c = std::make_unique<cluster>();
  c->brokers = brokers;
  // rd_kafka_new takes the conf on success only.
  c->rk.reset(rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err));
  if (!c->rk) {
    rd_kafka_conf_destroy(conf);
    return fail(errc::internal, std::string{"cannot create a client: "} + err);
  }
  c->mock.reset(rd_kafka_mock_cluster_new(c->rk.get(), brokers));
  if (!c->mock) {
    return fail(errc::internal, "cannot start the mock cluster");
  }
  return c;
}

result<void> create_topic(cluster& c, const std::string& name,
                          int partitions) {
  auto e = rd_kafka_mock_topic_create(c.mock.get(), name.c_str(), partitions,
                                      c.replication());
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return fail(errc::internal, "cannot create topic " + name + ": " +
                                  rd_kafka_err2str(e));
  }
  return {};
}

result<void> create_topics(cluster& c, const options& o) {
  for (auto suffix : topic_suffixes) {
    if (auto r = create_topic(c, o.prefix + std::string{suffix}, o.partitions);
        !r) {
      return r;
    }
  }
  return create_topic(c, o.prefix + "members", 1);
}

/// write_whole writes `text` to FILE.tmp and renames it over FILE, so a
/// reader sees either no file or all of it.
result<void> write_whole(const std::string& file, const std::string& text) {
  auto tmp = file + ".tmp";
  std::FILE* out = std::fopen(tmp.c_str(), "w");
  if (out == nullptr) {
    return fail(errc::internal, "cannot write " + tmp, "--bootstrap-file");
  }
  bool ok = std::fputs(text.c_str(), out) >= 0;
  ok = std::fclose(out) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), file.c_str()) != 0) {
    std::remove(tmp.c_str());
    return fail(errc::internal, "cannot write " + file, "--bootstrap-file");
  }
  return {};
}

// --- control commands ------------------------------------------------------

std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
      ++i;
    }
    auto start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
      ++i;
    }
    if (i > start) {
      out.push_back(line.substr(start, i - start));
    }
  }
  return out;
}

std::optional<int16_t> api_key(std::string_view name) {
  static constexpr std::pair<std::string_view, int16_t> keys[] = {
    {"Produce", 0},        {"Fetch", 1},         {"ListOffsets", 2},
    {"Metadata", 3},       {"OffsetCommit", 8},  {"OffsetFetch", 9},
    {"FindCoordinator", 10}, {"JoinGroup", 11},  {"Heartbeat", 12},
    {"LeaveGroup", 13},    {"SyncGroup", 14},    {"InitProducerId", 22}};
  for (const auto& [n, k] : keys) {
    if (n == name) {
      return k;
    }
  }
  return std::nullopt;
}

/// error_code reads a Kafka error code: a number (librdkafka's negative
/// internal codes included, e.g. -195 _TRANSPORT disconnects) or a name.
std::optional<rd_kafka_resp_err_t> error_code(std::string_view s) {
  static constexpr std::pair<std::string_view, int> names[] = {
    {"LEADER_NOT_AVAILABLE", 5},       {"NOT_LEADER_FOR_PARTITION", 6},
    {"REQUEST_TIMED_OUT", 7},          {"COORDINATOR_NOT_AVAILABLE", 15},
    {"NOT_COORDINATOR", 16},           {"NOT_ENOUGH_REPLICAS", 19}};
  for (const auto& [n, code] : names) {
    if (n == s) {
      return static_cast<rd_kafka_resp_err_t>(code);
    }
  }
  auto v = parse_in_range(s, -200, 32767);
  if (!v) {
    return std::nullopt;
  }
  return static_cast<rd_kafka_resp_err_t>(*v);
}

std::string answer(rd_kafka_resp_err_t e) {
  return e == RD_KAFKA_RESP_ERR_NO_ERROR
           ? "ok"
           : std::string{"error: "} + rd_kafka_err2str(e);
}

std::optional<int32_t> broker_id(const cluster& c, std::string_view s) {
  return parse_in_range(s, 1, c.brokers);
}

std::string bad_broker(const cluster& c, std::string_view s) {
  return "error: broker id '" + std::string{s} + "' is not between 1 and " +
         std::to_string(c.brokers);
}

std::string cmd_down_up(cluster& c, const std::vector<std::string_view>& w) {
  if (w.size() != 2) {
    return "error: usage: " + std::string{w[0]} + " ID";
  }
  auto id = broker_id(c, w[1]);
  if (!id) {
    return bad_broker(c, w[1]);
  }
  return answer(w[0] == "down"
                  ? rd_kafka_mock_broker_set_down(c.mock.get(), *id)
                  : rd_kafka_mock_broker_set_up(c.mock.get(), *id));
}

std::string cmd_rtt(cluster& c, const std::vector<std::string_view>& w) {
  if (w.size() != 3) {
    return "error: usage: rtt ID MS";
  }
  auto id = broker_id(c, w[1]);
  if (!id) {
    return bad_broker(c, w[1]);
  }
  auto ms = parse_in_range(w[2], 0, 600000);
  if (!ms) {
    return "error: MS must be an integer between 0 and 600000";
  }
  return answer(rd_kafka_mock_broker_set_rtt(c.mock.get(), *id, *ms));
}

std::string cmd_error(cluster& c, const std::vector<std::string_view>& w) {
  if (w.size() != 4) {
    return "error: usage: error API COUNT CODE";
  }
  auto key = api_key(w[1]);
  if (!key) {
    return "error: unknown API '" + std::string{w[1]} + "'";
  }
  auto count = parse_in_range(w[2], 1, 10000);
  if (!count) {
    return "error: COUNT must be an integer between 1 and 10000";
  }
  auto code = error_code(w[3]);
  if (!code) {
    return "error: unknown error code '" + std::string{w[3]} + "'";
  }
  std::vector<rd_kafka_resp_err_t> codes(static_cast<std::size_t>(*count),
                                         *code);
  rd_kafka_mock_push_request_errors_array(c.mock.get(), *key, codes.size(),
                                          codes.data());
  return "ok";
}

std::string cmd_topic(cluster& c, const std::vector<std::string_view>& w) {
  if (w.size() != 3) {
    return "error: usage: topic NAME PARTITIONS";
  }
  if (!valid_topic_chars(w[1], 249)) {
    return "error: a topic name uses letters, digits, '.', '_' and '-'";
  }
  auto partitions = parse_in_range(w[2], 1, 256);
  if (!partitions) {
    return "error: PARTITIONS must be an integer between 1 and 256";
  }
  auto r = create_topic(c, std::string{w[1]}, *partitions);
  return r ? "ok" : "error: " + r.error().message;
}

/// control answers one command line; empty lines answer nothing.
std::string control(cluster& c, std::string_view line) {
  auto w = words(line);
  if (w.empty()) {
    return {};
  }
  if (w[0] == "down" || w[0] == "up") {
    return cmd_down_up(c, w);
  }
  if (w[0] == "rtt") {
    return cmd_rtt(c, w);
  }
  if (w[0] == "error") {
    return cmd_error(c, w);
  }
  if (w[0] == "topic") {
    return cmd_topic(c, w);
  }
  if (w[0] == "help" && w.size() == 1) {
    return std::string{commands_line} + "\nok";
  }
  return "error: unknown command '" + std::string{w[0]} + "'";
}

void answer_line(cluster& c, std::string_view line) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  auto reply = control(c, line);
  if (!reply.empty()) {
    std::printf("%s\n", reply.c_str());
    std::fflush(stdout);
  }
}

/// control_loop answers the lines of stdin until EOF or until `wake_fd`
/// becomes readable (shutdown).
void control_loop(cluster& c, int wake_fd) {
  std::string pending;
  char buf[4096];
  for (;;) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return;
    }
    if (fds[1].revents != 0) {
      return;
    }
    auto n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      answer_line(c, pending);  // a last line without a newline
      return;
    }
    pending.append(buf, static_cast<std::size_t>(n));
    for (auto nl = pending.find('\n'); nl != std::string::npos;
         nl = pending.find('\n')) {
      answer_line(c, std::string_view{pending}.substr(0, nl));
      pending.erase(0, nl + 1);
    }
  }
}

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

int run(const options& o) {
  // Block the signals before any thread starts, so that only sigwait sees them.
  auto set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  auto c = start_cluster(o.brokers);
  if (!c) {
    std::fprintf(stderr, "atende devbroker: %s\n", c.error().message.c_str());
    return 1;
  }
  if (auto r = create_topics(**c, o); !r) {
    std::fprintf(stderr, "atende devbroker: %s\n", r.error().message.c_str());
    return 1;
  }
  std::string boot = rd_kafka_mock_cluster_bootstraps((*c)->mock.get());
  if (!o.bootstrap_file.empty()) {
    if (auto r = write_whole(o.bootstrap_file, boot + "\n"); !r) {
      std::fprintf(stderr, "atende devbroker: %s\n",
                   r.error().message.c_str());
      return 1;
    }
  }
  std::printf("bootstrap: %s\n", boot.c_str());
  std::fflush(stdout);
  std::fprintf(stderr,
               "atende devbroker: %d broker(s), topics "
               "%s{inbound,commands,events,outbound,changelog} with %d "
               "partitions and %smembers with 1; in memory only; Ctrl-C "
               "stops\n",
               o.brokers, o.prefix.c_str(), o.partitions, o.prefix.c_str());
  int wake[2];
  if (::pipe(wake) != 0) {
    std::fprintf(stderr, "atende devbroker: cannot create a pipe\n");
    return 1;
  }
  std::thread reader([&] { control_loop(**c, wake[0]); });
  int sig = 0;
  sigwait(&set, &sig);
  std::fprintf(stderr, "atende devbroker: stopping\n");
  (void)!::write(wake[1], "x", 1);
  reader.join();
  ::close(wake[0]);
  ::close(wake[1]);
  c->reset();
  return 0;
}

} // namespace

int devbroker_main(int argc, char** argv) {
  auto f = parse_flags(argc, argv,
                       {"brokers", "partitions", "topic-prefix",
                        "bootstrap-file"},
                       {"help"});
  if (!f) {
    std::fprintf(stderr, "atende devbroker: %s\n%s",
                 f.error().message.c_str(), devbroker_help);
    return 2;
  }
  if (f->has("help")) {
    std::printf("%s", devbroker_help);
    return 0;
  }
  auto o = load_options(*f);
  if (!o) {
    std::fprintf(stderr, "atende devbroker: %s\n", o.error().message.c_str());
    return 2;
  }
  return run(*o);
}

} // namespace atende::tools

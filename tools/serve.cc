// serve: runs the engine behind the HTTP API until SIGINT or SIGTERM.
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

#include "gateways/console_files.h"
#include "gateways/crypto.h"
#include "gateways/http_server.h"
#include "gateways/secrets.h"
#include "tools/commands.h"
#include "tools/engine.h"
#include "tools/flags.h"
#include "tools/kafka_engine.h"

namespace atende::tools {

namespace {

constexpr const char* serve_help =
  "usage: atende serve [--config FILE] [--data DIR] [--listen HOST:PORT]\n"
  "                    [--kafka BROKERS] [--partitions N]\n\n"
  "Runs the engine. Without --kafka it runs single-node on the embedded log\n"
  "(RocksDB under --data). Flags win over ATENDE_* variables, which win over\n"
  "the --config file (see config/atende.example.conf).\n\n"
  "  --config FILE       key = value configuration file\n"
  "  --data DIR          data directory (default ./data)\n"
  "  --listen HOST:PORT  HTTP address (default 127.0.0.1:8080)\n"
  "  --kafka BROKERS     Kafka bootstrap servers (Kafka mode)\n"
  "  --partitions N      input partitions (default 4)\n\n"
  "The root token comes from ATENDE_ROOT_TOKEN; when unset, the first start\n"
  "generates one into DATA/root-token (mode 0600) and prints it once.\n";

result<config> load_config(const flags& f) {
  config c;
  if (f.has("config")) {
    if (auto r = load_file(c, f.get("config")); !r) {
      return std::unexpected(r.error());
    }
  }
  if (auto r = load_env(c); !r) {
    return std::unexpected(r.error());
  }
  for (const auto& [flag, key] :
       {std::pair{"data", "data"}, std::pair{"listen", "listen"},
        std::pair{"kafka", "kafka.brokers"},
        std::pair{"partitions", "partitions"}}) {
    if (f.has(flag)) {
      if (auto r = set_key(c, key, f.get(flag)); !r) {
        auto e = r.error();
        e.message = "--" + std::string{flag} + ": " + e.message;
        return std::unexpected(e);
      }
    }
  }
  return c;
}

/// root_token returns the configured token, or the one stored in
/// DATA/root-token, generating and printing it on first start.
result<std::string> root_token(const config& c) {
  if (!c.root_token.empty()) {
    return c.root_token;
  }
  auto path = c.data + "/root-token";
  if (std::ifstream in{path}; in) {
    std::string t;
    std::getline(in, t);
    if (!t.empty()) {
      return t;
    }
  }
  std::filesystem::create_directories(c.data);
  auto fresh = random_token();
  if (!fresh) {
    return std::unexpected(fresh.error());
  }
  const std::string& token = *fresh;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0 || ::write(fd, token.data(), token.size()) !=
                  static_cast<ssize_t>(token.size())) {
    if (fd >= 0) {
      ::close(fd);
    }
    return fail(errc::internal, "cannot write " + path, "data");
  }
  ::fsync(fd);
  ::close(fd);
  std::printf("root token (stored in %s, shown once): %s\n", path.c_str(),
              token.c_str());
  std::fflush(stdout);
  return token;
}

int wait_for_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

/// load_console reads the web console's files: `console.dir`, else the
/// console/dist of the source tree beside the executable's build directory
/// (absent there: no console, said once on stderr).
result<std::optional<console_files>> load_console(const config& c) {
  if (!c.console_dir.empty()) {
    auto files = console_files::load(c.console_dir);
    if (!files) {
      return std::unexpected(files.error());
    }
    return std::optional{std::move(*files)};
  }
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  auto dir = exe.parent_path().parent_path() / "console" / "dist";
  if (ec || !std::filesystem::exists(dir / "index.html", ec)) {
    std::fprintf(stderr, "atende: no web console at %s (build it with "
                         "scripts/build-console.sh); serving the API only\n",
                 dir.c_str());
    return std::optional<console_files>{};
  }
  auto files = console_files::load(dir.string());
  if (!files) {
    return std::unexpected(files.error());
  }
  return std::optional{std::move(*files)};
}

http_options options_of(const config& c, const std::string& token,
                        const std::optional<console_files>& console) {
  http_options opts;
  opts.host = c.listen_host;
  opts.port = c.listen_port;
  opts.io_threads = c.http_threads;
  opts.root_token_hash = sha256_hex(token);
  opts.max_body_bytes = c.http_max_body_bytes;
  opts.console = console ? &*console : nullptr;
  opts.whatsapp_app_secret = c.whatsapp_app_secret;
  opts.whatsapp_verify_token = c.whatsapp_verify_token;
  opts.unrouted_path = c.data + "/webhooks/unrouted.jsonl";
  opts.stream_buffer_bytes = c.stream_buffer_bytes;
  opts.subscriptions_allow_private = c.subscriptions_allow_private;
  return opts;
}

sender_options sender_options_of(const config& c) {
  sender_options o;
  o.graph_url = c.whatsapp_graph_url;
  o.rate_per_number = c.whatsapp_send_rate;
  o.timeout_ms = c.whatsapp_send_timeout_ms;
  o.retry_base_ms = c.whatsapp_retry_base_ms;
  o.max_attempts = c.whatsapp_max_attempts;
  o.max_in_flight = c.whatsapp_max_in_flight;
  return o;
}

/// serve_kafka: Kafka mode (CONTRACT section 5). The HTTP server starts
/// first so that the advertised URL carries the bound port; requests about
/// tenants of partitions not (yet) served here answer 503 or 307.
int serve_kafka(const config& c, const std::string& token,
                const std::optional<console_files>& console,
                const sealer& secrets) {
  auto eng = kafka_engine::start(c);
  if (!eng) {
    std::fprintf(stderr, "atende serve: %s%s\n",
                 eng.error().field.empty()
                   ? ""
                   : (eng.error().field + ": ").c_str(),
                 eng.error().message.c_str());
    return 1;
  }
  // The instance that owns a partition sends its channels' messages and
  // fetches their customers' media.
  (*eng)->send_with(secrets, sender_options_of(c),
                    subscription_options_of(c));
  auto opts = options_of(c, token, console);
  opts.secrets = &secrets;
  opts.media = &(*eng)->media();
  opts.whatsapp = &(*eng)->whatsapp();
  opts.streams = &(*eng)->streams();
  opts.subscriptions = &(*eng)->subscriptions();
  http_server server(std::move(opts), (*eng)->port(), (*eng)->read_side(),
                     (*eng)->probes());
  if (auto r = server.start(); !r) {
    std::fprintf(stderr, "atende serve: %s\n", r.error().message.c_str());
    return 1;
  }
  auto url = c.advertise.empty()
               ? "http://" + c.listen_host + ":" +
                   std::to_string(server.endpoint().port)
               : c.advertise;
  if (auto r = (*eng)->run(url); !r) {
    std::fprintf(stderr, "atende serve: %s\n", r.error().message.c_str());
    return 1;
  }
  std::printf("atende: listening on http://%s:%u (Kafka %s, %u partitions, "
              "advertised as %s)\n",
              c.listen_host.c_str(), server.endpoint().port,
              c.kafka_brokers.c_str(), c.partitions, url.c_str());
  std::fflush(stdout);
  wait_for_signal();
  std::printf("atende: stopping\n");
  std::fflush(stdout);
  (*eng)->streams().stop();
  server.stop();
  eng->reset();
  return 0;
}

} // namespace

int serve_main(int argc, char** argv) {
  auto f = parse_flags(argc, argv, {"config", "data", "listen", "kafka",
                                    "partitions"},
                       {"help"});
  if (!f) {
    std::fprintf(stderr, "atende serve: %s\n%s", f.error().message.c_str(),
                 serve_help);
    return 2;
  }
  if (f->has("help")) {
    std::printf("%s", serve_help);
    return 0;
  }
  auto cfg = load_config(*f);
  if (!cfg) {
    std::fprintf(stderr, "atende serve: %s\n", cfg.error().message.c_str());
    return 2;
  }
  // Block the signals before any thread starts, so that only sigwait sees them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  auto token = root_token(*cfg);
  if (!token) {
    std::fprintf(stderr, "atende serve: %s\n", token.error().message.c_str());
    return 1;
  }
  auto console = load_console(*cfg);
  if (!console) {
    std::fprintf(stderr, "atende serve: %s: %s\n",
                 console.error().field.c_str(),
                 console.error().message.c_str());
    return 2;
  }
  auto secrets = sealer::load(cfg->secret_key, cfg->data + "/secret.key");
  if (!secrets) {
    std::fprintf(stderr, "atende serve: %s: %s\n",
                 secrets.error().field.c_str(),
                 secrets.error().message.c_str());
    return 2;
  }
  if (!cfg->kafka_brokers.empty()) {
    return serve_kafka(*cfg, *token, *console, *secrets);
  }
  auto eng = engine::start(*cfg);
  if (!eng) {
    std::fprintf(stderr, "atende serve: %s\n", eng.error().message.c_str());
    return 1;
  }
  if (auto r = (*eng)->start_sender(*secrets, sender_options_of(*cfg)); !r) {
    std::fprintf(stderr, "atende serve: %s\n", r.error().message.c_str());
    return 1;
  }
  if (auto r = (*eng)->start_subscriptions(*secrets,
                                           subscription_options_of(*cfg));
      !r) {
    std::fprintf(stderr, "atende serve: %s\n", r.error().message.c_str());
    return 1;
  }
  auto opts = options_of(*cfg, *token, *console);
  opts.secrets = &*secrets;
  opts.whatsapp = (*eng)->whatsapp();
  opts.streams = &(*eng)->streams();
  opts.subscriptions = (*eng)->subscriptions();
  opts.media = &(*eng)->media();
  http_server server(std::move(opts), (*eng)->port(), (*eng)->read_side(),
                     (*eng)->probes());
  if (auto r = server.start(); !r) {
    std::fprintf(stderr, "atende serve: %s\n", r.error().message.c_str());
    return 1;
  }
  std::printf("atende: listening on http://%s:%u (data %s, %u partitions)\n",
              cfg->listen_host.c_str(), server.endpoint().port,
              cfg->data.c_str(), cfg->partitions);
  std::fflush(stdout);
  wait_for_signal();
  std::printf("atende: stopping\n");
  (*eng)->streams().stop();
  server.stop();
  eng->reset();
  return 0;
}

} // namespace atende::tools

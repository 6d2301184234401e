#include "config/config.h"

#include <charconv>
#include <cstdlib>
#include <fstream>

namespace atende {

namespace {

template <class T>
result<void> parse_uint(const std::string& key, const std::string& v, T& out,
                        T min, T max) {
  std::uint64_t x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc{} || p != v.data() + v.size() || x < min || x > max) {
    return fail(errc::invalid_value,
                "'" + v + "' is not a whole number from " +
                  std::to_string(min) + " to " + std::to_string(max),
                key);
  }
  out = static_cast<T>(x);
  return {};
}

result<void> parse_listen(config& c, const std::string& v) {
  auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return fail(errc::invalid_value, "'" + v + "' is not HOST:PORT", "listen");
  }
  c.listen_host = v.substr(0, colon);
  return parse_uint<std::uint16_t>("listen", v.substr(colon + 1),
                                   c.listen_port, 0, 65535);
}

result<void> parse_bool(const std::string& key, const std::string& v,
                        bool& out) {
  if (v == "true" || v == "1" || v == "yes") {
    out = true;
  } else if (v == "false" || v == "0" || v == "no") {
    out = false;
  } else {
    return fail(errc::invalid_value, "'" + v + "' is not true or false", key);
  }
  return {};
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) {
    return {};
  }
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

struct env_key {
  const char* env;
  const char* key;
};

constexpr env_key env_keys[] = {
  {"ATENDE_LISTEN", "listen"},
  {"ATENDE_DATA", "data"},
  {"ATENDE_MEDIA_DIR", "media_dir"},
  {"ATENDE_PARTITIONS", "partitions"},
  {"ATENDE_HTTP_THREADS", "http.threads"},
  {"ATENDE_HTTP_MAX_BODY_BYTES", "http.max_body_bytes"},
  {"ATENDE_ENGINE_THREADS", "engine.threads"},
  {"ATENDE_ENGINE_MAX_BATCH", "engine.max_batch"},
  {"ATENDE_ENGINE_RESIDENT_ENTITIES", "engine.resident_entities"},
  {"ATENDE_ENGINE_UNSYNCED_CYCLES", "engine.unsynced_cycles"},
  {"ATENDE_ENGINE_SYNC", "engine.sync"},
  {"ATENDE_ENGINE_TICK_SECONDS", "engine.tick_seconds"},
  {"ATENDE_ROOT_TOKEN", "root_token"},
  {"ATENDE_KAFKA_BROKERS", "kafka.brokers"},
  {"ATENDE_KAFKA_TOPIC_PREFIX", "kafka.topic_prefix"},
  {"ATENDE_ADVERTISE", "advertise"},
  {"ATENDE_WHATSAPP_APP_SECRET", "whatsapp.app_secret"},
  {"ATENDE_WHATSAPP_VERIFY_TOKEN", "whatsapp.verify_token"},
  {"ATENDE_WHATSAPP_GRAPH_URL", "whatsapp.graph_url"},
  {"ATENDE_WHATSAPP_SEND_RATE", "whatsapp.send_rate"},
  {"ATENDE_WHATSAPP_SEND_TIMEOUT_MS", "whatsapp.send_timeout_ms"},
  {"ATENDE_WHATSAPP_RETRY_BASE_MS", "whatsapp.retry_base_ms"},
  {"ATENDE_WHATSAPP_MAX_ATTEMPTS", "whatsapp.max_attempts"},
  {"ATENDE_WHATSAPP_MAX_IN_FLIGHT", "whatsapp.max_in_flight"},
  {"ATENDE_STREAM_HEARTBEAT_SECONDS", "stream.heartbeat_seconds"},
  {"ATENDE_STREAM_BUFFER_BYTES", "stream.buffer_bytes"},
  {"ATENDE_STREAM_MAX_PER_TOKEN", "stream.max_per_token"},
  {"ATENDE_STREAM_MAX_PER_TENANT", "stream.max_per_tenant"},
  {"ATENDE_SUBSCRIPTIONS_ALLOW_PRIVATE", "subscriptions.allow_private"},
  {"ATENDE_SUBSCRIPTIONS_CONNECT_TIMEOUT_MS",
   "subscriptions.connect_timeout_ms"},
  {"ATENDE_SUBSCRIPTIONS_TIMEOUT_MS", "subscriptions.timeout_ms"},
  {"ATENDE_SUBSCRIPTIONS_RETRY_BASE_MS", "subscriptions.retry_base_ms"},
  {"ATENDE_SUBSCRIPTIONS_MAX_BACKOFF_SECONDS",
   "subscriptions.max_backoff_seconds"},
  {"ATENDE_SUBSCRIPTIONS_MAX_IN_FLIGHT", "subscriptions.max_in_flight"},
  {"ATENDE_SECRET_KEY", "secret_key"},
  {"ATENDE_CONSOLE_DIR", "console.dir"},
};

} // namespace

result<void> set_key(config& c, const std::string& key,
                     const std::string& v) {
  if (key == "listen") {
    return parse_listen(c, v);
  }
  if (key == "data") {
    if (v.empty()) {
      return fail(errc::invalid_value, "must not be empty", key);
    }
    c.data = v;
    return {};
  }
  if (key == "media_dir") {
    c.media_dir = v;
    return {};
  }
  if (key == "partitions") {
    return parse_uint<std::uint32_t>(key, v, c.partitions, 1, 1024);
  }
  if (key == "stream.heartbeat_seconds") {
    return parse_uint<std::uint32_t>(key, v, c.stream_heartbeat_seconds, 1,
                                     3600);
  }
  if (key == "stream.buffer_bytes") {
    return parse_uint<std::uint64_t>(key, v, c.stream_buffer_bytes, 4096,
                                     std::uint64_t{1} << 30);
  }
  if (key == "stream.max_per_token") {
    return parse_uint<std::uint32_t>(key, v, c.stream_max_per_token, 1,
                                     100000);
  }
  if (key == "stream.max_per_tenant") {
    return parse_uint<std::uint32_t>(key, v, c.stream_max_per_tenant, 1,
                                     10000000);
  }
  if (key == "subscriptions.allow_private") {
    return parse_bool(key, v, c.subscriptions_allow_private);
  }
  if (key == "subscriptions.connect_timeout_ms") {
    return parse_uint<std::uint32_t>(key, v, c.subscriptions_connect_timeout_ms,
                                     100, 600000);
  }
  if (key == "subscriptions.timeout_ms") {
    return parse_uint<std::uint32_t>(key, v, c.subscriptions_timeout_ms, 100,
                                     600000);
  }
  if (key == "subscriptions.retry_base_ms") {
    return parse_uint<std::uint32_t>(key, v, c.subscriptions_retry_base_ms, 1,
                                     3600000);
  }
  if (key == "subscriptions.max_backoff_seconds") {
    return parse_uint<std::uint32_t>(key, v,
                                     c.subscriptions_max_backoff_seconds, 1,
                                     86400);
  }
  if (key == "subscriptions.max_in_flight") {
    return parse_uint<std::uint32_t>(key, v, c.subscriptions_max_in_flight, 1,
                                     10000);
  }
  if (key == "http.threads") {
    return parse_uint<std::uint32_t>(key, v, c.http_threads, 1, 64);
  }
  if (key == "http.max_body_bytes") {
    return parse_uint<std::uint64_t>(key, v, c.http_max_body_bytes, 1024,
                                     1ull << 30);
  }
  if (key == "engine.threads") {
    return parse_uint<std::uint32_t>(key, v, c.engine_threads, 1, 64);
  }
  if (key == "engine.resident_entities") {
    return parse_uint<std::uint32_t>(key, v, c.engine_resident_entities, 1,
                                     100000000);
  }
  if (key == "engine.unsynced_cycles") {
    return parse_uint<std::uint32_t>(key, v, c.engine_unsynced_cycles, 1, 64);
  }
  if (key == "engine.max_batch") {
    return parse_uint<std::uint32_t>(key, v, c.engine_max_batch, 1, 100000);
  }
  if (key == "engine.sync") {
    return parse_bool(key, v, c.engine_sync);
  }
  if (key == "engine.tick_seconds") {
    return parse_uint<std::uint32_t>(key, v, c.engine_tick_seconds, 0, 3600);
  }
  if (key == "root_token") {
    c.root_token = v;
    return {};
  }
  if (key == "kafka.brokers") {
    c.kafka_brokers = v;
    return {};
  }
  if (key == "kafka.topic_prefix") {
    c.kafka_topic_prefix = v;
    return {};
  }
  if (key == "advertise") {
    if (!v.empty() && !v.starts_with("http://") && !v.starts_with("https://")) {
      return fail(errc::invalid_value, "must start with http:// or https://",
                  key);
    }
    c.advertise = v;
    while (!c.advertise.empty() && c.advertise.back() == '/') {
      c.advertise.pop_back();
    }
    return {};
  }
  if (key.starts_with("kafka.")) {
    c.kafka[key.substr(6)] = v;
    return {};
  }
  if (key == "whatsapp.app_secret") {
    c.whatsapp_app_secret = v;
    return {};
  }
  if (key == "console.dir") {
    c.console_dir = v;
    return {};
  }
  if (key == "whatsapp.verify_token") {
    c.whatsapp_verify_token = v;
    return {};
  }
  if (key == "whatsapp.graph_url") {
    if (!v.starts_with("http://") && !v.starts_with("https://")) {
      return fail(errc::invalid_value, "must start with http:// or https://",
                  key);
    }
    c.whatsapp_graph_url = v;
    while (c.whatsapp_graph_url.back() == '/') {
      c.whatsapp_graph_url.pop_back();
    }
    return {};
  }
  if (key == "whatsapp.send_rate") {
    return parse_uint<std::uint32_t>(key, v, c.whatsapp_send_rate, 1, 1000000);
  }
  if (key == "whatsapp.send_timeout_ms") {
    return parse_uint<std::uint32_t>(key, v, c.whatsapp_send_timeout_ms, 100,
                                     600000);
  }
  if (key == "whatsapp.retry_base_ms") {
    return parse_uint<std::uint32_t>(key, v, c.whatsapp_retry_base_ms, 1,
                                     600000);
  }
  if (key == "whatsapp.max_attempts") {
    return parse_uint<std::uint32_t>(key, v, c.whatsapp_max_attempts, 1, 100);
  }
  if (key == "whatsapp.max_in_flight") {
    return parse_uint<std::uint32_t>(key, v, c.whatsapp_max_in_flight, 1,
                                     4096);
  }
  if (key == "secret_key") {
    c.secret_key = v;
    return {};
  }
  return fail(errc::invalid_value, "unknown configuration key", key);
}

result<void> load_file(config& c, const std::string& path) {
  std::ifstream in{path};
  if (!in) {
    return fail(errc::invalid_value, "cannot read '" + path + "'", "--config");
  }
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    auto hash = line.find('#');
    if (hash != std::string::npos) {
      line.resize(hash);
    }
    line = trim(line);
    if (line.empty()) {
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string::npos) {
      return fail(errc::invalid_value,
                  path + ":" + std::to_string(n) + ": expected key = value",
                  "--config");
    }
    if (auto r = set_key(c, trim(line.substr(0, eq)), trim(line.substr(eq + 1)));
        !r) {
      auto e = r.error();
      e.message = path + ":" + std::to_string(n) + ": " + e.message;
      return std::unexpected(e);
    }
  }
  return {};
}

result<void> load_env(config& c) {
  for (const auto& [env, key] : env_keys) {
    if (const char* v = std::getenv(env); v != nullptr && *v != '\0') {
      if (auto r = set_key(c, key, v); !r) {
        auto e = r.error();
        e.message = std::string{env} + ": " + e.message;
        return std::unexpected(e);
      }
    }
  }
  return {};
}

} // namespace atende

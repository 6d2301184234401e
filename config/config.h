// config: the engine's typed configuration.
//
// Sources, later ones winning: defaults, the file given with --config,
// environment variables, command-line flags. The file is `key = value` lines
// (`#` starts a comment); `kafka.*` keys are passed to librdkafka as they are.
// Every key, its variable and its default are in config/atende.example.conf
// and docs/configuration.md.
//
//   key                    env                          default
//   listen                 ATENDE_LISTEN                127.0.0.1:8080
//   data                   ATENDE_DATA                  ./data
//   media_dir              ATENDE_MEDIA_DIR             DATA/media (Kafka
//                          mode with several instances: a directory they
//                          all share)
//   partitions             ATENDE_PARTITIONS            4
//   http.threads           ATENDE_HTTP_THREADS          2
//   http.max_body_bytes    ATENDE_HTTP_MAX_BODY_BYTES   16777216
//   engine.threads         ATENDE_ENGINE_THREADS        2
//   engine.max_batch       ATENDE_ENGINE_MAX_BATCH      2000
//   engine.sync            ATENDE_ENGINE_SYNC           true
//   engine.resident_entities ATENDE_ENGINE_RESIDENT_ENTITIES 20000
//   engine.unsynced_cycles ATENDE_ENGINE_UNSYNCED_CYCLES 4
//   root_token             ATENDE_ROOT_TOKEN            (generated, see README)
//   kafka.brokers          ATENDE_KAFKA_BROKERS         (empty: embedded log)
//   kafka.topic_prefix     ATENDE_KAFKA_TOPIC_PREFIX    atende.
//   advertise              ATENDE_ADVERTISE             http://LISTEN (Kafka
//                          mode: the URL other instances redirect to)
//   whatsapp.app_secret    ATENDE_WHATSAPP_APP_SECRET   (empty)
//   whatsapp.verify_token  ATENDE_WHATSAPP_VERIFY_TOKEN (empty)
//   whatsapp.graph_url     ATENDE_WHATSAPP_GRAPH_URL    https://graph.facebook.com/v21.0
//   whatsapp.send_rate     ATENDE_WHATSAPP_SEND_RATE    80 (messages per second
//                          and number: Meta's default throughput)
//   whatsapp.send_timeout_ms ATENDE_WHATSAPP_SEND_TIMEOUT_MS 20000
//   whatsapp.retry_base_ms ATENDE_WHATSAPP_RETRY_BASE_MS 1000 (first retry;
//                          doubling up to 5 minutes)
//   whatsapp.max_attempts  ATENDE_WHATSAPP_MAX_ATTEMPTS 12
//   whatsapp.max_in_flight ATENDE_WHATSAPP_MAX_IN_FLIGHT 64 (concurrent sends)
//   stream.heartbeat_seconds ATENDE_STREAM_HEARTBEAT_SECONDS 15
//   stream.buffer_bytes    ATENDE_STREAM_BUFFER_BYTES   262144 (a slower
//                          client is disconnected)
//   stream.max_per_token   ATENDE_STREAM_MAX_PER_TOKEN  16
//   stream.max_per_tenant  ATENDE_STREAM_MAX_PER_TENANT 10000
//   secret_key             ATENDE_SECRET_KEY            (generated into
//                          DATA/secret.key; 64 hex digits, see
//                          gateways/secrets.h)
//   console.dir            ATENDE_CONSOLE_DIR           (console/dist beside
//                          the build directory of the executable)
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "events/errc.h"

namespace atende {

struct config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::string data = "./data";
  std::string media_dir; // empty: DATA/media
  std::uint32_t partitions = 4;
  std::uint32_t http_threads = 2;
  std::uint64_t http_max_body_bytes = 16u << 20;
  std::uint32_t engine_threads = 2;
  std::uint32_t engine_max_batch = 2000;
  bool engine_sync = true;
  std::uint32_t engine_resident_entities = 20000; // per tenant
  std::uint32_t engine_unsynced_cycles = 4; // written ahead of the last fsync
  std::uint32_t engine_tick_seconds = 60; // 0: no clock ticks
  std::string root_token;
  std::string kafka_brokers;
  std::string kafka_topic_prefix = "atende.";
  std::string advertise; // empty: http://<listen host>:<bound port>
  std::map<std::string, std::string> kafka; // other kafka.* keys
  std::string whatsapp_app_secret;
  std::string whatsapp_verify_token;
  std::string whatsapp_graph_url = "https://graph.facebook.com/v21.0";
  std::uint32_t whatsapp_send_rate = 80;
  std::uint32_t whatsapp_send_timeout_ms = 20000;
  std::uint32_t whatsapp_retry_base_ms = 1000;
  std::uint32_t whatsapp_max_attempts = 12;
  std::uint32_t whatsapp_max_in_flight = 64;
  std::uint32_t stream_heartbeat_seconds = 15;
  std::uint64_t stream_buffer_bytes = 256u << 10;
  std::uint32_t stream_max_per_token = 16;
  std::uint32_t stream_max_per_tenant = 10000;
  bool subscriptions_allow_private = false;
  std::uint32_t subscriptions_connect_timeout_ms = 5000;
  std::uint32_t subscriptions_timeout_ms = 10000;
  std::uint32_t subscriptions_retry_base_ms = 1000;
  std::uint32_t subscriptions_max_backoff_seconds = 3600;
  std::uint32_t subscriptions_max_in_flight = 256;
  std::string secret_key; // empty: DATA/secret.key
  std::string console_dir; // empty: console/dist next to the build
};

/// media_dir_of is where media live: `media_dir`, else DATA/media.
[[nodiscard]] inline std::string media_dir_of(const config& c) {
  return c.media_dir.empty() ? c.data + "/media" : c.media_dir;
}

/// set_key sets one key (as in the file) to `value`; errors name the key.
[[nodiscard]] result<void> set_key(config& c, const std::string& key,
                                   const std::string& value);

/// load_file reads a `key = value` file into `c`; errors name file and line.
[[nodiscard]] result<void> load_file(config& c, const std::string& path);

/// load_env applies the ATENDE_* variables of the process environment.
[[nodiscard]] result<void> load_env(config& c);

} // namespace atende

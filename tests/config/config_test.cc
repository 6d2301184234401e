#include "config/config.h"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

namespace atende {
namespace {

std::string write_file(const std::string& text) {
  char tmpl[] = "/tmp/atende-config-XXXXXX";
  int fd = mkstemp(tmpl);
  close(fd);
  std::ofstream{tmpl} << text;
  return tmpl;
}

TEST(Config, DefaultsMatchTheDocumentation) {
  config c;
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 8080);
  EXPECT_EQ(c.data, "./data");
  EXPECT_EQ(c.partitions, 4u);
  EXPECT_TRUE(c.engine_sync);
  EXPECT_EQ(c.kafka_topic_prefix, "atende.");
}

TEST(Config, FileSetsKeysAndPassesKafkaKeysThrough) {
  auto path = write_file("# comment\nlisten = 0.0.0.0:9000\npartitions=8\n"
                         "kafka.linger.ms = 5\nengine.sync = false\n");
  config c;
  ASSERT_TRUE(load_file(c, path));
  EXPECT_EQ(c.listen_host, "0.0.0.0");
  EXPECT_EQ(c.listen_port, 9000);
  EXPECT_EQ(c.partitions, 8u);
  EXPECT_FALSE(c.engine_sync);
  EXPECT_EQ(c.kafka.at("linger.ms"), "5");
  std::remove(path.c_str());
}

TEST(Config, BadValueNamesFileLineAndKey) {
  auto path = write_file("listen = 127.0.0.1:8080\npartitions = many\n");
  config c;
  auto r = load_file(c, path);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find(path + ":2"), std::string::npos);
  EXPECT_NE(r.error().message.find("partitions"), std::string::npos);
  std::remove(path.c_str());
}

TEST(Config, UnknownKeyIsRejected) {
  config c;
  auto r = set_key(c, "lisen", "x");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "lisen");
}

TEST(Config, EnvironmentWinsOverTheFile) {
  auto path = write_file("data = /from/file\n");
  config c;
  ASSERT_TRUE(load_file(c, path));
  setenv("ATENDE_DATA", "/from/env", 1);
  ASSERT_TRUE(load_env(c));
  unsetenv("ATENDE_DATA");
  EXPECT_EQ(c.data, "/from/env");
  std::remove(path.c_str());
}

TEST(Config, MediaLiveInTheDataDirectoryUnlessMediaDirSaysWhere) {
  config c;
  ASSERT_TRUE(set_key(c, "data", "/var/atende"));
  EXPECT_EQ(media_dir_of(c), "/var/atende/media");
  setenv("ATENDE_MEDIA_DIR", "/mnt/shared/media", 1);
  auto r = load_env(c);
  unsetenv("ATENDE_MEDIA_DIR");
  ASSERT_TRUE(r);
  EXPECT_EQ(media_dir_of(c), "/mnt/shared/media");
}

TEST(Config, SubscriptionsRefusePrivateNetworksUnlessAllowed) {
  config c;
  EXPECT_FALSE(c.subscriptions_allow_private);
  EXPECT_EQ(c.subscriptions_timeout_ms, 10000u);
  EXPECT_EQ(c.subscriptions_connect_timeout_ms, 5000u);
  EXPECT_EQ(c.subscriptions_max_backoff_seconds, 3600u);
  setenv("ATENDE_SUBSCRIPTIONS_ALLOW_PRIVATE", "true", 1);
  setenv("ATENDE_SUBSCRIPTIONS_TIMEOUT_MS", "2500", 1);
  auto r = load_env(c);
  unsetenv("ATENDE_SUBSCRIPTIONS_ALLOW_PRIVATE");
  unsetenv("ATENDE_SUBSCRIPTIONS_TIMEOUT_MS");
  ASSERT_TRUE(r);
  EXPECT_TRUE(c.subscriptions_allow_private);
  EXPECT_EQ(c.subscriptions_timeout_ms, 2500u);
  auto bad = set_key(c, "subscriptions.retry_base_ms", "0");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "subscriptions.retry_base_ms");
}

TEST(Config, BadEnvironmentValueNamesTheVariable) {
  config c;
  setenv("ATENDE_PARTITIONS", "0", 1);
  auto r = load_env(c);
  unsetenv("ATENDE_PARTITIONS");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("ATENDE_PARTITIONS"), std::string::npos);
}

} // namespace
} // namespace atende

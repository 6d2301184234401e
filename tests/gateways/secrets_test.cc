// Sealed secrets: what enters the log is never the secret in clear, opens
// only under the key that sealed it, and a flipped byte is caught.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

#include "gateways/secrets.h"

namespace atende {
namespace {

const std::string key_a(64, 'a');
const std::string key_b(64, 'b');

TEST(Secrets, ASealedSecretOpensToItselfAndDoesNotShowIt) {
  auto s = sealer::from_hex(key_a);
  ASSERT_TRUE(s);
  auto sealed = s->seal("EAAGm0PX4ZCpsBAKZCx");
  ASSERT_TRUE(sealed);
  EXPECT_TRUE(sealer::is_sealed(*sealed));
  EXPECT_EQ(sealed->find("EAAGm0PX4ZCpsBAKZCx"), std::string::npos);
  EXPECT_EQ(s->open(*sealed).value(), "EAAGm0PX4ZCpsBAKZCx");
}

TEST(Secrets, SealingTwiceGivesDifferentText) {
  auto s = sealer::from_hex(key_a);
  EXPECT_NE(s->seal("x").value(), s->seal("x").value());
}

TEST(Secrets, AnotherKeyCannotOpenIt) {
  auto a = sealer::from_hex(key_a);
  auto b = sealer::from_hex(key_b);
  auto sealed = a->seal("secret").value();
  auto opened = b->open(sealed);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, errc::invalid_value);
}

TEST(Secrets, AFlippedByteIsCaught) {
  auto s = sealer::from_hex(key_a);
  auto sealed = s->seal("secret").value();
  sealed[sealed.size() - 5] = sealed[sealed.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(s->open(sealed));
  EXPECT_FALSE(s->open("plain text"));
}

TEST(Secrets, ABadKeyIsRefusedNamingTheSetting) {
  auto s = sealer::from_hex("abc");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().field, "secret_key");
  EXPECT_FALSE(sealer::from_hex(std::string(64, 'z')));
}

TEST(Secrets, WithoutAKeyOneIsGeneratedOnceIntoAPrivateFile) {
  auto dir = std::filesystem::temp_directory_path() /
             ("atende-secrets-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto path = (dir / "secret.key").string();
  auto first = sealer::load("", path);
  ASSERT_TRUE(first) << first.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto sealed = first->seal("token").value();
  auto again = sealer::load("", path);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->open(sealed).value(), "token");
  std::filesystem::remove_all(dir);
}

} // namespace
} // namespace atende

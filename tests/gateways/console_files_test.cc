// Tests of gateways/console_files.* and of the router serving the console at
// `/` beside the API.
#include "gateways/console_files.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "http_fixture.h"

namespace atende {
namespace {

using namespace atende::testing;

/// console_dir: a scratch build of a console: index.html and one asset.
class console_dir {
public:
  console_dir() {
    std::string tmpl = "/tmp/atende-console-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
    }
    path_ = tmpl;
    std::filesystem::create_directories(path_ + "/assets");
    write("index.html", "<!doctype html><title>atende</title>");
    write("assets/index-Ab12.js", "console.log('oi')");
  }
  ~console_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  void write(const std::string& rel, const std::string& text) const {
    std::ofstream(path_ + "/" + rel) << text;
  }
  const std::string& path() const { return path_; }

private:
  std::string path_;
};

TEST(ConsoleFiles, LoadingADirectoryWithoutIndexHtmlNamesTheKey) {
  console_dir d;
  std::filesystem::remove(d.path() + "/index.html");
  auto files = console_files::load(d.path());
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().field, "console.dir");
}

TEST(ConsoleFiles, OnlyLoadedPathsAreFound) {
  console_dir d;
  auto files = console_files::load(d.path());
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(files->size(), 2u);
  ASSERT_NE(files->find("/"), nullptr);
  EXPECT_EQ(files->find("/"), files->find("/index.html"));
  EXPECT_NE(files->find("/assets/index-Ab12.js"), nullptr);
  EXPECT_EQ(files->find("/../index.html"), nullptr);
  EXPECT_EQ(files->find("/assets/../index.html"), nullptr);
  EXPECT_EQ(files->find("/etc/passwd"), nullptr);
}

TEST(ConsoleFiles, ContentTypesFollowTheExtension) {
  EXPECT_EQ(content_type_of("/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_of("/assets/a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_of("/assets/a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_of("/x.bin"), "application/octet-stream");
}

class ConsoleHttp : public http_test {
protected:
  void SetUp() override {
    auto files = console_files::load(dir_.path());
    ASSERT_TRUE(files) << files.error().message;
    files_ = std::move(*files);
    http_options o;
    o.console = &*files_;
    start(o);
  }
  console_dir dir_;
  std::optional<console_files> files_;
};

TEST_F(ConsoleHttp, TheRootServesTheConsolePageUncached) {
  auto r = client().get("/");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.cache_control, "no-cache");
  EXPECT_NE(r.body.find("<title>atende</title>"), std::string::npos);
}

TEST_F(ConsoleHttp, HashedAssetsAreImmutable) {
  auto r = client().get("/assets/index-Ab12.js");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(r.cache_control, "public, max-age=31536000, immutable");
}

TEST_F(ConsoleHttp, AnUnknownFileIsAJson404) {
  auto r = client().get("/assets/nope.js");
  EXPECT_EQ(r.status, 404u);
  EXPECT_EQ(r.code(), "not_found");
  EXPECT_EQ(client().get("/%2e%2e/%2e%2e/etc/passwd").status, 404u);
}

TEST_F(ConsoleHttp, TheApiIsUnchangedBesideTheConsole) {
  EXPECT_EQ(client().get("/healthz").status, 200u);
  auto r = client().get("/v1/conversations");
  EXPECT_EQ(r.status, 401u);
  EXPECT_EQ(client().get("/v1/nothing-here").code(), "not_found");
}

class NoConsoleHttp : public http_test {};

TEST_F(NoConsoleHttp, TheRootSaysHowToBuildTheConsole) {
  auto r = client().get("/");
  EXPECT_EQ(r.status, 404u);
  EXPECT_NE(r.json()["error"].value("message", "").find("build-console.sh"),
            std::string::npos);
}

} // namespace
} // namespace atende

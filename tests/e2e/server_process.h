// server_process: runs `atende serve` as a child process for end-to-end
// tests, on a free port (--listen 127.0.0.1:0) and a given data directory.
// Readiness is read from the child's "listening on" line, not waited for.
#pragma once

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "events/time.h"
#include "gateways/crypto.h"
#include "gateways/http_client.h"

namespace atende::test {

inline const char* root_token = "e2e-root-token";

class server_process {
public:
  explicit server_process(std::string data,
                          std::vector<std::string> extra = {})
    : data_(std::move(data)), extra_(std::move(extra)) {}
  ~server_process() { kill9(); }

  /// start launches the server and returns once it listens.
  bool start() {
    int fds[2];
    if (pipe(fds) != 0) {
      return false;
    }
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      setenv("ATENDE_ROOT_TOKEN", root_token, 1);
      std::vector<const char*> argv{ATENDE_BINARY, "serve", "--data",
                                    data_.c_str(), "--listen", "127.0.0.1:0"};
      for (const auto& a : extra_) {
        argv.push_back(a.c_str());
      }
      argv.push_back(nullptr);
      execv(ATENDE_BINARY, const_cast<char* const*>(argv.data()));
      _exit(127);
    }
    close(fds[1]);
    out_ = fdopen(fds[0], "r");
    char line[512];
    while (std::fgets(line, sizeof line, out_) != nullptr) {
      std::string s = line;
      auto at = s.find("listening on http://127.0.0.1:");
      if (at != std::string::npos) {
        port_ = static_cast<std::uint16_t>(
          std::stoi(s.substr(at + std::string{"listening on http://127.0.0.1:"}.size())));
        return true;
      }
    }
    return false;
  }

  /// kill9 ends the server abruptly, as a crash would.
  void kill9() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    if (out_ != nullptr) {
      std::fclose(out_);
      out_ = nullptr;
    }
  }

  /// stop asks for a clean shutdown (SIGTERM) and returns the exit status.
  int stop() {
    int status = -1;
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    return status;
  }

  std::uint16_t port() const { return port_; }

private:
  std::string data_;
  std::vector<std::string> extra_;
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::uint16_t port_ = 0;
};

/// api: a JSON client for one token.
class api {
public:
  api(std::uint16_t port, std::string token)
    : client_("127.0.0.1", port), token_(std::move(token)) {}

  struct reply {
    int status = 0;
    nlohmann::json body;
  };

  reply call(const std::string& method, const std::string& path,
             const nlohmann::json& body = nullptr) {
    auto r = client_.request(method, path, body.is_null() ? "" : body.dump(),
                             token_);
    if (!r) {
      return {0, {{"transport", r.error().message}}};
    }
    return {r->status, nlohmann::json::parse(r->body, nullptr, false)};
  }
  reply post(const std::string& path, const nlohmann::json& body) {
    return call("POST", path, body);
  }
  reply get(const std::string& path) { return call("GET", path); }
  /// raw sends `body` as it is, with `headers`, and keeps the reply's text.
  struct raw_reply {
    int status = 0;
    std::string body;
    std::string content_type;
  };
  raw_reply raw(const std::string& method, const std::string& path,
                const std::string& body,
                const std::vector<std::pair<std::string, std::string>>& headers) {
    auto r = client_.request(method, path, body, token_, "application/json",
                             headers);
    if (!r) {
      return {0, r.error().message, ""};
    }
    return {r->status, r->body, r->content_type};
  }
  /// post_text posts a body that is not JSON (a CSV file).
  reply post_text(const std::string& path, const std::string& body,
                  const std::string& content_type) {
    auto r = client_.request("POST", path, body, token_, content_type);
    if (!r) {
      return {0, {{"transport", r.error().message}}};
    }
    return {r->status, nlohmann::json::parse(r->body, nullptr, false)};
  }

private:
  http_client client_;
  std::string token_;
};

/// new_tenant creates tenant `id` with the root token and returns its
/// admin's token ("" and a test failure when refused).
inline std::string new_tenant(std::uint16_t port, const std::string& id,
                              const std::string& name = "Acme") {
  api root{port, root_token};
  auto t = root.post("/v1/tenants", {{"id", id}, {"name", name}});
  EXPECT_EQ(t.status, 201) << t.body.dump();
  return t.status == 201 ? t.body["admin"]["token"].get<std::string>() : "";
}

/// add_channel creates WhatsApp channel `id` for Meta's number `pnid`, in
/// `team` by default.
inline void add_channel(api& admin, const std::string& id,
                        const std::string& pnid, const std::string& team) {
  auto r = admin.post("/v1/channels", {{"id", id},
                                       {"kind", "whatsapp"},
                                       {"name", id},
                                       {"phone", "5511999990000"},
                                       {"phone_number_id", pnid},
                                       {"default_team", team}});
  EXPECT_EQ(r.status, 201) << r.body.dump();
}

/// add_agent creates agent `id` (role agent) in `team` and returns its
/// token ("" and a test failure when refused).
inline std::string add_agent(api& admin, const std::string& id,
                             const std::string& name, const std::string& team) {
  auto r = admin.post("/v1/agents", {{"id", id},
                                     {"name", name},
                                     {"role", "agent"},
                                     {"teams", {team}}});
  EXPECT_EQ(r.status, 201) << r.body.dump();
  return r.status == 201 ? r.body["token"].get<std::string>() : "";
}

/// text_envelope is a customer's text message `id` from `from` to channel
/// `channel` of `tenant`, written a minute ago (replies need the 24-hour
/// window open).
inline nlohmann::json text_envelope(const std::string& tenant,
                                    const std::string& channel,
                                    const std::string& id,
                                    const std::string& from,
                                    const std::string& text) {
  return {{"id", id},
          {"type", "message.received"},
          {"tenant", tenant},
          {"at", format_time(now_ms() - 60 * 1000)},
          {"data",
           {{"channel", channel},
            {"from", from},
            {"message_id", id},
            {"kind", "text"},
            {"text", text}}}};
}

/// deliver_whatsapp posts `body` to the WhatsApp webhook as Meta does,
/// signed with `app_secret`.
inline api::raw_reply deliver_whatsapp(std::uint16_t port,
                                       const std::string& body,
                                       const std::string& app_secret) {
  api anyone{port, ""};
  return anyone.raw("POST", "/v1/webhooks/whatsapp", body,
                    {{"X-Hub-Signature-256",
                      "sha256=" + hmac_sha256_hex(app_secret, body)}});
}

/// temp_dir: a fresh directory, removed at the end of the test.
class temp_dir {
public:
  temp_dir() {
    char tmpl[] = "/tmp/atende-e2e-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~temp_dir() { std::system(("rm -rf " + path_).c_str()); }
  const std::string& path() const { return path_; }

private:
  std::string path_;
};

} // namespace atende::test

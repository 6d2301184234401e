// The fake webhook receiver (tests/support/fake_receiver.h) over real HTTP,
// driven with libcurl: requests are recorded with their headers, scripted,
// ruled, delayed and hung answers behave as the tests that lean on them
// expect, and signature_valid takes only a signature made with the secret,
// over the body as sent, recently.
#include <gtest/gtest.h>

#include <curl/curl.h>

#include <cctype>
#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "gateways/crypto.h"
#include "tests/support/fake_receiver.h"

namespace atende::test {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

constexpr const char* secret = "whsec-fake-receiver-test";

/// answer is what the receiver answered a POST; `error` is libcurl's, when
/// no answer came.
struct answer {
  long status = 0;
  std::string body{};
  std::string location{};
  std::string error{};
};

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

answer post(const std::string& url, const std::string& body,
            const std::vector<std::string>& headers = {},
            std::chrono::milliseconds timeout = 5s) {
  [[maybe_unused]] static const auto init = curl_global_init(CURL_GLOBAL_ALL);
  answer out;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    out.error = "curl_easy_init failed";
    return out;
  }
  curl_slist* list = curl_slist_append(nullptr, "Expect:");
  for (const auto& h : headers) {
    list = curl_slist_append(list, h.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  auto rc = curl_easy_perform(curl);
  if (rc != CURLE_OK) {
    out.error = curl_easy_strerror(rc);
  } else {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out.status);
    char* location = nullptr;
    curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
    if (location != nullptr) {
      out.location = location;
    }
  }
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return out;
}

long long unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// signature is an X-Atende-Signature value for `body` signed at `t`.
std::string signature(const std::string& key, long long t,
                      const std::string& body) {
  auto stamp = std::to_string(t);
  return "t=" + stamp + ",v1=" + hmac_sha256_hex(key, stamp + "." + body);
}

std::string event(const std::string& id, const std::string& type) {
  return json{{"id", id},         {"seq", 7},
              {"type", type},     {"at", "2025-01-02T03:04:05Z"},
              {"tenant", "acme"}, {"data", {{"conversation_id", "c-1"}}}}
      .dump();
}

/// deliver POSTs an event as atende does, signed now with `secret`.
answer deliver(const fake_receiver& rx, const std::string& id,
               const std::string& type = "message.received") {
  auto body = event(id, type);
  return post(rx.url(), body,
              {"Content-Type: application/json", "X-Atende-Delivery: " + id,
               "X-Atende-Signature: " + signature(secret, unix_now(), body)});
}

class FakeReceiver : public ::testing::Test {
protected:
  fake_receiver rx_;
};

TEST_F(FakeReceiver, UrlIsTheLoopbackPortAndPath) {
  auto origin = "http://127.0.0.1:" + std::to_string(rx_.port());
  EXPECT_EQ(rx_.url(), origin + "/hook");
  EXPECT_EQ(rx_.url("/crm/events?x=1"), origin + "/crm/events?x=1");
}

TEST_F(FakeReceiver, RecordsAPostWithItsHeaders) {
  auto before = std::chrono::steady_clock::now();
  auto r = deliver(rx_, "d-1");
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{}");
  EXPECT_TRUE(rx_.wait_count(1, 0ms));
  ASSERT_EQ(rx_.count(), 1u);
  auto got = rx_.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].method, "POST");
  EXPECT_EQ(got[0].target, "/hook");
  EXPECT_EQ(got[0].headers["content-type"], "application/json");
  EXPECT_EQ(got[0].headers["x-atende-delivery"], "d-1");
  EXPECT_TRUE(got[0].headers["x-atende-signature"].starts_with("t="));
  EXPECT_EQ(got[0].body, event("d-1", "message.received"));
  EXPECT_EQ(got[0].json["type"], "message.received");
  EXPECT_EQ(got[0].json["tenant"], "acme");
  EXPECT_GE(got[0].at, before);
  EXPECT_LE(got[0].at, std::chrono::steady_clock::now());
  ASSERT_TRUE(rx_.wait_delivered(1, 5s));
  EXPECT_EQ(rx_.delivered()[0].headers["x-atende-delivery"], "d-1");
}

TEST_F(FakeReceiver, BodyThatIsNotJsonIsRecordedWithNullJson) {
  EXPECT_EQ(post(rx_.url("/other"), "not json").status, 200);
  auto got = rx_.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].target, "/other");
  EXPECT_EQ(got[0].body, "not json");
  EXPECT_TRUE(got[0].json.is_null());
}

TEST_F(FakeReceiver, ScriptedFailuresComeFirstThenTheDefault) {
  rx_.answer_next(1, {.status = 503, .body = "busy"});
  rx_.answer_next(2, {.status = 500});
  auto first = deliver(rx_, "d-1");
  EXPECT_EQ(first.status, 503);
  EXPECT_EQ(first.body, "busy");
  EXPECT_EQ(deliver(rx_, "d-2").status, 500);
  EXPECT_EQ(deliver(rx_, "d-3").status, 500);
  auto last = deliver(rx_, "d-4");
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(last.body, "{}");
  EXPECT_EQ(rx_.count(), 4u);
  ASSERT_TRUE(rx_.wait_delivered(1, 5s));
  auto accepted = rx_.delivered();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted[0].headers["x-atende-delivery"], "d-4");
  EXPECT_EQ(rx_.count_delivered(), 1u);
}

TEST_F(FakeReceiver, RuleComesBeforeTheScript) {
  rx_.answer_next(1, {.status = 500});
  rx_.set_rule([](const received& r) -> std::optional<reply> {
    auto it = r.headers.find("x-atende-delivery");
    if (it != r.headers.end() && it->second == "d-gone") {
      return reply{.status = 410, .body = ""};
    }
    return std::nullopt;
  });
  auto gone = deliver(rx_, "d-gone");
  EXPECT_EQ(gone.status, 410);
  EXPECT_EQ(gone.body, "");
  EXPECT_EQ(deliver(rx_, "d-1").status, 500);
  EXPECT_EQ(deliver(rx_, "d-2").status, 200);
  rx_.set_rule(nullptr);
  EXPECT_EQ(deliver(rx_, "d-gone").status, 200);
}

TEST_F(FakeReceiver, RuleThatThrowsIsA500) {
  rx_.set_rule([](const received&) -> std::optional<reply> {
    throw std::runtime_error{"boom"};
  });
  auto r = deliver(rx_, "d-1");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(json::parse(r.body)["fake_receiver"], "boom");
  EXPECT_EQ(rx_.count(), 1u);
}

TEST_F(FakeReceiver, HungRequestIsAnsweredOnRelease) {
  rx_.answer_next(1,
                  {.status = 202, .body = R"({"queued":true})", .hang = true});
  auto pending =
      std::async(std::launch::async, [this] { return deliver(rx_, "d-held"); });
  ASSERT_TRUE(rx_.wait_count(1, 5s));
  EXPECT_EQ(pending.wait_for(50ms), std::future_status::timeout);
  // Other connections are served meanwhile.
  EXPECT_EQ(deliver(rx_, "d-other").status, 200);
  ASSERT_TRUE(rx_.wait_delivered(1, 5s));
  rx_.release_hung();
  auto r = pending.get();
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.body, R"({"queued":true})");
  ASSERT_TRUE(rx_.wait_delivered(2, 5s));
  auto accepted = rx_.delivered();
  EXPECT_EQ(accepted[0].headers["x-atende-delivery"], "d-other");
  EXPECT_EQ(accepted[1].headers["x-atende-delivery"], "d-held");
}

TEST_F(FakeReceiver, DelayedReplyIsWrittenAfterItsDelay) {
  rx_.answer_next(1, {.delay = 200ms});
  auto start = std::chrono::steady_clock::now();
  auto pending =
      std::async(std::launch::async, [this] { return deliver(rx_, "d-slow"); });
  ASSERT_TRUE(rx_.wait_count(1, 5s));
  // The I/O threads are not held by the timer.
  EXPECT_EQ(deliver(rx_, "d-quick").status, 200);
  auto r = pending.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
  ASSERT_TRUE(rx_.wait_delivered(2, 5s));
  auto accepted = rx_.delivered();
  ASSERT_EQ(accepted.size(), 2u);
  EXPECT_TRUE(accepted[0].headers["x-atende-delivery"] == "d-slow" ||
              accepted[1].headers["x-atende-delivery"] == "d-slow");
}

TEST_F(FakeReceiver, DelayLongerThanTheSendersTimeoutIsATimeout) {
  rx_.answer_next(1, {.delay = 2s});
  auto r = post(rx_.url(), event("d-1", "message.received"), {}, 100ms);
  EXPECT_FALSE(r.error.empty());
  EXPECT_TRUE(rx_.wait_count(1, 5s));
  EXPECT_EQ(rx_.count_delivered(), 0u);
}

TEST_F(FakeReceiver, RedirectCarriesItsLocation) {
  auto elsewhere = rx_.url("/moved");
  rx_.answer_next(1, {.status = 308, .body = "", .location = elsewhere});
  auto r = deliver(rx_, "d-1");
  EXPECT_EQ(r.status, 308);
  EXPECT_EQ(r.location, elsewhere);
  EXPECT_EQ(rx_.count_delivered(), 0u);
}

TEST_F(FakeReceiver, StoppingDropsHungRequests) {
  auto doomed = std::make_unique<fake_receiver>();
  doomed->answer_next(1, {.hang = true});
  auto url = doomed->url();
  auto pending = std::async(std::launch::async, [url] {
    return post(url, event("d-1", "message.received"));
  });
  ASSERT_TRUE(doomed->wait_count(1, 5s));
  doomed.reset();
  auto r = pending.get();
  EXPECT_FALSE(r.error.empty());
  EXPECT_EQ(r.status, 0);
}

TEST_F(FakeReceiver, WaitCountTellsWhetherTheyArrived) {
  EXPECT_FALSE(rx_.wait_count(1, 10ms));
  EXPECT_FALSE(rx_.wait_delivered(1, 10ms));
  auto waiting =
      std::async(std::launch::async, [this] { return rx_.wait_count(3, 5s); });
  for (int i = 0; i < 3; ++i) {
    deliver(rx_, "d-" + std::to_string(i));
  }
  EXPECT_TRUE(waiting.get());
  EXPECT_TRUE(rx_.wait_count(3, 0ms));
  EXPECT_TRUE(rx_.wait_delivered(3, 5s));
}

TEST_F(FakeReceiver, NotRecordingKeepsOnlyCounts) {
  rx_.record(false);
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(deliver(rx_, "d-" + std::to_string(i)).status, 200);
  }
  EXPECT_EQ(rx_.count(), 50u);
  ASSERT_TRUE(rx_.wait_delivered(50, 5s));
  EXPECT_TRUE(rx_.requests().empty());
  EXPECT_TRUE(rx_.delivered().empty());
  rx_.record(true);
  deliver(rx_, "d-last");
  EXPECT_EQ(rx_.requests().size(), 1u);
}

TEST_F(FakeReceiver, SignatureValidTakesOnlyTheSecretsFreshSignature) {
  ASSERT_EQ(deliver(rx_, "d-1").status, 200);
  auto got = rx_.requests();
  ASSERT_EQ(got.size(), 1u);
  const auto& r = got[0];
  EXPECT_TRUE(signature_valid(r, secret));
  EXPECT_FALSE(signature_valid(r, "another-secret"));
  EXPECT_FALSE(signature_valid(r, ""));

  auto tampered = r;
  tampered.body.replace(tampered.body.find("acme"), 4, "evil");
  EXPECT_FALSE(signature_valid(tampered, secret));

  auto stale = r;
  stale.headers["x-atende-signature"] =
      signature(secret, unix_now() - 400, r.body);
  EXPECT_FALSE(signature_valid(stale, secret));
  EXPECT_TRUE(signature_valid(stale, secret, 600s));
  auto ahead = r;
  ahead.headers["x-atende-signature"] =
      signature(secret, unix_now() + 400, r.body);
  EXPECT_FALSE(signature_valid(ahead, secret));

  // The signed timestamp cannot be swapped for a fresher one.
  auto moved = r;
  auto header = r.headers.at("x-atende-signature");
  auto v1 = header.substr(header.find(",v1="));
  moved.headers["x-atende-signature"] =
      "t=" + std::to_string(unix_now() + 1) + v1;
  EXPECT_FALSE(signature_valid(moved, secret));
}

TEST_F(FakeReceiver, SignatureValidRejectsMalformedHeaders) {
  received r;
  r.body = event("d-1", "message.received");
  EXPECT_FALSE(signature_valid(r, secret)); // no header
  auto good = signature(secret, unix_now(), r.body);
  auto mac = good.substr(good.find("v1=") + 3);
  auto now = std::to_string(unix_now());
  for (const auto& bad :
       {std::string{}, "v1=" + mac, "t=" + now,
        "t=" + now + ",v1=", "t=abc,v1=" + mac, "t=-" + now + ",v1=" + mac,
        "t=" + now + ",t=" + now + ",v1=" + mac,
        "t=" + now + ",v1=" + mac.substr(0, 63), "t=" + now + ",v0=" + mac}) {
    r.headers["x-atende-signature"] = bad;
    EXPECT_FALSE(signature_valid(r, secret)) << bad;
  }
  // Several v1 (a secret being rotated): one that matches is enough.
  r.headers["x-atende-signature"] =
      "t=" + now + ",v1=" + std::string(64, '0') +
      ", v1=" + hmac_sha256_hex(secret, now + "." + r.body);
  EXPECT_TRUE(signature_valid(r, secret));
  // Upper-case hex is not what atende sends.
  auto upper = hmac_sha256_hex(secret, now + "." + r.body);
  for (auto& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  r.headers["x-atende-signature"] = "t=" + now + ",v1=" + upper;
  EXPECT_FALSE(signature_valid(r, secret));
}

} // namespace
} // namespace atende::test

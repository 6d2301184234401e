// Subscriptions (outbound webhooks, CONTRACT "Live updates and
// subscriptions") over real HTTP both ways: `atende serve` as a child
// process, delivering to the suite's fake receivers (tests/support/
// fake_receiver.h). Every delivery is signed and named; a receiver that
// fails, hangs or redirects is retried with the same id until it accepts,
// in order, nothing skipped, across a crash; a hanging receiver holds back
// neither ingest nor other subscriptions; a position may be delivered
// again; a paused subscription goes on where it stood; a subscription gets
// only the types it chose; loopback and private networks are refused
// unless the operator allows them; agents may not touch subscriptions.
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "tests/e2e/server_process.h"
#include "tests/support/fake_receiver.h"

namespace atende::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* pnid = "1065";
constexpr const char* customer = "5531988887777";

/// The settings the fixture gives the server (unset after each test).
const std::vector<std::string> settings{
  "ATENDE_SUBSCRIPTIONS_ALLOW_PRIVATE",
  "ATENDE_SUBSCRIPTIONS_RETRY_BASE_MS",
  "ATENDE_SUBSCRIPTIONS_TIMEOUT_MS",
  "ATENDE_SUBSCRIPTIONS_CONNECT_TIMEOUT_MS",
  "ATENDE_SUBSCRIPTIONS_MAX_BACKOFF_SECONDS",
  "ATENDE_SECRET_KEY"};

/// str is the value at `pointer` in `j` as text: "" when absent, a string
/// as it is, anything else as JSON.
std::string str(const json& j, const std::string& pointer) {
  const json::json_pointer p{pointer};
  if (!j.is_object() || !j.contains(p)) {
    return "";
  }
  const auto& v = j.at(p);
  return v.is_string() ? v.get<std::string>() : v.dump();
}

/// header is the value of header `name` (lower case) of `r`, "" if none.
std::string header(const received& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string{} : it->second;
}

/// seq_of is a delivery body's `seq` (-1 when it has none).
long long seq_of(const received& r) {
  if (!r.json.is_object() || !r.json.contains("seq") ||
      !r.json.at("seq").is_number_integer()) {
    return -1;
  }
  return r.json.at("seq").get<long long>();
}

/// place: where a delivery stands, (seq, n), from its id
/// "<subscription>:<seq>:<n>".
using place = std::pair<long long, long long>;

std::optional<place> place_of(const received& r, const std::string& sub) {
  const auto id = str(r.json, "/id");
  const auto prefix = sub + ":";
  if (!id.starts_with(prefix)) {
    return std::nullopt;
  }
  const std::string_view rest = std::string_view{id}.substr(prefix.size());
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  const char* const begin = rest.data();
  const char* const mid = begin + colon;
  const char* const end = begin + rest.size();
  long long seq = -1;
  long long n = -1;
  const auto a = std::from_chars(begin, mid, seq);
  const auto b = std::from_chars(mid + 1, end, n);
  if (a.ec != std::errc{} || a.ptr != mid || b.ec != std::errc{} ||
      b.ptr != end) {
    return std::nullopt;
  }
  return place{seq, n};
}

/// frame: a delivery as (seq, n, type), whatever its subscription.
using frame = std::tuple<long long, long long, std::string>;

std::vector<frame> frames_of(const std::vector<received>& got,
                             const std::string& sub) {
  std::vector<frame> out;
  out.reserve(got.size());
  for (const auto& d : got) {
    const auto p = place_of(d, sub).value_or(place{-1, -1});
    out.emplace_back(p.first, p.second, str(d.json, "/type"));
  }
  return out;
}

/// steps_back counts the frames that do not come after the one before
/// them (by seq, then n).
int steps_back(const std::vector<frame>& fs) {
  int back = 0;
  for (std::size_t i = 1; i < fs.size(); ++i) {
    const place a{std::get<0>(fs[i - 1]), std::get<1>(fs[i - 1])};
    const place b{std::get<0>(fs[i]), std::get<1>(fs[i])};
    if (!(a < b)) {
      ++back;
    }
  }
  return back;
}

/// created: the message.created deliveries of `got`, delivery id → the
/// message's text.
std::map<std::string, std::string> created(const std::vector<received>& got) {
  std::map<std::string, std::string> out;
  for (const auto& d : got) {
    if (str(d.json, "/type") == "message.created") {
      out[str(d.json, "/id")] = str(d.json, "/data/message/text");
    }
  }
  return out;
}

/// has_texts: every text of `texts` came in a message.created of `got`.
bool has_texts(const std::vector<received>& got,
               const std::vector<std::string>& texts) {
  std::set<std::string> seen;
  for (const auto& [id, text] : created(got)) {
    seen.insert(text);
  }
  return std::all_of(texts.begin(), texts.end(), [&](const std::string& t) {
    return seen.contains(t);
  });
}

/// shows_assignee: a conversation.updated of `got` shows conversation
/// `conv` assigned to `agent`.
bool shows_assignee(const std::vector<received>& got, const std::string& conv,
                    const std::string& agent) {
  return std::any_of(got.begin(), got.end(), [&](const received& d) {
    return str(d.json, "/type") == "conversation.updated" &&
           str(d.json, "/data/id") == conv &&
           str(d.json, "/data/assignee") == agent;
  });
}

/// generated: the form of a secret atende made up, "whsec_" and 64 hex
/// digits.
bool generated(const std::string& s) {
  return s.size() == 6 + 64 && s.starts_with("whsec_") &&
         s.find_first_not_of("0123456789abcdef", 6) == std::string::npos;
}

long long ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::steady_clock::now() - t0)
    .count();
}

/// until waits for `pred` (about what `r` accepted) to hold, looking again
/// each time `r` accepts a delivery (and at least every 250 ms), for up to
/// `timeout`.
template <class Pred>
bool until(const fake_receiver& r, Pred pred,
           std::chrono::milliseconds timeout = 20s) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto seen = r.count_delivered();
    if (pred()) {
      return true;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      end - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return false;
    }
    (void)r.wait_delivered(seen + 1,
                           std::min(left, std::chrono::milliseconds{250}));
  }
}

/// polled asks `pred` (an HTTP GET) again and again until it holds or
/// `timeout` passes.
template <class Pred>
bool polled(Pred pred, std::chrono::milliseconds timeout = 20s) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= end) {
      return false;
    }
    std::this_thread::yield();
  }
  return true;
}

class SubscriptionFlow : public ::testing::Test {
protected:
  void SetUp() override {
    // The receivers listen on 127.0.0.1; retries come fast, a silent
    // receiver is given up on after a second.
    setenv("ATENDE_SUBSCRIPTIONS_ALLOW_PRIVATE", "true", 1);
    setenv("ATENDE_SUBSCRIPTIONS_RETRY_BASE_MS", "50", 1);
    setenv("ATENDE_SUBSCRIPTIONS_TIMEOUT_MS", "1000", 1);
    setenv("ATENDE_SUBSCRIPTIONS_CONNECT_TIMEOUT_MS", "1000", 1);
    setenv("ATENDE_SUBSCRIPTIONS_MAX_BACKOFF_SECONDS", "1", 1);
    setenv("ATENDE_SECRET_KEY", std::string(64, 'a').c_str(), 1);
    boot();
  }
  void TearDown() override {
    for (const auto& v : settings) {
      unsetenv(v.c_str());
    }
  }

  /// boot starts the server on the fixture's data; the first time, it
  /// makes tenant acme (teams support and sales, channel wa, agent Ana).
  void boot() {
    srv_ = std::make_unique<server_process>(dir_.path());
    ASSERT_TRUE(srv_->start());
    if (!admin_.empty()) {
      return;
    }
    admin_ = new_tenant(srv_->port(), "acme");
    ASSERT_FALSE(admin_.empty());
    auto a = as(admin_);
    for (const char* team : {"support", "sales"}) {
      ASSERT_EQ(a.post("/v1/teams", {{"id", team}, {"name", team}}).status,
                201);
    }
    add_channel(a, "wa", pnid, "support");
    ana_ = add_agent(a, "ana", "Ana", "support");
    ASSERT_FALSE(ana_.empty());
  }

  api as(const std::string& token) { return api{srv_->port(), token}; }

  /// subscribe: POST /v1/subscriptions as the admin, `extra` merged into
  /// the body.
  api::reply subscribe(const std::string& url,
                       const json& events = json::array({"*"}),
                       const json& extra = json::object()) {
    json body = {{"url", url}, {"events", events}};
    body.update(extra);
    return as(admin_).post("/v1/subscriptions", body);
  }

  /// create makes subscription `id` and returns its plaintext secret (""
  /// and a test failure when refused).
  std::string create(const std::string& id, const std::string& url,
                     const json& events = json::array({"*"}),
                     const std::string& secret = "") {
    json extra = {{"id", id}};
    if (!secret.empty()) {
      extra["secret"] = secret;
    }
    auto r = subscribe(url, events, extra);
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.status == 201 ? r.body.value("secret", "") : "";
  }

  /// inbound posts a customer's text message; returns its conversation.
  std::string inbound(const std::string& id, const std::string& from,
                      const std::string& text) {
    auto r = as(admin_).post("/v1/events",
                             text_envelope("acme", pnid, id, from, text));
    EXPECT_EQ(r.status, 202) << r.body.dump();
    if (r.status != 202) {
      return "";
    }
    return r.body["results"][0].value("conversation", "");
  }

  /// take: Ana takes conversation `conv`.
  void take(const std::string& conv) {
    auto r = as(ana_).post("/v1/conversations/" + conv + "/assign", {});
    EXPECT_EQ(r.status, 200) << r.body.dump();
  }

  /// delivery_of is the `delivery` of subscription `id` (null if none).
  json delivery_of(const std::string& id) {
    auto r = as(admin_).get("/v1/subscriptions/" + id);
    if (r.status != 200 || !r.body.is_object() ||
        !r.body.contains("delivery")) {
      return nullptr;
    }
    return r.body["delivery"];
  }

  std::string state_of(const std::string& id) {
    auto d = delivery_of(id);
    return d.is_object() ? d.value("state", "") : "";
  }

  /// settled waits until subscription `id` has nothing left to deliver.
  bool settled(const std::string& id) {
    return polled([&] {
      auto d = delivery_of(id);
      return d.is_object() && d.value("state", "") == "idle" &&
             d.value("pending", -1) == 0;
    });
  }

  /// attempts is the delivery log of subscription `id`, newest first.
  json attempts(const std::string& id) {
    auto r =
      as(admin_).get("/v1/subscriptions/" + id + "/deliveries?limit=1000");
    EXPECT_EQ(r.status, 200) << r.body.dump();
    if (r.status != 200 || !r.body.is_object() || !r.body.contains("items") ||
        !r.body["items"].is_array()) {
      return json::array();
    }
    return r.body["items"];
  }

  temp_dir dir_;
  std::unique_ptr<server_process> srv_;
  std::string admin_, ana_;
};

TEST_F(SubscriptionFlow, AReceiverThatFailsHangsAndRecoversGetsEveryDeliveryInOrderSigned) {
  fake_receiver crm;
  // Two refusals, then silence past the timeout (1 s), then 200s.
  crm.answer_next(2, {.status = 503});
  crm.answer_next(1, {.hang = true});
  const std::string secret = "e2e-crm-secret-0123456789";
  auto made = subscribe(crm.url(), json::array({"*"}),
                        {{"id", "crm"}, {"secret", secret}});
  ASSERT_EQ(made.status, 201) << made.body.dump();
  EXPECT_EQ(made.body["id"], "crm");
  EXPECT_EQ(made.body["secret"], secret);
  ASSERT_TRUE(made.body["delivered_seq"].is_number_integer())
    << made.body.dump();
  // The journal's position when it was made: deliveries follow it.
  const auto since = made.body["delivered_seq"].get<long long>();

  const std::vector<std::string> customers{customer, "5531977776666",
                                           "5521955554444"};
  std::vector<std::string> texts;
  std::map<std::string, std::string> conversation; // customer → conversation
  auto say = [&](std::size_t i) {
    const auto& from = customers[i % customers.size()];
    texts.push_back("mensagem " + std::to_string(i));
    conversation[from] = inbound("w" + std::to_string(i), from, texts.back());
  };
  for (std::size_t i = 1; i <= 6; ++i) {
    say(i);
  }

  // The first delivery: refused twice, unanswered once, accepted the fourth
  // time, always under the same id.
  ASSERT_TRUE(crm.wait_delivered(1, 20s));
  const auto tried = crm.requests();
  ASSERT_GE(tried.size(), 4u);
  const auto first = header(tried[0], "x-atende-delivery");
  ASSERT_FALSE(first.empty());
  for (std::size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(header(tried[i], "x-atende-delivery"), first) << "request " << i;
  }
  const auto accepted_first = crm.delivered().at(0);
  EXPECT_EQ(header(accepted_first, "x-atende-delivery"), first);

  // The log shows each attempt, newest first: 503, 503, the timeout, 200.
  std::vector<json> of_first;
  ASSERT_TRUE(polled([&] {
    of_first.clear();
    for (const auto& e : attempts("crm")) {
      if (e.value("delivery", "") == first) {
        of_first.push_back(e);
      }
    }
    return of_first.size() >= 4;
  }));
  ASSERT_EQ(of_first.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(of_first[i].value("attempt", 0), static_cast<int>(4 - i))
      << of_first[i].dump();
    EXPECT_EQ(of_first[i]["seq"], accepted_first.json.at("seq"));
    EXPECT_EQ(of_first[i]["type"], accepted_first.json.at("type"));
  }
  EXPECT_EQ(of_first[3]["status"], 503) << of_first[3].dump();
  EXPECT_EQ(of_first[2]["status"], 503) << of_first[2].dump();
  EXPECT_TRUE(of_first[1]["status"].is_null()) << of_first[1].dump();
  EXPECT_NE(str(of_first[1], "/error").find("timeout"), std::string::npos)
    << of_first[1].dump();
  EXPECT_GE(of_first[1].value("duration_ms", 0), 900) << of_first[1].dump();
  EXPECT_EQ(of_first[0]["status"], 200) << of_first[0].dump();
  EXPECT_TRUE(of_first[0]["error"].is_null()) << of_first[0].dump();

  // Ana takes two conversations; then, with deliveries under way, a crash.
  std::vector<std::string> taken{conversation[customers[0]],
                                 conversation[customers[1]]};
  for (const auto& conv : taken) {
    take(conv);
  }
  ASSERT_TRUE(crm.wait_delivered(3, 20s));
  srv_->kill9();
  ASSERT_NO_FATAL_FAILURE(boot());
  for (std::size_t i = 7; i <= 10; ++i) {
    say(i);
  }
  taken.push_back(conversation[customers[2]]);
  take(taken.back());

  ASSERT_TRUE(until(
    crm,
    [&] {
      const auto got = crm.delivered();
      return has_texts(got, texts) &&
             std::all_of(taken.begin(), taken.end(),
                         [&](const std::string& conv) {
                           return shows_assignee(got, conv, "ana");
                         });
    },
    60s))
    << created(crm.delivered()).size() << " messages delivered";
  ASSERT_TRUE(settled("crm"));
  const auto got = crm.delivered();
  const auto all = crm.requests();

  // Every attempt: POSTed to the address subscribed, signed, named in its
  // header as in its body.
  for (const auto& r : all) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/hook");
    EXPECT_EQ(header(r, "content-type"), "application/json");
    EXPECT_TRUE(signature_valid(r, secret))
      << header(r, "x-atende-signature") << " " << r.body;
    EXPECT_FALSE(signature_valid(r, secret + "-not"));
    EXPECT_EQ(header(r, "x-atende-delivery"), str(r.json, "/id"));
    EXPECT_EQ(str(r.json, "/tenant"), "acme");
    EXPECT_FALSE(str(r.json, "/at").empty()) << r.body;
    const auto p = place_of(r, "crm");
    ASSERT_TRUE(p.has_value()) << r.body;
    EXPECT_EQ(p->first, seq_of(r)) << r.body;
    EXPECT_GT(p->first, since) << r.body;
  }

  // In order: one at a time, by seq then n; only the crash may go back
  // (what was accepted since the last recorded position comes again).
  EXPECT_LE(steps_back(frames_of(got, "crm")), 1);

  // A delivery that comes again is the same delivery.
  std::map<std::string, std::pair<std::string, std::string>> what;
  for (const auto& d : got) {
    const std::pair<std::string, std::string> v{
      str(d.json, "/type"), str(d.json, "/data/message/id")};
    auto [it, fresh] = what.emplace(str(d.json, "/id"), v);
    if (!fresh) {
      EXPECT_EQ(it->second, v) << it->first;
    }
  }

  // Every id tried was in the end accepted: retries repeat the id and
  // nothing is given up.
  std::set<std::string> tried_ids, accepted_ids;
  for (const auto& r : all) {
    tried_ids.insert(header(r, "x-atende-delivery"));
  }
  for (const auto& d : got) {
    accepted_ids.insert(header(d, "x-atende-delivery"));
  }
  EXPECT_EQ(tried_ids, accepted_ids);

  // Nothing skipped: each message posted came, under one id.
  std::map<std::string, int> ids_per_text;
  for (const auto& [id, text] : created(got)) {
    ++ids_per_text[text];
  }
  for (const auto& t : texts) {
    EXPECT_EQ(ids_per_text[t], 1) << t;
  }
  EXPECT_EQ(ids_per_text.size(), texts.size());

  // Nothing skipped, frame by frame: a subscription that delivers the same
  // part of the journal again in one go, to a receiver that never failed,
  // gets the same frames.
  fake_receiver auditor;
  ASSERT_FALSE(create("audit", auditor.url()).empty());
  auto again = as(admin_).post("/v1/subscriptions/audit/redeliver",
                               {{"from_seq", since + 1}});
  ASSERT_EQ(again.status, 200) << again.body.dump();
  ASSERT_TRUE(until(auditor, [&] {
    return has_texts(auditor.delivered(), texts);
  }));
  ASSERT_TRUE(settled("audit"));
  const auto audited = frames_of(auditor.delivered(), "audit");
  const auto crm_frames = frames_of(got, "crm");
  EXPECT_EQ(std::set<frame>(crm_frames.begin(), crm_frames.end()),
            std::set<frame>(audited.begin(), audited.end()));

  // Where it stands.
  auto d = delivery_of("crm");
  EXPECT_EQ(d["state"], "idle") << d.dump();
  EXPECT_EQ(d["attempt"], 0) << d.dump();
  long long last_seq = 0;
  for (const auto& r : got) {
    last_seq = std::max(last_seq, seq_of(r));
  }
  EXPECT_GE(d.value("delivered_seq", 0LL), last_seq) << d.dump();

  api plain{srv_->port(), ""};
  auto m = plain.raw("GET", "/metrics", "", {});
  const std::string line =
    "atende_subscription_deliveries_total{outcome=\"accepted\"} ";
  auto at = m.body.find(line);
  ASSERT_NE(at, std::string::npos) << m.body;
  EXPECT_GT(std::stoll(m.body.substr(at + line.size())), 0) << m.body;
}

TEST_F(SubscriptionFlow, LoopbackAndPrivateDestinationsAreRefusedUnlessAllowed) {
  fake_receiver crm;
  // Made while private destinations are allowed (the fixture's server).
  ASSERT_FALSE(
    create("crm", crm.url(), json::array({"message.created"})).empty());

  srv_->kill9();
  unsetenv("ATENDE_SUBSCRIPTIONS_ALLOW_PRIVATE");
  ASSERT_NO_FATAL_FAILURE(boot());
  const std::vector<std::string> inside{
    "http://127.0.0.1:9/hook",  "http://10.0.0.1/x",
    "http://[::1]/x",           "http://localhost/x",
    "http://192.168.0.10:8080/crm",
    "http://169.254.169.254/latest/meta-data"};
  for (const auto& url : inside) {
    auto r = subscribe(url);
    EXPECT_EQ(r.status, 422) << url << ": " << r.body.dump();
    EXPECT_EQ(r.body["error"]["code"], "forbidden_destination") << url;
    EXPECT_EQ(r.body["error"]["field"], "url") << url;
  }
  // Nor by a change of address.
  auto moved = as(admin_).call("PATCH", "/v1/subscriptions/crm",
                               {{"url", "http://10.1.2.3/hook"}});
  EXPECT_EQ(moved.status, 422) << moved.body.dump();
  EXPECT_EQ(moved.body["error"]["code"], "forbidden_destination");
  EXPECT_EQ(moved.body["error"]["field"], "url");
  EXPECT_EQ(as(admin_).get("/v1/subscriptions/crm").body["url"], crm.url());
  // What is not an http(s) URL with a host is invalid, allowed or not.
  for (const char* url :
       {"ftp://example.com/hook", "http:///hook", "crm.example.com/hook"}) {
    auto r = subscribe(url);
    EXPECT_EQ(r.status, 422) << url << ": " << r.body.dump();
    EXPECT_EQ(r.body["error"]["code"], "invalid_value") << url;
    EXPECT_EQ(r.body["error"]["field"], "url") << url;
  }
  // A public address is fine (inactive: nothing is sent there).
  auto outside = subscribe("http://93.184.216.34/hook",
                           json::array({"agent.updated"}),
                           {{"id", "outside"}, {"active", false}});
  EXPECT_EQ(outside.status, 201) << outside.body.dump();
  EXPECT_EQ(as(admin_).call("DELETE", "/v1/subscriptions/outside").status,
            204);
  auto list = as(admin_).get("/v1/subscriptions");
  ASSERT_EQ(list.status, 200) << list.body.dump();
  EXPECT_EQ(list.body["items"].size(), 1u) << list.body.dump();

  // The sender checks where it connects, too: the subscription made while
  // it was allowed gets nothing now, and is tried again.
  inbound("w1", customer, "olá de longe");
  ASSERT_TRUE(polled([&] {
    for (const auto& e : attempts("crm")) {
      if (str(e, "/error").starts_with("forbidden_destination")) {
        return true;
      }
    }
    return false;
  }));
  EXPECT_EQ(crm.count(), 0u);

  // Allowed again: the same addresses are accepted, and what was held back
  // goes through.
  srv_->kill9();
  setenv("ATENDE_SUBSCRIPTIONS_ALLOW_PRIVATE", "true", 1);
  ASSERT_NO_FATAL_FAILURE(boot());
  for (const auto& url : inside) {
    auto r =
      subscribe(url, json::array({"agent.updated"}), {{"active", false}});
    EXPECT_EQ(r.status, 201) << url << ": " << r.body.dump();
    EXPECT_EQ(r.body["url"], url);
  }
  ASSERT_TRUE(crm.wait_delivered(1, 20s));
  EXPECT_EQ(str(crm.delivered().at(0).json, "/data/message/text"),
            "olá de longe");
}

TEST_F(SubscriptionFlow, FailedDeliveriesAreRetriedWithExponentialBackoffUpToTheMaximum) {
  // retry_base_ms 50, max_backoff_seconds 1: waits of 50, 100, 200, 400,
  // 800, then 1000 ms at most.
  fake_receiver crm;
  crm.answer_next(7, {.status = 503, .body = "busy"});
  ASSERT_FALSE(
    create("crm", crm.url(), json::array({"message.created"})).empty());
  inbound("w1", customer, "devagar");
  ASSERT_TRUE(crm.wait_delivered(1, 30s));
  const auto tried = crm.requests();
  ASSERT_EQ(tried.size(), 8u);
  // The receiver's own clock: each wait at least the backoff, and the
  // last ones held at the maximum (never much more than it).
  const long long least[] = {50, 100, 200, 400, 800, 1000, 1000};
  for (std::size_t i = 1; i < tried.size(); ++i) {
    const auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(
                       tried[i].at - tried[i - 1].at)
                       .count();
    EXPECT_GE(gap, least[i - 1] - 5) << "attempt " << i + 1;
    EXPECT_EQ(header(tried[i], "x-atende-delivery"),
              header(tried[0], "x-atende-delivery"));
  }
  const auto last_gap = std::chrono::duration_cast<std::chrono::milliseconds>(
                          tried[7].at - tried[6].at)
                          .count();
  EXPECT_LT(last_gap, 1900) << "the wait stops doubling at the maximum";
  // The log numbers the attempts of that delivery.
  json items;
  ASSERT_TRUE(polled([&] {
    items = attempts("crm");
    return items.size() >= 8;
  }));
  EXPECT_EQ(items[0]["attempt"], 8) << items.dump();
  EXPECT_EQ(items[0]["status"], 200);
  EXPECT_EQ(items[7]["attempt"], 1);
  EXPECT_EQ(items[7]["status"], 503);
}

TEST_F(SubscriptionFlow, RedirectsAreNotFollowed) {
  fake_receiver elsewhere;
  fake_receiver crm;
  const auto target = elsewhere.url("/stolen");
  crm.answer_next(1, {.status = 302, .location = target});
  crm.answer_next(1, {.status = 307, .location = target});
  crm.answer_next(1, {.status = 308, .location = target});
  const auto secret =
    create("crm", crm.url(), json::array({"message.created"}));
  ASSERT_FALSE(secret.empty());
  inbound("w1", customer, "siga-me");

  // Tried again at the address subscribed, not at the one it was sent to.
  ASSERT_TRUE(crm.wait_delivered(1, 20s));
  ASSERT_TRUE(settled("crm"));
  const auto tried = crm.requests();
  ASSERT_EQ(tried.size(), 4u);
  for (const auto& r : tried) {
    EXPECT_EQ(r.target, "/hook");
    EXPECT_EQ(header(r, "x-atende-delivery"),
              header(tried[0], "x-atende-delivery"));
    EXPECT_TRUE(signature_valid(r, secret));
  }
  const auto got = crm.delivered();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(str(got[0].json, "/type"), "message.created");
  EXPECT_EQ(str(got[0].json, "/data/message/text"), "siga-me");
  EXPECT_EQ(elsewhere.count(), 0u);

  // The log tells why: newest first, 200 after 308, 307 and 302.
  json items;
  ASSERT_TRUE(polled([&] {
    items = attempts("crm");
    return items.size() >= 4;
  }));
  ASSERT_EQ(items.size(), 4u) << items.dump();
  EXPECT_EQ(items[0]["status"], 200) << items.dump();
  const int redirects[] = {308, 307, 302};
  for (std::size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(items[i]["status"], redirects[i - 1]) << items[i].dump();
    EXPECT_NE(str(items[i], "/error").find("redirect"), std::string::npos)
      << items[i].dump();
  }
}

TEST_F(SubscriptionFlow, AHangingReceiverStallsNeitherIngestNorOtherSubscriptions) {
  // A timeout longer than the test: the hanging receiver holds its request
  // all along.
  srv_->kill9();
  setenv("ATENDE_SUBSCRIPTIONS_TIMEOUT_MS", "60000", 1);
  ASSERT_NO_FATAL_FAILURE(boot());
  fake_receiver slow;
  fake_receiver fast;
  slow.set_rule([](const received&) -> std::optional<reply> {
    return reply{.hang = true};
  });
  ASSERT_FALSE(create("slow", slow.url()).empty());
  ASSERT_FALSE(create("fast", fast.url()).empty());

  std::vector<std::string> texts{"primeira"};
  inbound("w1", customer, texts[0]);
  ASSERT_TRUE(slow.wait_count(1, 20s));
  ASSERT_TRUE(until(fast, [&] { return has_texts(fast.delivered(), texts); }));

  // While the slow receiver holds its first delivery, ingest answers at
  // once…
  const std::vector<std::string> customers{customer, "5531977776666"};
  for (std::size_t i = 2; i <= 6; ++i) {
    texts.push_back("mensagem " + std::to_string(i));
    const auto t0 = std::chrono::steady_clock::now();
    inbound("w" + std::to_string(i), customers[i % 2], texts.back());
    EXPECT_LT(ms_since(t0), 5000) << "POST /v1/events " << i;
  }
  // …and the other subscription gets everything, promptly.
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(until(fast, [&] { return has_texts(fast.delivered(), texts); }));
  EXPECT_LT(ms_since(t0), 10000);
  EXPECT_EQ(slow.count(), 1u);
  EXPECT_EQ(slow.count_delivered(), 0u);
  auto held = delivery_of("slow");
  EXPECT_EQ(held["state"], "delivering") << held.dump();
  EXPECT_GE(held.value("pending", 0), 1) << held.dump();

  // Once it answers, it gets everything too: in order, each once.
  slow.set_rule(nullptr);
  slow.release_hung();
  ASSERT_TRUE(until(slow, [&] { return has_texts(slow.delivered(), texts); }));
  ASSERT_TRUE(settled("slow"));
  ASSERT_TRUE(settled("fast"));
  EXPECT_EQ(slow.count(), slow.count_delivered());
  const auto slow_frames = frames_of(slow.delivered(), "slow");
  EXPECT_EQ(steps_back(slow_frames), 0);
  EXPECT_EQ(slow_frames, frames_of(fast.delivered(), "fast"));
}

TEST_F(SubscriptionFlow, RedeliverSendsAgainFromAPositionWithTheSameIds) {
  fake_receiver crm;
  const auto secret = create("crm", crm.url());
  ASSERT_FALSE(secret.empty());
  const std::vector<std::string> texts{"um", "dois", "três"};
  inbound("w1", customer, texts[0]);
  inbound("w2", "5531977776666", texts[1]);
  inbound("w3", customer, texts[2]);
  ASSERT_TRUE(until(crm, [&] { return has_texts(crm.delivered(), texts); }));
  ASSERT_TRUE(settled("crm"));
  const auto before = crm.delivered();

  // From the event of the second message on.
  long long from = -1;
  for (const auto& d : before) {
    if (str(d.json, "/type") == "message.created" &&
        str(d.json, "/data/message/text") == "dois") {
      from = seq_of(d);
    }
  }
  ASSERT_GT(from, 0);
  std::vector<std::string> expected;
  std::map<std::string, std::string> type_of;
  for (const auto& d : before) {
    type_of[str(d.json, "/id")] = str(d.json, "/type");
    if (seq_of(d) >= from) {
      expected.push_back(str(d.json, "/id"));
    }
  }
  ASSERT_FALSE(expected.empty());
  EXPECT_LT(expected.size(), before.size());

  // Positions it cannot start from.
  auto admin = as(admin_);
  auto zero = admin.post("/v1/subscriptions/crm/redeliver", {{"from_seq", 0}});
  EXPECT_EQ(zero.status, 422) << zero.body.dump();
  EXPECT_EQ(zero.body["error"]["field"], "from_seq");
  auto past =
    admin.post("/v1/subscriptions/crm/redeliver", {{"from_seq", 100000000}});
  EXPECT_EQ(past.status, 422) << past.body.dump();
  EXPECT_EQ(past.body["error"]["field"], "from_seq");
  EXPECT_EQ(
    admin.post("/v1/subscriptions/nope/redeliver", {{"from_seq", 1}}).status,
    404);

  auto r = admin.post("/v1/subscriptions/crm/redeliver", {{"from_seq", from}});
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["id"], "crm");
  EXPECT_EQ(r.body["url"], crm.url());
  EXPECT_FALSE(r.body.contains("secret"));

  ASSERT_TRUE(crm.wait_delivered(before.size() + expected.size(), 20s));
  ASSERT_TRUE(settled("crm"));
  const auto after = crm.delivered();
  std::vector<std::string> sent;
  for (std::size_t i = before.size(); i < after.size(); ++i) {
    const auto& d = after[i];
    const auto id = str(d.json, "/id");
    sent.push_back(id);
    EXPECT_EQ(header(d, "x-atende-delivery"), id);
    EXPECT_EQ(str(d.json, "/type"), type_of[id]) << id;
    EXPECT_TRUE(signature_valid(d, secret)) << id;
  }
  EXPECT_EQ(sent, expected);
}

TEST_F(SubscriptionFlow, ThePlaintextSecretIsShownOnceAndSignsEveryDelivery) {
  fake_receiver crm;
  auto made = subscribe(crm.url(), json::array({"*"}), {{"id", "crm"}});
  ASSERT_EQ(made.status, 201) << made.body.dump();
  const auto secret = made.body.value("secret", "");
  EXPECT_TRUE(generated(secret)) << secret;
  EXPECT_EQ(made.body["id"], "crm");
  EXPECT_EQ(made.body["url"], crm.url());
  EXPECT_EQ(made.body["events"], json::array({"*"}));
  EXPECT_EQ(made.body["active"], true);
  EXPECT_TRUE(made.body.contains("delivered_seq")) << made.body.dump();
  EXPECT_TRUE(made.body.contains("delivery")) << made.body.dump();

  // Never again.
  auto one = as(admin_).get("/v1/subscriptions/crm");
  ASSERT_EQ(one.status, 200) << one.body.dump();
  EXPECT_FALSE(one.body.contains("secret")) << one.body.dump();
  EXPECT_EQ(one.body.dump().find(secret), std::string::npos);
  EXPECT_TRUE(one.body.contains("delivery")) << one.body.dump();
  auto list = as(admin_).get("/v1/subscriptions");
  ASSERT_EQ(list.status, 200) << list.body.dump();
  ASSERT_EQ(list.body["items"].size(), 1u) << list.body.dump();
  EXPECT_FALSE(list.body["items"][0].contains("secret"));
  EXPECT_TRUE(list.body.contains("next_cursor")) << list.body.dump();
  EXPECT_EQ(list.body.dump().find(secret), std::string::npos);

  // A secret of one's own: 16 to 256 bytes.
  for (const auto& bad : {std::string{"too-short"}, std::string(257, 's')}) {
    auto r = subscribe(crm.url(), json::array({"*"}), {{"secret", bad}});
    EXPECT_EQ(r.status, 422) << r.body.dump();
    EXPECT_EQ(r.body["error"]["code"], "invalid_value");
    EXPECT_EQ(r.body["error"]["field"], "secret");
  }
  for (const auto& edge : {std::string(16, 'k'), std::string(256, 'k')}) {
    auto r = subscribe(crm.url(), json::array({"agent.updated"}),
                       {{"id", "edge"}, {"secret", edge}, {"active", false}});
    EXPECT_EQ(r.status, 201) << r.body.dump();
    EXPECT_EQ(r.body.value("secret", ""), edge);
    EXPECT_EQ(as(admin_).call("DELETE", "/v1/subscriptions/edge").status,
              204);
  }

  // It signs every delivery.
  std::vector<std::string> texts{"assinado"};
  inbound("w1", customer, texts[0]);
  ASSERT_TRUE(until(crm, [&] { return has_texts(crm.delivered(), texts); }));
  ASSERT_TRUE(settled("crm"));
  const auto signed_before = crm.requests();
  ASSERT_FALSE(signed_before.empty());
  for (const auto& r : signed_before) {
    EXPECT_TRUE(signature_valid(r, secret)) << r.body;
    EXPECT_FALSE(signature_valid(r, "whsec_" + std::string(64, '0')));
  }

  // A new secret signs what is delivered after the change.
  const std::string rotated = "rotated-secret-for-the-crm-0001";
  auto too_short = as(admin_).call("PATCH", "/v1/subscriptions/crm",
                                   {{"secret", "short"}});
  EXPECT_EQ(too_short.status, 422) << too_short.body.dump();
  EXPECT_EQ(too_short.body["error"]["field"], "secret");
  auto p = as(admin_).call("PATCH", "/v1/subscriptions/crm",
                           {{"secret", rotated}});
  ASSERT_EQ(p.status, 200) << p.body.dump();
  EXPECT_FALSE(p.body.contains("secret")) << p.body.dump();
  EXPECT_EQ(p.body.dump().find(rotated), std::string::npos);
  const auto n0 = crm.count();
  texts.push_back("assinado de novo");
  inbound("w2", customer, texts.back());
  ASSERT_TRUE(until(crm, [&] { return has_texts(crm.delivered(), texts); }));
  ASSERT_TRUE(settled("crm"));
  const auto all = crm.requests();
  ASSERT_GT(all.size(), n0);
  for (std::size_t i = n0; i < all.size(); ++i) {
    EXPECT_TRUE(signature_valid(all[i], rotated)) << all[i].body;
    EXPECT_FALSE(signature_valid(all[i], secret)) << all[i].body;
  }
}

TEST_F(SubscriptionFlow, APausedSubscriptionGoesOnWhereItStoodWhenActiveAgain) {
  fake_receiver crm;
  fake_receiver control; // never paused
  ASSERT_FALSE(create("crm", crm.url()).empty());
  ASSERT_FALSE(create("control", control.url()).empty());
  std::vector<std::string> texts{"antes da pausa"};
  inbound("w1", customer, texts[0]);
  ASSERT_TRUE(until(crm, [&] { return has_texts(crm.delivered(), texts); }));
  ASSERT_TRUE(settled("crm"));

  auto paused = as(admin_).call("PATCH", "/v1/subscriptions/crm",
                                {{"active", false}});
  ASSERT_EQ(paused.status, 200) << paused.body.dump();
  EXPECT_EQ(paused.body["active"], false);
  ASSERT_TRUE(polled([&] { return state_of("crm") == "paused"; }));
  const auto stood = delivery_of("crm")["delivered_seq"];
  const auto sent_before = crm.count();

  texts.push_back("durante a pausa");
  inbound("w2", "5531977776666", texts.back());
  texts.push_back("ainda em pausa");
  inbound("w3", customer, texts.back());
  // The other subscription gets them; the paused one nothing.
  ASSERT_TRUE(
    until(control, [&] { return has_texts(control.delivered(), texts); }));
  ASSERT_TRUE(settled("control"));
  EXPECT_EQ(crm.count(), sent_before);
  auto d = delivery_of("crm");
  EXPECT_EQ(d["state"], "paused") << d.dump();
  EXPECT_EQ(d["delivered_seq"], stood) << d.dump();
  EXPECT_EQ(as(admin_).get("/v1/subscriptions/crm").body["active"], false);

  // Active again: it goes on from where it stood.
  auto resumed = as(admin_).call("PATCH", "/v1/subscriptions/crm",
                                 {{"active", true}});
  ASSERT_EQ(resumed.status, 200) << resumed.body.dump();
  EXPECT_EQ(resumed.body["active"], true);
  ASSERT_TRUE(until(crm, [&] { return has_texts(crm.delivered(), texts); }));
  ASSERT_TRUE(settled("crm"));
  EXPECT_NE(state_of("crm"), "paused");
  // Nothing skipped, nothing twice: what the one never paused got.
  EXPECT_EQ(frames_of(crm.delivered(), "crm"),
            frames_of(control.delivered(), "control"));
}

TEST_F(SubscriptionFlow, OnlyTheEventTypesASubscriptionChoseAreDelivered) {
  fake_receiver messages;
  fake_receiver conversations;
  fake_receiver everything;
  const std::vector<json> invalid{
    json::array({"conversation.created"}),
    json::array({"message"}),
    json::array({"counts"}),
    json::array({"note.mention"}),
    json::array({"bogus.*"}),
    json::array({"*.*"}),
    json::array({""}),
    json::array({"message.created", "nope"}),
    json::array()};
  for (const auto& events : invalid) {
    auto r = subscribe(messages.url(), events);
    EXPECT_EQ(r.status, 422) << events.dump() << ": " << r.body.dump();
    EXPECT_EQ(r.body["error"]["code"], "invalid_value") << events.dump();
    EXPECT_EQ(r.body["error"]["field"], "events") << events.dump();
  }

  ASSERT_FALSE(create("messages", messages.url(),
                      json::array({"message.created"}))
                 .empty());
  ASSERT_FALSE(create("conversations", conversations.url(),
                      json::array({"conversation.*"}))
                 .empty());
  ASSERT_FALSE(create("everything", everything.url()).empty());
  auto p = as(admin_).call("PATCH", "/v1/subscriptions/messages",
                           {{"events", json::array({"messages.*"})}});
  EXPECT_EQ(p.status, 422) << p.body.dump();
  EXPECT_EQ(p.body["error"]["field"], "events");

  const std::vector<std::string> texts{"oi", "tudo bem?"};
  auto conv = inbound("w1", customer, texts[0]);
  inbound("w2", "5531977776666", texts[1]);
  take(conv);
  ASSERT_TRUE(until(everything, [&] {
    const auto got = everything.delivered();
    return has_texts(got, texts) && shows_assignee(got, conv, "ana");
  }));
  for (const char* id : {"messages", "conversations", "everything"}) {
    ASSERT_TRUE(settled(id)) << id;
  }
  EXPECT_TRUE(has_texts(messages.delivered(), texts));

  // What each got is what "*" got of the types it chose, event by event
  // (the frame's place n is left aside: it is not said whether it counts
  // the frames left out).
  using kind = std::pair<long long, std::string>; // seq, type
  auto kinds = [](const std::vector<received>& got) {
    std::vector<kind> out;
    for (const auto& d : got) {
      out.emplace_back(seq_of(d), str(d.json, "/type"));
    }
    return out;
  };
  std::vector<kind> want_messages, want_conversations;
  for (const auto& k : kinds(everything.delivered())) {
    if (k.second == "message.created") {
      want_messages.push_back(k);
    }
    if (k.second.starts_with("conversation.")) {
      want_conversations.push_back(k);
    }
  }
  ASSERT_FALSE(want_conversations.empty()); // there was something to leave out
  EXPECT_EQ(kinds(messages.delivered()), want_messages);
  EXPECT_EQ(kinds(conversations.delivered()), want_conversations);
  // Within an event, the chosen frames keep their order.
  EXPECT_EQ(steps_back(frames_of(messages.delivered(), "messages")), 0);
  EXPECT_EQ(steps_back(frames_of(conversations.delivered(), "conversations")),
            0);
}

TEST_F(SubscriptionFlow, AgentsMayNotReadOrChangeSubscriptions) {
  fake_receiver crm;
  fake_receiver control;
  ASSERT_FALSE(create("crm", crm.url()).empty());
  auto ana = as(ana_);
  auto refused = [](const api::reply& r, const std::string& what) {
    EXPECT_EQ(r.status, 403) << what << ": " << r.body.dump();
    if (r.status == 403) {
      EXPECT_EQ(str(r.body, "/error/code"), "forbidden") << what;
    }
  };
  refused(ana.get("/v1/subscriptions"), "list");
  refused(ana.post("/v1/subscriptions",
                   {{"url", crm.url()}, {"events", json::array({"*"})}}),
          "create");
  refused(ana.get("/v1/subscriptions/crm"), "get");
  refused(ana.call("PATCH", "/v1/subscriptions/crm", {{"active", false}}),
          "patch");
  refused(ana.call("DELETE", "/v1/subscriptions/crm"), "delete");
  refused(ana.get("/v1/subscriptions/crm/deliveries"), "deliveries");
  refused(ana.post("/v1/subscriptions/crm/redeliver", {{"from_seq", 1}}),
          "redeliver");

  // Nothing changed.
  auto admin = as(admin_);
  auto still = admin.get("/v1/subscriptions/crm");
  ASSERT_EQ(still.status, 200) << still.body.dump();
  EXPECT_EQ(still.body["active"], true);
  EXPECT_EQ(admin.get("/v1/subscriptions").body["items"].size(), 1u);

  // An admin may delete it; then it is gone, and gets nothing more.
  EXPECT_EQ(admin.call("DELETE", "/v1/subscriptions/crm").status, 204);
  EXPECT_EQ(admin.get("/v1/subscriptions/crm").status, 404);
  EXPECT_EQ(admin.get("/v1/subscriptions/crm/deliveries").status, 404);
  EXPECT_EQ(admin.get("/v1/subscriptions").body["items"].size(), 0u);
  ASSERT_FALSE(create("control", control.url()).empty());
  const std::vector<std::string> texts{"depois de apagar"};
  inbound("w1", customer, texts[0]);
  ASSERT_TRUE(
    until(control, [&] { return has_texts(control.delivered(), texts); }));
  ASSERT_TRUE(settled("control"));
  EXPECT_EQ(crm.count(), 0u);
}

TEST_F(SubscriptionFlow, ACleanStopRecordsWhereDeliveryStoodSoNothingAcceptedComesAgain) {
  fake_receiver crm;
  ASSERT_FALSE(create("crm", crm.url()).empty());
  std::vector<std::string> texts{"antes 1", "antes 2", "antes 3"};
  inbound("w1", customer, texts[0]);
  inbound("w2", "5531977776666", texts[1]);
  inbound("w3", customer, texts[2]);
  ASSERT_TRUE(until(crm, [&] { return has_texts(crm.delivered(), texts); }));
  ASSERT_TRUE(settled("crm"));
  std::set<std::string> accepted;
  for (const auto& d : crm.delivered()) {
    accepted.insert(header(d, "x-atende-delivery"));
  }
  const auto n0 = crm.count();

  ASSERT_EQ(srv_->stop(), 0);
  ASSERT_NO_FATAL_FAILURE(boot());
  texts.push_back("depois");
  inbound("w4", customer, texts.back());
  ASSERT_TRUE(until(crm, [&] { return has_texts(crm.delivered(), texts); }));
  ASSERT_TRUE(settled("crm"));
  const auto all = crm.requests();
  ASSERT_GT(all.size(), n0);
  for (std::size_t i = n0; i < all.size(); ++i) {
    const auto id = header(all[i], "x-atende-delivery");
    EXPECT_FALSE(accepted.contains(id))
      << id << " was accepted before the stop";
  }
}

} // namespace
} // namespace atende::test

// fake_graph: a stand-in for Meta's Graph API (WhatsApp Cloud API,
// `https://graph.facebook.com/v21.0`), for the tests and benchmarks of
// atende's sender and media fetcher.
//
// It is a real HTTP/1.1 server on 127.0.0.1 (a free port, keep-alive, two
// I/O threads of its own) that answers in Meta's formats:
//
//   POST   /v21.0/{phone_number_id}/messages  a send: 200 with `contacts` and
//          a fresh wamid; `{"status":"read","message_id"}`: {"success":true}
//   POST   /v21.0/{phone_number_id}/media     multipart/form-data with
//          `messaging_product`, `type`, `file`: the bytes are kept, {"id"}
//   GET    /v21.0/{media_id}                  {messaging_product, url,
//          mime_type, sha256 (hex), file_size, id}; an unknown id is
//          Graph's 400 for an object that does not exist (code 100/33)
//   DELETE /v21.0/{media_id}                  {"success":true}
//   GET    /media/{media_id}                  the bytes, with their type
//
// Every route wants `Authorization: Bearer <token>`: a token that is not
// accepted is Meta's 401 (code 190). With no token registered
// (`accept_token`), any non-empty one is. A messages body that is not a JSON
// object with `messaging_product` is Meta's 400 (code 100).
//
// Sends can be made to fail. Each authorised POST to .../messages (a send or
// a mark-as-read) goes first to the rule (`set_rule`), if any; a send the
// rule lets through takes the next scripted answer (`answer_next`), if any;
// otherwise the default answer above. `meta_error(code)` builds the bodies
// Meta answers with, and the fixtures tests/fixtures/whatsapp/
// graph_error_<code>.json hold the same JSON. A reply with `hang` is not
// written until `release_hung` (then its status and body, or the default
// answer when its body is empty); on destruction it is dropped unanswered.
//
// Every request is recorded in arrival order; `record(false)` keeps only the
// counts, for benchmarks. A send is any POST to .../messages that is not a
// mark-as-read, whatever it was answered.
//
// Thread-safety: every member may be called from any thread. The rule runs
// on an I/O thread, without the fake's lock held.
//
// Example:
//   fake_graph graph;
//   graph.accept_token("EAAG-test");
//   graph.answer_next(meta_error(131047));   // the first send fails
//   // ... ATENDE_WHATSAPP_GRAPH_URL=graph.url(), channel token EAAG-test ...
//   ASSERT_TRUE(graph.wait_sends(2, std::chrono::seconds{5}));
//   EXPECT_EQ(graph.sends()[1].json["to"], "5511987654321");
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace atende::test {

/// graph_request is one request as the fake received it.
struct graph_request {
  std::string method{};
  std::string target{};        // path and query, as sent
  std::string authorization{}; // the header as sent ("Bearer …")
  std::string content_type{};
  std::string body{};
  nlohmann::json json{}; // the body parsed, null when it is not JSON
};

/// graph_reply is an answer to give; every member has a default, so that
/// `graph_reply{.hang = true}` or `{.status = 503, .body = "busy"}` reads
/// as what differs.
struct graph_reply {
  unsigned status = 200;
  std::string body{};
  std::string content_type = "application/json";
  bool hang = false; // answer only on release_hung
};

class fake_graph {
public:
  /// The constructor listens on a free port and starts the I/O threads.
  fake_graph();
  /// The destructor stops; hung requests are dropped unanswered.
  ~fake_graph();
  fake_graph(const fake_graph&) = delete;
  fake_graph& operator=(const fake_graph&) = delete;

  /// url is the base URL in place of Meta's:
  /// "http://127.0.0.1:<port>/v21.0".
  [[nodiscard]] std::string url() const;
  [[nodiscard]] std::uint16_t port() const;

  /// accept_token adds `token` to the accepted ones.
  void accept_token(std::string token);

  /// add_media stores a media as if uploaded and returns its id.
  std::string add_media(std::string bytes, std::string mime_type);
  /// uploaded is a stored media's bytes and MIME type (uploaded or added).
  [[nodiscard]] std::optional<std::pair<std::string, std::string>>
  uploaded(const std::string& media_id) const;

  /// answer_next answers the next `n` sends (in arrival order) with `r`,
  /// after what was already scripted.
  void answer_next(graph_reply r, std::size_t n = 1);
  /// set_rule installs a rule for every authorised messages request (sends
  /// and mark-as-read); it returns nullopt to let the request through.
  void set_rule(
      std::function<std::optional<graph_reply>(const graph_request&)> rule);
  /// release_hung answers every request held by a `hang` reply.
  void release_hung();

  /// record(false) stops keeping requests (counts go on); true resumes.
  void record(bool on);
  /// requests is every request recorded, in arrival order.
  [[nodiscard]] std::vector<graph_request> requests() const;
  /// sends is the recorded sends: POSTs to .../messages but mark-as-read.
  [[nodiscard]] std::vector<graph_request> sends() const;
  /// wait_sends blocks until `n` sends arrived in all, or `timeout`
  /// passed; it tells whether they did.
  [[nodiscard]] bool wait_sends(std::size_t n,
                                std::chrono::milliseconds timeout) const;
  [[nodiscard]] std::size_t count_sends() const;
  [[nodiscard]] std::size_t count_requests() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// meta_error is Meta's answer for error `code`, with its HTTP status (Meta's
/// error-codes reference): 100 (a required parameter missing, 400), 190
/// (invalid token, 401), 130429 (throughput, 429), 131000 (500), 131016
/// (503), 131026, 131047, 131051, 132000, 132012, 133010 (400), 131048 and
/// 131056 (429), 132001 (404). Another code gets a 400 with a generic
/// message.
[[nodiscard]] graph_reply meta_error(int code);

/// meta_unknown_object is Graph's answer to a GET of an id that does not
/// exist, such as an expired media (400, code 100, subcode 33).
[[nodiscard]] graph_reply meta_unknown_object(const std::string& id);

} // namespace atende::test

#include "tests/support/fake_graph.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string_view>

#include <boost/asio/post.hpp>
#include <boost/beast/http.hpp>

#include "gateways/crypto.h"
#include "tests/support/graph_formats.h"
#include "tests/support/loopback_server.h"

namespace atende::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::string_view version_path = "/v21.0/";
constexpr std::string_view media_path = "/media/";
constexpr std::size_t max_body = 128u << 20; // WhatsApp's media top at 100 MB

graph_reply json_reply(const nlohmann::ordered_json& j) {
  return {
      200,
      j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace),
      "application/json", false};
}

} // namespace

struct fake_graph::impl {
  class session;

  struct media {
    std::string bytes;
    std::string mime_type;
  };

  /// The constructor starts serving.
  impl();
  /// stop stops serving and drops the hung requests.
  void stop();

  /// handle records `req` (from session `s`) and decides its answer; a hung
  /// answer is held for `s`.
  graph_reply handle(graph_request& req, const std::shared_ptr<session>& s);
  graph_reply route(const graph_request& req, std::string_view path,
                    bool is_messages, bool is_send);
  graph_reply messages(const graph_request& req, bool is_send);
  graph_reply upload(const graph_request& req);
  graph_reply media_info(const std::string& id);
  graph_reply media_bytes(const std::string& id);
  [[nodiscard]] bool authorised(const std::string& authorization) const;

  // First, so that it is destroyed last: the sessions live on its I/O.
  loopback_server server{2};

  mutable std::mutex mtx;
  mutable std::condition_variable sent;
  std::set<std::string, std::less<>> tokens;
  std::map<std::string, media, std::less<>> stored;
  std::deque<graph_reply> script;
  std::function<std::optional<graph_reply>(const graph_request&)> rule;
  std::vector<std::pair<std::shared_ptr<session>, graph_reply>> hung;
  std::vector<graph_request> log;
  std::vector<std::size_t> send_at; // indices in `log` of the sends
  bool recording = true;
  std::size_t requests = 0;
  std::size_t sends = 0;
};

// One connection: a request is read, answered, and the next one read.
class fake_graph::impl::session : public http_session {
public:
  session(tcp::socket socket, impl& graph)
      : http_session(std::move(socket), max_body), graph_(graph) {}

  /// answer writes `r` (on the session's strand).
  void answer(graph_reply r) {
    response res;
    res.result(r.status);
    if (!r.content_type.empty()) {
      res.set(http::field::content_type, r.content_type);
    }
    res.body() = std::move(r.body);
    write(std::move(res));
  }

  /// post_answer writes `r` from any thread.
  void post_answer(graph_reply r) {
    asio::post(executor(),
               [self = shared<session>(), r = std::move(r)]() mutable {
                 self->answer(std::move(r));
               });
  }

private:
  void on_request(request msg) override {
    graph_request req;
    req.method = std::string{msg.method_string()};
    req.target = std::string{msg.target()};
    req.authorization = std::string{msg[http::field::authorization]};
    req.content_type = std::string{msg[http::field::content_type]};
    req.body = std::move(msg.body());
    auto r = graph_.handle(req, shared<session>());
    if (!r.hang) {
      answer(std::move(r));
    }
  }

  impl& graph_;
};

fake_graph::impl::impl() {
  server.start([this](tcp::socket s) {
    std::make_shared<session>(std::move(s), *this)->run();
  });
}

void fake_graph::impl::stop() {
  server.stop();
  std::lock_guard lock{mtx};
  hung.clear();
}

bool fake_graph::impl::authorised(const std::string& authorization) const {
  constexpr std::string_view bearer = "Bearer ";
  if (!authorization.starts_with(bearer) ||
      authorization.size() == bearer.size()) {
    return false;
  }
  auto token = std::string_view{authorization}.substr(bearer.size());
  std::lock_guard lock{mtx};
  return tokens.empty() || tokens.contains(token);
}

graph_reply fake_graph::impl::handle(graph_request& req,
                                     const std::shared_ptr<session>& s) {
  auto path = std::string_view{req.target};
  path = path.substr(0, path.find('?'));
  bool is_messages = req.method == "POST" && path.starts_with(version_path) &&
                     path.ends_with("/messages");
  if (!req.body.empty() &&
      !req.content_type.starts_with("multipart/form-data")) {
    req.json = nlohmann::json::parse(req.body, nullptr, false);
    if (req.json.is_discarded()) {
      req.json = nullptr;
    }
  }
  bool is_send =
      is_messages && !(req.json.is_object() && req.json.contains("status") &&
                       req.json["status"] == "read");
  {
    std::lock_guard lock{mtx};
    ++requests;
    if (recording) {
      if (is_send) {
        send_at.push_back(log.size());
      }
      log.push_back(req);
    }
  }
  graph_reply r;
  try {
    r = route(req, path, is_messages, is_send);
  } catch (const std::exception& e) {
    // A rule that throws: make it visible to the test, keep the thread.
    r = {500, std::string{"fake_graph: "} + e.what(), "text/plain", false};
  }
  {
    // A send is counted once it is answered or held, so that a test woken
    // by wait_sends may release what is held.
    std::lock_guard lock{mtx};
    if (r.hang) {
      auto held = r;
      held.hang = false;
      hung.emplace_back(s, std::move(held));
    }
    if (is_send) {
      ++sends;
    }
  }
  if (is_send) {
    sent.notify_all();
  }
  return r;
}

graph_reply fake_graph::impl::route(const graph_request& req,
                                    std::string_view path, bool is_messages,
                                    bool is_send) {
  if (!authorised(req.authorization)) {
    return meta_error(190);
  }
  if (path.starts_with(media_path)) {
    return media_bytes(std::string{path.substr(media_path.size())});
  }
  if (is_messages) {
    return messages(req, is_send);
  }
  auto rest = path.starts_with(version_path)
                  ? std::string{path.substr(version_path.size())}
                  : std::string{path};
  if (req.method == "POST" && rest.ends_with("/media")) {
    return upload(req);
  }
  if (req.method == "GET") {
    return media_info(rest);
  }
  if (req.method == "DELETE") {
    std::lock_guard lock{mtx};
    if (stored.erase(rest) > 0) {
      return json_reply({{"success", true}});
    }
  }
  return meta_unknown_object(rest);
}

graph_reply fake_graph::impl::messages(const graph_request& req, bool is_send) {
  std::function<std::optional<graph_reply>(const graph_request&)> r;
  {
    std::lock_guard lock{mtx};
    r = rule;
  }
  std::optional<graph_reply> answer;
  if (r) {
    answer = r(req);
  }
  if (!answer && is_send) {
    std::lock_guard lock{mtx};
    if (!script.empty()) {
      answer = std::move(script.front());
      script.pop_front();
    }
  }
  if (answer && !(answer->hang && answer->body.empty())) {
    return *answer;
  }
  const auto& j = req.json;
  graph_reply fallback;
  if (!j.is_object() || !j.contains("messaging_product")) {
    fallback = missing_parameter("messaging_product");
  } else if (!is_send) {
    fallback = json_reply({{"success", true}});
  } else if (!j.contains("to") || !j["to"].is_string()) {
    fallback = missing_parameter("to");
  } else {
    auto to = j["to"].get<std::string>();
    fallback = json_reply(
        {{"messaging_product", "whatsapp"},
         {"contacts", {{{"input", to}, {"wa_id", digits_of(to)}}}},
         {"messages",
          {{{"id", new_wamid(to)}, {"message_status", "accepted"}}}}});
  }
  fallback.hang = answer && answer->hang;
  return fallback;
}

graph_reply fake_graph::impl::upload(const graph_request& req) {
  auto parts = parse_form(req.content_type, req.body);
  const form_part* product = nullptr;
  const form_part* type = nullptr;
  const form_part* file = nullptr;
  for (const auto& p : parts) {
    if (p.name == "messaging_product") {
      product = &p;
    } else if (p.name == "type") {
      type = &p;
    } else if (p.name == "file") {
      file = &p;
    }
  }
  if (product == nullptr) {
    return missing_parameter("messaging_product");
  }
  if (file == nullptr) {
    return missing_parameter("file");
  }
  auto mime = type != nullptr ? std::string{type->body} : file->content_type;
  auto id = new_media_id();
  std::lock_guard lock{mtx};
  stored[id] = {std::string{file->body}, std::move(mime)};
  return json_reply({{"id", id}});
}

graph_reply fake_graph::impl::media_info(const std::string& id) {
  std::lock_guard lock{mtx};
  auto it = stored.find(id);
  if (it == stored.end()) {
    return meta_unknown_object(id);
  }
  // Meta documents file_size as a string, as in its examples.
  return json_reply(
      {{"messaging_product", "whatsapp"},
       {"url", "http://127.0.0.1:" + std::to_string(server.port()) +
                   std::string{media_path} + id},
       {"mime_type", it->second.mime_type},
       {"sha256", sha256_hex(it->second.bytes)},
       {"file_size", std::to_string(it->second.bytes.size())},
       {"id", id}});
}

graph_reply fake_graph::impl::media_bytes(const std::string& id) {
  std::lock_guard lock{mtx};
  auto it = stored.find(id);
  if (it == stored.end()) {
    return {404, "Not Found", "text/plain", false};
  }
  return {200, it->second.bytes, it->second.mime_type, false};
}

fake_graph::fake_graph() : impl_(std::make_unique<impl>()) {}

fake_graph::~fake_graph() {
  impl_->stop();
}

std::string fake_graph::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->server.port()) + "/v21.0";
}

std::uint16_t fake_graph::port() const {
  return impl_->server.port();
}

void fake_graph::accept_token(std::string token) {
  std::lock_guard lock{impl_->mtx};
  impl_->tokens.insert(std::move(token));
}

std::string fake_graph::add_media(std::string bytes, std::string mime_type) {
  auto id = new_media_id();
  std::lock_guard lock{impl_->mtx};
  impl_->stored[id] = {std::move(bytes), std::move(mime_type)};
  return id;
}

std::optional<std::pair<std::string, std::string>>
fake_graph::uploaded(const std::string& media_id) const {
  std::lock_guard lock{impl_->mtx};
  auto it = impl_->stored.find(media_id);
  if (it == impl_->stored.end()) {
    return std::nullopt;
  }
  return std::pair{it->second.bytes, it->second.mime_type};
}

void fake_graph::answer_next(graph_reply r, std::size_t n) {
  std::lock_guard lock{impl_->mtx};
  impl_->script.insert(impl_->script.end(), n, r);
}

void fake_graph::set_rule(
    std::function<std::optional<graph_reply>(const graph_request&)> rule) {
  std::lock_guard lock{impl_->mtx};
  impl_->rule = std::move(rule);
}

void fake_graph::release_hung() {
  std::vector<std::pair<std::shared_ptr<impl::session>, graph_reply>> held;
  {
    std::lock_guard lock{impl_->mtx};
    held.swap(impl_->hung);
  }
  for (auto& [s, r] : held) {
    s->post_answer(std::move(r));
  }
}

void fake_graph::record(bool on) {
  std::lock_guard lock{impl_->mtx};
  impl_->recording = on;
}

std::vector<graph_request> fake_graph::requests() const {
  std::lock_guard lock{impl_->mtx};
  return impl_->log;
}

std::vector<graph_request> fake_graph::sends() const {
  std::lock_guard lock{impl_->mtx};
  std::vector<graph_request> out;
  out.reserve(impl_->send_at.size());
  for (auto i : impl_->send_at) {
    out.push_back(impl_->log[i]);
  }
  return out;
}

bool fake_graph::wait_sends(std::size_t n,
                            std::chrono::milliseconds timeout) const {
  std::unique_lock lock{impl_->mtx};
  return impl_->sent.wait_for(lock, timeout, [&] { return impl_->sends >= n; });
}

std::size_t fake_graph::count_sends() const {
  std::lock_guard lock{impl_->mtx};
  return impl_->sends;
}

std::size_t fake_graph::count_requests() const {
  std::lock_guard lock{impl_->mtx};
  return impl_->requests;
}

} // namespace atende::test

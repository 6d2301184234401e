#include "tests/support/fake_receiver.h"

#include <cctype>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string_view>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "tests/support/loopback_server.h"

namespace atende::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t max_body = 16u << 20;

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

bool accepted_status(unsigned status) {
  return status >= 200 && status < 300;
}

} // namespace

struct fake_receiver::impl {
  class session;

  /// The constructor starts serving.
  impl();
  /// stop stops serving and drops the hung requests.
  void stop();

  /// handle records `req` (from session `s`) and decides its answer; a hung
  /// answer is held for `s`.
  reply handle(const received& req, const std::shared_ptr<session>& s);
  /// accept_delivery counts `req` as delivered: a 2xx answer to it was
  /// written.
  void accept_delivery(received req);

  // First, so that it is destroyed last: the sessions live on its I/O.
  loopback_server server{2};

  mutable std::mutex mtx;
  mutable std::condition_variable changed;
  std::deque<reply> script;
  std::function<std::optional<reply>(const received&)> rule;
  std::vector<std::pair<std::shared_ptr<session>, reply>> hung;
  std::vector<received> log;
  std::vector<received> accepted;
  bool recording = true;
  std::size_t requests = 0;
  std::size_t deliveries = 0;
};

// One connection: a request is read, answered (after a delay, or on
// release), and the next one read.
class fake_receiver::impl::session : public http_session {
public:
  session(tcp::socket socket, impl& owner)
      : http_session(std::move(socket), max_body), timer_(executor()),
        owner_(owner) {}

  /// respond writes `r` once its delay passed (on the session's strand).
  void respond(reply r) {
    if (r.delay.count() <= 0) {
      return answer(std::move(r));
    }
    timer_.expires_after(r.delay);
    r.delay = {};
    timer_.async_wait([self = shared<session>(),
                       r = std::move(r)](beast::error_code ec) mutable {
      if (!ec) {
        self->answer(std::move(r));
      }
    });
  }

  /// post_respond responds `r` from any thread.
  void post_respond(reply r) {
    asio::post(executor(),
               [self = shared<session>(), r = std::move(r)]() mutable {
                 self->respond(std::move(r));
               });
  }

private:
  void on_request(request msg) override {
    received req;
    req.method = std::string{msg.method_string()};
    req.target = std::string{msg.target()};
    for (const auto& field : msg) {
      auto name = field.name_string();
      auto value = std::string{field.value()};
      auto [it, fresh] = req.headers.emplace(
          lower(std::string_view{name.data(), name.size()}), value);
      if (!fresh) {
        it->second += ", " + value;
      }
    }
    req.body = std::move(msg.body());
    if (!req.body.empty()) {
      req.json = nlohmann::json::parse(req.body, nullptr, false);
      if (req.json.is_discarded()) {
        req.json = nullptr;
      }
    }
    req.at = std::chrono::steady_clock::now();
    current_ = std::move(req);
    auto r = owner_.handle(current_, shared<session>());
    if (!r.hang) {
      respond(std::move(r));
    }
  }

  void answer(reply r) {
    status_ = r.status;
    response res;
    res.result(r.status);
    if (!r.body.empty()) {
      res.set(http::field::content_type, "application/json");
    }
    if (!r.location.empty()) {
      res.set(http::field::location, r.location);
    }
    res.body() = std::move(r.body);
    write(std::move(res));
  }

  void on_written(beast::error_code ec) override {
    if (!ec && accepted_status(status_)) {
      owner_.accept_delivery(std::move(current_));
    }
    current_ = {};
  }

  asio::steady_timer timer_;
  received current_; // the request being answered
  impl& owner_;
  unsigned status_ = 0;
};

fake_receiver::impl::impl() {
  server.start([this](tcp::socket s) {
    std::make_shared<session>(std::move(s), *this)->run();
  });
}

void fake_receiver::impl::stop() {
  server.stop();
  std::lock_guard lock{mtx};
  hung.clear();
}

reply fake_receiver::impl::handle(const received& req,
                                  const std::shared_ptr<session>& s) {
  std::function<std::optional<reply>(const received&)> r;
  {
    std::lock_guard lock{mtx};
    if (recording) {
      log.push_back(req);
    }
    r = rule;
  }
  std::optional<reply> answer;
  if (r) {
    try {
      answer = r(req);
    } catch (const std::exception& e) {
      // A rule that throws: make it visible to the test, keep the thread.
      answer =
          reply{.status = 500,
                .body = nlohmann::json{{"fake_receiver", e.what()}}.dump(
                    -1, ' ', false, nlohmann::json::error_handler_t::replace)};
    } catch (...) {
      answer =
          reply{.status = 500, .body = R"({"fake_receiver":"the rule threw"})"};
    }
  }
  {
    // A request is counted once its answer is decided, so that a test woken
    // by wait_count may release what is held.
    std::lock_guard lock{mtx};
    if (!answer && !script.empty()) {
      answer = std::move(script.front());
      script.pop_front();
    }
    if (!answer) {
      answer = reply{};
    }
    if (answer->hang) {
      auto held = *answer;
      held.hang = false;
      hung.emplace_back(s, std::move(held));
    }
    ++requests;
  }
  changed.notify_all();
  return std::move(*answer);
}

void fake_receiver::impl::accept_delivery(received req) {
  {
    std::lock_guard lock{mtx};
    ++deliveries;
    if (recording) {
      accepted.push_back(std::move(req));
    }
  }
  changed.notify_all();
}

fake_receiver::fake_receiver() : impl_(std::make_unique<impl>()) {}

fake_receiver::~fake_receiver() {
  impl_->stop();
}

std::string fake_receiver::url(std::string path) const {
  return "http://127.0.0.1:" + std::to_string(impl_->server.port()) + path;
}

std::uint16_t fake_receiver::port() const {
  return impl_->server.port();
}

void fake_receiver::answer_next(std::size_t n, reply r) {
  std::lock_guard lock{impl_->mtx};
  impl_->script.insert(impl_->script.end(), n, r);
}

void fake_receiver::set_rule(
    std::function<std::optional<reply>(const received&)> rule) {
  std::lock_guard lock{impl_->mtx};
  impl_->rule = std::move(rule);
}

void fake_receiver::release_hung() {
  std::vector<std::pair<std::shared_ptr<impl::session>, reply>> held;
  {
    std::lock_guard lock{impl_->mtx};
    held.swap(impl_->hung);
  }
  for (auto& [s, r] : held) {
    s->post_respond(std::move(r));
  }
}

void fake_receiver::record(bool on) {
  std::lock_guard lock{impl_->mtx};
  impl_->recording = on;
}

std::vector<received> fake_receiver::requests() const {
  std::lock_guard lock{impl_->mtx};
  return impl_->log;
}

std::size_t fake_receiver::count() const {
  std::lock_guard lock{impl_->mtx};
  return impl_->requests;
}

bool fake_receiver::wait_count(std::size_t n,
                               std::chrono::milliseconds timeout) const {
  std::unique_lock lock{impl_->mtx};
  return impl_->changed.wait_for(lock, timeout,
                                 [&] { return impl_->requests >= n; });
}

std::vector<received> fake_receiver::delivered() const {
  std::lock_guard lock{impl_->mtx};
  return impl_->accepted;
}

std::size_t fake_receiver::count_delivered() const {
  std::lock_guard lock{impl_->mtx};
  return impl_->deliveries;
}

bool fake_receiver::wait_delivered(std::size_t n,
                                   std::chrono::milliseconds timeout) const {
  std::unique_lock lock{impl_->mtx};
  return impl_->changed.wait_for(lock, timeout,
                                 [&] { return impl_->deliveries >= n; });
}

bool signature_valid(const received& r, const std::string& secret,
                     std::chrono::seconds tolerance) {
  auto header = r.headers.find("x-atende-signature");
  if (header == r.headers.end()) {
    return false;
  }
  std::optional<std::string_view> t;
  std::vector<std::string_view> v1;
  std::string_view rest = header->second;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    auto part = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{}
                                           : rest.substr(comma + 1);
    auto eq = part.find('=');
    if (eq == std::string_view::npos) {
      continue;
    }
    auto key = part.substr(0, eq);
    auto value = part.substr(eq + 1);
    if (key == "t") {
      if (t) {
        return false; // two timestamps: which one was signed is unclear
      }
      t = value;
    } else if (key == "v1") {
      v1.push_back(value);
    }
  }
  if (!t || t->empty() || v1.empty()) {
    return false;
  }
  long long stamp = 0;
  auto [end, ec] = std::from_chars(t->data(), t->data() + t->size(), stamp);
  if (ec != std::errc{} || end != t->data() + t->size() || stamp < 0) {
    return false;
  }
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto skew = now >= stamp ? now - stamp : stamp - now;
  if (tolerance.count() < 0 || skew > tolerance.count()) {
    return false;
  }

  auto payload = std::string{*t} + "." + r.body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
           reinterpret_cast<const unsigned char*>(payload.data()),
           payload.size(), mac, &mac_len) == nullptr) {
    return false;
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string expected;
  expected.reserve(2 * mac_len);
  for (unsigned int i = 0; i < mac_len; ++i) {
    expected += digits[mac[i] >> 4];
    expected += digits[mac[i] & 15];
  }
  bool valid = false;
  for (auto candidate : v1) {
    if (candidate.size() == expected.size() &&
        CRYPTO_memcmp(candidate.data(), expected.data(), expected.size()) ==
            0) {
      valid = true;
    }
  }
  return valid;
}

} // namespace atende::test

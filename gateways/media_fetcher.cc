#include "gateways/media_fetcher.h"

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>

#include <curl/curl.h>
#include <rocksdb/write_batch.h>

#include "actors/store.h"
#include "events/time.h"
#include "gateways/crypto.h"
#include "gateways/curl_handles.h"
#include "gateways/engine_port.h"
#include "gateways/graph_client.h"
#include "gateways/graph_send.h"
#include "gateways/media_store.h"
#include "gateways/secrets.h"
#include "projections/views.h"

namespace atende {

namespace {

using json = nlohmann::json;

/// A fetch the fetcher holds: its key's work and attempts so far.
struct item {
  std::string tenant;
  std::uint64_t seq = 0;
  std::uint32_t attempt = 0;
  bool error_recorded = false; // the message already shows media.error
  json work;
  [[nodiscard]] std::string key() const { return keys::fetching(tenant, seq); }
  [[nodiscard]] std::string channel() const {
    return work.value("channel", "");
  }
};

/// What one attempt came to.
struct fetched {
  enum class kind { stored, retry, failed } k = kind::retry;
  json media;        // stored: {id, mime_type, size, sha256}
  std::string code;  // retry, failed
  std::string title;
};

struct channel_health {
  std::uint64_t fetched = 0, retried = 0;
  std::map<std::string, std::uint64_t> failed;
  json last_error;
};

/// http_get is one GET with the channel's token: the status and body, or
/// the transport failure (code "transport", or "timeout").
struct got {
  long status = 0;
  std::string body;
  std::string content_type;
  std::string failure; // "" when an answer came
  bool timed_out = false;
};

got http_get(CURL* h, const std::string& url, const std::string& token,
             std::uint32_t timeout_ms, std::uint64_t max_bytes) {
  got g;
  curl_easy_reset(h);
  curl_slist* headers =
    curl_slist_append(nullptr, ("Authorization: Bearer " + token).c_str());
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE,
                   static_cast<curl_off_t>(max_bytes));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &append_answer);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &g.body);
  const CURLcode rc = curl_easy_perform(h);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    g.failure = curl_easy_strerror(rc);
    g.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
    return g;
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &g.status);
  char* ct = nullptr;
  curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
  if (ct != nullptr) {
    g.content_type = ct;
  }
  return g;
}

/// graph_failure reads a Graph error answer: Meta no longer having the
/// media is final, anything else may pass.
fetched graph_failure(const got& g) {
  if (!g.failure.empty()) {
    return {fetched::kind::retry, nullptr, g.timed_out ? "timeout" : "transport",
            "no answer from Meta: " + g.failure};
  }
  auto body = json::parse(g.body, nullptr, false);
  const json* err = body.is_object() && body.contains("error") &&
                        body["error"].is_object()
                      ? &body["error"]
                      : nullptr;
  if (err == nullptr) {
    return {fetched::kind::retry, nullptr, "http_" + std::to_string(g.status),
            "Meta answered HTTP " + std::to_string(g.status)};
  }
  auto code = meta_code(err->value("code", json{}));
  auto title = err->value("message", "");
  if (code == "100" && err->value("error_subcode", 0) == 33) {
    return {fetched::kind::failed, nullptr, "media_expired",
            "Meta no longer has this media (media ids expire after 30 days): "
            "ask the customer to send it again"};
  }
  if (auto meaning = failure_meaning(code); !meaning.empty()) {
    title = std::string{meaning};
  }
  return {fetched::kind::retry, nullptr, code, title};
}

/// same_digest tells whether Meta's `sha256` (hex or base64) is `hex`'s.
bool same_digest(const std::string& meta, const std::string& hex) {
  return meta == hex || meta == hex_to_base64(hex);
}

} // namespace

struct media_fetcher::impl {
  impl(store& db, engine_port& port, const views& v, const sealer& s,
       const media_store& m, fetcher_options o)
    : db(db), port(port), view(v), secrets(s), media(m), opt(std::move(o)) {}

  store& db;
  engine_port& port;
  const views& view;
  const sealer& secrets;
  const media_store& media;
  const fetcher_options opt;
  std::thread worker;
  std::weak_ptr<impl> self;

  std::mutex mtx;
  std::condition_variable cv;
  bool stopping = false;
  std::deque<item> ready;
  std::multimap<std::uint64_t, item> waiting; // by due time
  std::vector<std::string> recorded;          // keys whose outcome committed
  std::unordered_set<std::string> held;       // keys taken, not yet done

  mutable std::mutex health_mtx;
  std::map<std::string, channel_health> healths; // tenant "/" channel
  std::map<std::string, std::uint64_t> pending;

  static std::string health_key(const item& it) {
    return it.tenant + "/" + it.channel();
  }

  void count_pending(const item& it, int delta) {
    std::lock_guard g{health_mtx};
    auto& n = pending[health_key(it)];
    n = delta < 0 && n == 0 ? 0 : n + static_cast<std::uint64_t>(delta);
  }

  void note(const item& it, const fetched& f) {
    std::lock_guard g{health_mtx};
    auto& h = healths[health_key(it)];
    if (f.k == fetched::kind::stored) {
      ++h.fetched;
      return;
    }
    if (f.k == fetched::kind::retry) {
      ++h.retried;
    } else {
      ++h.failed[f.code];
    }
    h.last_error = {{"code", f.code},
                    {"title", f.title},
                    {"at", format_time(now_ms())}};
  }

  /// enqueue takes `it` unless it is held already; call with mtx held.
  void enqueue(item it) {
    if (!held.insert(it.key()).second) {
      return;
    }
    count_pending(it, +1);
    ready.push_back(std::move(it));
  }

  // ---- one fetch ----------------------------------------------------------

  fetched attempt(CURL* h, const item& it) {
    const auto& w = it.work;
    auto ch = view.channel_record(it.tenant, it.channel());
    if (!ch || ch->access_token.empty()) {
      return {fetched::kind::retry, nullptr, "no_access_token",
              "the channel has no access token to fetch media with"};
    }
    auto token = secrets.open(ch->access_token);
    if (!token) {
      return {fetched::kind::retry, nullptr, "access_token_unreadable",
              "the channel's access token cannot be opened: " +
                token.error().message};
    }
    auto where = http_get(h, opt.graph_url + "/" + w.value("media_id", ""),
                          *token, opt.timeout_ms, 1u << 20);
    if (!where.failure.empty() || where.status != 200) {
      return graph_failure(where);
    }
    auto about = json::parse(where.body, nullptr, false);
    auto url = about.is_object() ? about.value("url", "") : "";
    if (url.empty()) {
      return {fetched::kind::retry, nullptr, "no_url",
              "Meta's answer for the media has no url"};
    }
    auto bytes =
      http_get(h, url, *token, opt.timeout_ms, opt.max_bytes);
    if (!bytes.failure.empty()) {
      return {fetched::kind::retry, nullptr,
              bytes.timed_out ? "timeout" : "transport",
              "downloading the media failed: " + bytes.failure};
    }
    if (bytes.status != 200) {
      // The URL lives five minutes: the next attempt asks for a new one.
      return {fetched::kind::retry, nullptr,
              "http_" + std::to_string(bytes.status),
              "downloading the media got HTTP " +
                std::to_string(bytes.status)};
    }
    auto hex = sha256_hex(bytes.body);
    for (const auto& claimed :
         {about.value("sha256", ""), w.value("sha256", "")}) {
      if (!claimed.empty() && !same_digest(claimed, hex)) {
        return {fetched::kind::retry, nullptr, "sha256_mismatch",
                "the bytes downloaded do not have the SHA-256 Meta gave"};
      }
    }
    auto id = media.put(bytes.body);
    if (!id) {
      return {fetched::kind::retry, nullptr, "store_failed",
              id.error().message};
    }
    auto mime = about.value("mime_type", w.value("mime_type", ""));
    json meta = {{"mime_type", mime},
                 {"size", bytes.body.size()},
                 {"sha256", *id},
                 {"at", format_time(now_ms())}};
    if (auto r = media.index(it.tenant, *id, meta); !r) {
      return {fetched::kind::retry, nullptr, "store_failed",
              r.error().message};
    }
    return {fetched::kind::stored,
            {{"id", *id},
             {"mime_type", mime},
             {"size", bytes.body.size()},
             {"sha256", *id}},
            "",
            ""};
  }

  // ---- outcomes ---------------------------------------------------------

  input outcome_input(const item& it, const fetched& f, const char* what) {
    message_media_in m;
    m.channel = it.channel();
    m.conversation = it.work.value("conversation", "");
    m.message_id = it.work.value("message_id", "");
    if (f.k == fetched::kind::stored) {
      m.media = f.media;
    } else {
      m.error_code = f.code;
      m.error_title = f.title;
    }
    input in;
    in.id = "media:" + m.message_id + ":" + what;
    in.tenant = it.tenant;
    in.at = now_ms();
    in.actor = "rule:media";
    in.data = std::move(m);
    return in;
  }

  /// record submits an outcome; `final` deletes the key once committed.
  void record(const item& it, const fetched& f, const char* what,
              bool final) {
    std::weak_ptr<impl> w = self;
    auto key = it.key();
    port.submit({outcome_input(it, f, what)},
                [w, key, final](std::vector<outcome> outs) {
                  for (const auto& o : outs) {
                    if (o.st == outcome::status::rejected) {
                      std::fprintf(stderr,
                                   "atende: media: outcome of %s refused: "
                                   "%s\n",
                                   key.c_str(), o.err.message.c_str());
                    }
                  }
                  if (!final) {
                    return;
                  }
                  if (auto s = w.lock()) {
                    std::lock_guard g{s->mtx};
                    s->recorded.push_back(key);
                    s->cv.notify_all();
                  }
                });
  }

  void settle(item it, fetched f) {
    if (f.k == fetched::kind::retry && it.attempt >= opt.max_attempts) {
      f.k = fetched::kind::failed;
      f.title += " (gave up after " + std::to_string(it.attempt) +
                 " attempts)";
    }
    note(it, f);
    if (f.k == fetched::kind::retry) {
      if (!it.error_recorded) {
        record(it, f, "retrying", false);
        it.error_recorded = true;
      }
      const auto due = wall_ms() + retry_delay_ms(it.attempt, opt.retry_base_ms);
      auto state = it.work;
      state["attempt"] = it.attempt;
      state["error_recorded"] = true;
      rocksdb::WriteBatch b;
      b.Put(it.key(), state.dump());
      // Unsynced: a lost state only makes a restart try sooner.
      if (auto r = db.write(b, false); !r) {
        std::fprintf(stderr, "atende: media: %s\n", r.error().message.c_str());
      }
      std::lock_guard g{mtx};
      waiting.emplace(due, std::move(it));
      return;
    }
    count_pending(it, -1);
    record(it, f, f.k == fetched::kind::stored ? "stored" : "failed", true);
  }

  // ---- the loop ---------------------------------------------------------

  /// next waits for a fetch that is due; nullopt when stopping.
  std::optional<item> next() {
    std::unique_lock g{mtx};
    while (true) {
      if (!recorded.empty()) {
        rocksdb::WriteBatch b;
        for (const auto& k : recorded) {
          b.Delete(k);
          held.erase(k);
        }
        recorded.clear();
        // Unsynced: a lost delete only fetches again, idempotently.
        if (auto r = db.write(b, false); !r) {
          std::fprintf(stderr, "atende: media: %s\n",
                       r.error().message.c_str());
        }
      }
      if (stopping) {
        return std::nullopt;
      }
      const auto now = wall_ms();
      while (!waiting.empty() && waiting.begin()->first <= now) {
        ready.push_back(std::move(waiting.begin()->second));
        waiting.erase(waiting.begin());
      }
      if (!ready.empty()) {
        auto it = std::move(ready.front());
        ready.pop_front();
        return it;
      }
      if (waiting.empty()) {
        cv.wait(g);
      } else {
        cv.wait_for(g, std::chrono::milliseconds(waiting.begin()->first - now));
      }
    }
  }

  void run() {
    CURL* h = curl_easy_init();
    while (auto it = next()) {
      it->attempt += 1;
      auto f = h == nullptr ? fetched{fetched::kind::retry, nullptr,
                                      "transport", "libcurl failed to start"}
                            : attempt(h, *it);
      settle(std::move(*it), std::move(f));
    }
    if (h != nullptr) {
      curl_easy_cleanup(h);
    }
  }

  result<void> recover() {
    std::lock_guard g{mtx};
    return db.scan(keys::fetching_prefix, [&](std::string_view k,
                                              std::string_view v) {
      item it;
      if (!parse_work_key(keys::fetching_prefix, k, it.tenant, it.seq)) {
        return true;
      }
      it.work = json::parse(v, nullptr, false);
      if (!it.work.is_object()) {
        return true;
      }
      // A key whose outcome is in the log already (its delete was lost, or
      // in Kafka mode it came with the changelog of a partition that moved
      // here) is not fetched again.
      if (view.media_stored(it.tenant, it.work.value("conversation", ""),
                            it.work.value("message_id", ""))) {
        recorded.push_back(it.key());
        held.insert(it.key());
        return true;
      }
      it.attempt = it.work.value("attempt", 0u);
      it.error_recorded = it.work.value("error_recorded", false);
      enqueue(std::move(it));
      return true;
    });
  }
};

media_fetcher::media_fetcher(store& db, engine_port& port, const views& v,
                             const sealer& secrets, const media_store& media,
                             fetcher_options o)
  : impl_(std::make_shared<impl>(db, port, v, secrets, media, std::move(o))) {
  impl_->self = impl_;
}

media_fetcher::~media_fetcher() {
  {
    std::lock_guard g{impl_->mtx};
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->worker.joinable()) {
    impl_->worker.join();
  }
}

result<void> media_fetcher::start() {
  if (!curl_ready()) {
    return fail(errc::internal, "libcurl failed to initialize");
  }
  if (auto r = impl_->recover(); !r) {
    return r;
  }
  impl_->worker = std::thread([s = impl_.get()] { s->run(); });
  return {};
}

void media_fetcher::notify(const std::vector<event>& events) {
  bool any = false;
  for (const auto& e : events) {
    const auto* m = std::get_if<message_received>(&e.data);
    if (m == nullptr || !m->content.is_object() ||
        !m->content.contains("media")) {
      continue;
    }
    auto v = impl_->db.get(keys::fetching(e.tenant, e.seq));
    if (!v || !*v) {
      continue; // not atende's to fetch
    }
    item it;
    it.tenant = e.tenant;
    it.seq = e.seq;
    it.work = json::parse(**v, nullptr, false);
    if (!it.work.is_object()) {
      continue;
    }
    std::lock_guard g{impl_->mtx};
    impl_->enqueue(std::move(it));
    any = true;
  }
  if (any) {
    impl_->cv.notify_all();
  }
}

json media_fetcher::health(const std::string& tenant,
                           const std::string& channel) const {
  std::lock_guard g{impl_->health_mtx};
  const auto key = tenant + "/" + channel;
  json out = {{"fetched", 0},  {"failed", json::object()}, {"retried", 0},
              {"pending", 0},  {"last_error", nullptr}};
  if (auto p = impl_->pending.find(key); p != impl_->pending.end()) {
    out["pending"] = p->second;
  }
  if (auto it = impl_->healths.find(key); it != impl_->healths.end()) {
    out["fetched"] = it->second.fetched;
    out["failed"] = it->second.failed;
    out["retried"] = it->second.retried;
    out["last_error"] = it->second.last_error;
  }
  return out;
}

std::string media_fetcher::metrics_text() const {
  std::lock_guard g{impl_->health_mtx};
  std::string out =
    "# HELP atende_whatsapp_media_fetches_total Customers' media fetched "
    "from Meta, by outcome.\n# TYPE atende_whatsapp_media_fetches_total "
    "counter\n";
  std::string failures =
    "# HELP atende_whatsapp_media_fetch_failures_total Media fetches given "
    "up, by error code.\n# TYPE atende_whatsapp_media_fetch_failures_total "
    "counter\n";
  for (const auto& [key, h] : impl_->healths) {
    auto labels = channel_labels(key);
    out += "atende_whatsapp_media_fetches_total{" + labels +
           ",outcome=\"fetched\"} " + std::to_string(h.fetched) + "\n";
    out += "atende_whatsapp_media_fetches_total{" + labels +
           ",outcome=\"retried\"} " + std::to_string(h.retried) + "\n";
    for (const auto& [code, n] : h.failed) {
      failures += "atende_whatsapp_media_fetch_failures_total{" + labels +
                  ",code=\"" + code + "\"} " + std::to_string(n) + "\n";
    }
  }
  return out + failures;
}

} // namespace atende

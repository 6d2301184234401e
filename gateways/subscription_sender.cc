#include "gateways/subscription_sender.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include <curl/curl.h>

#include "actors/store.h"
#include "events/live.h"
#include "events/time.h"
#include "gateways/crypto.h"
#include "gateways/curl_handles.h"
#include "gateways/destination.h"
#include "gateways/engine_port.h"
#include "gateways/graph_send.h"
#include "gateways/journal.h"
#include "gateways/secrets.h"
#include "projections/views.h"

namespace atende {

namespace {

using json = nlohmann::json;

/// One delivery: a frame of the tenant's event `seq`, its body made once.
struct delivery {
  std::string id;
  std::int64_t seq = 0;
  std::string_view type;
  std::string body;
};

/// A subscription as the sender holds it.
struct sub {
  std::string tenant;
  subscription record;
  std::string secret; // opened
  std::string secret_error;
  std::int64_t position = 0; // every delivery up to here accepted
  std::int64_t scanned = 0;  // the journal read up to here into `queue`
  std::int64_t epoch = 0;    // rewinds
  std::deque<delivery> queue;
  bool flying = false;
  std::uint64_t generation = 0; // bumped when queue or record change
  std::uint32_t attempt = 0;    // failed attempts of the queue's head
  std::uint64_t due = 0;        // no attempt before (ms)
  std::int64_t recorded = 0;    // the position last submitted as progress
  bool recording = false;       // a progress input is on its way
  bool delivered = false;       // something was accepted since last recorded
  std::uint64_t recorded_at = 0;
  json last_error;
  std::deque<json> log;
};

struct flight {
  std::string key; // tenant "/" id
  std::uint64_t generation = 0;
  CURL* h = nullptr;
  curl_slist* headers = nullptr;
  std::string body;
  std::uint64_t started = 0;
  bool forbidden = false; // the connection was refused by the destination check
};

/// skip_answer reads a receiver's answer body and drops it: only its
/// status counts.
std::size_t skip_answer(char*, std::size_t size, std::size_t n, void*) {
  return size * n;
}

/// refuse_private is the socket opener of a subscription request: it refuses
/// (and flags) an address that is not public.
curl_socket_t refuse_private(void* clientp, curlsocktype,
                             curl_sockaddr* address) {
  auto* f = static_cast<flight*>(clientp);
  if (!is_public_address(&address->addr)) {
    f->forbidden = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

std::string key_of(const std::string& tenant, const std::string& id) {
  return tenant + "/" + id;
}

std::string json_string(std::string_view s) { return json(std::string{s}).dump(); }

} // namespace

std::string delivery_signature(const std::string& secret, std::int64_t t,
                               const std::string& body) {
  auto ts = std::to_string(t);
  return "t=" + ts + ",v1=" + hmac_sha256_hex(secret, ts + "." + body);
}

struct subscription_sender::impl {
  impl(engine_port& p, const views& v, const sealer& s, subscription_options o,
       std::function<bool(const std::string&)> f)
    : port(p), view(v), secrets(s), opt(std::move(o)), serves(std::move(f)) {}
  ~impl() {
    if (multi != nullptr) {
      curl_multi_cleanup(multi);
    }
  }

  engine_port& port;
  const views& view;
  const sealer& secrets;
  const subscription_options opt;
  const std::function<bool(const std::string&)> serves;
  CURLM* multi = nullptr;
  std::thread worker;
  std::atomic<bool> stopping{false};
  std::weak_ptr<impl> self;

  // Handed in from other threads.
  std::mutex inbox_mtx;
  std::vector<event> notified; // subscription events
  std::map<std::string, std::int64_t> heads_in; // tenant → latest seq
  std::vector<std::pair<std::string, std::int64_t>> progress_done;

  // The subscriptions, the worker's, read by state/deliveries under mtx.
  mutable std::mutex mtx;
  std::map<std::string, sub> subs; // tenant "/" id
  std::map<std::string, std::int64_t> heads;
  std::uint64_t accepted = 0, failed = 0;

  std::unordered_map<CURL*, flight> flying;
  easy_handles handles;

  // Progress inputs on their way (the destructor waits for them).
  std::mutex wait_mtx;
  std::condition_variable wait_cv;
  std::size_t recording = 0;

  void wake() {
    if (multi != nullptr) {
      curl_multi_wakeup(multi);
    }
  }

  // ---- the subscriptions ------------------------------------------------

  void hold(const subscription_entry& e) {
    auto& s = subs[key_of(e.tenant, e.record.id)];
    s.tenant = e.tenant;
    s.position = s.scanned = s.recorded = e.position;
    s.epoch = e.rewinds;
    set_record(s, e.record);
  }

  void set_record(sub& s, const subscription& r) {
    const bool refilter = s.record.events != r.events;
    s.record = r;
    s.secret.clear();
    s.secret_error.clear();
    if (auto plain = secrets.open(r.secret)) {
      s.secret = std::move(*plain);
    } else {
      s.secret_error = plain.error().message;
    }
    if (refilter) {
      restart_at(s, s.position);
    }
  }

  /// restart_at drops what was read and reads again after `position`.
  static void restart_at(sub& s, std::int64_t position) {
    s.queue.clear();
    s.position = s.scanned = position;
    s.attempt = 0;
    s.due = 0;
    ++s.generation;
  }

  /// rewinds_of: the subscription's rewinds as the views count them (a
  /// rewind notified twice counts once).
  std::int64_t rewinds_of(const std::string& tenant, const std::string& id) {
    for (const auto& e : view.subscriptions(
           [&tenant](const std::string& t) { return t == tenant; })) {
      if (e.record.id == id) {
        return e.rewinds;
      }
    }
    return 0;
  }

  void take_inbox() {
    std::vector<event> events;
    std::map<std::string, std::int64_t> hs;
    std::vector<std::pair<std::string, std::int64_t>> done;
    {
      std::lock_guard g{inbox_mtx};
      events.swap(notified);
      hs.swap(heads_in);
      done.swap(progress_done);
    }
    std::lock_guard g{mtx};
    for (const auto& [tenant, seq] : hs) {
      auto& h = heads[tenant];
      h = std::max(h, seq);
    }
    for (const auto& [key, position] : done) {
      if (auto it = subs.find(key); it != subs.end()) {
        it->second.recording = false;
      }
    }
    for (const auto& e : events) {
      std::visit(
        [&](const auto& d) {
          using T = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<T, subscription_created>) {
            auto& s = subs[key_of(e.tenant, d.value.id)];
            s.tenant = e.tenant;
            s.position = s.scanned = s.recorded =
              static_cast<std::int64_t>(e.seq);
            set_record(s, d.value);
          } else if constexpr (std::is_same_v<T, subscription_updated>) {
            if (auto it = subs.find(key_of(e.tenant, d.value.id));
                it != subs.end()) {
              set_record(it->second, d.value);
            }
          } else if constexpr (std::is_same_v<T, subscription_deleted>) {
            subs.erase(key_of(e.tenant, d.subscription));
          } else if constexpr (std::is_same_v<T, subscription_rewound>) {
            if (auto it = subs.find(key_of(e.tenant, d.subscription));
                it != subs.end()) {
              restart_at(it->second, d.position);
              it->second.epoch = rewinds_of(e.tenant, d.subscription);
              it->second.recorded = d.position;
              it->second.delivered = false;
            }
          }
        },
        e.data);
    }
  }

  // ---- reading the journal ----------------------------------------------

  /// fill reads the journal after `s.scanned` into deliveries (false when
  /// the tenant's journal is not here now).
  bool fill(sub& s, std::int64_t head) {
    auto db = port.tenant_store(s.tenant);
    if (!db) {
      return false;
    }
    auto events = read_tenant_journal(*db, s.tenant,
                                      static_cast<std::uint64_t>(s.scanned),
                                      opt.read_batch);
    db.reset();
    if (!events) {
      std::fprintf(stderr, "atende: subscriptions: %s\n",
                   events.error().message.c_str());
      return false;
    }
    // Only what the views have applied: the journal may be ahead of them,
    // and a frame shows the views' objects.
    std::erase_if(*events, [head](const event& e) {
      return static_cast<std::int64_t>(e.seq) > head;
    });
    if (events->empty()) {
      // Nothing up to the head: it was an event of another journal (a
      // tenant recreated elsewhere); catch up.
      s.scanned = head;
      return true;
    }
    // An admin following every status sees what the tenant's changes are.
    watcher w;
    w.who.tenant = s.tenant;
    w.who.admin = true;
    w.query.status.clear();
    view.watch(s.tenant, *events, {&w}, static_cast<timestamp>(wall_ms()));
    if (w.reset) {
      // A portfolio's deletion resets streams: frames after it in this
      // batch were not made. Make them event by event.
      w.frames.clear();
      for (const auto& e : *events) {
        watcher one;
        one.who = w.who;
        one.query = w.query;
        view.watch(s.tenant, {e}, {&one}, static_cast<timestamp>(wall_ms()));
        w.frames.insert(w.frames.end(), one.frames.begin(), one.frames.end());
      }
    }
    std::map<std::uint64_t, timestamp> at;
    for (const auto& e : *events) {
      at[e.seq] = e.at;
    }
    std::uint64_t last = 0;
    int n = 0;
    for (const auto& f : w.frames) {
      n = f.seq == last ? n + 1 : 0;
      last = f.seq;
      bool wanted = false;
      for (const auto& p : s.record.events) {
        wanted = wanted || pattern_matches(p, f.type);
      }
      if (!wanted || f.data == nullptr) {
        continue;
      }
      delivery d;
      d.id = s.record.id + ":" + std::to_string(f.seq) + ":" +
             std::to_string(n);
      d.seq = static_cast<std::int64_t>(f.seq);
      d.type = f.type;
      d.body = "{\"id\":" + json_string(d.id) + ",\"seq\":" + std::to_string(f.seq) +
               ",\"type\":" + json_string(f.type) + ",\"at\":" +
               json_string(format_time(at[f.seq])) + ",\"tenant\":" +
               json_string(s.tenant) + ",\"data\":" + *f.data + "}";
      s.queue.push_back(std::move(d));
    }
    s.scanned = static_cast<std::int64_t>(events->back().seq);
    if (s.queue.empty()) {
      s.position = s.scanned;
    }
    return true;
  }

  // ---- requests ---------------------------------------------------------

  void log_attempt(sub& s, const delivery& d, std::uint64_t at, long status,
                   const std::string& error, std::uint64_t took) {
    json entry = {{"delivery", d.id},
                  {"seq", d.seq},
                  {"type", d.type},
                  {"attempt", s.attempt + 1},
                  {"at", format_time(static_cast<timestamp>(at))},
                  {"status", status == 0 ? json(nullptr) : json(status)},
                  {"error", error.empty() ? json(nullptr) : json(error)},
                  {"duration_ms", took}};
    s.log.push_back(std::move(entry));
    while (s.log.size() > opt.log_size) {
      s.log.pop_front();
    }
  }

  void launch(const std::string& key, sub& s, std::uint64_t now) {
    const auto& d = s.queue.front();
    if (!s.secret_error.empty()) {
      fail_attempt(s, d, now, 0,
                   "secret_unreadable: " + s.secret_error, 0);
      return;
    }
    CURL* h = handles.take();
    auto [slot, fresh] = flying.emplace(h, flight{});
    auto& f = slot->second;
    f.key = key;
    f.generation = s.generation;
    f.h = h;
    f.body = d.body;
    f.started = now;
    const auto t = static_cast<std::int64_t>(now / 1000);
    f.headers = curl_slist_append(nullptr, "Content-Type: application/json");
    f.headers = curl_slist_append(f.headers, "User-Agent: atende");
    f.headers = curl_slist_append(f.headers, "Expect:");
    f.headers =
      curl_slist_append(f.headers, ("X-Atende-Delivery: " + d.id).c_str());
    f.headers = curl_slist_append(
      f.headers,
      ("X-Atende-Signature: " + delivery_signature(s.secret, t, f.body))
        .c_str());
    curl_easy_setopt(h, CURLOPT_URL, s.record.url.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, f.headers);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, f.body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(f.body.size()));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(opt.connect_timeout_ms));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(opt.timeout_ms));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &skip_answer);
    if (!opt.allow_private) {
      curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, &refuse_private);
      curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &f);
    }
    s.flying = true;
    curl_multi_add_handle(multi, h);
  }

  void fail_attempt(sub& s, const delivery& d, std::uint64_t now, long status,
                    const std::string& error, std::uint64_t took) {
    log_attempt(s, d, now, status, error, took);
    ++failed;
    s.attempt += 1;
    s.due = now + retry_delay_ms(s.attempt, opt.retry_base_ms,
                                 opt.max_backoff_ms);
    s.last_error = {{"status", status == 0 ? json(nullptr) : json(status)},
                    {"error", error.empty() ? json(nullptr) : json(error)},
                    {"at", format_time(static_cast<timestamp>(now))}};
  }

  void release(flight& f) {
    handles.give_back(f.h, f.headers);
  }

  /// collect takes the answers in; returns how many requests ended.
  std::size_t collect(std::uint64_t now) {
    std::size_t ended = 0;
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
      if (m->msg != CURLMSG_DONE) {
        continue;
      }
      CURL* h = m->easy_handle;
      const CURLcode rc = m->data.result;
      curl_multi_remove_handle(multi, h);
      ++ended;
      auto node = flying.extract(h);
      auto& f = node.mapped();
      long status = 0;
      if (rc == CURLE_OK) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
      }
      const bool forbidden = f.forbidden;
      release(f);
      std::lock_guard g{mtx};
      auto it = subs.find(f.key);
      if (it == subs.end()) {
        continue; // deleted meanwhile
      }
      auto& s = it->second;
      s.flying = false;
      if (f.generation != s.generation || s.queue.empty()) {
        continue; // rewound or refiltered meanwhile: read again
      }
      const auto took = now - std::min(now, f.started);
      const auto& d = s.queue.front();
      if (rc == CURLE_OK && status >= 200 && status < 300) {
        log_attempt(s, d, now, status, {}, took);
        ++accepted;
        s.queue.pop_front();
        s.attempt = 0;
        s.due = 0;
        s.delivered = true;
        s.last_error = nullptr;
        s.position = s.queue.empty() ? s.scanned : s.queue.front().seq - 1;
        continue;
      }
      std::string error;
      if (forbidden) {
        error = "forbidden_destination: the address is on loopback or a "
                "private network";
      } else if (rc == CURLE_OPERATION_TIMEDOUT) {
        error = "timeout: " + std::string{curl_easy_strerror(rc)};
      } else if (rc != CURLE_OK) {
        error = "connection: " + std::string{curl_easy_strerror(rc)};
      } else if (status >= 300 && status < 400) {
        error = "redirect: not followed";
      }
      fail_attempt(s, d, now, status, error, took);
    }
    return ended;
  }

  // ---- progress ---------------------------------------------------------

  void record_progress(std::uint64_t now, bool all) {
    std::vector<input> inputs;
    std::vector<std::string> ks;
    {
      std::lock_guard g{mtx};
      for (auto& [key, s] : subs) {
        // At the stop, also past a record on its way: the log keeps
        // their order and the engine records only progress forward.
        if (!s.delivered || (s.recording && !all) ||
            s.position <= s.recorded ||
            (!all && now < s.recorded_at + opt.checkpoint_ms)) {
          continue;
        }
        input in;
        in.id = "progress:" + s.record.id + ":" + std::to_string(s.epoch) +
                ":" + std::to_string(s.position);
        in.tenant = s.tenant;
        in.at = static_cast<timestamp>(now);
        in.actor = "rule:subscriptions";
        in.data = subscription_progress{s.record.id, s.position, s.epoch};
        inputs.push_back(std::move(in));
        ks.push_back(key);
        s.recording = true;
        s.delivered = false;
        s.recorded = s.position;
        s.recorded_at = now;
      }
    }
    if (inputs.empty()) {
      return;
    }
    {
      std::lock_guard g{wait_mtx};
      recording += 1;
    }
    // The callback holds the sender until it ran: the destructor waits for
    // the positions recorded at the stop.
    port.submit(std::move(inputs), [s = self.lock(), ks = std::move(ks)](
                                     std::vector<outcome> outs) {
      for (std::size_t i = 0; i < outs.size(); ++i) {
        if (outs[i].st == outcome::status::rejected &&
            outs[i].err.code != errc::not_found) {
          std::fprintf(stderr,
                       "atende: subscriptions: progress of %s refused: %s\n",
                       ks[i].c_str(), outs[i].err.message.c_str());
        }
      }
      {
        std::lock_guard g{s->inbox_mtx};
        for (const auto& k : ks) {
          s->progress_done.emplace_back(k, 0);
        }
      }
      s->wake();
      {
        std::lock_guard g{s->wait_mtx};
        s->recording -= 1;
      }
      s->wait_cv.notify_all();
    });
  }

  // ---- the loop ---------------------------------------------------------

  /// step launches what may go now; returns the ms until something is due.
  long step(std::uint64_t now) {
    long wait = static_cast<long>(opt.checkpoint_ms);
    std::vector<std::string> ready;
    std::lock_guard g{mtx};
    for (auto& [key, s] : subs) {
      if (s.flying || !s.record.active) {
        continue;
      }
      if (s.due > now) {
        wait = std::min<long>(wait, static_cast<long>(s.due - now));
        continue;
      }
      const auto head = heads.contains(s.tenant) ? heads[s.tenant] : 0;
      if (s.queue.empty() && s.scanned < head) {
        if (!fill(s, head)) {
          continue;
        }
        if (s.queue.empty() && s.scanned < head) {
          wait = 0; // more to read
        }
      }
      if (!s.queue.empty() && flying.size() < opt.max_in_flight) {
        launch(key, s, now);
      }
    }
    return wait;
  }

  void run() {
    while (!stopping) {
      take_inbox();
      const auto now = wall_ms();
      const long wait = step(now);
      int running = 0;
      curl_multi_perform(multi, &running);
      const auto ended = collect(wall_ms());
      record_progress(wall_ms(), false);
      if (ended > 0) {
        continue; // their subscriptions' next deliveries go at once
      }
      int fds = 0;
      curl_multi_poll(multi, nullptr, 0, static_cast<int>(std::max(wait, 0L)),
                      &fds);
    }
    // Requests on their way are dropped: delivered again from the position
    // recorded now.
    for (auto& [h, f] : flying) {
      curl_multi_remove_handle(multi, h);
      release(f);
    }
    flying.clear();
    take_inbox();
    record_progress(wall_ms(), true);
    handles.clear();
  }
};

subscription_sender::subscription_sender(
  engine_port& port, const views& v, const sealer& secrets,
  subscription_options o, std::function<bool(const std::string&)> serves)
  : impl_(std::make_shared<impl>(port, v, secrets, std::move(o),
                                 std::move(serves))) {
  impl_->self = impl_;
}

subscription_sender::~subscription_sender() {
  impl_->stopping = true;
  impl_->wake();
  if (impl_->worker.joinable()) {
    impl_->worker.join();
  }
  std::unique_lock l{impl_->wait_mtx};
  impl_->wait_cv.wait_for(l, std::chrono::seconds{5},
                          [this] { return impl_->recording == 0; });
}

result<void> subscription_sender::start() {
  if (!curl_ready()) {
    return fail(errc::internal, "libcurl failed to initialize");
  }
  impl_->multi = curl_multi_init();
  if (impl_->multi == nullptr) {
    return fail(errc::internal, "libcurl failed to initialize");
  }
  {
    std::lock_guard g{impl_->mtx};
    for (const auto& e : impl_->view.subscriptions(impl_->serves)) {
      impl_->hold(e);
      impl_->heads[e.tenant] =
        static_cast<std::int64_t>(impl_->view.last_seq(e.tenant));
    }
  }
  impl_->worker = std::thread([s = impl_.get()] { s->run(); });
  return {};
}

void subscription_sender::notify(const std::vector<event>& events) {
  bool any = false;
  {
    std::lock_guard g{impl_->inbox_mtx};
    for (const auto& e : events) {
      if (!impl_->serves(e.tenant)) {
        continue;
      }
      auto& h = impl_->heads_in[e.tenant];
      h = std::max(h, static_cast<std::int64_t>(e.seq));
      if (std::holds_alternative<subscription_created>(e.data) ||
          std::holds_alternative<subscription_updated>(e.data) ||
          std::holds_alternative<subscription_deleted>(e.data) ||
          std::holds_alternative<subscription_rewound>(e.data)) {
        impl_->notified.push_back(e);
      }
      any = true;
    }
  }
  if (any) {
    impl_->wake();
  }
}

json subscription_sender::state(const std::string& tenant,
                                const std::string& id) const {
  std::lock_guard g{impl_->mtx};
  auto it = impl_->subs.find(key_of(tenant, id));
  if (it == impl_->subs.end()) {
    return nullptr;
  }
  const auto& s = it->second;
  const char* st = !s.record.active ? "paused"
                   : s.attempt > 0  ? "retrying"
                   : !s.queue.empty() || s.flying ||
                       s.scanned < (impl_->heads.contains(tenant)
                                      ? impl_->heads.at(tenant)
                                      : 0)
                     ? "delivering"
                     : "idle";
  json j = {{"state", st},
            {"delivered_seq", s.position},
            {"pending", s.queue.size()},
            {"attempt", s.attempt}};
  if (s.attempt > 0 && s.due != 0) {
    j["next_attempt_at"] = format_time(static_cast<timestamp>(s.due));
  }
  if (!s.last_error.is_null()) {
    j["last_error"] = s.last_error;
  }
  return j;
}

std::vector<json> subscription_sender::deliveries(const std::string& tenant,
                                                  const std::string& id,
                                                  std::size_t limit) const {
  std::lock_guard g{impl_->mtx};
  std::vector<json> out;
  auto it = impl_->subs.find(key_of(tenant, id));
  if (it == impl_->subs.end()) {
    return out;
  }
  for (auto e = it->second.log.rbegin();
       e != it->second.log.rend() && out.size() < limit; ++e) {
    out.push_back(*e);
  }
  return out;
}

subscription_sender::counters subscription_sender::count() const {
  std::lock_guard g{impl_->mtx};
  counters c;
  c.accepted = impl_->accepted;
  c.failed = impl_->failed;
  for (const auto& [k, s] : impl_->subs) {
    c.pending += s.queue.size();
  }
  return c;
}

std::string subscription_metrics(const subscription_io& io) {
  subscription_sender::counters sum;
  io.each([&sum](const subscription_sender& s) {
    auto c = s.count();
    sum.accepted += c.accepted;
    sum.failed += c.failed;
    sum.pending += c.pending;
  });
  return "# HELP atende_subscription_deliveries_total Delivery attempts to "
         "subscriptions, by outcome.\n"
         "# TYPE atende_subscription_deliveries_total counter\n"
         "atende_subscription_deliveries_total{outcome=\"accepted\"} " +
         std::to_string(sum.accepted) +
         "\natende_subscription_deliveries_total{outcome=\"failed\"} " +
         std::to_string(sum.failed) +
         "\n# HELP atende_subscription_deliveries_pending Deliveries read "
         "and not yet accepted.\n"
         "# TYPE atende_subscription_deliveries_pending gauge\n"
         "atende_subscription_deliveries_pending " +
         std::to_string(sum.pending) + "\n";
}

} // namespace atende

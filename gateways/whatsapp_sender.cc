#include "gateways/whatsapp_sender.h"

#include <atomic>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <curl/curl.h>
#include <rocksdb/write_batch.h>

#include "actors/store.h"
#include "events/codec.h"
#include "events/time.h"
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

/// A send the sender holds: its key, record and attempts so far.
struct item {
  std::string tenant;
  std::uint64_t seq = 0;
  std::uint32_t attempt = 0;
  std::uint64_t due = 0;
  json record;
  [[nodiscard]] std::string key() const { return keys::sending(tenant, seq); }
  [[nodiscard]] const json& data() const { return record["data"]; }
  [[nodiscard]] std::string number() const {
    return data().value("phone_number_id", "");
  }
};

struct flight {
  item it;
  CURL* h = nullptr;
  curl_slist* headers = nullptr;
  curl_mime* form = nullptr; // the upload of a media send, before the send
  bool read = false;         // a mark-as-read, not a send
  std::string token;         // for the send that follows an upload
  std::string number;        // the channel's phone_number_id
  std::string body;
  std::string answer;
};

struct bucket {
  double tokens = 0;
  std::uint64_t last = 0;
};

struct channel_health {
  std::uint64_t accepted = 0, retried = 0, timeouts = 0;
  std::uint64_t read_marks = 0, read_mark_failures = 0;
  std::map<std::string, std::uint64_t> failed;
  json last_error;
};

} // namespace

struct whatsapp_sender::impl {
  impl(store& db, engine_port& port, const views& v, const sealer& s,
       sender_options o, const media_store* m)
    : db(db), port(port), view(v), secrets(s), opt(std::move(o)), media(m) {}
  ~impl() {
    if (multi != nullptr) {
      curl_multi_cleanup(multi);
    }
  }

  store& db;
  engine_port& port;
  const views& view;
  const sealer& secrets;
  const sender_options opt;
  const media_store* media;
  CURLM* multi = nullptr;
  std::thread worker;
  std::atomic<bool> stopping{false};
  std::weak_ptr<impl> self;

  // Handed in from other threads.
  std::mutex inbox_mtx;
  std::vector<std::pair<std::string, std::uint64_t>> notified;
  std::vector<std::string> recorded; // keys whose outcome is committed
  struct read_mark {
    std::string tenant, channel, conversation, message_id;
  };
  std::vector<read_mark> reads;
  std::unordered_map<std::string, std::string> marked; // tenant/conv → msg

  // The sender thread's own.
  std::map<std::string, std::deque<item>> ready; // by phone_number_id
  std::multimap<std::uint64_t, item> waiting;    // by due time
  std::unordered_map<CURL*, flight> flying;
  std::unordered_map<std::string, bucket> buckets;
  easy_handles handles;
  // Keys held here until their outcome is written: a send both found at
  // start and notified is taken once.
  std::unordered_set<std::string> held;

  mutable std::mutex health_mtx;
  std::map<std::string, channel_health> healths; // tenant "/" channel
  std::map<std::string, std::uint64_t> pending;  // tenant "/" channel

  void wake() {
    if (multi != nullptr) {
      curl_multi_wakeup(multi);
    }
  }

  static std::string health_key(const item& it) {
    return it.tenant + "/" + it.data().value("channel", "");
  }

  void count_pending(const item& it, int delta) {
    std::lock_guard g{health_mtx};
    auto& n = pending[health_key(it)];
    n = delta < 0 && n == 0 ? 0 : n + static_cast<std::uint64_t>(delta);
  }

  void note(const item& it, const send_answer& a, std::uint64_t at) {
    std::lock_guard g{health_mtx};
    auto& h = healths[health_key(it)];
    if (a.k == send_answer::kind::accepted) {
      ++h.accepted;
      return;
    }
    if (a.k == send_answer::kind::retry) {
      ++h.retried;
    } else {
      ++h.failed[a.code];
    }
    if (a.timed_out) {
      ++h.timeouts;
    }
    h.last_error = {{"code", a.code},
                    {"title", a.title},
                    {"at", format_time(static_cast<timestamp>(at))}};
  }

  /// load reads the record of a `sending` key into an item.
  std::optional<item> load(const std::string& tenant, std::uint64_t seq) {
    auto text = db.get(keys::outbox(tenant, seq));
    if (!text || !*text) {
      std::fprintf(stderr, "atende: sender: no outbox record %s:%llu\n",
                   tenant.c_str(), static_cast<unsigned long long>(seq));
      return std::nullopt;
    }
    auto rec = json::parse(**text, nullptr, false);
    if (!rec.is_object() || !rec.contains("data")) {
      return std::nullopt;
    }
    item it;
    it.tenant = tenant;
    it.seq = seq;
    it.record = std::move(rec);
    return it;
  }

  void enqueue(item it) {
    if (!held.insert(it.key()).second) {
      return;
    }
    count_pending(it, +1);
    auto n = it.number();
    ready[n].push_back(std::move(it));
  }

  // ---- outcomes ---------------------------------------------------------

  /// outcome_input is the envelope that records a final state.
  static input outcome_input(const item& it, const json& state) {
    const auto& d = it.data();
    const auto st = state.value("state", "");
    message_status_in m;
    m.channel = d.value("channel", "");
    m.message_id = d.value("message_id", "");
    if (st == "accepted") {
      m.status = "accepted";
      m.provider_message_id = state.value("wamid", "");
    } else {
      m.status = "failed";
      m.error_code = st == "unknown" ? "unknown_outcome"
                                     : state.value("code", "");
      m.error_title =
        st == "unknown"
          ? "atende stopped while sending this message: WhatsApp may or may "
            "not have delivered it; send it again if the customer did not "
            "get it"
          : state.value("title", "");
    }
    input in;
    in.id = "send:" + it.record.value("id", "") + ":" + st;
    in.tenant = it.tenant;
    in.at = static_cast<timestamp>(state.value("at", std::uint64_t{0}));
    in.actor = "connector";
    in.data = std::move(m);
    return in;
  }

  /// record submits final states; their keys are deleted once committed.
  void record(std::vector<std::pair<item, json>> finals) {
    if (finals.empty()) {
      return;
    }
    std::vector<input> inputs;
    std::vector<std::string> ks;
    for (auto& [it, state] : finals) {
      inputs.push_back(outcome_input(it, state));
      ks.push_back(it.key());
    }
    std::weak_ptr<impl> w = self;
    port.submit(std::move(inputs),
                [w, ks = std::move(ks)](std::vector<outcome> outs) {
                  for (std::size_t i = 0; i < outs.size(); ++i) {
                    if (outs[i].st == outcome::status::rejected) {
                      std::fprintf(stderr,
                                   "atende: sender: outcome of %s refused: "
                                   "%s\n",
                                   ks[i].c_str(), outs[i].err.message.c_str());
                    }
                  }
                  if (auto s = w.lock()) {
                    {
                      std::lock_guard g{s->inbox_mtx};
                      s->recorded.insert(s->recorded.end(), ks.begin(),
                                         ks.end());
                    }
                    s->wake();
                  }
                });
  }

  /// write puts the states in one synced batch; false (said on stderr) when
  /// RocksDB refused it.
  bool write(const std::vector<std::pair<std::string, std::string>>& puts) {
    if (puts.empty()) {
      return true;
    }
    rocksdb::WriteBatch b;
    for (const auto& [k, v] : puts) {
      b.Put(k, v);
    }
    auto r = db.write(b, true);
    if (!r) {
      std::fprintf(stderr, "atende: sender: cannot write states: %s\n",
                   r.error().message.c_str());
      return false;
    }
    return true;
  }

  // ---- the loop's steps -------------------------------------------------

  void take_inbox() {
    std::vector<std::pair<std::string, std::uint64_t>> n;
    std::vector<std::string> done;
    {
      std::lock_guard g{inbox_mtx};
      n.swap(notified);
      done.swap(recorded);
    }
    for (const auto& [tenant, seq] : n) {
      auto v = db.get(keys::sending(tenant, seq));
      if (!v || !*v || !(*v)->empty()) {
        continue; // not atende's to send, or already under way
      }
      if (auto it = load(tenant, seq)) {
        enqueue(std::move(*it));
      }
    }
    if (!done.empty()) {
      rocksdb::WriteBatch b;
      for (const auto& k : done) {
        b.Delete(k);
      }
      // Unsynced: a lost delete only makes the next start submit the
      // outcome again, which the engine drops as a duplicate.
      if (auto r = db.write(b, false); !r) {
        std::fprintf(stderr, "atende: sender: %s\n", r.error().message.c_str());
      }
    }
  }

  void promote(std::uint64_t now) {
    while (!waiting.empty() && waiting.begin()->first <= now) {
      auto it = std::move(waiting.begin()->second);
      waiting.erase(waiting.begin());
      auto n = it.number();
      ready[n].push_back(std::move(it));
    }
  }

  bool take_token(const std::string& number, std::uint64_t now) {
    auto& b = buckets[number];
    const double rate = opt.rate_per_number;
    if (b.last == 0) {
      b.tokens = rate;
    } else {
      b.tokens = std::min(rate, b.tokens + static_cast<double>(now - b.last) *
                                             rate / 1000.0);
    }
    b.last = now;
    if (b.tokens < 1.0) {
      return false;
    }
    b.tokens -= 1.0;
    return true;
  }

  /// prepare builds the request of `it`, or the final state that stops it.
  std::optional<json> prepare(flight& f) {
    const auto& d = f.it.data();
    auto ch = view.channel_record(f.it.tenant, d.value("channel", ""));
    if (!ch || ch->access_token.empty()) {
      return json{{"state", "dropped"}};
    }
    auto token = secrets.open(ch->access_token);
    if (!token) {
      return json{{"state", "failed"},
                  {"code", "access_token_unreadable"},
                  {"title", "the channel's access token cannot be opened: " +
                              token.error().message}};
    }
    f.token = std::move(*token);
    f.number = ch->phone_number_id;
    f.h = handles.take();
    if (auto m = d.find("media"); m != d.end() && m->is_object()) {
      return prepare_upload(f, *m);
    }
    return prepare_send(f, d);
  }

  /// prepare_send sets `f` up for the send of record data `d` (a media's
  /// `id` is Meta's by now).
  std::optional<json> prepare_send(flight& f, const json& d) {
    auto body = graph_message(d);
    if (!body) {
      return json{{"state", "failed"},
                  {"code", "invalid_record"},
                  {"title", body.error().field + " " + body.error().message}};
    }
    post_messages(f, body->dump());
    return std::nullopt;
  }

  /// post_messages sets `f` up to POST `body` to the number's messages.
  void post_messages(flight& f, std::string body) {
    f.body = std::move(body);
    auto url = opt.graph_url + "/" + f.number + "/messages";
    f.headers = curl_slist_append(nullptr, "Content-Type: application/json");
    f.headers = curl_slist_append(
      f.headers, ("Authorization: Bearer " + f.token).c_str());
    curl_easy_setopt(f.h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(f.h, CURLOPT_HTTPHEADER, f.headers);
    curl_easy_setopt(f.h, CURLOPT_TIMEOUT_MS, static_cast<long>(opt.timeout_ms));
    curl_easy_setopt(f.h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(f.h, CURLOPT_WRITEFUNCTION, &append_answer);
    curl_easy_setopt(f.h, CURLOPT_POSTFIELDS, f.body.c_str());
    curl_easy_setopt(f.h, CURLOPT_POSTFIELDSIZE,
                     static_cast<long>(f.body.size()));
  }

  /// prepare_upload sets `f` up for the upload of media `m` {id, mime_type,
  /// filename?} from the media store.
  std::optional<json> prepare_upload(flight& f, const json& m) {
    const auto id = m.value("id", "");
    const auto mime = m.value("mime_type", "");
    if (media == nullptr || !is_media_id(id) ||
        !std::filesystem::exists(media->path(id))) {
      return json{{"state", "failed"},
                  {"code", "media_unavailable"},
                  {"title", "the media " + id + " is not stored here"}};
    }
    f.form = curl_mime_init(f.h);
    auto* p = curl_mime_addpart(f.form);
    curl_mime_name(p, "messaging_product");
    curl_mime_data(p, "whatsapp", CURL_ZERO_TERMINATED);
    p = curl_mime_addpart(f.form);
    curl_mime_name(p, "type");
    curl_mime_data(p, mime.c_str(), CURL_ZERO_TERMINATED);
    p = curl_mime_addpart(f.form);
    curl_mime_name(p, "file");
    curl_mime_filedata(p, media->path(id).c_str());
    curl_mime_type(p, mime.c_str());
    auto name = m.value("filename", "");
    curl_mime_filename(p, name.empty() ? id.c_str() : name.c_str());
    auto url = opt.graph_url + "/" + f.number + "/media";
    f.headers = curl_slist_append(
      nullptr, ("Authorization: Bearer " + f.token).c_str());
    curl_easy_setopt(f.h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(f.h, CURLOPT_HTTPHEADER, f.headers);
    curl_easy_setopt(f.h, CURLOPT_MIMEPOST, f.form);
    curl_easy_setopt(f.h, CURLOPT_TIMEOUT_MS, static_cast<long>(opt.timeout_ms));
    curl_easy_setopt(f.h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(f.h, CURLOPT_WRITEFUNCTION, &append_answer);
    return std::nullopt;
  }

  /// uploaded turns a finished upload into its send: true when the send is
  /// on its way, false with `a` saying why not.
  bool uploaded(flight& f, long status, send_answer& a) {
    auto answer = json::parse(f.answer, nullptr, false);
    auto id = status == 200 && answer.is_object() ? answer.value("id", "") : "";
    if (id.empty()) {
      a = classify_answer(status, f.answer);
      if (a.k == send_answer::kind::accepted) {
        a = {send_answer::kind::failed, "", "upload_unreadable",
             "Meta's answer to the media upload has no id", false};
      }
      a.timed_out = false; // an upload reaches no customer
      return false;
    }
    auto data = f.it.data();
    data["media"]["id"] = id;
    curl_slist_free_all(f.headers);
    f.headers = nullptr;
    curl_mime_free(f.form);
    f.form = nullptr;
    curl_easy_reset(f.h);
    f.answer.clear();
    if (auto stop = prepare_send(f, data)) {
      a = {send_answer::kind::failed, "", (*stop)["code"].get<std::string>(),
           (*stop)["title"].get<std::string>(), false};
      return false;
    }
    curl_easy_setopt(f.h, CURLOPT_WRITEDATA, &f.answer);
    return true;
  }

  void launch(std::uint64_t now) {
    std::vector<flight> go;
    std::vector<std::pair<std::string, std::string>> puts;
    std::vector<std::pair<item, json>> finals;
    std::vector<std::string> dropped;
    const auto room = [&] {
      return !stopping && flying.size() + go.size() < opt.max_in_flight;
    };
    for (auto n = ready.begin(); n != ready.end() && room();) {
      auto& q = n->second;
      while (!q.empty() && room() && take_token(n->first, now)) {
        flight f;
        f.it = std::move(q.front());
        q.pop_front();
        if (auto stop = prepare(f)) {
          release(f);
          count_pending(f.it, -1);
          held.erase(f.it.key());
          if ((*stop)["state"] == "dropped") {
            dropped.push_back(f.it.key());
            continue;
          }
          (*stop)["at"] = now;
          note(f.it,
               {send_answer::kind::failed, "",
                (*stop)["code"].get<std::string>(),
                (*stop)["title"].get<std::string>(), false},
               now);
          puts.emplace_back(f.it.key(), stop->dump());
          finals.emplace_back(std::move(f.it), std::move(*stop));
          continue;
        }
        f.it.attempt += 1;
        puts.emplace_back(f.it.key(),
                          json{{"state", "sending"}, {"attempt", f.it.attempt}}
                            .dump());
        go.push_back(std::move(f));
      }
      n = q.empty() ? ready.erase(n) : std::next(n);
    }
    if (!write(puts)) {
      // Nothing leaves unless its state is durable: try again later.
      for (auto& f : go) {
        f.it.attempt -= 1;
        release(f);
        waiting.emplace(now + opt.retry_base_ms, std::move(f.it));
      }
      return;
    }
    if (!dropped.empty()) {
      // The channel lost its token: its outside connector sends the record.
      std::lock_guard g{inbox_mtx};
      recorded.insert(recorded.end(), dropped.begin(), dropped.end());
    }
    record(std::move(finals));
    for (auto& f : go) {
      CURL* h = f.h;
      auto [slot, fresh] = flying.emplace(h, std::move(f));
      // Pointers into the flight as it lives in the map (nodes stay put).
      auto& fl = slot->second;
      if (fl.form == nullptr) {
        // The body moved with the flight: point libcurl at it again.
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, fl.body.c_str());
      }
      curl_easy_setopt(h, CURLOPT_WRITEDATA, &fl.answer);
      curl_multi_add_handle(multi, h);
    }
  }

  /// wamid_of is the provider's id of customer message `message_id`, read
  /// from the conversation's journal (newest first); "" when not found.
  std::string wamid_of(const std::string& tenant, const std::string& conv,
                       const std::string& message_id) {
    std::vector<std::uint64_t> seqs;
    auto scanned = db.scan(keys::by_conversation_prefix(tenant, conv),
                           [&](std::string_view k, std::string_view) {
                             seqs.push_back(
                               keys::read_fixed64be(k.substr(k.size() - 8)));
                             return true;
                           });
    if (!scanned) {
      return {};
    }
    for (auto s = seqs.rbegin(); s != seqs.rend(); ++s) {
      auto v = db.get(keys::journal(tenant, *s));
      if (!v || !*v) {
        continue;
      }
      auto e = decode_event(**v);
      if (!e) {
        continue;
      }
      if (const auto* m = std::get_if<message_received>(&e->data);
          m != nullptr && m->message_id == message_id) {
        return m->provider_id;
      }
    }
    return {};
  }

  /// launch_reads sends the marks asked for, within the room left.
  void launch_reads() {
    std::vector<read_mark> todo;
    {
      std::lock_guard g{inbox_mtx};
      todo.swap(reads);
    }
    if (stopping) {
      return; // best effort: marks asked for while stopping are dropped
    }
    for (auto& r : todo) {
      auto ch = view.channel_record(r.tenant, r.channel);
      if (!ch || ch->access_token.empty() || !ch->mark_read) {
        continue;
      }
      auto token = secrets.open(ch->access_token);
      auto wamid = wamid_of(r.tenant, r.conversation, r.message_id);
      if (!token || wamid.empty()) {
        continue;
      }
      flight f;
      f.read = true;
      f.it.tenant = r.tenant;
      f.it.record = {{"data", {{"channel", r.channel}}}};
      f.token = std::move(*token);
      f.number = ch->phone_number_id;
      f.h = handles.take();
      post_messages(f, json{{"messaging_product", "whatsapp"},
                            {"status", "read"},
                            {"message_id", wamid}}
                         .dump());
      CURL* h = f.h;
      auto slot = flying.emplace(h, std::move(f)).first;
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, slot->second.body.c_str());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE,
                       static_cast<long>(slot->second.body.size()));
      curl_easy_setopt(h, CURLOPT_WRITEDATA, &slot->second.answer);
      curl_multi_add_handle(multi, h);
    }
  }

  void release(flight& f) {
    if (f.form != nullptr) {
      curl_mime_free(f.form);
      f.form = nullptr;
    }
    handles.give_back(f.h, f.headers);
  }

  void collect(std::uint64_t now) {
    std::vector<std::pair<std::string, std::string>> puts;
    std::vector<std::pair<item, json>> finals;
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
      if (m->msg != CURLMSG_DONE) {
        continue;
      }
      CURL* h = m->easy_handle;
      const CURLcode rc = m->data.result;
      curl_multi_remove_handle(multi, h);
      auto node = flying.extract(h);
      auto& f = node.mapped();
      send_answer a;
      long status = 0;
      if (rc == CURLE_OK) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
      }
      if (f.read) {
        std::lock_guard g{health_mtx};
        auto& hl = healths[health_key(f.it)];
        ++(rc == CURLE_OK && status == 200 ? hl.read_marks
                                           : hl.read_mark_failures);
        release(f);
        continue;
      }
      if (f.form != nullptr && rc == CURLE_OK) {
        if (uploaded(f, status, a)) {
          // The same attempt goes on with the send.
          auto slot = flying.insert(std::move(node)).position;
          curl_easy_setopt(h, CURLOPT_WRITEDATA, &slot->second.answer);
          curl_easy_setopt(h, CURLOPT_POSTFIELDS,
                           slot->second.body.c_str());
          curl_multi_add_handle(multi, h);
          continue;
        }
      } else if (rc == CURLE_OK) {
        a = classify_answer(status, f.answer);
      } else {
        a = classify_transport(rc == CURLE_OPERATION_TIMEDOUT,
                               curl_easy_strerror(rc));
        if (f.form != nullptr) {
          a.timed_out = false; // an upload reaches no customer
        }
      }
      release(f);
      if (a.k == send_answer::kind::retry &&
          f.it.attempt >= opt.max_attempts) {
        a.k = send_answer::kind::failed;
        a.title += " (gave up after " + std::to_string(f.it.attempt) +
                   " attempts)";
      }
      note(f.it, a, now);
      if (a.k == send_answer::kind::retry) {
        f.it.due = now + retry_delay_ms(f.it.attempt, opt.retry_base_ms);
        puts.emplace_back(f.it.key(), json{{"state", "waiting"},
                                           {"attempt", f.it.attempt},
                                           {"due", f.it.due},
                                           {"code", a.code},
                                           {"title", a.title}}
                                        .dump());
        waiting.emplace(f.it.due, std::move(f.it));
        continue;
      }
      json state = a.k == send_answer::kind::accepted
                     ? json{{"state", "accepted"}, {"wamid", a.wamid}}
                     : json{{"state", "failed"},
                            {"code", a.code},
                            {"title", a.title}};
      state["at"] = now;
      count_pending(f.it, -1);
      held.erase(f.it.key());
      puts.emplace_back(f.it.key(), state.dump());
      finals.emplace_back(std::move(f.it), std::move(state));
    }
    // The outcome is recorded in the log only once it is durable here.
    if (write(puts)) {
      record(std::move(finals));
    }
  }

  long poll_timeout(std::uint64_t now) const {
    long t = 1000;
    if (!waiting.empty()) {
      auto due = waiting.begin()->first;
      t = due <= now ? 0 : std::min<long>(t, static_cast<long>(due - now));
    }
    if (!ready.empty() && flying.size() < opt.max_in_flight) {
      // Waiting for a number's rate tokens.
      t = std::min<long>(t, std::max<long>(1, 1000 / std::max<std::uint32_t>(
                                                        opt.rate_per_number, 1)));
    }
    return t;
  }

  void run() {
    while (true) {
      const auto now = wall_ms();
      take_inbox();
      promote(now);
      launch(now);
      launch_reads();
      int running = 0;
      curl_multi_perform(multi, &running);
      collect(wall_ms());
      if (stopping && flying.empty()) {
        break;
      }
      int fds = 0;
      curl_multi_poll(multi, nullptr, 0, static_cast<int>(poll_timeout(now)),
                      &fds);
    }
    take_inbox();
    handles.clear();
  }

  /// recover picks up the keys an earlier run left.
  result<void> recover() {
    std::vector<std::string> settled;
    std::vector<std::pair<item, json>> finals;
    std::vector<std::pair<std::string, std::string>> puts;
    const auto now = wall_ms();
    auto r = db.scan(keys::sending_prefix, [&](std::string_view k,
                                               std::string_view v) {
      std::string tenant;
      std::uint64_t seq = 0;
      if (!parse_work_key(keys::sending_prefix, k, tenant, seq)) {
        return true;
      }
      auto it = load(tenant, seq);
      if (!it) {
        return true;
      }
      if (v.empty()) {
        // A key restored from elsewhere (Kafka mode: the changelog of a
        // partition that moved here) may belong to a send whose outcome is
        // in the log already: it is not sent again.
        const auto& d = it->data();
        if (view.outbound_settled(tenant, d.value("conversation", ""),
                                  d.value("message_id", ""))) {
          settled.push_back(it->key());
          return true;
        }
        enqueue(std::move(*it));
        return true;
      }
      auto state = json::parse(v, nullptr, false);
      auto st = state.is_object() ? state.value("state", "") : "";
      it->attempt = state.is_object() ? state.value("attempt", 0u) : 0u;
      if (st == "waiting") {
        it->due = state.value("due", std::uint64_t{0});
        held.insert(it->key());
        count_pending(*it, +1);
        waiting.emplace(it->due, std::move(*it));
      } else if (st == "sending") {
        // It may have reached Meta: never sent again by atende.
        json unknown = {{"state", "unknown"}, {"at", now}};
        puts.emplace_back(it->key(), unknown.dump());
        note(*it, {send_answer::kind::failed, "", "unknown_outcome",
                   "atende stopped while sending", false},
             now);
        finals.emplace_back(std::move(*it), std::move(unknown));
      } else if (st == "accepted" || st == "failed" || st == "unknown") {
        finals.emplace_back(std::move(*it), std::move(state));
      }
      return true;
    });
    if (!r) {
      return std::unexpected(r.error());
    }
    if (!write(puts)) {
      return fail(errc::internal, "cannot write the sender's states");
    }
    if (!settled.empty()) {
      std::lock_guard g{inbox_mtx};
      recorded.insert(recorded.end(), settled.begin(), settled.end());
    }
    record(std::move(finals));
    return {};
  }
};

whatsapp_sender::whatsapp_sender(store& db, engine_port& port, const views& v,
                                 const sealer& secrets, sender_options o,
                                 const media_store* media)
  : impl_(std::make_shared<impl>(db, port, v, secrets, std::move(o), media)) {
  impl_->self = impl_;
}

whatsapp_sender::~whatsapp_sender() {
  impl_->stopping = true;
  impl_->wake();
  if (impl_->worker.joinable()) {
    impl_->worker.join();
  }
}

result<void> whatsapp_sender::start() {
  if (!curl_ready()) {
    return fail(errc::internal, "libcurl failed to initialize");
  }
  impl_->multi = curl_multi_init();
  if (impl_->multi == nullptr) {
    return fail(errc::internal, "libcurl failed to initialize");
  }
  curl_multi_setopt(impl_->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                    static_cast<long>(impl_->opt.max_in_flight));
  if (auto r = impl_->recover(); !r) {
    return r;
  }
  impl_->worker = std::thread([s = impl_.get()] { s->run(); });
  return {};
}

void whatsapp_sender::notify(const std::vector<event>& events) {
  bool any = false;
  {
    std::lock_guard g{impl_->inbox_mtx};
    for (const auto& e : events) {
      if (std::holds_alternative<message_sent>(e.data)) {
        impl_->notified.emplace_back(e.tenant, e.seq);
        any = true;
      }
    }
  }
  if (any) {
    impl_->wake();
  }
}

void whatsapp_sender::mark_read(const std::string& tenant,
                                const std::string& channel,
                                const std::string& conversation,
                                const std::string& message_id) const {
  {
    std::lock_guard g{impl_->inbox_mtx};
    auto& last = impl_->marked[tenant + "/" + conversation];
    if (last == message_id) {
      return;
    }
    last = message_id;
    impl_->reads.push_back({tenant, channel, conversation, message_id});
  }
  impl_->wake();
}

json whatsapp_sender::health(const std::string& tenant,
                             const std::string& channel) const {
  std::lock_guard g{impl_->health_mtx};
  const auto key = tenant + "/" + channel;
  json out = {{"accepted", 0},        {"failed", json::object()},
              {"retried", 0},         {"timeouts", 0},
              {"pending", 0},         {"read_marks", 0},
              {"read_mark_failures", 0}, {"last_error", nullptr}};
  if (auto p = impl_->pending.find(key); p != impl_->pending.end()) {
    out["pending"] = p->second;
  }
  auto it = impl_->healths.find(key);
  if (it == impl_->healths.end()) {
    return out;
  }
  const auto& h = it->second;
  out["accepted"] = h.accepted;
  out["failed"] = h.failed;
  out["retried"] = h.retried;
  out["timeouts"] = h.timeouts;
  out["read_marks"] = h.read_marks;
  out["read_mark_failures"] = h.read_mark_failures;
  out["last_error"] = h.last_error;
  return out;
}

std::string whatsapp_sender::metrics_text() const {
  std::lock_guard g{impl_->health_mtx};
  std::string out =
    "# HELP atende_whatsapp_sends_total Sends through Meta's Graph API, by "
    "outcome.\n# TYPE atende_whatsapp_sends_total counter\n";
  std::string failures =
    "# HELP atende_whatsapp_send_failures_total Sends Meta refused, by "
    "error code.\n# TYPE atende_whatsapp_send_failures_total counter\n";
  for (const auto& [key, h] : impl_->healths) {
    auto labels = channel_labels(key);
    for (auto [what, n] : {std::pair{"accepted", h.accepted},
                           std::pair{"retried", h.retried},
                           std::pair{"timed_out", h.timeouts}}) {
      out += "atende_whatsapp_sends_total{" + labels + ",outcome=\"" + what +
             "\"} " + std::to_string(n) + "\n";
    }
    for (const auto& [code, n] : h.failed) {
      failures += "atende_whatsapp_send_failures_total{" + labels +
                  ",code=\"" + code + "\"} " + std::to_string(n) + "\n";
    }
  }
  return out + failures;
}

} // namespace atende

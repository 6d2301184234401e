#include "gateways/stream_hub.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "gateways/engine_port.h"
#include "gateways/journal.h"

namespace atende {

result<std::uint64_t> parse_position(const std::string& id) {
  std::uint64_t seq = 0;
  auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), seq);
  if (id.empty() || ec != std::errc{} || p != id.data() + id.size()) {
    return fail(errc::malformed,
                "must be the id of an event of this stream (digits)",
                "Last-Event-ID");
  }
  return seq;
}

namespace {

/// stream: one open stream, owned by the hub's thread once registered.
struct stream {
  watcher w;
  std::string token_hash;
  std::shared_ptr<event_channel> ch;
  std::uint64_t pos = 0; // the seq of the last event whose frames went out
  bool resume = false;   // pos came from the client
};

/// frame_text renders frames as Server-Sent Events; `id:` goes on the last
/// frame of each event.
std::string frame_text(const std::vector<stream_frame>& frames) {
  std::string out;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const auto& f = frames[i];
    out += "event: ";
    out += f.type;
    out += "\ndata: ";
    out += *f.data;
    out += '\n';
    const bool last = i + 1 == frames.size() || frames[i + 1].seq != f.seq;
    if (f.seq != 0 && last) {
      out += "id: " + std::to_string(f.seq) + "\n";
    }
    out += '\n';
  }
  return out;
}

std::string reset_text(std::uint64_t pos) {
  return "event: reset\ndata: {}\nid: " + std::to_string(pos) + "\n\n";
}

} // namespace

struct stream_hub::impl {
  impl(const views& v, const engine_port& p, stream_options o)
    : view(v), port(p), opt(o) {}

  const views& view;
  const engine_port& port;
  const stream_options opt;
  std::thread worker;

  mutable std::mutex mtx;
  std::condition_variable cv;
  bool stopping = false;
  std::deque<std::vector<event>> batches;
  std::vector<std::shared_ptr<stream>> joining;
  std::vector<std::function<bool(const std::string&)>> closing;
  // Counted at open, before the stream joins: the limits hold at once.
  std::map<std::string, std::size_t> per_token, per_tenant;
  std::uint64_t frames_sent = 0;

  // The hub thread's own.
  std::unordered_map<std::string, std::vector<std::shared_ptr<stream>>>
    streams; // by tenant

  void release(const stream& s) {
    std::lock_guard g{mtx};
    if (--per_token[s.token_hash] == 0) {
      per_token.erase(s.token_hash);
    }
    if (--per_tenant[s.w.who.tenant] == 0) {
      per_tenant.erase(s.w.who.tenant);
    }
  }

  /// deliver sends what the views appended to `s`; false when it is gone.
  bool deliver(stream& s) {
    std::string text;
    if (s.w.reset) {
      s.w.reset = false;
      s.w.frames.clear();
      text = reset_text(s.pos);
    } else if (!s.w.frames.empty()) {
      text = frame_text(s.w.frames);
      {
        std::lock_guard g{mtx};
        frames_sent += s.w.frames.size();
      }
      s.w.frames.clear();
    }
    if (text.empty()) {
      return !s.ch->closed();
    }
    return s.ch->send(std::move(text));
  }

  /// join catches a new stream up and adds it to its tenant's.
  void join(const std::shared_ptr<stream>& s) {
    const auto& tenant = s->w.who.tenant;
    const auto head = view.last_seq(tenant);
    if (!s->resume) {
      s->pos = head;
    } else if (s->pos > head) {
      s->w.reset = true; // a position this journal never had
      s->pos = head;
    } else if (s->pos < head) {
      catch_up(*s, head);
    }
    // The first counts carry the position the stream starts from.
    view.watch_counts(tenant, {&s->w}, true);
    if (!s->w.frames.empty() && !s->w.reset) {
      s->w.frames.back().seq = s->pos;
    }
    if (!deliver(*s)) {
      release(*s);
      return;
    }
    streams[tenant].push_back(s);
  }

  /// catch_up gives `s` the frames of the journal's events after its
  /// position, up to `head`.
  void catch_up(stream& s, std::uint64_t head) {
    const auto& tenant = s.w.who.tenant;
    if (head - s.pos > opt.max_catchup) {
      s.w.reset = true;
      s.pos = head;
      return;
    }
    auto db = port.tenant_store(tenant);
    if (!db) {
      s.w.reset = true;
      s.pos = head;
      return;
    }
    auto events = read_tenant_journal(*db, tenant, s.pos,
                                      static_cast<std::size_t>(head - s.pos));
    db.reset();
    if (!events) {
      std::fprintf(stderr, "atende: stream: %s\n",
                   events.error().message.c_str());
      s.w.reset = true;
      s.pos = head;
      return;
    }
    view.watch(tenant, *events, {&s.w});
    if (!events->empty()) {
      s.pos = events->back().seq;
    }
  }

  /// apply gives the streams of each tenant the frames of `events`.
  void apply(const std::vector<event>& events) {
    std::map<std::string, std::vector<event>> by_tenant;
    for (const auto& e : events) {
      if (streams.contains(e.tenant)) {
        by_tenant[e.tenant].push_back(e);
      }
    }
    for (auto& [tenant, evs] : by_tenant) {
      auto& list = streams[tenant];
      // Streams whose position is past some of these events (they caught
      // up from the journal) get only the rest: group them by position.
      std::map<std::uint64_t, std::vector<stream*>> by_pos;
      for (auto& s : list) {
        by_pos[s->pos].push_back(s.get());
      }
      for (auto& [pos, group] : by_pos) {
        auto first = std::find_if(evs.begin(), evs.end(), [pos = pos](
                                                            const event& e) {
          return e.seq > pos;
        });
        if (first == evs.end()) {
          continue;
        }
        std::vector<event> rest(first, evs.end());
        std::vector<watcher*> ws;
        for (auto* s : group) {
          ws.push_back(&s->w);
        }
        view.watch(tenant, rest, ws);
        view.watch_counts(tenant, ws, false);
        for (auto* s : group) {
          s->pos = rest.back().seq;
        }
      }
      drop_gone(tenant, [this](stream& s) { return deliver(s); });
    }
  }

  /// drop_gone runs `keep` on each stream of `tenant` and drops those for
  /// which it is false.
  template <class F>
  void drop_gone(const std::string& tenant, F keep) {
    auto& list = streams[tenant];
    std::erase_if(list, [&](const std::shared_ptr<stream>& s) {
      if (keep(*s)) {
        return false;
      }
      s->ch->close();
      release(*s);
      return true;
    });
    if (list.empty()) {
      streams.erase(tenant);
    }
  }

  void heartbeat() {
    std::vector<std::string> tenants;
    for (const auto& [t, list] : streams) {
      tenants.push_back(t);
    }
    for (const auto& t : tenants) {
      drop_gone(t, [](stream& s) { return s.ch->send(": ping\n\n"); });
    }
  }

  void run() {
    auto next_beat = std::chrono::steady_clock::now() + opt.heartbeat;
    for (;;) {
      std::deque<std::vector<event>> todo;
      std::vector<std::shared_ptr<stream>> fresh;
      std::vector<std::function<bool(const std::string&)>> gone;
      {
        std::unique_lock g{mtx};
        cv.wait_until(g, next_beat, [&] {
          return stopping || !batches.empty() || !joining.empty() ||
                 !closing.empty();
        });
        if (stopping) {
          break;
        }
        todo.swap(batches);
        fresh.swap(joining);
        gone.swap(closing);
      }
      // Committed events first: a joining stream's position is read from
      // views that may be ahead of them.
      for (const auto& b : todo) {
        apply(b);
      }
      for (const auto& s : fresh) {
        join(s);
      }
      for (const auto& g : gone) {
        std::vector<std::string> tenants;
        for (const auto& [t, list] : streams) {
          if (g(t)) {
            tenants.push_back(t);
          }
        }
        for (const auto& t : tenants) {
          drop_gone(t, [](stream&) { return false; });
        }
      }
      if (std::chrono::steady_clock::now() >= next_beat) {
        heartbeat();
        next_beat = std::chrono::steady_clock::now() + opt.heartbeat;
      }
    }
    for (auto& [tenant, list] : streams) {
      for (auto& s : list) {
        s->ch->close();
      }
    }
    streams.clear();
  }
};

stream_hub::stream_hub(const views& v, const engine_port& port,
                       stream_options o)
  : impl_(std::make_shared<impl>(v, port, o)) {
  impl_->worker = std::thread([s = impl_.get()] { s->run(); });
}

stream_hub::~stream_hub() {
  stop();
}

void stream_hub::stop() {
  {
    std::lock_guard g{impl_->mtx};
    if (impl_->stopping) {
      return;
    }
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->worker.joinable()) {
    impl_->worker.join();
  }
}

result<std::function<void(std::shared_ptr<event_channel>)>>
stream_hub::open(const principal& who, const std::string& token_hash,
                 const conversation_query& q,
                 const std::string& last_event_id) {
  if (auto r = impl_->view.check_watch(who, q); !r) {
    return std::unexpected(r.error());
  }
  auto s = std::make_shared<stream>();
  if (!last_event_id.empty()) {
    auto pos = parse_position(last_event_id);
    if (!pos) {
      return std::unexpected(pos.error());
    }
    s->pos = *pos;
    s->resume = true;
  }
  s->w.who = who;
  s->w.query = q;
  s->token_hash = token_hash;
  {
    std::lock_guard g{impl_->mtx};
    if (impl_->stopping) {
      return fail(errc::unavailable, "the server is stopping");
    }
    auto& by_token = impl_->per_token[token_hash];
    auto& by_tenant = impl_->per_tenant[who.tenant];
    if (by_token >= impl_->opt.max_per_token) {
      return fail(errc::too_many_streams,
                  "this token has " + std::to_string(by_token) +
                    " open streams, the most allowed; close one first");
    }
    if (by_tenant >= impl_->opt.max_per_tenant) {
      return fail(errc::too_many_streams,
                  "this tenant has " + std::to_string(by_tenant) +
                    " open streams, the most allowed");
    }
    ++by_token;
    ++by_tenant;
  }
  std::weak_ptr<impl> w = impl_;
  return [w, s](std::shared_ptr<event_channel> ch) {
    auto hub = w.lock();
    if (!hub) {
      ch->close();
      return;
    }
    s->ch = std::move(ch);
    {
      std::lock_guard g{hub->mtx};
      if (!hub->stopping) {
        hub->joining.push_back(s);
        hub->cv.notify_all();
        return;
      }
    }
    s->ch->close();
  };
}

void stream_hub::close_where(std::function<bool(const std::string&)> gone) {
  {
    std::lock_guard g{impl_->mtx};
    impl_->closing.push_back(std::move(gone));
  }
  impl_->cv.notify_all();
}

void stream_hub::notify(const std::vector<event>& events) {
  if (events.empty()) {
    return;
  }
  {
    // Only the events of tenants someone listens to are kept: the commit
    // path copies nothing for the others.
    std::lock_guard g{impl_->mtx};
    std::vector<event> heard;
    for (const auto& e : events) {
      if (impl_->per_tenant.contains(e.tenant)) {
        heard.push_back(e);
      }
    }
    if (heard.empty()) {
      return;
    }
    impl_->batches.push_back(std::move(heard));
  }
  impl_->cv.notify_all();
}

std::string stream_hub::metrics_text() const {
  std::lock_guard g{impl_->mtx};
  std::size_t n = 0;
  for (const auto& [t, k] : impl_->per_tenant) {
    n += k;
  }
  return "# HELP atende_streams_open Open event streams (GET /v1/stream).\n"
         "# TYPE atende_streams_open gauge\n"
         "atende_streams_open " +
         std::to_string(n) +
         "\n# HELP atende_stream_frames_total Frames written to event "
         "streams.\n# TYPE atende_stream_frames_total counter\n"
         "atende_stream_frames_total " +
         std::to_string(impl_->frames_sent) + "\n";
}

} // namespace atende

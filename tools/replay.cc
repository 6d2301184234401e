// replay: the audit tool (CONTRACT section 1). It opens a data directory
// read-only (a running engine keeps serving), walks the journal of each
// tenant with its checks and rebuilds state from it into scratch space; see
// gateways/audit.h for what is checked and compared.
//
// Modes (docs/replay.md has examples):
//   --verify           every tenant (or --tenant): exit 0 when the journal is
//                      intact and the replayed state equals the live one, 1
//                      with the first difference
//   --conversation ID  the conversation's timeline (as of --until)
//   --until TIME       the lists each agent (or --agent) saw at TIME
//   --json             alone (or with just --tenant): the events as JSON lines
//                      (the journal's payloads verbatim); with another mode:
//                      that mode's JSON
//   (none)             one summary line per tenant
// Progress (events, events/s, ETA) goes to stderr every second.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gateways/audit.h"
#include "gateways/timeline.h"
#include "tools/commands.h"
#include "tools/flags.h"

namespace atende::tools {

namespace {

const char* replay_help =
  "usage: atende replay --data DIR [--tenant T] [--until TIME]\n"
  "                     [--conversation ID] [--agent A] [--verify] [--json]\n"
  "\n"
  "Rebuilds state from the journal into scratch space; the live data is\n"
  "opened read-only, so a running engine keeps serving.\n\n"
  "  --data DIR          the engine's data directory (required)\n"
  "  --tenant T          only tenant T\n"
  "  --verify            check every journal entry (framing, checksum, seq,\n"
  "                      hash chain), replay it with the engine's reducers and\n"
  "                      compare every entity and view with the live store;\n"
  "                      exit 0 if equal, 1 with the first difference\n"
  "  --conversation ID   print the conversation's timeline: every event with\n"
  "                      seq, time, type, actor, data, and when it entered and\n"
  "                      left whose waiting list\n"
  "  --until TIME        the state as of TIME (RFC 3339): the journal up to the\n"
  "                      first later event. Alone: each agent's mine,\n"
  "                      unassigned and all lists (open conversations) then;\n"
  "                      with --conversation: the timeline up to then\n"
  "  --agent A           with --until: only agent A's lists\n"
  "  --json              JSON output; alone (or with just --tenant): the\n"
  "                      events as JSON lines, each the stored payload verbatim\n"
  "                      (h_n = SHA-256(h_n-1 || line_n) from 32 zero bytes\n"
  "                      gives the chain head --verify prints)\n"
  "\n"
  "Exit status: 0 success, 1 a difference (or a damaged journal), 2 a usage\n"
  "or I/O error. Progress goes to stderr.\n";

int usage_error(const std::string& msg) {
  std::fprintf(stderr, "atende replay: %s\n", msg.c_str());
  return 2;
}

// ---- progress -------------------------------------------------------------

/// progress_line prints, every second while work runs, how many events were
/// read, at what rate and how long the rest should take.
class progress_line {
public:
  explicit progress_line(std::uint64_t total)
    : total_(total), start_(std::chrono::steady_clock::now()),
      thread_([this] { loop(); }) {}
  ~progress_line() { stop(); }

  std::atomic<std::uint64_t> done{0};

  /// stop ends the reporting and prints the final figures (when the work
  /// took long enough to be worth a line, or `always`).
  void stop(bool always = false) {
    {
      std::lock_guard lock{mu_};
      if (stopped_) {
        return;
      }
      stopped_ = true;
    }
    cv_.notify_all();
    thread_.join();
    auto secs = elapsed();
    if (always || secs >= 1.0) {
      auto n = done.load();
      std::fprintf(stderr, "replay: %llu events in %.2f s (%.0f events/s)\n",
                   static_cast<unsigned long long>(n), secs,
                   secs > 0 ? static_cast<double>(n) / secs : 0.0);
    }
  }

private:
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start_)
      .count();
  }
  void loop() {
    std::unique_lock lock{mu_};
    while (!cv_.wait_for(lock, std::chrono::seconds{1},
                         [this] { return stopped_; })) {
      auto n = done.load();
      auto secs = elapsed();
      double rate = static_cast<double>(n) / secs;
      std::string eta = "?";
      if (total_ > n && rate > 0) {
        eta = std::to_string(static_cast<long long>(
                static_cast<double>(total_ - n) / rate + 0.5)) + " s";
      } else if (total_ <= n) {
        eta = "0 s";
      }
      std::fprintf(stderr, "replay: %llu/%llu events (%.0f events/s), ETA %s\n",
                   static_cast<unsigned long long>(n),
                   static_cast<unsigned long long>(total_), rate, eta.c_str());
    }
  }

  std::uint64_t total_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopped_ = false;
  std::thread thread_;
};

std::uint64_t total_events(const std::vector<audit::tenant_ref>& ts) {
  std::uint64_t n = 0;
  for (const auto& t : ts) {
    n += t.events;
  }
  return n;
}

std::string describe(const audit::difference& d) {
  std::string out = "tenant " + d.tenant + ": ";
  if (!d.entry.empty()) {
    out += "journal entry " + d.entry + " (" + d.key + "): ";
  } else if (!d.key.empty()) {
    out += d.key + ": ";
  }
  return out + d.message;
}

nlohmann::json difference_json(const audit::difference& d) {
  return {{"tenant", d.tenant},
          {"entry", d.entry.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.entry)},
          {"key", d.key},
          {"message", d.message}};
}

/// for_each_tenant runs `f(i)` for i in [0, n), on one thread per core:
/// tenants are independent, each one's journal is read in order.
void for_each_tenant(std::size_t n, const std::function<void(std::size_t)>& f) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (auto i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
      f(i);
    }
  };
  auto workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1,
                                         std::max<std::size_t>(n, 1));
  std::vector<std::thread> pool;
  for (std::size_t i = 1; i < workers; ++i) {
    pool.emplace_back(work);
  }
  work();
  for (auto& t : pool) {
    t.join();
  }
}

// ---- --verify -------------------------------------------------------------

int run_verify(const std::vector<audit::tenant_ref>& ts, bool json) {
  std::vector<result<audit::tenant_report>> reports(
    ts.size(), std::unexpected(make_error(errc::internal, "not run")));
  progress_line progress{total_events(ts)};
  for_each_tenant(ts.size(), [&](std::size_t i) {
    reports[i] = audit::verify(ts[i], &progress.done);
  });
  progress.stop(true);

  std::uint64_t events = 0;
  const audit::difference* first = nullptr;
  auto list = nlohmann::json::array();
  for (std::size_t i = 0; i < ts.size(); ++i) {
    if (!reports[i]) {
      return usage_error("tenant " + ts[i].tenant + ": " +
                         reports[i].error().message);
    }
    const auto& r = *reports[i];
    events += r.events;
    if (r.diff && first == nullptr) {
      first = &*r.diff;
    }
    list.push_back({{"tenant", r.tenant},
                    {"store", r.store_name},
                    {"events", r.events},
                    {"conversations", r.conversations},
                    {"unchained", r.unchained},
                    {"head", to_hex(r.head)},
                    {"digest", r.digest}});
    if (!json) {
      std::printf("tenant %s (%s): %llu events, %llu conversations, chain head "
                  "%s, state digest %s",
                  r.tenant.c_str(), r.store_name.c_str(),
                  static_cast<unsigned long long>(r.events),
                  static_cast<unsigned long long>(r.conversations),
                  to_hex(r.head).c_str(),
                  r.digest.empty() ? "-" : r.digest.c_str());
      if (r.unchained > 0) {
        std::printf(" (%llu entries written before the journal was chained)",
                    static_cast<unsigned long long>(r.unchained));
      }
      std::printf("\n");
    }
  }
  if (json) {
    nlohmann::json out = {{"ok", first == nullptr},
                          {"events", events},
                          {"tenants", std::move(list)},
                          {"difference", first == nullptr
                                           ? nlohmann::json(nullptr)
                                           : difference_json(*first)}};
    std::printf("%s\n", out.dump().c_str());
  } else if (first != nullptr) {
    std::printf("difference: %s\n", describe(*first).c_str());
  } else {
    std::printf("verified: %zu tenants, %llu events; journal chains intact; "
                "entities and views equal the live store\n",
                ts.size(), static_cast<unsigned long long>(events));
  }
  return first == nullptr ? 0 : 1;
}

// ---- the state as of --until ------------------------------------------------

/// damaged reports a journal that cannot be replayed (exit 1).
int damaged(const audit::difference& d) {
  std::fprintf(stderr, "atende replay: the journal is damaged: %s (run "
                       "--verify for a full check)\n",
               describe(d).c_str());
  return 1;
}

result<audit::replayed> replay_one(const audit::tenant_ref& t, timestamp until) {
  progress_line progress{t.events};
  auto r = audit::replay_tenant(t, until, &progress.done);
  progress.stop();
  return r;
}

void print_list(const char* name, const nlohmann::json& items) {
  std::printf("  %s (%zu):\n", name, items.size());
  for (const auto& c : items) {
    auto text = [](const nlohmann::json& v) {
      return v.is_string() ? v.get<std::string>() : std::string{"-"};
    };
    std::printf("    %-12s %-8s team %-12s assignee %-12s contact %s (%s), last "
                "activity %s\n",
                text(c["id"]).c_str(), text(c["status"]).c_str(),
                text(c["team"]).c_str(), text(c["assignee"]).c_str(),
                text(c["contact"]["name"]).c_str(),
                text(c["contact"]["id"]).c_str(),
                text(c["last_activity_at"]).c_str());
  }
}

int run_until(const audit::tenant_ref& t, timestamp until,
              const std::string& agent, bool json) {
  auto r = replay_one(t, until);
  if (!r) {
    return usage_error(r.error().message);
  }
  if (r->walked.diff) {
    return damaged(*r->walked.diff);
  }
  std::vector<std::string> agents;
  if (!agent.empty()) {
    agents.push_back(agent);
  } else {
    for (const auto& [id, _] : r->agents) {
      agents.push_back(id);
    }
  }
  auto all = nlohmann::json::array();
  for (const auto& a : agents) {
    auto l = audit::lists(*r, a, until);
    if (!l) {
      return usage_error(l.error().message);
    }
    all.push_back(std::move(*l));
  }
  auto last_at = r->walked.last_seq == 0 ? nlohmann::json(nullptr)
                                         : nlohmann::json(format_time(r->walked.last_at));
  if (json) {
    nlohmann::json out = {{"tenant", t.tenant},
                          {"until", format_time(until)},
                          {"last_seq", r->walked.last_seq},
                          {"last_at", last_at},
                          {"agents", std::move(all)}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  std::printf("tenant %s as of %s (journal up to #%llu)\n", t.tenant.c_str(),
              format_time(until).c_str(),
              static_cast<unsigned long long>(r->walked.last_seq));
  for (const auto& l : all) {
    std::printf("agent %s (%s)\n", l["agent"].get<std::string>().c_str(),
                l["role"].get<std::string>().c_str());
    print_list("mine", l["mine"]);
    print_list("unassigned", l["unassigned"]);
    print_list("all", l["all"]);
  }
  return 0;
}

// ---- --conversation -----------------------------------------------------------

/// find_conversation picks the tenant holding conversation `id`.
result<audit::tenant_ref>
find_conversation(const std::vector<audit::tenant_ref>& ts,
                  const std::string& id) {
  std::vector<const audit::tenant_ref*> found;
  for (const auto& t : ts) {
    auto v = t.db->get(keys::conversation(t.tenant, id));
    if (!v) {
      return std::unexpected(v.error());
    }
    if (v->has_value()) {
      found.push_back(&t);
    }
  }
  if (found.empty()) {
    return fail(errc::not_found, "no conversation '" + id + "'",
                "--conversation");
  }
  if (found.size() > 1) {
    std::string names;
    for (const auto* t : found) {
      names += (names.empty() ? "" : ", ") + t->tenant;
    }
    return fail(errc::malformed, "conversation '" + id +
                                   "' exists in tenants " + names +
                                   "; name one with --tenant",
                "--tenant");
  }
  return *found.front();
}

int run_timeline(const audit::tenant_ref& t, const std::string& id,
                 timestamp until, bool json) {
  auto r = replay_one(t, until);
  if (!r) {
    return usage_error(r.error().message);
  }
  if (r->walked.diff) {
    return damaged(*r->walked.diff);
  }
  principal who;
  who.tenant = t.tenant;
  who.admin = true;
  timeline_options o;
  o.limit = 1000;
  o.until_seq = r->walked.last_seq;
  auto items = nlohmann::json::array();
  for (;;) {
    auto page = conversation_timeline(*t.db, *r->v, who, id, o);
    if (!page) {
      return usage_error("--conversation: " + page.error().message);
    }
    auto& got = (*page)["items"];
    for (auto& item : got) {
      items.push_back(std::move(item));
    }
    if (items.empty() || !page->contains("next_cursor") ||
        !(*page)["next_cursor"].is_string() ||
        (*page)["next_cursor"].get<std::string>().empty()) {
      break;
    }
    o.after = items.back()["seq"].get<std::uint64_t>();
  }
  if (json) {
    nlohmann::json out = {{"tenant", t.tenant}, {"conversation", id},
                          {"items", std::move(items)}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  std::printf("conversation %s of tenant %s: %zu events\n", id.c_str(),
              t.tenant.c_str(), items.size());
  for (const auto& e : items) {
    std::printf("#%-6llu %s  %-30s %-20s %s\n",
                static_cast<unsigned long long>(e["seq"].get<std::uint64_t>()),
                e["at"].get<std::string>().c_str(),
                e["type"].get<std::string>().c_str(),
                e["actor"].get<std::string>().c_str(),
                e.value("summary", std::string{}).c_str());
  }
  return 0;
}

// ---- plain and --json -------------------------------------------------------------

/// run_walk walks every tenant's journal with its checks: with `lines`,
/// printing the events as JSON lines (tenant after tenant, in order), else
/// one summary line per tenant (tenants walked in parallel).
int run_walk(const std::vector<audit::tenant_ref>& ts, bool lines) {
  progress_line progress{total_events(ts)};
  std::vector<result<audit::walk_result>> walked(
    ts.size(), std::unexpected(make_error(errc::internal, "not run")));
  auto walk_one = [&](std::size_t i) {
    audit::walk_options o;
    o.progress = &progress.done;
    walked[i] = audit::walk(*ts[i].db, ts[i].tenant, o,
                            [&](event&&, std::string_view payload) {
                              if (lines) {
                                std::fwrite(payload.data(), 1, payload.size(),
                                            stdout);
                                std::fputc('\n', stdout);
                              }
                            });
  };
  if (lines) {
    for (std::size_t i = 0; i < ts.size(); ++i) {
      walk_one(i);
      if (!walked[i] || walked[i]->diff) {
        break; // nothing after a damaged entry
      }
    }
  } else {
    for_each_tenant(ts.size(), walk_one);
  }
  progress.stop(true);
  std::fflush(stdout);
  std::vector<std::string> summaries;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const auto& w = walked[i];
    if (!w) {
      return usage_error(w.error().message);
    }
    if (w->diff) {
      return damaged(*w->diff);
    }
    char line[512];
    std::snprintf(line, sizeof line,
                  "tenant %s (%s): %llu events%s%s, chain head %s",
                  ts[i].tenant.c_str(), ts[i].store_name.c_str(),
                  static_cast<unsigned long long>(w->events),
                  w->events > 0 ? ", last at " : "",
                  w->events > 0 ? format_time(w->last_at).c_str() : "",
                  to_hex(w->head).c_str());
    summaries.emplace_back(line);
  }
  if (!lines) {
    for (const auto& s : summaries) {
      std::printf("%s\n", s.c_str());
    }
  }
  return 0;
}

} // namespace

int replay_main(int argc, char** argv) {
  auto f = parse_flags(argc, argv,
                       {"data", "tenant", "until", "conversation", "agent"},
                       {"verify", "json", "help"});
  if (!f) {
    std::fprintf(stderr, "atende replay: %s\n%s", f.error().message.c_str(),
                 replay_help);
    return 2;
  }
  if (f->has("help")) {
    std::printf("%s", replay_help);
    return 0;
  }
  if (!f->has("data") || f->get("data").empty()) {
    return usage_error("--data: required (the engine's data directory)");
  }
  timestamp until = 0;
  if (f->has("until")) {
    auto t = parse_time(f->get("until"));
    if (!t) {
      return usage_error("--until: '" + f->get("until") +
                         "' is not an RFC 3339 time "
                         "(e.g. 2026-11-21T14:00:00Z)");
    }
    until = *t;
  }
  bool verify = f->has("verify");
  bool json = f->has("json");
  auto conversation = f->get("conversation");
  auto agent = f->get("agent");
  if (verify && (f->has("until") || f->has("conversation") || f->has("agent"))) {
    return usage_error("--verify checks the whole journal: it takes no "
                       "--until, --conversation or --agent");
  }
  if (f->has("agent") && (!f->has("until") || f->has("conversation"))) {
    return usage_error("--agent: only with --until (and no --conversation)");
  }
  if (f->has("conversation") && conversation.empty()) {
    return usage_error("--conversation: needs an id");
  }

  auto stores = audit::open_data(f->get("data"));
  if (!stores) {
    return usage_error(stores.error().message);
  }
  auto ts = audit::tenants(*stores, f->get("tenant"));
  if (!ts) {
    return usage_error(ts.error().message);
  }
  if (verify) {
    return run_verify(*ts, json);
  }
  if (!conversation.empty()) {
    auto t = find_conversation(*ts, conversation);
    if (!t) {
      return usage_error(t.error().message);
    }
    return run_timeline(*t, conversation, until, json);
  }
  if (f->has("until")) {
    // Lists are per tenant: agents and conversation ids are.
    if (ts->size() != 1) {
      return usage_error("--tenant: the data holds " +
                         std::to_string(ts->size()) +
                         " tenants; name the one to show");
    }
    return run_until(ts->front(), until, agent, json);
  }
  return run_walk(*ts, json);
}

} // namespace atende::tools

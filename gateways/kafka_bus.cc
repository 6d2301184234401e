#include "gateways/kafka_bus.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <shared_mutex>

#include <librdkafka/rdkafka.h>
#include <nlohmann/json.hpp>
#include <rocksdb/write_batch.h>

#include "actors/shard.h"
#include "events/codec.h"
#include "gateways/changelog.h"
#include "gateways/clock.h"
#include "gateways/journal.h"
#include "gateways/partitioner.h"

namespace atende {

namespace {

using namespace std::chrono_literals;

constexpr std::size_t max_part_bytes = 512 * 1024;
constexpr std::size_t pause_above = 50'000;
constexpr std::size_t resume_below = 10'000;
constexpr const char* ref_header = "atende-ref";

[[noreturn]] void fail_stop(const std::string& what) {
  std::fprintf(stderr, "atende: %s; stopping (a restart resumes from the "
                       "changelog)\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

/// delivery: what to do when the broker acknowledges (or fails) one record.
struct delivery {
  std::function<void(rd_kafka_resp_err_t, std::int64_t)> fn;
};

void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  std::unique_ptr<delivery> d{static_cast<delivery*>(m->_private)};
  if (d && d->fn) {
    d->fn(m->err, m->offset);
  }
}

result<rd_kafka_conf_t*> make_conf(
  const kafka_settings& s,
  const std::vector<std::pair<std::string, std::string>>& fixed) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  auto set = [&](const std::string& k, const std::string& v,
                 bool user) -> result<void> {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) !=
        RD_KAFKA_CONF_OK) {
      return fail(errc::invalid_value, std::string{err},
                  user ? "kafka." + k : k);
    }
    return {};
  };
  std::vector<std::pair<std::string, std::string>> all = {
    {"bootstrap.servers", s.brokers}, {"log_level", "3"}};
  all.insert(all.end(), fixed.begin(), fixed.end());
  for (const auto& [k, v] : all) {
    if (auto r = set(k, v, false); !r) {
      rd_kafka_conf_destroy(conf);
      return std::unexpected(r.error());
    }
  }
  for (const auto& [k, v] : s.extra) {
    if (auto r = set(k, v, true); !r) {
      rd_kafka_conf_destroy(conf);
      return std::unexpected(r.error());
    }
  }
  return conf;
}

result<rd_kafka_t*> make_client(rd_kafka_type_t type, rd_kafka_conf_t* conf) {
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return fail(errc::invalid_value, std::string{"kafka: "} + err,
                "kafka.brokers");
  }
  return rk;
}

std::string extra_or(const kafka_settings& s, const std::string& key,
                     std::string fallback) {
  auto it = s.extra.find(key);
  return it == s.extra.end() ? std::move(fallback) : it->second;
}

std::string partition_dir(const kafka_settings& s, std::uint32_t p) {
  char name[16];
  std::snprintf(name, sizeof name, "%04u", p);
  return s.data + "/partitions/" + name;
}

/// latch: counts outstanding deliveries; wait returns when all arrived.
struct latch {
  std::mutex mu;
  std::condition_variable cv;
  std::size_t left = 0;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  std::int64_t last_offset = -1;

  void add() {
    std::lock_guard g{mu};
    ++left;
  }
  void done(rd_kafka_resp_err_t e, std::int64_t off) {
    std::lock_guard g{mu};
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      err = e;
    }
    last_offset = std::max(last_offset, off);
    if (--left == 0) {
      cv.notify_all();
    }
  }
  void wait() {
    std::unique_lock g{mu};
    cv.wait(g, [this] { return left == 0; });
  }
};

} // namespace

struct kafka_bus::part {
  std::uint32_t id = 0;
  std::mutex mu; // queues
  std::deque<log_record> q[2];
  bool paused[2] = {false, false};
  // Replaced only by the consumer thread, under an exclusive lock; readers
  // elsewhere (tenant_store) hold it shared while they use `db`.
  std::shared_mutex db_mu;
  std::unique_ptr<store> db;
  std::atomic<bool> owned{false};
  std::uint64_t gen = 0;
  std::uint64_t next_cycle = 0;

  std::mutex pub_mu; // publications
  std::condition_variable pub_cv;
  std::deque<std::shared_ptr<cycle>> cycles;
  std::uint64_t published_through = 0;
  std::uint64_t published_written = 0;
};

struct kafka_bus::cycle {
  std::vector<event> events;
  std::vector<committed_input> inputs;
  changelog::outputs outs;
  std::size_t parts_left = 0;
  std::uint64_t last_offset = 0;
  bool durable = false;
  bool released = false;
  std::size_t pubs_left = 0;
  bool published = false;
};

namespace {

outcome unavailable(const std::string& why) {
  outcome o;
  o.st = outcome::status::rejected;
  o.err = make_error(errc::unavailable, why);
  return o;
}

} // namespace

// ---- construction -----------------------------------------------------------

kafka_bus::kafka_bus(kafka_settings s, views& v)
  : s_(std::move(s)), views_(v), owner_url_(s_.partitions) {
  for (std::uint32_t p = 0; p < s_.partitions; ++p) {
    parts_.push_back(std::make_unique<part>());
    parts_.back()->id = p;
    probes_.push_back(std::make_unique<shard_probe>());
    probes_.back()->partition = p;
  }
}

std::string kafka_bus::topic(const char* name) const {
  return s_.prefix + name;
}

result<std::unique_ptr<kafka_bus>>
kafka_bus::open(kafka_settings s, views& v, std::chrono::milliseconds wait) {
  std::unique_ptr<kafka_bus> bus{new kafka_bus(std::move(s), v)};
  auto& st = bus->s_;
  auto pconf = make_conf(st, {{"enable.idempotence", "true"},
                              {"compression.type", "lz4"},
                              {"linger.ms", "2"},
                              {"message.timeout.ms", "0"},
                              {"partitioner", "murmur2_random"},
                              {"queue.buffering.max.messages", "1000000"},
                              {"queue.buffering.max.kbytes", "1048576"}});
  if (!pconf) {
    return std::unexpected(pconf.error());
  }
  rd_kafka_conf_set_dr_msg_cb(*pconf, on_delivery);
  auto producer = make_client(RD_KAFKA_PRODUCER, *pconf);
  if (!producer) {
    return std::unexpected(producer.error());
  }
  bus->producer_ = *producer;
  // The topics must exist with the expected partitions (creating them is the
  // operator's job: `atende devbroker` does it for development).
  auto deadline = std::chrono::steady_clock::now() + wait;
  for (const char* name : {"inbound", "commands", "events", "outbound",
                           "changelog"}) {
    auto t = bus->topic(name);
    for (;;) {
      rd_kafka_topic_t* rkt = rd_kafka_topic_new(bus->producer_, t.c_str(),
                                                 nullptr);
      const rd_kafka_metadata_t* md = nullptr;
      auto err = rd_kafka_metadata(bus->producer_, 0, rkt, &md, 2000);
      rd_kafka_topic_destroy(rkt);
      int count = -1;
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR && md->topic_cnt == 1 &&
          md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        count = md->topics[0].partition_cnt;
      }
      if (md != nullptr) {
        rd_kafka_metadata_destroy(md);
      }
      if (count == static_cast<int>(st.partitions)) {
        break;
      }
      if (count > 0) {
        return fail(errc::invalid_value,
                    "topic " + t + " has " + std::to_string(count) +
                      " partitions, the engine is configured for " +
                      std::to_string(st.partitions),
                    "partitions");
      }
      if (std::chrono::steady_clock::now() > deadline) {
        return fail(errc::unavailable,
                    "kafka: topic " + t + " not found at " + st.brokers +
                      " (" + rd_kafka_err2str(err) + ")",
                    "kafka.brokers");
      }
      std::this_thread::sleep_for(200ms);
    }
  }
  return bus;
}

kafka_bus::~kafka_bus() { close(); }

result<void> kafka_bus::run(std::string url, shard_control control,
                            std::function<void(std::uint32_t)> wake) {
  s_.url = std::move(url);
  control_ = std::move(control);
  wake_ = std::move(wake);
  auto cconf = make_conf(
    s_, {{"group.id", extra_or(s_, "group.id", "atende")},
         {"group.instance.id", s_.instance},
         {"partition.assignment.strategy", "cooperative-sticky"},
         {"enable.auto.commit", "false"},
         {"enable.auto.offset.store", "false"},
         {"auto.offset.reset", "earliest"}});
  if (!cconf) {
    return std::unexpected(cconf.error());
  }
  rd_kafka_conf_set_opaque(*cconf, this);
  rd_kafka_conf_set_rebalance_cb(
    *cconf, [](rd_kafka_t*, rd_kafka_resp_err_t err,
               rd_kafka_topic_partition_list_t* list, void* opaque) {
      static_cast<kafka_bus*>(opaque)->rebalance(static_cast<int>(err), list);
    });
  auto consumer = make_client(RD_KAFKA_CONSUMER, *cconf);
  if (!consumer) {
    return std::unexpected(consumer.error());
  }
  consumer_ = *consumer;
  rd_kafka_poll_set_consumer(consumer_);
  auto kconf = make_conf(s_, {{"enable.auto.commit", "false"},
                              {"group.id", "atende-commands-reader"}});
  if (!kconf) {
    return std::unexpected(kconf.error());
  }
  auto commands = make_client(RD_KAFKA_CONSUMER, *kconf);
  if (!commands) {
    return std::unexpected(commands.error());
  }
  commands_ = *commands;
  rd_kafka_poll_set_consumer(commands_);
  auto mconf = make_conf(s_, {{"enable.auto.commit", "false"},
                              {"group.id", "atende-members-reader"}});
  if (!mconf) {
    return std::unexpected(mconf.error());
  }
  auto members = make_client(RD_KAFKA_CONSUMER, *mconf);
  if (!members) {
    return std::unexpected(members.error());
  }
  members_ = *members;
  auto* sub = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(sub, topic("inbound").c_str(),
                                    RD_KAFKA_PARTITION_UA);
  auto err = rd_kafka_subscribe(consumer_, sub);
  rd_kafka_topic_partition_list_destroy(sub);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return fail(errc::unavailable,
                std::string{"kafka: subscribe: "} + rd_kafka_err2str(err));
  }
  auto* mlist = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(mlist, topic("members").c_str(), 0)
    ->offset = RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_assign(members_, mlist);
  rd_kafka_topic_partition_list_destroy(mlist);
  producer_thread_ = std::thread([this] { produce_loop(); });
  members_thread_ = std::thread([this] { members_loop(); });
  commands_thread_ = std::thread([this] { consume_loop(commands_, 1); });
  consumer_thread_ = std::thread([this] { consume_loop(consumer_, 0); });
  return {};
}

void kafka_bus::close() {
  if (stop_.exchange(true)) {
    return;
  }
  if (consumer_thread_.joinable()) {
    consumer_thread_.join();
  }
  if (consumer_ != nullptr) {
    // Static membership: closing does not leave the group, so a restart
    // within the session timeout gets the same partitions back.
    rd_kafka_consumer_close(consumer_);
    for (auto& p : parts_) {
      if (p->owned) {
        revoke(p->id);
      }
    }
    rd_kafka_destroy(consumer_);
    consumer_ = nullptr;
  }
  if (commands_thread_.joinable()) {
    commands_thread_.join();
  }
  if (commands_ != nullptr) {
    rd_kafka_consumer_close(commands_);
    rd_kafka_destroy(commands_);
    commands_ = nullptr;
  }
  if (members_thread_.joinable()) {
    members_thread_.join();
  }
  if (members_ != nullptr) {
    rd_kafka_consumer_close(members_);
    rd_kafka_destroy(members_);
    members_ = nullptr;
  }
  stop_producer_ = true;
  if (producer_thread_.joinable()) {
    producer_thread_.join();
  }
  if (producer_ != nullptr) {
    rd_kafka_destroy(producer_);
    producer_ = nullptr;
  }
  std::lock_guard g{waiters_mu_};
  refs_.clear();
}

std::vector<const shard_probe*> kafka_bus::probes() const {
  std::vector<const shard_probe*> out;
  for (const auto& p : probes_) {
    out.push_back(p.get());
  }
  return out;
}

std::vector<std::uint32_t> kafka_bus::owned() const {
  std::vector<std::uint32_t> out;
  for (const auto& p : parts_) {
    if (p->owned) {
      out.push_back(p->id);
    }
  }
  return out;
}

// ---- consuming --------------------------------------------------------------

void kafka_bus::consume_loop(rd_kafka_t* rk, std::uint32_t stream) {
  while (!stop_) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 100);
    if (m == nullptr) {
      continue;
    }
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      take(m, stream);
    }
    rd_kafka_message_destroy(m);
  }
}

void kafka_bus::take(void* message, std::uint32_t stream) {
  auto* m = static_cast<rd_kafka_message_t*>(message);
  const auto ref_prefix = s_.instance + "/";
  auto p = static_cast<std::uint32_t>(m->partition);
  if (p >= parts_.size() || !parts_[p]->owned) {
    return;
  }
  log_record r;
  r.partition = p;
  r.stream = stream;
  r.offset = static_cast<std::uint64_t>(m->offset);
  r.value.assign(static_cast<const char*>(m->payload), m->len);
  r.scope = stream == 0 ? input_scope::envelopes : input_scope::any;
  rd_kafka_headers_t* hdrs = nullptr;
  if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    const void* v = nullptr;
    std::size_t n = 0;
    if (rd_kafka_header_get_last(hdrs, ref_header, &v, &n) ==
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::string h{static_cast<const char*>(v), n};
      if (h.starts_with(ref_prefix)) {
        r.ref = std::strtoull(h.c_str() + ref_prefix.size(), nullptr, 10);
      }
    }
  }
  // A record keyed by a tenant of another partition (a producer with another
  // partitioner) is moved to its tenant's partition: applying it here would
  // split the tenant's state. Its envelope id makes a repeat harmless.
  std::string tenant{static_cast<const char*>(m->key), m->key_len};
  if (tenant.empty()) {
    auto j = nlohmann::json::parse(r.value, nullptr, false);
    if (j.is_object() && j.contains("tenant") && j["tenant"].is_string()) {
      tenant = j["tenant"].get<std::string>();
    }
  }
  if (!tenant.empty()) {
    auto home = partition_of(tenant, s_.partitions);
    if (home != p) {
      rd_kafka_producev(producer_, RD_KAFKA_V_TOPIC(rd_kafka_topic_name(m->rkt)),
                        RD_KAFKA_V_PARTITION(static_cast<std::int32_t>(home)),
                        RD_KAFKA_V_KEY(tenant.data(), tenant.size()),
                        RD_KAFKA_V_VALUE(r.value.data(), r.value.size()),
                        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY |
                                            RD_KAFKA_MSG_F_BLOCK),
                        RD_KAFKA_V_END);
      return;
    }
  }
  auto& part = *parts_[p];
  bool was_empty = false;
  {
    std::lock_guard g{part.mu};
    auto& q = part.q[stream];
    was_empty = q.empty();
    q.push_back(std::move(r));
    if (q.size() > pause_above && !part.paused[stream]) {
      part.paused[stream] = true;
      auto* l = rd_kafka_topic_partition_list_new(1);
      rd_kafka_topic_partition_list_add(l, rd_kafka_topic_name(m->rkt),
                                        m->partition);
      rd_kafka_pause_partitions(stream == 0 ? consumer_ : commands_, l);
      rd_kafka_topic_partition_list_destroy(l);
    }
  }
  if (was_empty && wake_) {
    wake_(p);
  }
}

result<std::vector<log_record>>
kafka_bus::read(std::uint32_t partition, std::uint32_t stream,
                std::uint64_t from, std::size_t max) {
  auto& part = *parts_[partition];
  std::vector<log_record> out;
  std::lock_guard g{part.mu};
  auto& q = part.q[stream];
  while (!q.empty() && q.front().offset < from) {
    q.pop_front();
  }
  while (!q.empty() && out.size() < max) {
    out.push_back(std::move(q.front()));
    q.pop_front();
  }
  if (part.paused[stream] && q.size() < resume_below) {
    part.paused[stream] = false;
    auto* l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(
      l, topic(stream == 0 ? "inbound" : "commands").c_str(),
      static_cast<std::int32_t>(partition));
    rd_kafka_resume_partitions(stream == 0 ? consumer_ : commands_, l);
    rd_kafka_topic_partition_list_destroy(l);
  }
  return out;
}

void kafka_bus::rebalance(int err, void* opaque_list) {
  auto* list = static_cast<rd_kafka_topic_partition_list_t*>(opaque_list);
  std::vector<std::uint32_t> ps;
  for (int i = 0; i < list->cnt; ++i) {
    ps.push_back(static_cast<std::uint32_t>(list->elems[i].partition));
  }
  using positions =
    std::vector<std::pair<std::uint32_t, std::array<std::int64_t, 2>>>;
  auto list_of = [&](const positions& at, std::uint32_t stream) {
    auto* l = rd_kafka_topic_partition_list_new(static_cast<int>(at.size()));
    for (const auto& [p, offs] : at) {
      rd_kafka_topic_partition_list_add(
        l, topic(stream == 0 ? "inbound" : "commands").c_str(),
        static_cast<std::int32_t>(p))
        ->offset = offs[stream];
    }
    return l;
  };
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    positions at;
    for (auto p : ps) {
      assign(p);
      auto& db = *parts_[p]->db;
      auto o0 = stored_offset(db, p, 0);
      auto o1 = stored_offset(db, p, 1);
      if (!o0 || !o1) {
        fail_stop("partition " + std::to_string(p) + ": cannot read offsets");
      }
      at.push_back({p, {static_cast<std::int64_t>(*o0),
                        static_cast<std::int64_t>(*o1)}});
    }
    for (auto p : ps) {
      parts_[p]->owned = true;
    }
    auto* l = list_of(at, 0);
    if (auto* e = rd_kafka_incremental_assign(consumer_, l)) {
      fail_stop(std::string{"kafka: assign: "} + rd_kafka_error_string(e));
    }
    rd_kafka_topic_partition_list_destroy(l);
    l = list_of(at, 1);
    if (auto* e = rd_kafka_incremental_assign(commands_, l)) {
      fail_stop(std::string{"kafka: assign: "} + rd_kafka_error_string(e));
    }
    rd_kafka_topic_partition_list_destroy(l);
    for (auto p : ps) {
      announce(p);
      std::fprintf(stderr, "atende: partition %u assigned here\n", p);
    }
  } else {
    positions at;
    for (auto p : ps) {
      if (parts_[p]->owned) {
        revoke(p);
        std::fprintf(stderr, "atende: partition %u revoked\n", p);
      }
      at.push_back({p, {0, 0}});
    }
    for (std::uint32_t stream = 0; stream < 2; ++stream) {
      auto* l = list_of(at, stream);
      if (auto* e = rd_kafka_incremental_unassign(
            stream == 0 ? consumer_ : commands_, l)) {
        rd_kafka_error_destroy(e);
      }
      rd_kafka_topic_partition_list_destroy(l);
    }
  }
}

// ---- ownership --------------------------------------------------------------

void kafka_bus::assign(std::uint32_t p) {
  auto t0 = std::chrono::steady_clock::now();
  auto& part = *parts_[p];
  auto dir = partition_dir(s_, p);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir, ec);
  auto db = store::open(dir);
  if (!db) {
    fail_stop("partition " + std::to_string(p) + ": " + db.error().message);
  }
  {
    std::unique_lock g{part.db_mu};
    part.db = std::move(*db);
  }

  // Read the whole changelog partition.
  const auto cl = topic("changelog");
  std::vector<changelog::stored> records;
  std::int64_t lo = 0;
  std::int64_t hi = 0;
  for (;;) {
    auto err = rd_kafka_query_watermark_offsets(producer_, cl.c_str(),
                                                static_cast<std::int32_t>(p),
                                                &lo, &hi, 5000);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      break;
    }
    std::fprintf(stderr, "atende: partition %u: changelog: %s; retrying\n", p,
                 rd_kafka_err2str(err));
    std::this_thread::sleep_for(1s);
  }
  if (hi > lo) {
    auto rconf = make_conf(s_, {{"enable.auto.commit", "false"},
                                {"group.id", "atende-restore"},
                                {"enable.partition.eof", "true"}});
    if (!rconf) {
      fail_stop(rconf.error().message);
    }
    auto reader = make_client(RD_KAFKA_CONSUMER, *rconf);
    if (!reader) {
      fail_stop(reader.error().message);
    }
    auto* l = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(l, cl.c_str(), static_cast<std::int32_t>(p))
      ->offset = lo;
    rd_kafka_assign(*reader, l);
    rd_kafka_topic_partition_list_destroy(l);
    std::int64_t next = lo;
    while (next < hi) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(*reader, 500);
      if (m == nullptr) {
        continue;
      }
      if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        auto d = changelog::decode(
          {static_cast<const char*>(m->payload), m->len});
        if (!d) {
          fail_stop("changelog partition " + std::to_string(p) + " offset " +
                    std::to_string(m->offset) + ": " + d.error().message);
        }
        records.push_back({static_cast<std::uint64_t>(m->offset), d->h,
                           std::string{d->payload}});
        next = m->offset + 1;
      } else if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        next = std::max<std::int64_t>(next, m->offset);
      }
      rd_kafka_message_destroy(m);
    }
    rd_kafka_consumer_close(*reader);
    rd_kafka_destroy(*reader);
  }
  auto plan = changelog::plan_restore(records);
  records.clear();
  for (const auto& c : plan.cycles) {
    for (const auto& rep : c.reps) {
      rocksdb::WriteBatch b{rep};
      if (auto w = part.db->write(b, false); !w) {
        fail_stop(w.error().message);
      }
    }
  }

  // Take over: a higher generation voids what an older owner writes later.
  part.gen = plan.next_gen;
  part.next_cycle = 0;
  latch done;
  done.add();
  auto takeover = changelog::encode(
    {changelog::kind::takeover, part.gen, 0, 0, 0,
     static_cast<std::uint64_t>(hi)}, {});
  auto key = std::to_string(p);
  auto* d = new delivery{[&done](rd_kafka_resp_err_t e, std::int64_t off) {
    done.done(e, off);
  }};
  rd_kafka_producev(producer_, RD_KAFKA_V_TOPIC(cl.c_str()),
                    RD_KAFKA_V_PARTITION(static_cast<std::int32_t>(p)),
                    RD_KAFKA_V_KEY(key.data(), key.size()),
                    RD_KAFKA_V_VALUE(takeover.data(), takeover.size()),
                    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY | RD_KAFKA_MSG_F_BLOCK),
                    RD_KAFKA_V_OPAQUE(d), RD_KAFKA_V_END);
  done.wait();
  if (done.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    fail_stop(std::string{"changelog takeover: "} + rd_kafka_err2str(done.err));
  }
  const auto through = static_cast<std::uint64_t>(done.last_offset) + 1;

  // Republish what may not have reached atende.events / atende.outbound.
  std::uint64_t published = 0;
  if (auto v = part.db->get(keys::published(p)); v && v->has_value()) {
    published = keys::read_fixed64be(**v);
  }
  latch pubs;
  std::size_t republished = 0;
  for (const auto& c : plan.cycles) {
    if (c.offset < published) {
      continue;
    }
    for (const auto& rep : c.reps) {
      auto outs = changelog::outputs_of(rep);
      if (!outs) {
        fail_stop(outs.error().message);
      }
      // Blocking when the queue is full is fine here: this is the consumer
      // thread, and another thread serves the delivery reports.
      republished += publish(
        p, *outs, true,
        [&pubs] { pubs.done(RD_KAFKA_RESP_ERR_NO_ERROR, 0); },
        [&pubs] { pubs.add(); });
    }
  }
  pubs.wait();
  {
    std::lock_guard g{part.pub_mu};
    part.published_through = through;
    part.published_written = through;
  }
  rocksdb::WriteBatch b;
  b.Put(keys::published(p), keys::fixed64be(through));
  if (auto w = part.db->write(b, true); !w) {
    fail_stop(w.error().message);
  }

  // Views of the partition's tenants, from its journal.
  auto n = read_journal(*part.db, [this](std::vector<event>& chunk) {
    views_.apply(chunk);
  });
  if (!n) {
    fail_stop(n.error().message);
  }
  if (auto r = control_.start(p, *part.db); !r) {
    fail_stop(r.error().message);
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::steady_clock::now() - t0)
              .count();
  std::fprintf(stderr,
               "atende: partition %u restored: %zu cycles, %llu events, "
               "%zu records republished, generation %llu, %lld ms\n",
               p, plan.cycles.size(), static_cast<unsigned long long>(*n),
               republished, static_cast<unsigned long long>(part.gen),
               static_cast<long long>(ms));
}

void kafka_bus::revoke(std::uint32_t p) {
  auto& part = *parts_[p];
  part.owned = false;
  control_.stop(p);
  {
    // Let the last cycles reach the broker (bounded: a broker that is gone
    // for good leaves them to the next owner, which republishes).
    std::unique_lock g{part.pub_mu};
    part.pub_cv.wait_for(g, 30s, [&] { return part.cycles.empty(); });
    part.cycles.clear();
  }
  fail_waiters(p, "the tenant's partition moved to another instance; retry");
  const auto n = s_.partitions;
  views_.forget([p, n](const std::string& tenant) {
    return partition_of(tenant, n) == p;
  });
  {
    std::lock_guard g{part.mu};
    part.q[0].clear();
    part.q[1].clear();
    part.paused[0] = part.paused[1] = false;
  }
  // Waits for readers of the store (tenant_store) to let go.
  std::unique_lock g{part.db_mu};
  if (part.db) {
    (void)part.db->flush();
    part.db.reset();
  }
}

void kafka_bus::announce(std::uint32_t p) {
  nlohmann::json j = {{"partition", p},
                      {"url", s_.url},
                      {"instance", s_.instance},
                      {"generation", parts_[p]->gen}};
  auto v = j.dump();
  auto key = std::to_string(p);
  auto t = topic("members");
  rd_kafka_producev(producer_, RD_KAFKA_V_TOPIC(t.c_str()),
                    RD_KAFKA_V_PARTITION(0),
                    RD_KAFKA_V_KEY(key.data(), key.size()),
                    RD_KAFKA_V_VALUE(v.data(), v.size()),
                    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                    RD_KAFKA_V_END);
}

void kafka_bus::members_loop() {
  std::vector<std::uint64_t> gens(s_.partitions, 0);
  auto next_check = std::chrono::steady_clock::now();
  while (!stop_) {
    if (std::chrono::steady_clock::now() >= next_check) {
      const rd_kafka_metadata_t* md = nullptr;
      auto err = rd_kafka_metadata(producer_, 0, nullptr, &md, 1500);
      if (md != nullptr) {
        rd_kafka_metadata_destroy(md);
      }
      bool down = err != RD_KAFKA_RESP_ERR_NO_ERROR;
      if (down && !degraded_.exchange(true)) {
        degraded_since_ms_ = now_ms();
        std::fprintf(stderr, "atende: kafka unreachable (%s); retrying\n",
                     rd_kafka_err2str(err));
      } else if (!down && degraded_.exchange(false)) {
        std::fprintf(stderr, "atende: kafka reachable again\n");
      }
      next_check = std::chrono::steady_clock::now() + 2s;
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(members_, 200);
    if (m == nullptr) {
      continue;
    }
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      auto j = nlohmann::json::parse(
        std::string_view{static_cast<const char*>(m->payload), m->len}, nullptr,
        false);
      if (j.is_object() && j.contains("partition") && j.contains("url")) {
        auto p = j.value("partition", 0u);
        auto gen = j.value("generation", std::uint64_t{0});
        if (p < gens.size() && gen >= gens[p]) {
          gens[p] = gen;
          std::lock_guard g{members_mu_};
          owner_url_[p] = j.value("url", "");
        }
      }
    }
    rd_kafka_message_destroy(m);
  }
}

engine_port::placement kafka_bus::locate(const std::string& tenant) const {
  return locate_partition(partition_of(tenant, s_.partitions));
}

engine_port::placement kafka_bus::locate_partition(std::uint32_t p) const {
  if (parts_[p]->owned) {
    return {};
  }
  std::lock_guard g{members_mu_};
  const auto& url = owner_url_[p];
  if (url.empty() || url == s_.url) {
    return {placement::where::unavailable, {}};
  }
  return {placement::where::redirect, url};
}

std::shared_ptr<const store>
kafka_bus::tenant_store(const std::string& tenant) const {
  auto& part = *parts_[partition_of(tenant, s_.partitions)];
  // The lock travels with the pointer: revoke cannot close the store while
  // a reader holds it.
  struct held {
    std::shared_lock<std::shared_mutex> lock;
  };
  auto h = std::make_shared<held>(held{std::shared_lock{part.db_mu}});
  if (!part.owned || !part.db) {
    return nullptr;
  }
  return {std::move(h), part.db.get()};
}

engine_port::health_state kafka_bus::health() const {
  health_state h;
  h.kafka = true;
  std::string unplaced;
  for (const auto& part : parts_) {
    if (part->owned) {
      h.owned.push_back(part->id);
    } else if (locate_partition(part->id).at != placement::where::redirect) {
      unplaced += (unplaced.empty() ? "" : ", ") + std::to_string(part->id);
    }
  }
  if (degraded_) {
    h.status = "degraded";
    h.reason = "kafka brokers " + s_.brokers + " unreachable since " +
               std::to_string(degraded_since_ms_.load()) +
               " ms (epoch); retrying";
  } else if (!unplaced.empty()) {
    h.status = "starting";
    h.reason = "partitions " + unplaced + " are served by no instance yet";
  }
  return h;
}

std::string kafka_bus::metrics_text() const {
  std::string out =
    "# HELP atende_kafka_consumer_lag Records in the partition not yet "
    "applied.\n# TYPE atende_kafka_consumer_lag gauge\n";
  std::string owned_lines =
    "# HELP atende_kafka_partition_owned Whether this instance serves the "
    "partition.\n# TYPE atende_kafka_partition_owned gauge\n";
  for (const auto& part : parts_) {
    auto p = part->id;
    owned_lines += "atende_kafka_partition_owned{partition=\"" +
                   std::to_string(p) + "\"} " + (part->owned ? "1" : "0") +
                   "\n";
    if (!part->owned || consumer_ == nullptr) {
      continue;
    }
    for (std::uint32_t s = 0; s < 2; ++s) {
      auto t = topic(s == 0 ? "inbound" : "commands");
      std::int64_t lo = 0;
      std::int64_t hi = -1;
      if (rd_kafka_get_watermark_offsets(s == 0 ? consumer_ : commands_, t.c_str(),
                                         static_cast<std::int32_t>(p), &lo,
                                         &hi) != RD_KAFKA_RESP_ERR_NO_ERROR ||
          hi < 0) {
        continue;
      }
      auto next = s == 0 ? probes_[p]->next_offset.load()
                         : probes_[p]->next_offset_commands.load();
      auto lag = hi > static_cast<std::int64_t>(next)
                   ? hi - static_cast<std::int64_t>(next)
                   : 0;
      out += "atende_kafka_consumer_lag{topic=\"" + t + "\",partition=\"" +
             std::to_string(p) + "\"} " + std::to_string(lag) + "\n";
    }
  }
  out += owned_lines;
  out += "# HELP atende_kafka_up Whether a broker answered the last check.\n"
         "# TYPE atende_kafka_up gauge\natende_kafka_up ";
  out += degraded_ ? "0\n" : "1\n";
  return out;
}

// ---- producing --------------------------------------------------------------

void kafka_bus::produce_loop() {
  auto next_expiry = std::chrono::steady_clock::now();
  while (!stop_producer_) {
    rd_kafka_poll(producer_, 50);
    if (std::chrono::steady_clock::now() >= next_expiry) {
      expire_waiters();
      next_expiry = std::chrono::steady_clock::now() + 500ms;
    }
  }
  rd_kafka_flush(producer_, 10000);
}

void kafka_bus::submit(std::vector<input> inputs, submit_callback done) {
  auto w = submit_waiter::start(inputs.size(), std::move(done));
  if (!w) {
    return;
  }
  const auto t = topic("commands");
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto p = partition_of(inputs[i].tenant, s_.partitions);
    if (!parts_[p]->owned) {
      w->set(i, unavailable("tenant '" + inputs[i].tenant +
                            "' is not served by this instance now; retry"));
      continue;
    }
    auto value = encode_input(inputs[i]).dump();
    std::uint64_t ref = 0;
    {
      std::lock_guard g{waiters_mu_};
      ref = next_ref_++;
      refs_[ref] = {w, i, p,
                    std::chrono::steady_clock::now() + s_.reply_timeout};
    }
    auto header = s_.instance + "/" + std::to_string(ref);
    const auto& tenant = inputs[i].tenant;
    auto err = rd_kafka_producev(
      producer_, RD_KAFKA_V_TOPIC(t.c_str()),
      RD_KAFKA_V_PARTITION(static_cast<std::int32_t>(p)),
      RD_KAFKA_V_KEY(tenant.data(), tenant.size()),
      RD_KAFKA_V_VALUE(value.data(), value.size()),
      RD_KAFKA_V_HEADER(ref_header, header.data(),
                        static_cast<ssize_t>(header.size())),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      {
        std::lock_guard g{waiters_mu_};
        refs_.erase(ref);
      }
      w->set(i, unavailable(std::string{"kafka: "} + rd_kafka_err2str(err)));
    }
  }
}

void kafka_bus::resolve(const std::vector<committed_input>& inputs) {
  std::vector<std::tuple<std::shared_ptr<submit_waiter>, std::size_t, outcome>> ready;
  {
    std::lock_guard g{waiters_mu_};
    for (const auto& ci : inputs) {
      if (ci.ref == 0) {
        continue;
      }
      auto it = refs_.find(ci.ref);
      if (it == refs_.end()) {
        continue;
      }
      ready.emplace_back(it->second.w, it->second.index, ci.out);
      refs_.erase(it);
    }
  }
  for (auto& [w, i, o] : ready) {
    w->set(i, std::move(o));
  }
}

void kafka_bus::fail_waiters_if(
  const std::function<bool(const ref_slot&)>& which, const std::string& why) {
  std::vector<std::pair<std::shared_ptr<submit_waiter>, std::size_t>> gone;
  {
    std::lock_guard g{waiters_mu_};
    for (auto it = refs_.begin(); it != refs_.end();) {
      if (which(it->second)) {
        gone.emplace_back(it->second.w, it->second.index);
        it = refs_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& [w, i] : gone) {
    w->set(i, unavailable(why));
  }
}

void kafka_bus::fail_waiters(std::uint32_t p, const std::string& why) {
  fail_waiters_if([p](const ref_slot& s) { return s.partition == p; }, why);
}

void kafka_bus::expire_waiters() {
  auto now = std::chrono::steady_clock::now();
  fail_waiters_if([now](const ref_slot& s) { return s.deadline < now; },
                  "no outcome yet (the broker is slow or unreachable); the "
                  "input may still be applied: retry with the same "
                  "idempotency key or envelope id");
}

// ---- commit cycles ----------------------------------------------------------

void kafka_bus::committed(std::uint32_t p, const std::vector<event>& events,
                          std::vector<committed_input> inputs,
                          std::string_view writes) {
  auto& part = *parts_[p];
  auto c = std::make_shared<cycle>();
  c->events = events;
  c->inputs = std::move(inputs);
  auto outs = changelog::outputs_of(writes);
  auto reps = changelog::split(writes, max_part_bytes);
  if (!outs || !reps) {
    fail_stop(!outs ? outs.error().message : reps.error().message);
  }
  c->outs = std::move(*outs);
  c->parts_left = reps->size();
  std::uint64_t number = 0;
  {
    std::lock_guard g{part.pub_mu};
    part.cycles.push_back(c);
    number = part.next_cycle++;
  }
  const auto t = topic("changelog");
  const auto key = std::to_string(p);
  for (std::uint32_t i = 0; i < reps->size(); ++i) {
    auto value = changelog::encode(
      {changelog::kind::part, part.gen, number, i,
       static_cast<std::uint32_t>(reps->size()), 0},
      (*reps)[i]);
    auto* d = new delivery{[this, p, c](rd_kafka_resp_err_t e, std::int64_t off) {
      if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
        fail_stop(std::string{"changelog publish: "} + rd_kafka_err2str(e));
      }
      {
        std::lock_guard g{parts_[p]->pub_mu};
        c->last_offset = std::max(c->last_offset, static_cast<std::uint64_t>(off));
        if (--c->parts_left == 0) {
          c->durable = true;
        }
      }
      cycle_durable(p);
    }};
    auto err = rd_kafka_producev(
      producer_, RD_KAFKA_V_TOPIC(t.c_str()),
      RD_KAFKA_V_PARTITION(static_cast<std::int32_t>(p)),
      RD_KAFKA_V_KEY(key.data(), key.size()),
      RD_KAFKA_V_VALUE(value.data(), value.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY | RD_KAFKA_MSG_F_BLOCK),
      RD_KAFKA_V_OPAQUE(d), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      delete d;
      fail_stop(std::string{"changelog produce: "} + rd_kafka_err2str(err));
    }
  }
}

void kafka_bus::cycle_durable(std::uint32_t p) {
  auto& part = *parts_[p];
  std::vector<std::shared_ptr<cycle>> ready;
  {
    std::lock_guard g{part.pub_mu};
    for (auto& c : part.cycles) {
      if (!c->durable) {
        break;
      }
      if (!c->released) {
        c->released = true;
        ready.push_back(c);
      }
    }
  }
  for (auto& c : ready) {
    views_.apply(c->events);
    if (observer_) {
      observer_(p, c->events);
    }
    resolve(c->inputs);
    // Offsets for lag monitoring only: the real ones live in RocksDB.
    std::array<std::int64_t, 2> next{-1, -1};
    for (const auto& ci : c->inputs) {
      next[ci.stream] = std::max(next[ci.stream],
                                 static_cast<std::int64_t>(ci.offset) + 1);
    }
    auto* l = rd_kafka_topic_partition_list_new(2);
    for (std::uint32_t s = 0; s < 2; ++s) {
      if (next[s] >= 0) {
        rd_kafka_topic_partition_list_add(
          l, topic(s == 0 ? "inbound" : "commands").c_str(),
          static_cast<std::int32_t>(p))
          ->offset = next[s];
      }
    }
    if (l->cnt > 0 && consumer_ != nullptr) {
      rd_kafka_commit(consumer_, l, 1);
    }
    rd_kafka_topic_partition_list_destroy(l);

    std::size_t total = c->outs.events.size() + c->outs.outbound.size();
    {
      std::lock_guard g{part.pub_mu};
      c->pubs_left = total;
      c->published = total == 0;
    }
    // Not blocking: this is the thread that serves delivery reports; the
    // queue holds a million records.
    publish(p, c->outs, false, [this, p, c] {
      bool done = false;
      {
        std::lock_guard g{parts_[p]->pub_mu};
        done = --c->pubs_left == 0;
        c->published = done;
      }
      if (done) {
        cycle_published(p);
      }
    });
    if (total == 0) {
      cycle_published(p);
    }
  }
}

std::size_t kafka_bus::publish(std::uint32_t p,
                               const changelog::outputs& outs, bool block,
                               const std::function<void()>& acked,
                               const std::function<void()>& before_each) {
  std::size_t n = 0;
  for (auto [list, name] : {std::pair{&outs.events, "events"},
                            std::pair{&outs.outbound, "outbound"}}) {
    const auto t = topic(name);
    for (const auto& o : *list) {
      if (before_each) {
        before_each();
      }
      auto* d = new delivery{[acked](rd_kafka_resp_err_t e, std::int64_t) {
        if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
          fail_stop(std::string{"publish: "} + rd_kafka_err2str(e));
        }
        acked();
      }};
      auto err = rd_kafka_producev(
        producer_, RD_KAFKA_V_TOPIC(t.c_str()),
        RD_KAFKA_V_PARTITION(static_cast<std::int32_t>(p)),
        RD_KAFKA_V_KEY(o.tenant.data(), o.tenant.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(o.value.data()), o.value.size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY |
                            (block ? RD_KAFKA_MSG_F_BLOCK : 0)),
        RD_KAFKA_V_OPAQUE(d), RD_KAFKA_V_END);
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        delete d;
        fail_stop(std::string{"publish: "} + rd_kafka_err2str(err));
      }
      ++n;
    }
  }
  return n;
}

void kafka_bus::cycle_published(std::uint32_t p) {
  auto& part = *parts_[p];
  std::lock_guard g{part.pub_mu};
  while (!part.cycles.empty() && part.cycles.front()->published) {
    part.published_through = part.cycles.front()->last_offset + 1;
    part.cycles.pop_front();
  }
  part.pub_cv.notify_all();
}

void kafka_bus::extra_puts(
  std::uint32_t p, std::vector<std::pair<std::string, std::string>>& puts) {
  auto& part = *parts_[p];
  std::lock_guard g{part.pub_mu};
  if (part.published_through > part.published_written) {
    puts.emplace_back(keys::published(p),
                      keys::fixed64be(part.published_through));
    part.published_written = part.published_through;
  }
}

} // namespace atende

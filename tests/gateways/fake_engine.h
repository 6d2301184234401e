// fake_engine: an engine_port for the gateway tests. It decides a few
// commands the obvious way (creates become created events, patches merge,
// conversation commands become their events, envelopes are accepted once
// per id; portfolios keep their contacts, agents their pause), applies the
// events to real views (and, when asked, writes them to a journal), and
// calls back from its own thread, as the real engine does. Tests may queue a canned rejection.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "actors/store.h"
#include "events/event.h"
#include "gateways/engine_port.h"
#include "projections/views.h"

namespace atende::testing {

/// fake_state is what the fake engine remembers between inputs.
struct fake_state {
  std::map<std::string, std::uint64_t> seq;      // tenant -> last seq
  std::set<std::string> envelopes;               // tenant/id seen
  std::map<std::string, nlohmann::json> records; // tenant/kind/id -> stored
  std::map<std::string, std::string> sends;      // tenant/key -> message
  std::map<std::string, std::set<std::string>> holds; // tenant/portfolio ->
                                                      // contacts
  std::map<std::string, std::string> pauses; // tenant/agent -> pause type
  std::uint64_t messages = 0;
};

class fake_engine : public engine_port {
public:
  explicit fake_engine(views& v);
  ~fake_engine() override;

  void submit(std::vector<input> inputs, submit_callback done) override;

  /// reject_next makes an input of `type` rejected with `e`: the next one,
  /// or the one after `skip` others of that type.
  void reject_next(const std::string& type, error e, int skip = 0);

  /// hold keeps callbacks back until release() (to test stopping while the
  /// engine works).
  void hold();
  void release();

  /// seed applies `d` to the views as an event of `tenant`, at `at` (0:
  /// now).
  void seed(const std::string& tenant, event_data d,
            const std::string& actor = "root", timestamp at = 0);

  /// keep_journal writes every event applied from now on to `db`, as the
  /// shards do (journal and by-conversation keys, actors/store.h), and
  /// serves `db` as every tenant's store. `db` must outlive the engine.
  void keep_journal(store& db);

  [[nodiscard]] std::shared_ptr<const store>
  tenant_store(const std::string& tenant) const override;

  /// inputs returns every input submitted so far.
  [[nodiscard]] std::vector<input> inputs() const;

  /// batches returns the number of inputs of each submit call so far.
  [[nodiscard]] std::vector<std::size_t> batches() const;

private:
  struct job {
    std::vector<input> inputs;
    submit_callback done;
  };

  void run();
  void journal(const std::vector<event>& events);

  views& views_;
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<job> jobs_;
  bool stopping_ = false;
  bool held_ = false;
  std::vector<input> seen_;
  std::vector<std::size_t> batches_;
  struct canned {
    error e;
    int skip = 0;
  };
  std::map<std::string, canned> canned_;
  fake_state state_;
  store* db_ = nullptr;
  std::thread worker_;
};

} // namespace atende::testing

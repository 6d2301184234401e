// views under concurrent use: one writer applying, readers querying.
// Meaningful under ThreadSanitizer; elsewhere it checks that readers always
// see a consistent page (counts never below what the page shows).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/projections/builders.h"

namespace atende::testing {
namespace {

TEST(Concurrency, QueriesRunWhileEventsApply) {
  views v;
  history h{"acme"};
  v.apply(h.tenant("boss", "hash-boss")
            .team("sales")
            .agent("ana", {"sales"}, "hash-ana")
            .contact("c1", "Maria", "5511988887777", {"vip"})
            .take());
  std::atomic<bool> done = false;
  auto reader = [&] {
    while (!done) {
      auto who = v.authenticate("hash-ana");
      ASSERT_TRUE(who);
      auto p = v.conversations(*who, {.tag = "vip", .limit = 10});
      ASSERT_TRUE(p);
      EXPECT_LE(p->items.items.size(), p->all);
      auto agents = v.list(*who, resource::agents, 5, "");
      ASSERT_TRUE(agents);
    }
  };
  std::thread r1(reader), r2(reader);
  for (int i = 0; i < 300; ++i) {
    auto id = numbered("k", i);
    h.open(id, "c1", "wa", "sales", at_s(i)).receive(id, id + "m", "oi", at_s(i));
    if (i % 2 == 0) {
      h.assign(id, "ana", at_s(i));
    }
    v.apply(h.take());
  }
  done = true;
  r1.join();
  r2.join();
  EXPECT_EQ(v.conversation_count(), 300U);
}

} // namespace
} // namespace atende::testing

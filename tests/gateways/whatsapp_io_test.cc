// whatsapp_io: the Prometheus lines of several senders and fetchers (one
// pair per partition in Kafka mode) come out as one exposition.
#include <gtest/gtest.h>

#include "gateways/whatsapp_io.h"

namespace atende {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(MergeMetrics, EachFamilyIsDescribedOnceWithTheSamplesOfEveryText) {
  const std::string one =
    "# HELP atende_whatsapp_sends_total Sends.\n"
    "# TYPE atende_whatsapp_sends_total counter\n"
    "atende_whatsapp_sends_total{tenant=\"a\",outcome=\"accepted\"} 3\n"
    "# HELP atende_whatsapp_send_failures_total Failures.\n"
    "# TYPE atende_whatsapp_send_failures_total counter\n";
  const std::string two =
    "# HELP atende_whatsapp_sends_total Sends.\n"
    "# TYPE atende_whatsapp_sends_total counter\n"
    "atende_whatsapp_sends_total{tenant=\"b\",outcome=\"accepted\"} 5\n"
    "# HELP atende_whatsapp_send_failures_total Failures.\n"
    "# TYPE atende_whatsapp_send_failures_total counter\n"
    "atende_whatsapp_send_failures_total{tenant=\"b\",code=\"131026\"} 1\n";
  auto out = merge_metrics({one, two});
  EXPECT_EQ(count(out, "# HELP atende_whatsapp_sends_total"), 1u);
  EXPECT_EQ(count(out, "# TYPE atende_whatsapp_sends_total"), 1u);
  EXPECT_EQ(count(out, "# TYPE atende_whatsapp_send_failures_total"), 1u);
  EXPECT_EQ(out,
            "# HELP atende_whatsapp_sends_total Sends.\n"
            "# TYPE atende_whatsapp_sends_total counter\n"
            "atende_whatsapp_sends_total{tenant=\"a\",outcome=\"accepted\"} 3\n"
            "atende_whatsapp_sends_total{tenant=\"b\",outcome=\"accepted\"} 5\n"
            "# HELP atende_whatsapp_send_failures_total Failures.\n"
            "# TYPE atende_whatsapp_send_failures_total counter\n"
            "atende_whatsapp_send_failures_total{tenant=\"b\",code=\"131026\"} "
            "1\n");
}

TEST(MergeMetrics, NothingGivesNothing) {
  EXPECT_EQ(merge_metrics({}), "");
  whatsapp_io none{[](const std::string&, const whatsapp_io::visit_fn&) {},
                   [](const whatsapp_io::visit_fn&) {}};
  EXPECT_EQ(none.metrics_text(), "");
  EXPECT_EQ(none.health("acme", "wa"), nlohmann::json::object());
}

} // namespace
} // namespace atende

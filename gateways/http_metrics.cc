#include "gateways/http_metrics.h"

#include <charconv>

namespace atende {

namespace {

constexpr std::array<std::string_view, 6> methods{"GET",    "POST", "PATCH",
                                                  "DELETE", "PUT",  "OTHER"};

std::size_t method_index(std::string_view m) {
  for (std::size_t i = 0; i + 1 < methods.size(); ++i) {
    if (methods[i] == m) {
      return i;
    }
  }
  return methods.size() - 1;
}

std::string format_seconds(double s) {
  std::array<char, 32> buf{};
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), s,
                         std::chars_format::fixed);
  return {buf.data(), r.ptr};
}

std::string partition_label(const shard_probe& p) {
  return "partition=\"" + std::to_string(p.partition) + "\"";
}

std::uint64_t load(const std::atomic<std::uint64_t>& a) {
  return a.load(std::memory_order_relaxed);
}

/// render_histogram appends the _bucket/_sum/_count lines of `h`; `labels`
/// is `a="x",b="y"` (may be empty).
void render_histogram(std::string& out, std::string_view name,
                      const std::string& labels, const latency_histogram& h) {
  std::string sep = labels.empty() ? "" : ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < h.buckets.size(); ++i) {
    cumulative += load(h.buckets[i]);
    std::string le =
        i < h.bounds.size() ? format_seconds(h.bounds[i]) : std::string{"+Inf"};
    out.append(name).append("_bucket{").append(labels).append(sep);
    out.append("le=\"").append(le).append("\"} ");
    out.append(std::to_string(cumulative)).append("\n");
  }
  auto sum = static_cast<double>(load(h.sum_us)) / 1e6;
  out.append(name).append("_sum{").append(labels).append("} ");
  out.append(format_seconds(sum)).append("\n");
  out.append(name).append("_count{").append(labels).append("} ");
  out.append(std::to_string(load(h.count))).append("\n");
}

void render_counter(std::string& out, std::string_view name,
                    std::string_view type, std::string_view help,
                    const std::vector<const shard_probe*>& probes,
                    std::atomic<std::uint64_t> shard_probe::*field) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  for (const auto* p : probes) {
    out.append(name).append("{").append(partition_label(*p)).append("} ");
    out.append(std::to_string(load(p->*field))).append("\n");
  }
}

void render_probes(std::string& out,
                   const std::vector<const shard_probe*>& probes) {
  using sp = shard_probe;
  render_counter(out, "atende_inputs_applied_total", "counter",
                 "Inputs accepted and applied.", probes, &sp::inputs_applied);
  render_counter(out, "atende_inputs_duplicate_total", "counter",
                 "Inputs ignored as duplicates.", probes,
                 &sp::inputs_duplicate);
  render_counter(out, "atende_inputs_rejected_total", "counter",
                 "Inputs rejected.", probes, &sp::inputs_rejected);
  render_counter(out, "atende_events_written_total", "counter",
                 "Domain events written to the journal.", probes,
                 &sp::events_written);
  render_counter(out, "atende_input_offset", "gauge",
                 "Next input offset the shard reads.", probes,
                 &sp::next_offset);
  render_counter(out, "atende_commits_total", "counter",
                 "Commit cycles written.", probes, &sp::commits);
  out += "# HELP atende_commit_latency_seconds Duration of a commit cycle.\n"
         "# TYPE atende_commit_latency_seconds histogram\n";
  for (const auto* p : probes) {
    render_histogram(out, "atende_commit_latency_seconds", partition_label(*p),
                     p->commit_latency);
  }
  out += "# HELP atende_wal_sync_seconds Duration of one fsync of the "
         "write-ahead log (it makes every cycle written before it durable).\n"
         "# TYPE atende_wal_sync_seconds histogram\n";
  for (const auto* p : probes) {
    render_histogram(out, "atende_wal_sync_seconds", partition_label(*p),
                     p->wal_sync_latency);
  }
}

} // namespace

struct http_metrics::slot {
  std::array<std::atomic<std::uint64_t>, statuses.size() + 1> by_status{};
  latency_histogram duration;
};

http_metrics::http_metrics(std::vector<std::string> routes)
    : routes_(std::move(routes)),
      slots_(new slot[(routes_.size() + 1) * methods.size()]) {}

http_metrics::~http_metrics() = default;

void http_metrics::observe(std::size_t route, std::string_view method,
                           unsigned status, std::chrono::microseconds took) {
  if (route > routes_.size()) {
    route = routes_.size();
  }
  auto& s = slots_[route * methods.size() + method_index(method)];
  std::size_t i = 0;
  while (i < statuses.size() && statuses[i] != status) {
    ++i;
  }
  s.by_status[i].fetch_add(1, std::memory_order_relaxed);
  s.duration.observe_us(static_cast<std::uint64_t>(took.count()));
}

std::string http_metrics::render_http() const {
  std::string counts =
      "# HELP atende_http_requests_total HTTP requests answered.\n"
      "# TYPE atende_http_requests_total counter\n";
  std::string times = "# HELP atende_http_request_duration_seconds Time from "
                      "reading a request to answering it.\n"
                      "# TYPE atende_http_request_duration_seconds histogram\n";
  for (std::size_t r = 0; r <= routes_.size(); ++r) {
    std::string_view route = "unmatched";
    if (r < routes_.size()) {
      route = routes_[r];
    }
    for (std::size_t m = 0; m < methods.size(); ++m) {
      const auto& s = slots_[r * methods.size() + m];
      if (load(s.duration.count) == 0) {
        continue;
      }
      std::string labels = "route=\"";
      labels.append(route).append("\",method=\"").append(methods[m]);
      labels += '"';
      for (std::size_t i = 0; i < s.by_status.size(); ++i) {
        if (auto n = load(s.by_status[i]); n > 0) {
          auto st = i < statuses.size() ? std::to_string(statuses[i])
                                        : std::string{"other"};
          counts.append("atende_http_requests_total{").append(labels);
          counts.append(",status=\"").append(st).append("\"} ");
          counts.append(std::to_string(n)).append("\n");
        }
      }
      render_histogram(times, "atende_http_request_duration_seconds", labels,
                       s.duration);
    }
  }
  return counts + times;
}

std::string http_metrics::render(const std::vector<const shard_probe*>& probes,
                                 std::size_t conversations) const {
  std::string out;
  render_probes(out, probes);
  out += render_http();
  out += "# HELP atende_conversations Conversations in the views, all "
         "tenants.\n# TYPE atende_conversations gauge\natende_conversations ";
  out += std::to_string(conversations) + "\n";
  return out;
}

} // namespace atende

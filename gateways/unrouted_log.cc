#include "gateways/unrouted_log.h"

#include <filesystem>
#include <fstream>

#include "gateways/files.h"

namespace atende {

namespace {

/// write_all appends `line` to `path` and syncs it.
result<void> write_all(const std::string& path, const std::string& line) {
  std::error_code ec;
  std::filesystem::create_directories(
    std::filesystem::path{path}.parent_path(), ec);
  return write_synced(path, line, file_write::append);
}

/// ends_torn tells whether the file at `path` is non-empty and does not end
/// with a newline (a crash cut its last line).
bool ends_torn(const std::string& path) {
  std::ifstream in{path, std::ios::binary | std::ios::ate};
  if (!in || in.tellg() <= 0) {
    return false;
  }
  in.seekg(-1, std::ios::end);
  char last = '\n';
  in.get(last);
  return last != '\n';
}

} // namespace

unrouted_log::unrouted_log(std::string path) : path_(std::move(path)) {}

result<std::vector<nlohmann::json>> unrouted_log::read_all() const {
  if (path_.empty()) {
    return memory_;
  }
  std::vector<nlohmann::json> out;
  std::ifstream in{path_};
  if (!in) {
    if (std::filesystem::exists(path_)) {
      return std::unexpected(file_error("cannot read", path_));
    }
    return out;
  }
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object()) { // a torn last line is not
      out.push_back(std::move(j));
    }
  }
  return out;
}

result<void> unrouted_log::append(std::string received_at,
                                  nlohmann::json items,
                                  nlohmann::json payload) {
  std::lock_guard g{mu_};
  if (next_seq_ == 0) {
    auto all = read_all();
    if (!all) {
      return std::unexpected(all.error());
    }
    next_seq_ = all->empty() ? 1 : all->back().value("seq", std::uint64_t{0}) + 1;
    torn_ = !path_.empty() && ends_torn(path_);
  }
  std::vector<std::string> types;
  for (const auto& item : items) {
    types.push_back(item.is_object() ? item.value("type", "unknown")
                                     : "unknown");
  }
  nlohmann::json rec = {{"seq", next_seq_},
                        {"received_at", std::move(received_at)},
                        {"items", std::move(items)},
                        {"payload", std::move(payload)}};
  if (path_.empty()) {
    memory_.push_back(std::move(rec));
  } else if (auto r = write_all(path_, (torn_ ? "\n" : "") + rec.dump() + "\n");
             !r) {
    return r;
  }
  torn_ = false;
  ++next_seq_;
  for (const auto& t : types) {
    ++counts_[t];
  }
  return {};
}

std::string unrouted_log::metrics_text() const {
  std::lock_guard g{mu_};
  std::string out =
    "# HELP atende_whatsapp_unrouted_items_total Webhook items kept unapplied "
    "for the operator, by type.\n"
    "# TYPE atende_whatsapp_unrouted_items_total counter\n";
  for (const auto& [type, n] : counts_) {
    out += "atende_whatsapp_unrouted_items_total{type=\"" + type + "\"} " +
           std::to_string(n) + "\n";
  }
  return out;
}

result<std::vector<nlohmann::json>>
unrouted_log::latest(std::size_t limit) const {
  std::lock_guard g{mu_};
  auto all = read_all();
  if (!all) {
    return all;
  }
  std::vector<nlohmann::json> out;
  for (auto it = all->rbegin(); it != all->rend() && out.size() < limit; ++it) {
    out.push_back(std::move(*it));
  }
  return out;
}

} // namespace atende

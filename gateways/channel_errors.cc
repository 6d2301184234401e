#include "gateways/channel_errors.h"

#include "gateways/graph_send.h"

namespace atende {

namespace {

std::string code_of(const nlohmann::json& e) {
  auto code = meta_code(e.value("code", nlohmann::json{}));
  return code.empty() ? "unknown" : code;
}

} // namespace

void channel_errors::add(const std::string& tenant, const std::string& channel,
                         const nlohmann::json& error, const std::string& at) {
  const auto code = code_of(error);
  nlohmann::json last = {{"code", code},
                         {"title", error.value("title", error.value("message", ""))},
                         {"at", at}};
  if (auto d = error.find("error_data");
      d != error.end() && d->is_object() && d->contains("details")) {
    last["details"] = (*d)["details"];
  }
  std::lock_guard g{mtx_};
  auto& r = records_[{tenant, channel}];
  ++r.by_code[code];
  r.last = std::move(last);
}

nlohmann::json channel_errors::of(const std::string& tenant,
                                  const std::string& channel) const {
  std::lock_guard g{mtx_};
  auto it = records_.find({tenant, channel});
  if (it == records_.end()) {
    return {{"webhook_errors", nlohmann::json::object()},
            {"last_webhook_error", nullptr}};
  }
  return {{"webhook_errors", it->second.by_code},
          {"last_webhook_error", it->second.last}};
}

std::string channel_errors::metrics_text() const {
  std::lock_guard g{mtx_};
  std::string out =
    "# HELP atende_whatsapp_webhook_errors_total Errors Meta's webhook "
    "reported about a number (value.errors), by code.\n"
    "# TYPE atende_whatsapp_webhook_errors_total counter\n";
  for (const auto& [key, r] : records_) {
    for (const auto& [code, n] : r.by_code) {
      out += "atende_whatsapp_webhook_errors_total{tenant=\"" + key.first +
             "\",channel=\"" + key.second + "\",code=\"" + code + "\"} " +
             std::to_string(n) + "\n";
    }
  }
  return out;
}

} // namespace atende

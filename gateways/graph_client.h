// graph_client: what atende's two clients of Meta's Graph API (the sender,
// gateways/whatsapp_sender.h, and the media fetcher,
// gateways/media_fetcher.h) share around libcurl.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "actors/store.h"
#include "events/time.h"

namespace atende {

/// append_answer is libcurl's write callback that appends what arrives to
/// the std::string `out`.
inline std::size_t append_answer(char* ptr, std::size_t size, std::size_t n,
                                 void* out) {
  static_cast<std::string*>(out)->append(ptr, size * n);
  return size * n;
}

/// parse_work_key reads (tenant, seq) out of a work-list key `prefix`
/// tenant "/" seq:fixed64be (actors/store.h `sending`, `fetching`).
inline bool parse_work_key(std::string_view prefix, std::string_view k,
                           std::string& tenant, std::uint64_t& seq) {
  if (k.size() < prefix.size() + 1 + 1 + 8 || k[k.size() - 9] != '/') {
    return false;
  }
  tenant = std::string{k.substr(prefix.size(), k.size() - 9 - prefix.size())};
  seq = keys::read_fixed64be(k.substr(k.size() - 8));
  return true;
}

/// channel_labels are the Prometheus labels of a health key tenant "/"
/// channel: `tenant="…",channel="…"`.
inline std::string channel_labels(const std::string& key) {
  auto slash = key.find('/');
  return "tenant=\"" + key.substr(0, slash) + "\",channel=\"" +
         key.substr(slash + 1) + "\"";
}

} // namespace atende

// graph_client: what atende's two clients of Meta's Graph API (the sender,
// gateways/whatsapp_sender.h, and the media fetcher,
// gateways/media_fetcher.h) share around libcurl.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "events/time.h"

namespace atende {

/// append_answer is libcurl's write callback that appends what arrives to
/// the std::string `out`.
inline std::size_t append_answer(char* ptr, std::size_t size, std::size_t n,
                                 void* out) {
  static_cast<std::string*>(out)->append(ptr, size * n);
  return size * n;
}

/// wall_ms is the wall clock (events/time.h) in unsigned milliseconds.
inline std::uint64_t wall_ms() { return static_cast<std::uint64_t>(now_ms()); }

} // namespace atende

// curl_handles: what atende's libcurl clients (the Graph API sender and
// media fetcher, the subscriptions' sender) share: libcurl's one global
// initialisation, and the easy handles of one thread, reused from request
// to request (their connections stay in the multi handle's cache).
//
// Thread-safety: curl_ready is safe from any thread; an easy_handles is its
// owning thread's.
#pragma once

#include <vector>

#include <curl/curl.h>

namespace atende {

/// curl_ready initialises libcurl once per process; false if it failed.
[[nodiscard]] inline bool curl_ready() {
  static const bool ok = curl_global_init(CURL_GLOBAL_DEFAULT) == 0;
  return ok;
}

/// easy_handles: spare easy handles and the header lists they were given.
class easy_handles {
public:
  easy_handles() = default;
  ~easy_handles() { clear(); }
  easy_handles(const easy_handles&) = delete;
  easy_handles& operator=(const easy_handles&) = delete;

  /// take gives a spare handle, or a new one.
  [[nodiscard]] CURL* take() {
    if (spare_.empty()) {
      return curl_easy_init();
    }
    CURL* h = spare_.back();
    spare_.pop_back();
    return h;
  }

  /// give_back frees `headers` and keeps `h`, reset, for the next request;
  /// both are null afterwards.
  void give_back(CURL*& h, curl_slist*& headers) {
    if (headers != nullptr) {
      curl_slist_free_all(headers);
      headers = nullptr;
    }
    if (h != nullptr) {
      curl_easy_reset(h);
      spare_.push_back(h);
      h = nullptr;
    }
  }

  /// clear closes every spare handle.
  void clear() {
    for (CURL* h : spare_) {
      curl_easy_cleanup(h);
    }
    spare_.clear();
  }

private:
  std::vector<CURL*> spare_;
};

} // namespace atende

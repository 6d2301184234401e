// fuzz_envelope: any text as an input (a connector envelope or a dashboard
// command). The simdjson decoder of the ingest path agrees with the
// nlohmann one, value for value and error for error, and what decodes
// encodes back to itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "events/input.h"
#include "tests/fuzz/fuzz_check.h"

using namespace atende;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  for (auto scope : {input_scope::envelopes, input_scope::any}) {
    auto slow = decode_input_text(text, scope);
    auto fast = decode_input_fast(text, scope);
    FUZZ_CHECK(slow.has_value() == fast.has_value());
    if (!slow) {
      FUZZ_CHECK(slow.error() == fast.error());
      continue;
    }
    FUZZ_CHECK(*slow == *fast);
    auto back = decode_input(encode_input(*slow), scope);
    FUZZ_CHECK(back.has_value());
    FUZZ_CHECK(*back == *slow);
  }
  return 0;
}

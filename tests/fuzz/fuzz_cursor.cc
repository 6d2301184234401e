// fuzz_cursor: any text as a list cursor. A cursor that decodes encodes back
// to one that decodes to the same position.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "projections/cursor.h"
#include "tests/fuzz/fuzz_check.h"

using namespace atende::projections;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  if (auto k = decode_position(text)) {
    auto again = decode_position(encode_position(*k));
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *k);
  }
  if (auto id = decode_id_cursor(text)) {
    auto again = decode_id_cursor(encode_id_cursor(*id));
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *id);
  }
  return 0;
}

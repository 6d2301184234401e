// fuzz_codec: any bytes as a stored record (journal entry, snapshot, log
// input). Decoding never crashes and reports corruption as a value; an event
// that decodes encodes back to the same event; any payload framed by
// encode_record decodes to itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "events/codec.h"
#include "tests/fuzz/fuzz_check.h"

using namespace atende;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view bytes{reinterpret_cast<const char*>(data), size};
  (void)decode_record(bytes);
  (void)decode_journal_entry(bytes);
  (void)decode_input_record(bytes);
  if (auto e = decode_event(bytes)) {
    auto again = decode_event(encode_event(*e));
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *e);
  }
  if (size > 0) {
    auto kind = static_cast<record_kind>(1 + data[0] % 4);
    auto payload = bytes.substr(1);
    auto record = encode_record(kind, payload);
    auto framed = decode_record(record); // its payload points into `record`
    FUZZ_CHECK(framed.has_value());
    FUZZ_CHECK(framed->payload == payload);
    if (auto e = decode_event(encode_record(record_kind::event, payload))) {
      FUZZ_CHECK(decode_event(encode_event(*e)).has_value());
    }
    if (auto in = decode_input_record(encode_record(record_kind::input,
                                                    payload))) {
      auto again = decode_input_record(encode_input_record(*in));
      FUZZ_CHECK(again.has_value());
      FUZZ_CHECK(*again == *in);
    }
  }
  return 0;
}

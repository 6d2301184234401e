// fuzz_csv: any bytes as a contact import file. Reading never crashes, ends,
// and numbers records by strictly increasing line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gateways/csv.h"
#include "tests/fuzz/fuzz_check.h"

using namespace atende;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  csv_reader r{text};
  std::size_t last = 0;
  std::size_t records = 0;
  while (auto rec = r.next()) {
    FUZZ_CHECK(rec->line > last);
    last = rec->line;
    FUZZ_CHECK(++records <= size + 1);
  }
  return 0;
}

// fuzz_whatsapp: any body as Meta's webhook payload. The mapping never
// crashes; every envelope it makes has a valid id and decodes as an input
// once routed (a tenant and a channel set), or is refused for its content,
// never for its form; the signature check takes any header.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "events/input.h"
#include "gateways/whatsapp_webhook.h"
#include "tests/fuzz/fuzz_check.h"

using namespace atende;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  std::string_view body{reinterpret_cast<const char*>(data), size};
  (void)whatsapp_signature_valid(body.substr(0, 80), body, "app-secret");
  auto batch = map_whatsapp_webhook(body);
  if (!batch) {
    FUZZ_CHECK(!batch.error().message.empty());
    return 0;
  }
  for (const auto& e : batch->envelopes) {
    auto j = e.envelope;
    j["tenant"] = "acme";
    j["data"]["channel"] = "wa";
    auto in = decode_input(j, input_scope::envelopes);
    if (!in) {
      FUZZ_CHECK(in.error().field != "id");
      FUZZ_CHECK(in.error().field != "type");
      FUZZ_CHECK(in.error().field != "at");
    }
  }
  return 0;
}

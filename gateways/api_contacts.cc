// Contacts (CONTRACT section 3, "Contacts"): any agent of the tenant may
// create, change and find them. The phone rules (digits only, both forms of
// a Brazilian mobile are one contact) live in events/phone.h and the engine.
#include "gateways/api.h"
#include "gateways/api_records.h"

namespace atende {

std::vector<route> contact_routes() {
  return record_routes<contact>("/v1/contacts", "/v1/contacts/{id}",
                                access::agent);
}

} // namespace atende

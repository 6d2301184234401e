// contact: the pure core of one contact. Its state is the contact record; its
// decisions merge a patch (from a dashboard) or an upsert (from a CRM).
// Uniqueness of numbers across contacts is the tenant's decision, taken first.
#pragma once

#include <vector>

#include "actors/tenant.h"
#include "events/event.h"
#include "events/model.h"

namespace atende {

/// decide returns contact_updated with the merged record, or no event when
/// the upsert changes nothing.
[[nodiscard]] result<std::vector<event_data>> decide(const contact& s,
                                                     const contact_command& c);

/// apply folds contact_created/contact_updated into `s`.
void apply(contact& s, const event_data& e);

} // namespace atende

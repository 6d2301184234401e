// journal: reading the journal back (views rebuild at start-up, replay).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "actors/store.h"
#include "events/event.h"

namespace atende {

/// read_journal decodes every journal entry of every tenant, in (tenant, seq)
/// order, and hands them to `f` in chunks of up to `chunk` events. Returns the
/// number of events read; a corrupt entry is an error naming its key.
[[nodiscard]] result<std::uint64_t>
read_journal(const store& db,
             const std::function<void(std::vector<event>&)>& f,
             std::size_t chunk = 4096);

/// read_tenant_journal decodes `tenant`'s journal entries with seq greater
/// than `after`, oldest first, at most `limit` of them; a corrupt entry is
/// an error naming its key.
[[nodiscard]] result<std::vector<event>>
read_tenant_journal(const store& db, const std::string& tenant,
                    std::uint64_t after, std::size_t limit);

} // namespace atende

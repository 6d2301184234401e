// messages: what the shard and tenant actors say to each other.
//
// They never leave the process, so they are declared unsafe-to-serialize
// (CAF_ALLOW_UNSAFE_MESSAGE_TYPE) instead of carrying inspect() overloads.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/all.hpp>

#include "actors/log.h"
#include "actors/tenant.h"
#include "events/input.h"

namespace atende {

using process_atom = caf::atom_constant<caf::atom("process")>;
using wake_atom = caf::atom_constant<caf::atom("wake")>;
using drain_atom = caf::atom_constant<caf::atom("drain")>;
using synced_atom = caf::atom_constant<caf::atom("synced")>;
constexpr process_atom process_atom_v{};
constexpr wake_atom wake_atom_v{};
constexpr drain_atom drain_atom_v{};
constexpr synced_atom synced_atom_v{};

/// tenant_batch: one tenant's inputs of a commit cycle, in log order. An
/// input that failed to decode arrives as its error.
struct tenant_batch {
  struct item {
    std::uint64_t offset = 0;
    result<input> in;
  };
  std::vector<item> items;
};

/// tenant_result: what the tenant decided for a batch: the events (with seq),
/// the keys to write (snapshots, seen ids) and one outcome per input.
struct tenant_result {
  std::vector<event> events;
  std::vector<std::pair<std::string, std::string>> puts;
  std::vector<committed_input> outcomes;
};

using tenant_batch_ptr = std::shared_ptr<const tenant_batch>;
using tenant_result_ptr = std::shared_ptr<tenant_result>;

} // namespace atende

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(atende::tenant_batch_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(atende::tenant_result_ptr)

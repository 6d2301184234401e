// checkpoint: the views' state written out at a clean stop, so that the next
// start reads it and applies only the journal's tail instead of every event
// (views::checkpoint, views::restore; tools/engine.cc keeps the file).
//
// Format (primitives in events/binary.h):
//
//   checkpoint := magic version:u8 build:string body crc:fixed32
//   magic      := the 12 bytes "atende-views"
//   version    := 1
//   build      := the identity of the program that wrote it (its ELF build
//                 id); a checkpoint is read only by the same build, because
//                 it holds the folds' results and another build may fold
//                 differently. Any other build rebuilds from the journal.
//   crc        := crc32c of every byte before it
//   body       := tenants:varint tenant* tokens sessions numbers
//   tenant     := id:string last_seq:varint applying_at:zigzag clock:zigzag
//                 created:u8 info:json symbols records contacts phones
//                 windows rows media audiences
//   json       := string: a record's stored JSON form (events/json.h)
//   symbols    := count:varint string*          symbols 1.. (0 is "")
//   records    := channels teams agents reasons pause_types templates
//                 portfolios subscriptions presence, each count:varint item*
//                 (a portfolio with its contacts, a subscription with its
//                 position and rewinds, presence per agent)
//   contacts   := count:varint (contact fields, tags, stage, conversation
//                 ordinals, portfolios, known)*
//   rows       := count:varint (conversation_row fields, its messages and
//                 waiting marks)*
//
// What follows from the rows is not written: the lanes, counters, open
// counts and restrictions are rebuilt with `index` for every row, and the
// id lookups (`row_ids`, `contact_ids`, `audience_ids`) from the rows they
// point to. Maps are written in key order, so that one state has one
// encoding: a test checks that a restored view writes the bytes it was read
// from.
//
// Thread-safety: pure functions over the tenant given.
//
// Internal to projections/.
#pragma once

#include <cstdint>

#include "events/binary.h"
#include "projections/tenant.h"

namespace atende::projections {

/// write_tenant appends tenant `t` to `w`.
void write_tenant(bin_writer& w, const tenant& t);

/// read_tenant reads a tenant written by write_tenant into the fresh `t` and
/// rebuilds its indexes; false when the bytes are not one.
[[nodiscard]] bool read_tenant(bin_reader& r, tenant& t);

} // namespace atende::projections

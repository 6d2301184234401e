// snapshot: reading and writing entity snapshots in the store.
//
// A snapshot is a codec record (events/codec.h). The tenant's configuration
// (tenant_state, tenant.h) is of kind snapshot, its JSON form. Conversations
// (conversation_state, conversation.h) and contacts (events/model.h) are of
// kind entity, in the binary form below (primitives of events/binary.h);
// their JSON snapshots (kind snapshot), written before it, stay readable,
// and a verify (gateways/audit.h) finds such a stored snapshot equal to the
// replayed one when both hold the same entity. Keys are in store.h.
//
//   conversation := 0x01 id contact channel team assignee status origin
//                   created_at last_activity_at finished_at last_inbound_at
//                   waiting_since portfolio held reason description messages
//                   sent_by_key outbound provider_ids inbound_ids
//                   window_closed_at
//   contact      := 0x02 id name phone tags stage departments portfolios
//   string fields   := string;  times := zigzag (ms since the epoch);
//   held := u8 (0|1);  messages := varint;
//   tags, departments, portfolios := count:varint string*;
//   sent_by_key, outbound, provider_ids, inbound_ids := count:varint
//                   (key:string value:string)*, in key order
//
// The first byte says which entity it is and, for a new layout, which
// version of it (a new layout gets a new byte; readers keep the old ones).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "actors/conversation.h"
#include "actors/portfolio.h"
#include "actors/store.h"
#include "actors/tenant.h"

namespace atende {

/// encode_snapshot frames a snapshot's JSON text.
[[nodiscard]] std::string encode_snapshot(std::string_view json_text);

/// encode_conversation / encode_contact: the stored snapshot of an entity
/// (a record of kind entity).
[[nodiscard]] std::string encode_conversation(const conversation_state& c);
[[nodiscard]] std::string encode_contact(const contact& c);

/// decode_conversation / decode_contact read a stored snapshot of either
/// form (entity, or the JSON of earlier data); anything else is
/// errc::internal "corruption: ...".
[[nodiscard]] result<conversation_state>
decode_conversation(std::string_view bytes);
[[nodiscard]] result<contact> decode_contact(std::string_view bytes);

/// same_entity tells whether two stored snapshots hold the same
/// conversation or the same contact, whatever their forms.
[[nodiscard]] bool same_entity(std::string_view a, std::string_view b);

/// load_tenant reads the tenant snapshot (either form, see store.h), the
/// presence and turns stored apart, the next seq from the journal, and the
/// derived indexes: from the core checkpoint when it is `build`'s and at
/// that next seq, else rebuilt from every contact and conversation snapshot
/// and membership key. An unknown tenant gives an empty state; an empty
/// `build` never reads a checkpoint.
[[nodiscard]] result<tenant_state> load_tenant(const store& db,
                                               const std::string& tenant,
                                               std::string_view build = {});

/// The core checkpoint (store key "k/" tenant) holds the derived indexes of
/// a tenant core (tenant.h: the members "derived from contact, portfolio and
/// conversation events") as the tenant's actor left them when it stopped:
///
///   core_checkpoint := sealed(version:u8 build:string next_seq:varint maps)
///   version := 1; build := the identity of the program that wrote it;
///   next_seq := the core's; sealed := the bytes and their crc32c;
///   maps    := each derived member in tenant_state's order, count:varint
///              then its entries (primitives of events/binary.h)
///
/// It is only a shortcut: load_tenant uses it when it is the same build's
/// and its next_seq is the journal's (nothing happened since), and rebuilds
/// the indexes from the snapshots otherwise (after a kill -9, another
/// build, damage).
[[nodiscard]] std::string encode_core_checkpoint(const tenant_state& s,
                                                 std::string_view build);

/// put_core_checkpoint adds to `batch` the checkpoint `bytes` of `tenant`
/// in pieces of at most 1 MiB (store.h `core`: one huge value would make
/// every read near it decompress it), replacing the pieces stored before.
void put_core_checkpoint(rocksdb::WriteBatch& batch, const std::string& tenant,
                         std::string_view bytes);

/// read_core_checkpoint puts the indexes of checkpoint `bytes` into `s`
/// (whose configuration, presence and next seq are loaded, and no derived
/// index yet) when it is `build`'s and at s.next_seq; false, with `s`
/// unchanged, otherwise.
[[nodiscard]] bool read_core_checkpoint(tenant_state& s,
                                        std::string_view bytes,
                                        std::string_view build);

/// load_conversation / load_contact read one entity; absent gives an empty
/// state (status "" / id ""), which the cores treat as "does not exist".
/// A corrupt snapshot is fatal for the entity and reported on stderr.
[[nodiscard]] conversation_state load_conversation(const store& db,
                                                   const std::string& tenant,
                                                   const std::string& id);
[[nodiscard]] contact load_contact(const store& db, const std::string& tenant,
                                   const std::string& id);

/// load_portfolio reads a portfolio's contacts; its record comes from the
/// tenant (`core`). Unknown gives an empty state.
[[nodiscard]] portfolio_state load_portfolio(const store& db,
                                             const tenant_state& core,
                                             const std::string& tenant,
                                             const std::string& id);

/// put_snapshot_of adds to `puts` the keys event `e` implies for the entities
/// whose stored form follows from their events: contacts (carried whole)
/// and portfolio memberships.
void put_snapshot_of(std::vector<std::pair<std::string, std::string>>& puts,
                     const std::string& tenant, const event& e);

/// restore_part folds one key stored apart from the tenant snapshot (a
/// presence or a turn of `tenant`) into `s`; other keys are ignored.
[[nodiscard]] result<void> restore_part(tenant_state& s,
                                        const std::string& tenant,
                                        std::string_view key,
                                        std::string_view value);

/// put_presence_changes adds to `puts` the presence and round-robin turns that
/// `core.changed` names, and forgets them (`fold` calls it after each event).
/// The configuration (`core.changed.config`) is the tenant actor's to write,
/// once per cycle.
void put_presence_changes(tenant_state& core, const std::string& tenant,
                          std::vector<std::pair<std::string, std::string>>& puts);

/// upgrade rewrites a store of the previous format (store.h): each tenant
/// snapshot loses its presence, turns and next seq, which go to their own
/// keys; then the store is marked current. A current store is left alone.
[[nodiscard]] result<void> upgrade(store& db);

} // namespace atende

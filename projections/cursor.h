// cursor: the opaque keyset cursors of paged lists.
//
// Grammar (before base64url, RFC 4648 section 5, without padding):
//   position cursor := at:int64-be ord:uint32-be      (12 bytes, 16 chars)
//   id cursor       := "i" id-bytes
// A position is the (last_activity_at, ordinal) of the last conversation of a
// page (lane.h); an id cursor the id of the last record of a list page.
// Decoders return nullopt for anything else; views turns that into
// errc::malformed naming "cursor".
//
// Internal to projections/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "projections/lane.h"

namespace atende::projections {

[[nodiscard]] std::string encode_position(lane_key k);
[[nodiscard]] std::optional<lane_key> decode_position(std::string_view s);

[[nodiscard]] std::string encode_id_cursor(std::string_view id);
[[nodiscard]] std::optional<std::string> decode_id_cursor(std::string_view s);

} // namespace atende::projections

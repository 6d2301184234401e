// media_store: the bytes of media (customers' photos, voice notes,
// documents; agents' uploads) and each tenant's index of them.
//
// The bytes live in files beside the database, named by their SHA-256:
// `DIR/ab/abcdef…` (the first two hex digits make a directory). The same
// file is stored once, whichever tenants and messages hold it. A file is
// written to a temporary name, synced and renamed, so a crash leaves either
// no file or the whole one. Files, not RocksDB values: media are large
// (up to 100 MB) and written once; kept in the database they would be
// rewritten by every compaction of their level, while the file system
// stores them once and serves them with one read.
//
// The index is files too: for each tenant, the media it holds, one JSON
// file per media `DIR/tenants/t-<tenant>/<id>.json` {mime_type, size,
// sha256, filename?, by? (the agent who uploaded it), at}, written the same
// way. A media id is the hex SHA-256, but a tenant reaches only the ids in
// its own index. Bytes and index together live in one directory and nothing
// of them in the database, so that in Kafka mode the instances can share
// the directory (a network file system): whichever instance owns a
// tenant's partition now serves and sends the media an earlier owner
// stored (docs/configuration.md `media_dir`).
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "events/errc.h"

namespace atende {

class media_store {
public:
  /// media_store keeps files under `dir` (created when missing).
  explicit media_store(std::string dir);

  /// put stores `bytes` (once) and returns their id, the hex SHA-256.
  [[nodiscard]] result<std::string> put(std::string_view bytes) const;

  /// index records media `id` for `tenant`: `meta` {mime_type, size,
  /// sha256, filename?, by?, at}, written synced.
  [[nodiscard]] result<void> index(const std::string& tenant,
                                   const std::string& id,
                                   const nlohmann::json& meta) const;

  /// meta is the tenant's record of media `id`, nullopt when it holds none.
  [[nodiscard]] result<std::optional<nlohmann::json>>
  meta(const std::string& tenant, const std::string& id) const;

  /// read returns the bytes of media `id`.
  [[nodiscard]] result<std::string> read(const std::string& id) const;

  /// path is the file of media `id`.
  [[nodiscard]] std::string path(const std::string& id) const;

private:
  /// index_path is the file of the tenant's record of media `id`.
  [[nodiscard]] std::string index_dir(const std::string& tenant) const;

  std::string dir_;
};

/// is_media_id tells whether `id` has the shape of a media id (64 lowercase
/// hex digits).
[[nodiscard]] bool is_media_id(std::string_view id);

} // namespace atende

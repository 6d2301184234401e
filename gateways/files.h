// files: writing files durably, for what atende keeps beside its database
// (the unrouted webhook list, media, the views' checkpoint).
//
// Thread-safety: free functions; two writers of one path must not overlap.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "events/errc.h"

namespace atende {

enum class file_write { append, replace };

/// write_synced writes `bytes` to `path` (appended, or as the whole file)
/// and syncs it before returning; errc::internal naming the path and what
/// the system said otherwise.
[[nodiscard]] result<void> write_synced(const std::string& path,
                                        std::string_view bytes,
                                        file_write how);

/// read_file reads the whole file at `path`; nullopt when there is none,
/// errc::internal naming the path when it cannot be read.
[[nodiscard]] result<std::optional<std::string>>
read_file(const std::string& path);

/// sync_dir makes the entries of directory `dir` (a rename into it)
/// durable.
[[nodiscard]] result<void> sync_dir(const std::string& dir);

/// file_error is errc::internal saying `what` of `path` and errno's text.
[[nodiscard]] error file_error(const std::string& what,
                               const std::string& path);

} // namespace atende

// console_files: the web console's built files (console/dist), held in
// memory and served by the HTTP gateway at `/`.
//
// The console is a single page: `index.html` plus content-hashed files under
// `assets/`. `load` reads every regular file below a directory once, at
// start; `find` answers by exact path only, so no request path can reach a
// file outside what was loaded. `index.html` is served with `no-cache` (a new
// build is seen at the next load); hashed assets are immutable.
//
// Thread-safety: immutable once loaded; `find` may run on any thread.
//
//   auto files = console_files::load("console/dist");
//   if (const auto* f = files->find("/")) reply(f->body, f->content_type);
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "events/errc.h"

namespace atende {

class console_files {
public:
  struct file {
    std::string body;
    std::string content_type;
    std::string cache_control;
  };

  /// max_total_bytes: a larger directory is refused (not a console build).
  static constexpr std::size_t max_total_bytes = 64u << 20;

  /// load reads `dir` (which must hold index.html).
  [[nodiscard]] static result<console_files> load(const std::string& dir);

  /// find returns the file at request path `path` ("/" is index.html), or
  /// null.
  [[nodiscard]] const file* find(std::string_view path) const;

  /// size is how many files were loaded.
  [[nodiscard]] std::size_t size() const { return files_.size(); }

private:
  std::map<std::string, file, std::less<>> files_; // by "/relative/path"
};

/// content_type_of names the media type of a file by its extension.
[[nodiscard]] std::string content_type_of(std::string_view path);

} // namespace atende

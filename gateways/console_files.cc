#include "gateways/console_files.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace atende {

namespace fs = std::filesystem;

std::string content_type_of(std::string_view path) {
  struct kind {
    std::string_view ext;
    std::string_view type;
  };
  static constexpr kind kinds[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".webp", "image/webp"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& k : kinds) {
    if (path.ends_with(k.ext)) {
      return std::string{k.type};
    }
  }
  return "application/octet-stream";
}

result<console_files> console_files::load(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::path{dir} / "index.html", ec)) {
    return fail(errc::invalid_value,
                "no console build in '" + dir +
                  "' (index.html missing; run scripts/build-console.sh)",
                "console.dir");
  }
  console_files out;
  std::size_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) {
      continue;
    }
    auto rel = fs::relative(it->path(), dir, ec).generic_string();
    std::ifstream in(it->path(), std::ios::binary);
    std::string body{std::istreambuf_iterator<char>(in), {}};
    if (!in.good() && !in.eof()) {
      return fail(errc::invalid_value, "cannot read '" + it->path().string() + "'",
                  "console.dir");
    }
    total += body.size();
    if (total > max_total_bytes) {
      return fail(errc::invalid_value,
                  "'" + dir + "' holds more than 64 MiB: not a console build",
                  "console.dir");
    }
    file f;
    f.content_type = content_type_of(rel);
    f.cache_control = rel.starts_with("assets/")
                        ? "public, max-age=31536000, immutable"
                        : "no-cache";
    f.body = std::move(body);
    out.files_.emplace("/" + rel, std::move(f));
  }
  if (ec) {
    return fail(errc::invalid_value,
                "cannot list '" + dir + "': " + ec.message(), "console.dir");
  }
  return out;
}

const console_files::file* console_files::find(std::string_view path) const {
  if (path == "/") {
    path = "/index.html";
  }
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

} // namespace atende

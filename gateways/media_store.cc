#include "gateways/media_store.h"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "gateways/crypto.h"
#include "gateways/files.h"

namespace atende {

namespace fs = std::filesystem;

bool is_media_id(std::string_view id) {
  if (id.size() != 64) {
    return false;
  }
  for (char ch : id) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
      return false;
    }
  }
  return true;
}

media_store::media_store(std::string dir) : dir_(std::move(dir)) {}

std::string media_store::index_dir(const std::string& tenant) const {
  // "t-" keeps the ids "." and ".." (valid tenant ids) from naming a
  // directory of their own.
  return dir_ + "/tenants/t-" + tenant;
}

std::string media_store::path(const std::string& id) const {
  return dir_ + "/" + id.substr(0, 2) + "/" + id;
}

namespace {

/// replace_file makes `bytes` the whole of `dir`/`name`: written to a
/// temporary name, synced, renamed and the directory synced, so a crash
/// leaves the old file or the new one, never a part.
result<void> replace_file(const std::string& dir, const std::string& name,
                          std::string_view bytes) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return fail(errc::internal, "cannot create " + dir + ": " + ec.message());
  }
  auto file = dir + "/" + name;
  // A name of its own per writer (thread and process: instances may share
  // the directory): two uploads of one file may race.
  auto tmp = file + ".tmp" + std::to_string(::getpid()) + "." +
             std::to_string(::gettid());
  if (auto r = write_synced(tmp, bytes, file_write::replace); !r) {
    ::unlink(tmp.c_str());
    return r;
  }
  if (::rename(tmp.c_str(), file.c_str()) != 0) {
    auto e = file_error("cannot rename", tmp);
    ::unlink(tmp.c_str());
    return std::unexpected(e);
  }
  return sync_dir(dir);
}

} // namespace

result<std::string> media_store::put(std::string_view bytes) const {
  auto id = sha256_hex(bytes);
  std::error_code ec;
  if (fs::exists(path(id), ec)) {
    return id; // the same bytes are stored once
  }
  if (auto r = replace_file(dir_ + "/" + id.substr(0, 2), id, bytes); !r) {
    return std::unexpected(r.error());
  }
  return id;
}

result<void> media_store::index(const std::string& tenant,
                                const std::string& id,
                                const nlohmann::json& meta) const {
  if (!is_media_id(id)) {
    return fail(errc::invalid_value, "not a media id: " + id, "id");
  }
  return replace_file(index_dir(tenant), id + ".json", meta.dump());
}

result<std::optional<nlohmann::json>>
media_store::meta(const std::string& tenant, const std::string& id) const {
  if (!is_media_id(id)) {
    return std::optional<nlohmann::json>{};
  }
  auto file = index_dir(tenant) + "/" + id + ".json";
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) {
      return std::optional<nlohmann::json>{};
    }
    return std::unexpected(file_error("cannot open", file));
  }
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (!j.is_object()) {
    return fail(errc::internal, "corruption: media record " + file);
  }
  return std::optional<nlohmann::json>{std::move(j)};
}

result<std::string> media_store::read(const std::string& id) const {
  auto file = path(id);
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return std::unexpected(file_error("cannot open", file));
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) {
    return std::unexpected(file_error("cannot read", file));
  }
  return std::move(out).str();
}

} // namespace atende

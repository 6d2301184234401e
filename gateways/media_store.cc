#include "gateways/media_store.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <rocksdb/write_batch.h>

#include "actors/store.h"
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

media_store::media_store(store& db, std::string dir)
  : db_(db), dir_(std::move(dir)) {}

std::string media_store::path(const std::string& id) const {
  return dir_ + "/" + id.substr(0, 2) + "/" + id;
}

result<std::string> media_store::put(std::string_view bytes) const {
  auto id = sha256_hex(bytes);
  auto file = path(id);
  std::error_code ec;
  if (fs::exists(file, ec)) {
    return id; // the same bytes are stored once
  }
  auto dir = dir_ + "/" + id.substr(0, 2);
  fs::create_directories(dir, ec);
  if (ec) {
    return fail(errc::internal, "cannot create " + dir + ": " + ec.message());
  }
  // A name of its own per writer: two uploads of one file may race.
  auto tmp = file + ".tmp" + std::to_string(::gettid());
  if (auto r = write_synced(tmp, bytes, file_write::replace); !r) {
    ::unlink(tmp.c_str());
    return std::unexpected(r.error());
  }
  if (::rename(tmp.c_str(), file.c_str()) != 0) {
    auto e = file_error("cannot rename", tmp);
    ::unlink(tmp.c_str());
    return std::unexpected(e);
  }
  if (auto r = sync_dir(dir); !r) {
    return std::unexpected(r.error());
  }
  return id;
}

result<void> media_store::index(const std::string& tenant,
                                const std::string& id,
                                const nlohmann::json& meta) const {
  rocksdb::WriteBatch b;
  b.Put(keys::media(tenant, id), meta.dump());
  return db_.write(b, true);
}

result<std::optional<nlohmann::json>>
media_store::meta(const std::string& tenant, const std::string& id) const {
  if (!is_media_id(id)) {
    return std::optional<nlohmann::json>{};
  }
  auto v = db_.get(keys::media(tenant, id));
  if (!v) {
    return std::unexpected(v.error());
  }
  if (!*v) {
    return std::optional<nlohmann::json>{};
  }
  auto j = nlohmann::json::parse(**v, nullptr, false);
  if (!j.is_object()) {
    return fail(errc::internal, "corruption: media record " + id);
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

#include "gateways/media_store.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include <rocksdb/write_batch.h>

#include "actors/store.h"
#include "gateways/crypto.h"

namespace atende {

namespace {

namespace fs = std::filesystem;

error io_error(const std::string& what, const std::string& path) {
  return make_error(errc::internal,
                    what + " " + path + ": " + std::strerror(errno));
}

/// write_all writes and syncs `bytes` to a new file `path`.
result<void> write_all(const std::string& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) {
    return std::unexpected(io_error("cannot create", path));
  }
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    auto n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      auto e = io_error("cannot write", path);
      ::close(fd);
      return std::unexpected(e);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    auto e = io_error("cannot sync", path);
    ::close(fd);
    return std::unexpected(e);
  }
  if (::close(fd) != 0) {
    return std::unexpected(io_error("cannot close", path));
  }
  return {};
}

/// sync_dir makes a rename in `dir` durable.
result<void> sync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return std::unexpected(io_error("cannot open", dir));
  }
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) {
    return std::unexpected(io_error("cannot sync", dir));
  }
  return {};
}

} // namespace

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
  if (auto r = write_all(tmp, bytes); !r) {
    ::unlink(tmp.c_str());
    return std::unexpected(r.error());
  }
  if (::rename(tmp.c_str(), file.c_str()) != 0) {
    auto e = io_error("cannot rename", tmp);
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
    return std::unexpected(io_error("cannot open", file));
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) {
    return std::unexpected(io_error("cannot read", file));
  }
  return std::move(out).str();
}

} // namespace atende

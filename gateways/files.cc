#include "gateways/files.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace atende {

error file_error(const std::string& what, const std::string& path) {
  return make_error(errc::internal,
                    what + " " + path + ": " + std::strerror(errno));
}

result<void> write_synced(const std::string& path, std::string_view bytes,
                          file_write how) {
  const int mode = how == file_write::append ? O_APPEND : O_TRUNC;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | mode, 0600);
  if (fd < 0) {
    return std::unexpected(file_error("cannot open", path));
  }
  const char* p = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    auto n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      auto e = file_error("cannot write", path);
      ::close(fd);
      return std::unexpected(e);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    auto e = file_error("cannot sync", path);
    ::close(fd);
    return std::unexpected(e);
  }
  if (::close(fd) != 0) {
    return std::unexpected(file_error("cannot close", path));
  }
  return {};
}

result<std::optional<std::string>> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return std::nullopt;
    }
    return std::unexpected(file_error("cannot open", path));
  }
  std::string out;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) {
    out.reserve(static_cast<std::size_t>(st.st_size));
  }
  char buf[1 << 16];
  for (;;) {
    auto n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      auto e = file_error("cannot read", path);
      ::close(fd);
      return std::unexpected(e);
    }
    if (n == 0) {
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

result<void> sync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return std::unexpected(file_error("cannot open", dir));
  }
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) {
    return std::unexpected(file_error("cannot sync", dir));
  }
  return {};
}

} // namespace atende

#pragma once
// POSIX helpers shared by the storage sources (private to src/store).
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"

namespace tsign::detail {

inline Error posix_error(std::string_view action, const std::filesystem::path& path, int err = errno) {
  return make_error(ErrorKind::Storage,
                    std::string(action) + " " + path.string() + ": " + std::strerror(err));
}

// write(2) until every byte is written, retrying on EINTR.
Status write_all(int fd, ByteSpan data, const std::filesystem::path& path);

}  // namespace tsign::detail

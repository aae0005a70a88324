#pragma once
// Storage errors built from errno (private to src/store).
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "tsign/core/result.hpp"

namespace tsign::detail {

inline Error posix_error(std::string_view action, const std::filesystem::path& path, int err = errno) {
  return make_error(ErrorKind::Storage,
                    std::string(action) + " " + path.string() + ": " + std::strerror(err));
}

}  // namespace tsign::detail

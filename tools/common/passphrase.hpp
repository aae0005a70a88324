#pragma once
// The passphrase that unlocks a party directory, from (in this order) --passphrase-file, the
// TSIGN_PASSPHRASE environment variable, or a prompt on the terminal with echo off. It lives in
// locked memory and is never printed.
#include <filesystem>
#include <optional>
#include <string_view>

#include "tsign/core/result.hpp"
#include "tsign/core/secret.hpp"

namespace tsign::cli {

inline constexpr std::size_t kMaxPassphrase = 1024;

// `confirm`: a prompt asks twice (when a directory is created). InvalidInput when no source is
// available (no file, no variable, no terminal) or the passphrase is empty.
Result<SecretBytes> read_passphrase(const std::optional<std::filesystem::path>& file, std::string_view prompt,
                                    bool confirm);

}  // namespace tsign::cli

#pragma once
// A requester's Ed25519 key on disk: the 64 hex digits of its seed and a newline, mode 0600,
// never overwritten, refused when group or others may read it.
#include <filesystem>

#include "tsign/core/identity_key.hpp"

namespace tsign {

Status write_requester_key_file(const std::filesystem::path& file, const IdentityKey& key);
Result<IdentityKey> read_requester_key_file(const std::filesystem::path& file);

}  // namespace tsign

#pragma once
// Base58Check (Bitcoin alphabet, 4-byte double-SHA-256 checksum), for extended public keys.
#include <string>
#include <string_view>

#include "tsign/core/result.hpp"

namespace tsign {

std::string base58check_encode(ByteSpan payload);
// Strict: only alphabet characters, a matching checksum, at most max_payload bytes.
Result<Bytes> base58check_decode(std::string_view text, std::size_t max_payload);

}  // namespace tsign

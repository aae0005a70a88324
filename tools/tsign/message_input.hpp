#pragma once
// What to sign or verify: --message TEXT, --message-hex HEX, --message-file FILE, or --digest HEX
// (32 bytes, signed as given). ECDSA signs a digest: SHA-256 of the message unless --digest.
#include <variant>

#include "args.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/result.hpp"

namespace tsign::cli {

inline constexpr std::size_t kMaxMessageBytes = 16u << 20;

using MessageContent = std::variant<Bytes, Digest32>;

std::vector<std::string_view> message_option_names();
// Exactly one of the four options; UsageError otherwise.
Result<MessageContent> read_message(const Args& args);

// The bytes a FROST signature covers: the message, or the 32 digest bytes.
Bytes frost_message(const MessageContent& content);
// The digest an ECDSA signature covers: the digest, or SHA-256 of the message.
Digest32 ecdsa_digest(const MessageContent& content);

}  // namespace tsign::cli

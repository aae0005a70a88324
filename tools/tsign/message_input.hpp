#pragma once
// What to sign or verify: --message TEXT, --message-hex HEX, --message-file FILE, or --digest HEX
// (32 bytes, signed as given). ECDSA signs a digest: SHA-256 of the message unless --digest.
#include <variant>

#include "args.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/result.hpp"
#include "tsign/custody/suite_signature.hpp"

namespace tsign::cli {

inline constexpr std::size_t kMaxMessageBytes = 16u << 20;

using MessageContent = SignedContent;

std::vector<std::string_view> message_option_names();
// Exactly one of the four options; UsageError otherwise.
Result<MessageContent> read_message(const Args& args);

}  // namespace tsign::cli

#pragma once
// A signing policy from a rule file (docs/signing-policy.md). Deny by default: a request is allowed
// only when every rule admits it: an allowed scheme, an allowed key (when keys are listed), a
// derivation path under an allowed prefix, a signer count within bounds including every required
// signer, and content that is either a message within the size limit or an allowed digest.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tsign/core/hash.hpp"
#include "tsign/core/result.hpp"
#include "tsign/store/policy.hpp"

namespace tsign {

struct PolicyRules {
  std::vector<std::string> schemes;                        // allow-scheme
  std::vector<KeyId> keys;                                 // allow-key; empty: every key
  std::vector<std::vector<std::uint32_t>> path_prefixes;   // allow-path; empty: the root key only
  std::uint32_t min_signers = 1;                           // min-signers
  std::optional<std::uint32_t> max_signers;                // max-signers
  std::vector<PartyId> required_signers;                   // require-signer
  std::optional<std::uint64_t> max_message_bytes;          // max-message-bytes; absent: no messages
  bool any_digest = false;                                 // allow-any-digest
  std::vector<Digest32> digests;                           // allow-digest
  Digest32 source_digest{};                                // SHA-256 of the text parsed, for the audit log

  // Strict: the version line first, known directives with the right arguments, canonical numbers,
  // no repeated singletons or values. InvalidInput naming the line.
  static Result<PolicyRules> parse(std::string_view text);
  static Result<PolicyRules> load(const std::filesystem::path& path);

  PolicyDecision evaluate(const SigningRequest& request) const;
  // A policy callback holding a copy of these rules.
  SigningPolicy as_policy() const;
};

}  // namespace tsign

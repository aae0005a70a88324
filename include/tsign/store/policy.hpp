#pragma once
// Signing policy: before a party contributes to a signature it asks its policy whether the request
// is acceptable. A policy is any callback; PolicyRules (policy_rules.hpp) builds one from a rule
// file. Denials are recorded in the audit log.
#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/result.hpp"
#include "tsign/store/audit_log.hpp"
#include "tsign/store/share_header.hpp"

namespace tsign {

struct SigningRequest {
  KeyId key_id{};
  std::string scheme;                          // a suite name: "frost-secp256k1", "ecdsa-secp256k1", ...
  std::variant<Bytes, Digest32> content;       // the message, or a 32-byte digest signed as given
  std::vector<std::uint32_t> derivation_path;  // BIP-32 indices from the key's root; empty for the root
  std::vector<PartyId> signers;                // every party taking part, this one included

  bool is_digest() const { return std::holds_alternative<Digest32>(content); }
  // What the audit log records: the digest itself, or SHA-256 of the message.
  Digest32 audit_digest() const;
};

// "m", "m/0/7", with hardened indices as "5'".
std::string format_derivation_path(const std::vector<std::uint32_t>& path);

struct PolicyDecision {
  bool allowed = false;
  std::string reason;

  static PolicyDecision allow(std::string reason = {}) { return {true, std::move(reason)}; }
  static PolicyDecision deny(std::string reason) { return {false, std::move(reason)}; }
};

using SigningPolicy = std::function<PolicyDecision(const SigningRequest&)>;

// The audit event describing a signing request (digest, path, signers), for `signed` once the
// signature exists and for `denied`. `epoch` is the key's current epoch.
AuditEvent signing_audit_event(const SigningRequest& request, AuditEventKind kind, std::uint64_t epoch,
                               std::string details = {});

// Asks the policy. Fails closed: an empty policy or one that throws denies. A denial is appended to
// the audit log (kind denied, the reason as details) and returned as ErrorKind::PolicyDenied.
// Allowed requests are not logged here: log `signed` when the signature is produced.
Status enforce_policy(const SigningPolicy& policy, const SigningRequest& request, AuditLog& log, std::uint64_t epoch);

}  // namespace tsign

#pragma once
// Signing policy: before a party contributes to a signature it asks its policy whether the request
// is acceptable. A policy is any callback; PolicyRules (policy_rules.hpp) builds one from a rule
// file. Denials are recorded in the audit log.
#include <cstdint>
#include <functional>
#include <optional>
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
  std::optional<Digest32> taproot_root;        // BIP-341 script tree root; none: key path only

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

// The audit event describing a signing request (digest, path, signers; the Taproot root in the
// details), for `approved`, `signed`, `failed` and `denied`. `epoch` is the key's current epoch.
AuditEvent signing_audit_event(const SigningRequest& request, AuditEventKind kind, std::uint64_t epoch,
                               std::string details = {});

// Asks the policy and records its answer before anything leaves this party. A denial is appended
// as `denied` (the reason as details) and returned as ErrorKind::PolicyDenied; an approval is
// appended, and fsynced, as `approved` (with `policy_id`, say a digest of the rule file, and the
// Taproot root). Fails closed: an empty policy or one that throws denies, and an approval that
// cannot be recorded is an error (ErrorKind::Storage): the caller must not release its share.
Status authorize_signing(const SigningPolicy& policy, const SigningRequest& request, AuditLog& log,
                         std::uint64_t epoch, std::string_view policy_id = {});

// Records a signing attempt that produced no signature (`failed`, the error as details).
Status record_signing_failure(const SigningRequest& request, const Error& error, AuditLog& log, std::uint64_t epoch);

}  // namespace tsign

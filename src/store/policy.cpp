#include "tsign/store/policy.hpp"

#include <exception>

namespace tsign {

Digest32 SigningRequest::audit_digest() const {
  if (const auto* digest = std::get_if<Digest32>(&content)) return *digest;
  return sha256(std::get<Bytes>(content));
}

std::string format_derivation_path(const std::vector<std::uint32_t>& path) {
  std::string out = "m";
  for (std::uint32_t index : path) {
    out += "/";
    if (index >= 0x80000000u) {
      out += std::to_string(index - 0x80000000u) + "'";
    } else {
      out += std::to_string(index);
    }
  }
  return out;
}

AuditEvent signing_audit_event(const SigningRequest& request, AuditEventKind kind, std::uint64_t epoch,
                               std::string details) {
  AuditEvent e;
  e.kind = kind;
  e.key_id = request.key_id;
  e.epoch = epoch;
  e.digest = request.audit_digest();
  e.derivation_path = request.derivation_path;
  if (e.derivation_path.size() > kMaxAuditPathDepth) e.derivation_path.resize(kMaxAuditPathDepth);
  e.signers = request.signers;
  if (e.signers.size() > kMaxAuditSigners) e.signers.resize(kMaxAuditSigners);
  if (request.taproot_root) {
    details = "taproot root " + to_hex(*request.taproot_root) + (details.empty() ? "" : "; ") + details;
  }
  e.details = std::move(details);
  if (e.details.size() > kMaxAuditDetails) e.details.resize(kMaxAuditDetails);
  return e;
}

Status authorize_signing(const SigningPolicy& policy, const SigningRequest& request, AuditLog& log,
                         std::uint64_t epoch, std::string_view policy_id) {
  PolicyDecision decision = PolicyDecision::deny("no signing policy is configured");
  if (policy) {
    try {
      decision = policy(request);
    } catch (const std::exception& e) {
      decision = PolicyDecision::deny(std::string("the policy failed: ") + e.what());
    } catch (...) {
      decision = PolicyDecision::deny("the policy failed");
    }
  }
  if (decision.allowed) {
    std::string details = policy_id.empty() ? decision.reason : "policy " + std::string(policy_id);
    auto recorded = log.append(signing_audit_event(request, AuditEventKind::Approved, epoch, std::move(details)));
    if (!recorded.ok()) {
      return make_error(ErrorKind::Storage,
                        "signing request approved, but the approval could not be recorded, so nothing is released: " +
                            recorded.error().message);
    }
    return {};
  }
  if (decision.reason.empty()) decision.reason = "denied by policy";

  std::string message = "signing request denied: " + decision.reason;
  if (auto logged = log.append(signing_audit_event(request, AuditEventKind::Denied, epoch, decision.reason));
      !logged.ok()) {
    message += " (the denial could not be recorded: " + logged.error().message + ")";
  }
  return make_error(ErrorKind::PolicyDenied, std::move(message));
}

Status record_signing_failure(const SigningRequest& request, const Error& error, AuditLog& log, std::uint64_t epoch) {
  auto recorded = log.append(signing_audit_event(request, AuditEventKind::Failed, epoch, error.describe()));
  if (!recorded.ok()) return recorded.error();
  return {};
}

}  // namespace tsign

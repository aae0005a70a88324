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
  e.signers = request.signers;
  e.details = std::move(details);
  if (e.details.size() > kMaxAuditDetails) e.details.resize(kMaxAuditDetails);
  return e;
}

Status enforce_policy(const SigningPolicy& policy, const SigningRequest& request, AuditLog& log, std::uint64_t epoch) {
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
  if (decision.allowed) return {};
  if (decision.reason.empty()) decision.reason = "denied by policy";

  std::string message = "signing request denied: " + decision.reason;
  AuditEvent event = signing_audit_event(request, AuditEventKind::Denied, epoch, decision.reason);
  if (event.derivation_path.size() > kMaxAuditPathDepth) event.derivation_path.resize(kMaxAuditPathDepth);
  if (event.signers.size() > kMaxAuditSigners) event.signers.resize(kMaxAuditSigners);
  if (auto logged = log.append(std::move(event)); !logged.ok()) {
    message += " (the denial could not be recorded: " + logged.error().message + ")";
  }
  return make_error(ErrorKind::PolicyDenied, std::move(message));
}

}  // namespace tsign

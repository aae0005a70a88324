#include "operations.hpp"

#include <algorithm>

#include "tsign/core/text_fields.hpp"

namespace tsign::service_internal {

namespace {

void fail(ServiceResult& result, const Error& error) {
  result.status = error.kind == ErrorKind::PolicyDenied ? ResultStatus::Declined : ResultStatus::Failed;
  result.reason = error.kind == ErrorKind::PolicyDenied ? "policy" : to_string(error.kind);
  result.error = error.message;
  for (PartyId p : error.culprits) {
    if (std::find(result.culprits.begin(), result.culprits.end(), p) == result.culprits.end()) result.culprits.push_back(p);
  }
  std::sort(result.culprits.begin(), result.culprits.end());
}

void not_involved(ServiceResult& result) {
  result.status = ResultStatus::Declined;
  result.reason = "not_involved";
  result.error = "this party takes no part in the operation";
}

// A signer stopped by another's abort notice is told whom that party blames, in the message the
// engine writes for it, and names only the notifier as its culprit (it cannot check the claim).
// The signers that checked the failure themselves exclude the blamed: so must this one, or the
// next attempt's sets differ. A false notice can so exclude honest signers at the parties it
// reaches first (within max_attempts); a ROAST coordinator, which excludes only what it verified
// itself, would not.
std::vector<PartyId> parties_to_exclude(const Error& e) {
  constexpr std::string_view kStopped = " aborted the session: ";
  constexpr std::string_view kBlames = "(it blames parties ";
  const auto stopped = e.message.find(kStopped);
  const auto blames = e.message.rfind(kBlames);
  if (e.kind != ErrorKind::ProtocolAborted || stopped == std::string::npos || blames == std::string::npos) return e.culprits;
  const auto start = blames + kBlames.size();
  const auto end = e.message.find(')', start);
  if (end == std::string::npos) return e.culprits;
  std::string list = e.message.substr(start, end - start);  // "2, 5"
  std::erase(list, ' ');
  auto blamed = parse_party_list(list, "blamed parties");
  return blamed ? *blamed : e.culprits;
}

bool contains(const std::vector<PartyId>& parties, PartyId p) {
  return std::find(parties.begin(), parties.end(), p) != parties.end();
}

void describe_key(ServiceResult& result, const VaultKey& key) {
  result.key_id = key.key_id;
  result.public_key = key.view.public_key;
}

// Robust signing: every attempt runs with all candidates not yet excluded (FROST and ECDSA both
// sign with any set of at least t), under its own session, so each draws fresh nonces. A failed
// attempt names its culprits (a FROST share that fails its check, a party that never answered);
// the honest signers saw the same failure, so all exclude the same parties and meet again in the
// next attempt. It ends with a signature, a decline by this party's policy, fewer than t left or
// max_attempts. Unlike ROAST's coordinator, nothing makes signers that saw different failures
// agree: they derive different sessions and time out, naming each other (docs/requests.md).
void robust_sign(Vault& vault, PeerLink& peers, const ServiceRequest& request, std::size_t max_attempts,
                 ServiceResult& result) {
  auto key = vault.key(*request.key_id);
  if (!key) return fail(result, key.error());
  result.key_id = key->key_id;
  std::vector<PartyId> candidates = request.signers.empty() ? key->parties : request.signers;
  if (!contains(candidates, vault.id())) return not_involved(result);
  if (request.use_presignature) {
    result.status = ResultStatus::Declined;
    result.reason = "unsupported";
    result.error = "the service does not take pooled presignatures yet";
    return;
  }
  std::vector<PartyId> excluded;
  std::string history;
  for (std::uint32_t attempt = 1; attempt <= max_attempts; ++attempt) {
    std::vector<PartyId> signers;
    for (PartyId p : candidates) {
      if (!contains(excluded, p)) signers.push_back(p);
    }
    if (signers.size() < key->threshold) {
      result.status = ResultStatus::Failed;
      result.reason = "too_few_signers";
      result.error = "fewer than the threshold of signers are left after excluding the culprits (" + history + ")";
      return;
    }
    if (!contains(signers, vault.id())) {
      result.status = ResultStatus::Failed;
      result.reason = "excluded";
      result.error = "the other signers named this party in a failed attempt";
      return;
    }
    result.attempts = attempt;
    SignRequest sign;
    sign.key_id = key->key_id;
    sign.content = *request.content;
    sign.signers = signers;
    sign.path = request.path;
    sign.taproot_root = request.taproot_root;
    sign.session = session_label(request, attempt);
    auto signature = vault.sign(sign, peers);
    if (signature) {
      result.status = ResultStatus::Ok;
      result.reason.clear();
      result.error.clear();
      result.signature = signature->signature;
      result.public_key = signature->public_key;
      if (signature->ecdsa) result.recovery_id = signature->ecdsa->recovery_id;
      result.signers = signers;
      return;
    }
    const Error& e = signature.error();
    fail(result, Error{e.kind, e.message, parties_to_exclude(e)});
    // Every attempt's failure, so the result tells how the culprits were found.
    history += history.empty() ? "attempt " : "; attempt ";
    history += std::to_string(attempt);
    history += ": ";
    history += e.describe().substr(0, 400);
    result.error = history;
    // ECDSA's online round cannot attribute a wrong share (it names every other signer), so
    // ECDSA retries only without the unresponsive.
    const bool frost = key->suite != ShareSuite::EcdsaSecp256k1;
    const bool retryable =
        !parties_to_exclude(e).empty() && (e.kind == ErrorKind::Timeout || (frost && e.kind == ErrorKind::ProtocolAborted));
    if (!retryable) return;
    for (PartyId p : parties_to_exclude(e)) {
      if (!contains(excluded, p)) excluded.push_back(p);
    }
  }
}

}  // namespace

std::string session_label(const ServiceRequest& request, std::uint32_t attempt) {
  std::string label = "request/";
  label += to_hex(request.id);
  if (attempt != 0) {
    label += "/attempt/";
    label += std::to_string(attempt);
  }
  return label;
}

void run_operation(Vault& vault, PeerLink& peers, const ServiceRequest& r, std::size_t max_attempts,
                   ServiceResult& result) {
  const PartyId self = vault.id();
  switch (r.operation) {
    case RequestOperation::Health: {
      auto keys = vault.keys();
      if (!keys) return fail(result, keys.error());
      result.status = ResultStatus::Ok;
      return;
    }
    case RequestOperation::Keygen: {
      if (!contains(r.parties, self)) return not_involved(result);
      auto key = vault.keygen({*r.suite, r.threshold, r.parties, session_label(r)}, peers);
      if (!key) return fail(result, key.error());
      describe_key(result, *key);
      result.status = ResultStatus::Ok;
      return;
    }
    case RequestOperation::Sign:
      return robust_sign(vault, peers, r, max_attempts, result);
    case RequestOperation::Refresh: {
      auto held = vault.key(*r.key_id);
      if (!held) return fail(result, held.error());
      auto key = vault.refresh(*r.key_id, session_label(r), peers);
      if (!key) return fail(result, key.error());
      describe_key(result, *key);
      result.status = ResultStatus::Ok;
      return;
    }
    case RequestOperation::Reshare: {
      if (!contains(r.old_quorum, self) && !contains(r.parties, self)) return not_involved(result);
      ReshareRequest reshare{*r.key_id, r.old_quorum, r.parties, r.threshold, session_label(r), std::nullopt};
      if (!vault.key(*r.key_id).ok()) {
        if (!r.suite || r.group_key.empty()) {
          return fail(result, make_error(ErrorKind::InvalidInput, "a joining member needs the request's suite and group_key"));
        }
        reshare.join = std::make_pair(*r.suite, r.group_key);
      }
      auto outcome = vault.reshare(reshare, peers);
      if (!outcome) return fail(result, outcome.error());
      result.key_id = *r.key_id;
      if (outcome->key) describe_key(result, *outcome->key);
      result.status = ResultStatus::Ok;
      return;
    }
    case RequestOperation::Repair: {
      if (!contains(r.parties, self) && r.recovering != self) return not_involved(result);
      RepairRequest repair{*r.key_id, r.parties, r.recovering, session_label(r), std::nullopt};
      if (r.recovering == self) {
        if (!r.suite) return fail(result, make_error(ErrorKind::InvalidInput, "the recovering party needs the request's suite"));
        repair.recover = std::make_pair(*r.suite, r.epoch);
      }
      auto key = vault.repair(repair, peers);
      if (!key) return fail(result, key.error());
      describe_key(result, *key);
      result.status = ResultStatus::Ok;
      return;
    }
    case RequestOperation::Presign: {
      if (!contains(r.signers, self)) return not_involved(result);
      result.key_id = *r.key_id;
      for (std::uint32_t i = 0; i < r.count; ++i) {
        auto id = vault.presign({*r.key_id, r.signers, r.path, session_label(r, i + 1)}, peers);
        if (!id) return fail(result, id.error());
        result.presignatures.push_back(*id);
      }
      result.status = ResultStatus::Ok;
      return;
    }
  }
}

}  // namespace tsign::service_internal

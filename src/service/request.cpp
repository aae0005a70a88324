// Requests: operation names, the canonical signing bytes, field checks.
#include "tsign/service/request.hpp"

#include <algorithm>

#include "tsign/core/codec.hpp"

namespace tsign {

namespace {

constexpr std::pair<RequestOperation, const char*> kOperationNames[] = {
    {RequestOperation::Keygen, "keygen"}, {RequestOperation::Sign, "sign"},       {RequestOperation::Refresh, "refresh"},
    {RequestOperation::Reshare, "reshare"}, {RequestOperation::Repair, "repair"}, {RequestOperation::Presign, "presign"},
    {RequestOperation::Health, "health"}};

void put_parties(Writer& w, const std::vector<PartyId>& parties) {
  w.u32(static_cast<std::uint32_t>(parties.size()));
  for (PartyId p : parties) w.u32(p);
}

Status invalid(const std::string& what) { return make_error(ErrorKind::InvalidInput, "request: " + what); }

Status check_party_list(const std::vector<PartyId>& parties, std::string_view what, bool may_be_empty) {
  if (parties.empty() && !may_be_empty) return invalid(std::string(what) + " missing");
  if (parties.size() > kMaxRequestParties) return invalid(std::string(what) + ": too many parties");
  for (std::size_t i = 0; i < parties.size(); ++i) {
    if (parties[i] == 0) return invalid(std::string(what) + ": party 0");
    if (i > 0 && parties[i] <= parties[i - 1]) return invalid(std::string(what) + ": not ascending and distinct");
  }
  return {};
}

}  // namespace

const char* to_string(RequestOperation operation) {
  for (const auto& [op, name] : kOperationNames) {
    if (op == operation) return name;
  }
  return "unknown";
}

std::optional<RequestOperation> request_operation_from_string(std::string_view name) {
  for (const auto& [op, op_name] : kOperationNames) {
    if (name == op_name) return op;
  }
  return std::nullopt;
}

const char* to_string(ResultStatus status) {
  switch (status) {
    case ResultStatus::Ok: return "ok";
    case ResultStatus::Declined: return "declined";
    case ResultStatus::Failed: return "failed";
  }
  return "failed";
}

Bytes request_signing_bytes(const ServiceRequest& r) {
  Writer w;
  w.str(kRequestDomain);
  w.var(r.id).str(r.cluster_id).str(r.requester).u64(r.created_at).u64(r.expires_at);
  w.u8(static_cast<std::uint8_t>(r.operation));
  w.u16(r.suite ? static_cast<std::uint16_t>(*r.suite) : 0);
  w.u32(r.threshold);
  put_parties(w, r.parties);
  w.u8(r.key_id ? 1 : 0);
  if (r.key_id) w.raw(*r.key_id);
  if (!r.content) {
    w.u8(0);
  } else if (const auto* message = std::get_if<Bytes>(&*r.content)) {
    w.u8(1).var(*message);
  } else {
    w.u8(2).raw(std::get<Digest32>(*r.content));
  }
  put_parties(w, r.signers);
  w.u32(static_cast<std::uint32_t>(r.path.size()));
  for (std::uint32_t step : r.path) w.u32(step);
  w.u8(r.taproot_root ? 1 : 0);
  if (r.taproot_root) w.raw(*r.taproot_root);
  w.u8(r.use_presignature ? 1 : 0);
  put_parties(w, r.old_quorum);
  w.var(r.group_key);
  w.u32(r.recovering).u64(r.epoch).u32(r.count);
  return std::move(w).take();
}

void sign_request(ServiceRequest& request, const IdentityKey& requester_key) {
  request.signature = requester_key.sign(request_signing_bytes(request));
}

bool request_signature_valid(const ServiceRequest& request, const ByteArray<32>& requester_key) {
  return verify_identity_signature(requester_key, request_signing_bytes(request), request.signature);
}

Status check_request_fields(const ServiceRequest& r) {
  if (r.id.size() < kMinRequestIdBytes || r.id.size() > kMaxRequestIdBytes) return invalid("id: 16 to 32 bytes");
  if (r.expires_at <= r.created_at) return invalid("expires_at must be after created_at");
  const bool needs_key = r.operation != RequestOperation::Keygen && r.operation != RequestOperation::Health;
  if (needs_key && !r.key_id) return invalid("key missing");
  TSIGN_CHECK(check_party_list(r.parties, "parties", true));
  TSIGN_CHECK(check_party_list(r.signers, "signers", true));
  TSIGN_CHECK(check_party_list(r.old_quorum, "old_quorum", true));
  if (r.path.size() > kMaxRequestPathDepth) return invalid("path: too deep");
  for (std::uint32_t step : r.path) {
    if (step >= 0x80000000u) return invalid("path: hardened steps cannot be derived from a shared key");
  }
  switch (r.operation) {
    case RequestOperation::Keygen:
      if (!r.suite) return invalid("suite missing");
      TSIGN_CHECK(check_party_list(r.parties, "parties", false));
      if (r.threshold < 1 || r.threshold > r.parties.size()) return invalid("threshold: 1 to the number of parties");
      break;
    case RequestOperation::Sign:
      if (!r.content) return invalid("message or digest missing");
      if (const auto* message = std::get_if<Bytes>(&*r.content); message != nullptr && message->size() > kMaxRequestMessage) {
        return invalid("message: too long");
      }
      break;
    case RequestOperation::Reshare:
      TSIGN_CHECK(check_party_list(r.old_quorum, "old_quorum", false));
      TSIGN_CHECK(check_party_list(r.parties, "parties", false));
      if (r.threshold < 1 || r.threshold > r.parties.size()) return invalid("threshold: 1 to the number of parties");
      if (r.group_key.size() > 33) return invalid("group_key: too long");
      break;
    case RequestOperation::Repair:
      TSIGN_CHECK(check_party_list(r.parties, "parties", false));
      if (r.recovering == 0) return invalid("recovering missing");
      if (std::binary_search(r.parties.begin(), r.parties.end(), r.recovering)) return invalid("recovering is among the helpers");
      break;
    case RequestOperation::Presign:
      TSIGN_CHECK(check_party_list(r.signers, "signers", false));
      if (r.count < 1 || r.count > kMaxPresignTopUp) return invalid("count: 1 to 16");
      break;
    case RequestOperation::Refresh:
    case RequestOperation::Health:
      break;
  }
  return {};
}

}  // namespace tsign

#pragma once
// Requests to the signer service (tsignd) and its results, as JSON (docs/requests.md).
//
// A request is signed by its requester's Ed25519 key (a `requester` line of the cluster
// configuration authorizes the key and the operations it may ask for) over request_signing_bytes:
// a canonical byte encoding under the domain "tsign/request/v1", never the JSON text, so
// re-encoding the JSON (key order, spacing, escapes) cannot change what was signed.
//
// The decoder is strict: the raw text is bounded (kMaxRequestBytes) and its nesting checked
// before parsing; an unknown or repeated field, a field the operation does not take, a wrong type
// or an oversize value is InvalidInput naming the field.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tsign/core/identity_key.hpp"
#include "tsign/custody/suite_signature.hpp"
#include "tsign/store/share_header.hpp"

namespace tsign {

enum class RequestOperation : std::uint8_t { Keygen = 1, Sign = 2, Refresh = 3, Reshare = 4, Repair = 5, Presign = 6, Health = 7 };
// "keygen", "sign", ...: the names of requester lines (custody/cluster.hpp).
const char* to_string(RequestOperation operation);
std::optional<RequestOperation> request_operation_from_string(std::string_view name);

inline constexpr std::size_t kMaxRequestBytes = 64 * 1024;
inline constexpr std::size_t kMinRequestIdBytes = 16;
inline constexpr std::size_t kMaxRequestIdBytes = 32;
inline constexpr std::size_t kMaxRequestMessage = 16 * 1024;  // sign: message bytes
inline constexpr std::size_t kMaxRequestParties = 64;
inline constexpr std::size_t kMaxRequestPathDepth = 16;
inline constexpr std::uint32_t kMaxPresignTopUp = 16;
inline constexpr std::string_view kRequestDomain = "tsign/request/v1";

struct ServiceRequest {
  Bytes id;                  // 16 to 32 random bytes; the service takes each id once
  std::string cluster_id;    // Cluster::cluster_id() of the cluster it is meant for
  std::string requester;     // a requester id of the cluster configuration
  std::uint64_t created_at = 0;  // Unix seconds
  std::uint64_t expires_at = 0;  // Unix seconds, after created_at
  RequestOperation operation = RequestOperation::Health;

  // keygen: suite, threshold, parties (the committee).
  // sign: key_id, content, signers (candidates; none: every holder), path, taproot_root,
  //       use_presignature (ECDSA).
  // refresh: key_id. presign: key_id, signers, path, count.
  // reshare: key_id, old_quorum, parties (the new committee), threshold, suite and group_key (for
  //          a joining member). repair: key_id, parties (the helpers), recovering, suite, epoch.
  std::optional<ShareSuite> suite;
  std::uint32_t threshold = 0;
  std::vector<PartyId> parties;
  std::optional<KeyId> key_id;
  std::optional<SignedContent> content;
  std::vector<PartyId> signers;
  std::vector<std::uint32_t> path;
  std::optional<Digest32> taproot_root;
  bool use_presignature = false;
  std::vector<PartyId> old_quorum;
  Bytes group_key;
  PartyId recovering = 0;
  std::uint64_t epoch = 0;
  std::uint32_t count = 0;

  ByteArray<64> signature{};
};

// What the requester signs: the domain, then every field in a fixed order, length-framed.
Bytes request_signing_bytes(const ServiceRequest& request);
void sign_request(ServiceRequest& request, const IdentityKey& requester_key);
bool request_signature_valid(const ServiceRequest& request, const ByteArray<32>& requester_key);
// The operation's fields are present and consistent (decode_request checks it; so does the
// service before acting).
Status check_request_fields(const ServiceRequest& request);

std::string encode_request(const ServiceRequest& request);
Result<ServiceRequest> decode_request(std::string_view text);

enum class ResultStatus { Ok, Declined, Failed };
const char* to_string(ResultStatus status);

struct ServiceResult {
  Bytes request_id;
  PartyId party = 0;              // the service that answers
  ResultStatus status = ResultStatus::Failed;
  std::string reason;             // declined, failed: a short code ("busy", "replay", "policy", ...)
  std::string error;              // human-readable
  std::optional<KeyId> key_id;
  Bytes signature;                // sign
  Bytes public_key;               // keygen, sign
  std::optional<std::uint8_t> recovery_id;  // ECDSA
  std::vector<PartyId> signers;   // sign: the set that signed
  std::vector<PartyId> culprits;  // every party named in a failed attempt
  std::uint32_t attempts = 0;     // sign
  std::optional<std::uint64_t> audit_sequence;  // the audit entry recording the outcome
  std::vector<Digest32> presignatures;          // presign: ids pooled
};

std::string encode_result(const ServiceResult& result);

}  // namespace tsign

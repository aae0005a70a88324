#pragma once
// The wire messages of ECDSA presigning and signing. Each starts with its type (u8) and the
// session it belongs to: the caller's session id in round 0, the derived session id (sid) after
// it. Fields are fixed-size or counted; points are compressed SEC1 and never the identity,
// scalars canonical. Decoders are strict (type, session, counts, encodings, no trailing bytes);
// the protocol names the sender of anything that fails to decode.
#include <vector>

#include "tsign/core/codec.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/math/secp256k1.hpp"
#include "tsign/protocol/round.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign::ecdsa_internal {



enum class SignMessageType : std::uint8_t {
  Commit = 0x61,   // round 0, broadcast
  Request = 0x62,  // round 1, direct
  Reply = 0x63,    // round 2, direct
  Share = 0x64,    // online round, broadcast
};

struct CommitMessage {
  ByteArray<32> contribution{};  // to the session id
  Digest32 commitment{};         // to R_i

  Bytes encode(const SessionId& session) const;
  static Result<CommitMessage> decode(ByteSpan payload, const SessionId& session);
};

struct RequestMessage {
  Digest32 sid{};
  Digest32 context{};
  std::vector<Digest32> echo;  // digest of every signer's round-0 broadcast, in signer order
  ByteSpan mul_request;        // ot::MulRequest, decoded by the OT layer

  Bytes encode() const;
  // sid is returned, not checked, so a mismatch can be judged against the echo.
  static Result<RequestMessage> decode(ByteSpan payload, std::size_t signers);
};

struct ReplyMessage {
  Secp256k1Point nonce;          // R_j, opening the commitment
  ByteArray<32> blind{};
  Secp256k1Point public_share;   // pk_j
  std::vector<Secp256k1Point> zero_points;  // z_jk·G for every other signer k, in signer order
  Secp256k1Point gamma_u;
  Secp256k1Point gamma_v;
  Secp256k1Scalar psi;
  ByteSpan mul_response;         // ot::MulResponse, decoded by the OT layer

  Bytes encode(const Digest32& sid) const;
  static Result<ReplyMessage> decode(ByteSpan payload, const Digest32& sid, std::size_t signers);
};

struct ShareMessage {
  Digest32 digest{};  // the message hash this share signs
  Secp256k1Scalar w;
  Secp256k1Scalar u;

  Bytes encode(const Digest32& sid) const;
  static Result<ShareMessage> decode(ByteSpan payload, const Digest32& sid);
};

}  // namespace tsign::ecdsa_internal

#pragma once
// Two-party multiplication for threshold ECDSA: the random VOLE of DKLs23 (Doerner, Kondi, Lee,
// shelat, "Threshold ECDSA in Three Rounds", Protocol 5.2), over the secp256k1 order n.
//
// The sender S holds ℓ scalars a_1..a_ℓ (DKLs23 signing: r_j and sk_j, so ℓ = 2); the receiver R
// gets a random scalar b. S ends with t_A,k and R with t_B,k such that t_A,k + t_B,k = a_k·b mod n.
//
// Per signature, for every ordered pair (S, R), two messages:
//   1. R -> S  MulRequest   tag, ℓ, the extension payload for ξ = 512 OTs           10 227 bytes
//   2. S -> R  MulResponse  tag, ℓ, ã (ξ·(ℓ+1) scalars), η (1 scalar), μ (32 bytes)   49 235 bytes (ℓ = 2)
// R knows b as soon as it has sent its request (DKLs23 uses it in the next round, ψ = φ − b).
// S knows its shares once it has answered; R knows its shares once μ has checked out.
//
// How it works. R's choice bits β (ξ = κ + 2·λs of them, κ = 256, λs = 128) encode b = Σ g_j·β_j
// with a gadget vector g hashed from the session. The extension gives S random-OT messages
// α0_j, α1_j in Z_n^(ℓ+1) and R the one of its choice, γ_j = α_{β_j, j}. S sends
// ã_j = α0_j − α1_j + (a, â) with a random â, then θ = H(session, ã) in Z_n^ℓ, η = â + Σ θ_k·a_k
// and μ = H(session, μ_1..μ_ξ), μ_j = α0_{j,ℓ+1} + Σ θ_k·α0_{j,k}. R computes
// ḋ_j = γ_j + β_j·ã_j = α0_j + β_j·(a, â) and checks μ against ḋ_{j,ℓ+1} + Σ θ_k·ḋ_{j,k} − β_j·η:
// a sender whose ã does not encode the same a in every OT fails unless it guessed the β_j it
// touched. Shares: t_A,k = −Σ g_j·α0_{j,k} and t_B,k = Σ g_j·ḋ_{j,k}.
//
// Every hash, challenge and PRG stream is bound to the PairSession, so a message replayed from
// another session fails. A failed check on either side poisons that side's state for the pair
// and names the peer (see state.hpp): the pair needs a new setup.
//
// In DKLs23 signing, party i does for every other signer j, with the signing session's id sid:
//   round 1  MulReceiver::start(its OtReceiverSetup for j, {sid, sender j, receiver i}, 2);
//            send the request to j, keep b (DKLs23's χ_ij).
//   round 2  mul_sender_respond(its OtSenderSetup for j, {sid, sender i, receiver j},
//            {r_i, sk_i}, j's request); send the response to j, keep t_A,1 and t_A,2.
//   round 3  finish(its OtReceiverSetup for j, j's response) gives t_B,1 and t_B,2.
// Calls that share a setup object must not run concurrently: a failed check writes its flag.
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "tsign/math/secp256k1.hpp"
#include "ot/extension.hpp"

namespace tsign::ot {

struct MulRequest {
  SessionTag tag{};
  std::uint8_t products = 0;  // ℓ
  ExtensionPayload extension;

  static std::size_t encoded_size() { return 19 + ExtensionPayload::encoded_size(kMulOts); }
  Bytes encode() const;
  static Result<MulRequest> decode(ByteSpan in, PartyId from);
};

struct MulResponse {
  SessionTag tag{};
  std::uint8_t products = 0;  // ℓ
  Bytes a_tilde;              // ξ·(ℓ+1) canonical big-endian scalars, OT by OT
  ByteArray<32> eta{};        // canonical big-endian scalar
  ByteArray<32> mu{};

  static std::size_t encoded_size(std::size_t products) { return 19 + (kMulOts * (products + 1) + 1) * 32 + 32; }
  Bytes encode() const;
  // products: the ℓ the receiver asked for. Checks every scalar is below n.
  static Result<MulResponse> decode(ByteSpan in, std::size_t products, PartyId from);
};

// R's side of one multiplication.
class MulReceiver {
 public:
  // products: ℓ in 1..kMaxProducts.
  static Result<std::pair<MulReceiver, MulRequest>> start(const OtReceiverSetup& setup, const PairSession& session,
                                                          std::size_t products);
  ~MulReceiver();
  MulReceiver(MulReceiver&&) noexcept;
  MulReceiver& operator=(MulReceiver&&) noexcept;
  MulReceiver(const MulReceiver&) = delete;
  MulReceiver& operator=(const MulReceiver&) = delete;

  // R's random multiplicand.
  const Secp256k1Scalar& b() const { return b_; }
  // Checks S's response; returns t_B,1..t_B,ℓ. On a failed check `setup` is poisoned and S named.
  Result<std::vector<Secp256k1Scalar>> finish(OtReceiverSetup& setup, const MulResponse& response) &&;

 private:
  MulReceiver();
  PartyId self_ = 0;
  PartyId peer_ = 0;
  std::size_t products_ = 0;
  Digest32 digest_{};
  // The extension's choice bits β and rows t_j, and the session's gadget vector: kept on the
  // heap as the extension left them (moved, not copied) and wiped with it.
  struct Batch;
  std::unique_ptr<Batch> batch_;
  Secp256k1Scalar b_;
};

struct MulSenderResult {
  std::vector<Secp256k1Scalar> shares;  // t_A,1..t_A,ℓ
  MulResponse response;
};

// S's side: inputs are a_1..a_ℓ (ℓ must match the request). Checks the extension; on a failed
// check `setup` is poisoned and R named.
Result<MulSenderResult> mul_sender_respond(OtSenderSetup& setup, const PairSession& session,
                                           std::span<const Secp256k1Scalar> inputs, const MulRequest& request);

}  // namespace tsign::ot

#pragma once
// Threshold ECDSA presigning (DKLs23, "Threshold ECDSA in Three Rounds", Doerner, Kondi, Lee,
// shelat): everything of a signature that does not depend on the message, run by any t or more
// holders of an EcdsaKeyShare. Rounds:
//
//   0  broadcast: a fresh 32-byte contribution to the session id and a commitment to R_i = r_i·G
//      (bound to the run's context: key, signer set, derivation path and, when signing in one go,
//      the message digest). The session id of the signature is the hash of the context and of
//      every contribution and commitment; every later message, multiplication and zero-share is
//      bound to it, so the pairwise OT state reused by every signature never sees a challenge twice.
//   1  to each other signer j: the context digest, an echo of every round-0 broadcast, and the
//      request of the multiplication in which this party receives (random input χ_ij) and j sends.
//   2  to each j, after checking j's echo: the reply to j's request with inputs (r_i, sk_i), the
//      opening of R_i's commitment, pk_i = sk_i·G, Γ_u = c_u·G and Γ_v = c_v·G (c_u, c_v: this
//      party's shares of r_i·χ_ji and sk_i·χ_ji), ψ = φ_i − χ_ij, and the points z_ik·G of its
//      pairwise zero-share terms.
//   Here sk_i = λ_i·x_i + ζ_i (+ the BIP-32 tweak at the lowest signer), ζ_i a zero-share hashed
//   from the pairwise seeds and the session id: additive shares of the child key that are fresh for
//   every signature.
//   After round 2 each signer checks, for each j: the opening of R_j's commitment, the
//   multiplication's μ, χ_ij·R_j = d_u·G + Γ_u and χ_ij·pk_j = d_v·G + Γ_v (so j used the r_j and
//   sk_j it committed to), that j's zero-share point for their pair is right, and that the pk_j
//   of all signers sum to the (derived) public key; when the sum fails, each pk_j is checked
//   against λ_j·X_j and its zero-share points to name the signer that lied.
//   The presignature holds R = Σ R_j, this party's mask φ_i and its additive shares u_i of φ·r and
//   v_i of φ·sk.
//
// Every failed check names the party that failed it. A failed multiplication or Γ check also
// disables the pair in the key share (see key_share.hpp): the caller must write the share back.
//
// The derivation path is fixed when presigning: adding a key tweak chosen after R is known is
// the related-key weakness of presignatures that Groth and Shoup describe (eprint 2021/1330).
#include <memory>
#include <optional>
#include <vector>

#include "tsign/core/hash.hpp"
#include "tsign/protocol/session_id.hpp"  // SessionId
#include "tsign/ecdsa/key_share.hpp"
#include "tsign/protocol/protocol.hpp"

namespace tsign {

struct EcdsaPresignConfig {
  SessionId session{};                // unique per run and known to every signer
  std::vector<PartyId> signers;       // ascending, at least t holders, this party included
  std::vector<std::uint32_t> path;    // non-hardened BIP-32 path from the key's root (empty: the root)
};

namespace ecdsa_internal {
struct PresignatureAccess;
}

// The message-independent part of one signature, for one signer. Single use by construction:
// move-only, consumed by EcdsaOnlineProtocol (which takes it by rvalue and wipes it at once), so
// one presignature can never sign two messages (two signatures with the same R reveal the key).
// Encoding it moves its secrets into the bytes: a store that keeps presignatures between runs
// (custody/presignature_pool.hpp) holds the only copy, and must durably record a use before any
// signature share made from it leaves.
class Presignature {
 public:
  Presignature(Presignature&&) noexcept = default;
  Presignature& operator=(Presignature&&) noexcept = default;
  Presignature(const Presignature&) = delete;
  Presignature& operator=(const Presignature&) = delete;
  ~Presignature() = default;  // the secrets are wiped with their locked storage

  // Moves the secrets into the bytes (this object is unusable afterwards); refused once consumed.
  static Result<SecretBytes> encode(Presignature&& presignature);
  // Strict: the exact size, valid points and scalars, ascending distinct signers including self.
  static Result<Presignature> decode(ByteSpan bytes);

  // False once consumed (or moved from).
  bool usable() const { return secrets_.has_value(); }
  const Digest32& id() const { return id_; }  // the session id of its presigning run
  // The key and the key epoch it was made with: it signs only for that epoch of that key.
  const KeyId& key_id() const { return key_id_; }
  std::uint64_t epoch() const { return epoch_; }
  PartyId self() const { return self_; }
  const std::vector<PartyId>& signers() const { return signers_; }
  const std::vector<std::uint32_t>& path() const { return path_; }
  const Secp256k1Point& public_key() const { return public_key_; }  // the (derived) key it signs for
  const Secp256k1Point& nonce_point() const { return nonce_point_; }  // R

 private:
  friend struct ecdsa_internal::PresignatureAccess;
  struct Secrets {
    Secp256k1Scalar phi;  // φ_i, this party's part of the mask φ
    Secp256k1Scalar u;    // additive share of φ·r
    Secp256k1Scalar v;    // additive share of φ·sk
  };
  explicit Presignature(Secret<Secrets> secrets) : secrets_(std::move(secrets)) {}

  Digest32 id_{};
  KeyId key_id_{};
  std::uint64_t epoch_ = 0;
  PartyId self_ = 0;
  std::vector<PartyId> signers_;
  std::vector<std::uint32_t> path_;
  Secp256k1Point public_key_;
  Secp256k1Point nonce_point_;
  Secret<Secrets> secrets_;  // empty once consumed
};

class EcdsaPresignProtocol final : public StateProtocol<Presignature> {
 public:
  static constexpr std::size_t kRounds = 3;
  static constexpr std::string_view kName = "ecdsa/presign";

  // `share` must outlive the protocol: a failed multiplication check disables that pair in it.
  // Refuses signer sets with unknown, duplicate or too few parties, and peers whose pair is
  // disabled (named as culprits). The output is the Presignature (take_output(), once).
  static Result<EcdsaPresignProtocol> create(EcdsaKeyShare& share, EcdsaPresignConfig config);

  // The (derived) public key the presignature will sign for.
  const Secp256k1Point& public_key() const { return public_key_; }

 private:
  friend class EcdsaSignProtocol;
  EcdsaPresignProtocol(std::string name, PartyId self, std::vector<PartyId> parties, RoundShape shape,
                       std::unique_ptr<ProtocolState<Presignature>> state, const Secp256k1Point& public_key)
      : StateProtocol(std::move(name), self, std::move(parties), std::move(shape), std::move(state)),
        public_key_(public_key) {}
  static Result<EcdsaPresignProtocol> make(EcdsaKeyShare& share, EcdsaPresignConfig config,
                                           const std::optional<Digest32>& message, std::string name);

  Secp256k1Point public_key_;
};

}  // namespace tsign

#pragma once
// Threshold ECDSA signing: the online round on a presignature, and the whole signature in one
// protocol (presigning's three rounds, then the online round).
//
// Online round, broadcast: the presignature's session id, the message digest, and
//     w_i = H(m)·φ_i + r_x·v_i   and   u_i
// with r_x = x(R) mod n. Then s = Σ w_i / Σ u_i = φ·(H(m) + r_x·sk) / (φ·r) = (H(m) + r_x·sk)/r.
// Each signer normalizes s to the low half, computes the recovery id, verifies the signature
// against the (derived) public key with libsecp256k1 and checks that ecdsa_recover returns that
// key, and only then outputs it.
//
// Blame. A share bound to another session or another message names its sender. The one check
// DKLs23 cannot attribute is the final verification: w_i and u_i are additive shares nobody else
// can check on their own, so a signature that does not verify names every other signer as a
// suspect (the message says so), and nothing is released.
#include <memory>
#include <optional>

#include "tsign/ecdsa/presign.hpp"
#include "tsign/ecdsa/signature.hpp"

namespace tsign {

struct EcdsaSignConfig {
  SessionId session{};              // unique per run and known to every signer
  std::vector<PartyId> signers;     // ascending, at least t holders, this party included
  std::vector<std::uint32_t> path;  // non-hardened BIP-32 path (empty: the root key)
  Digest32 digest{};                // the 32-byte message hash to sign
};

// The online round on a presignature: one broadcast. The output is the verified signature.
class EcdsaOnlineProtocol final : public StateProtocol<EcdsaSignature> {
 public:
  static constexpr std::size_t kRounds = 1;
  static constexpr std::string_view kName = "ecdsa/online";

  // Consumes the presignature whatever happens next: its secrets move into this protocol and are
  // wiped as soon as the share is computed. A used presignature is refused, and so is one made
  // with another key, another party's share or another epoch of the key than `share` holds (a
  // refresh or resharing voids every presignature made before it).
  static Result<EcdsaOnlineProtocol> create(const EcdsaKeyShare& share, Presignature&& presignature, const Digest32& digest);
  // The shape of the online round among `signers`, seen by `self`.
  static RoundShape round_shape(PartyId self, const std::vector<PartyId>& signers);

  const Secp256k1Point& public_key() const { return public_key_; }  // the key the signature verifies against

 private:
  EcdsaOnlineProtocol(PartyId self, std::vector<PartyId> parties, RoundShape shape,
                      std::unique_ptr<ProtocolState<EcdsaSignature>> state, const Secp256k1Point& public_key)
      : StateProtocol(std::string(kName), self, std::move(parties), std::move(shape), std::move(state)),
        public_key_(public_key) {}

  Secp256k1Point public_key_;
};

// A whole signature in four rounds: presigning (with the message digest bound into the context
// from the first round), then the online round on its presignature: sequence(presign, online).
// The output is the verified signature.
class EcdsaSignProtocol final : public StateProtocol<EcdsaSignature> {
 public:
  static constexpr std::size_t kRounds = EcdsaPresignProtocol::kRounds + EcdsaOnlineProtocol::kRounds;
  static constexpr std::string_view kName = "ecdsa/sign";

  // `share` must outlive the protocol (see EcdsaPresignProtocol::create).
  static Result<EcdsaSignProtocol> create(EcdsaKeyShare& share, EcdsaSignConfig config);

  const Secp256k1Point& public_key() const { return public_key_; }  // the (derived) key the signature verifies against

 private:
  EcdsaSignProtocol(PartyId self, std::vector<PartyId> parties, RoundShape shape,
                    std::unique_ptr<ProtocolState<EcdsaSignature>> state, const Secp256k1Point& public_key)
      : StateProtocol(std::string(kName), self, std::move(parties), std::move(shape), std::move(state)),
        public_key_(public_key) {}

  Secp256k1Point public_key_;
};

}  // namespace tsign

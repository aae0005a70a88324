#pragma once
// Shared by the FROST tests: dealt keys, a whole signing run, and the reference verifiers
// (libsecp256k1 and libsodium called directly, independently of tsign's own code).
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <sodium.h>

#include <algorithm>
#include <set>
#include <tuple>
#include <vector>

#include "tsign/core/random.hpp"
#include "tsign/frost/frost.hpp"

namespace tsign::test {

using namespace tsign::frost;

template <class C>
using GroupOf = typename C::Group;

inline std::vector<PartyId> range_ids(std::uint32_t n, PartyId first = 1) {
  std::vector<PartyId> ids(n);
  for (std::uint32_t i = 0; i < n; ++i) ids[i] = first + i;
  return ids;
}

template <class C>
std::vector<KeyShare<GroupOf<C>>> deal(std::uint32_t t, std::span<const PartyId> ids) {
  auto dealt = trusted_dealer_keygen<GroupOf<C>>(t, ids);
  if (!dealt.ok()) throw std::runtime_error(dealt.error().describe());
  return std::move(dealt->shares);
}

template <class C>
const KeyShare<GroupOf<C>>& share_of(const std::vector<KeyShare<GroupOf<C>>>& shares, PartyId id) {
  for (const auto& s : shares) {
    if (s.self == id) return s;
  }
  throw std::runtime_error("no share for party " + std::to_string(id));
}

// Round 1 for every signer: the nonces (by signer, in `signers` order) and the package.
template <class C>
struct Round1 {
  std::vector<SigningNonces<C>> nonces;
  SigningPackage<C> package;
};

template <class C>
Round1<C> run_round1(const std::vector<KeyShare<GroupOf<C>>>& shares, std::span<const PartyId> signers, Bytes message,
                     TaprootTweak taproot = {}) {
  Round1<C> out;
  out.package.message = std::move(message);
  out.package.taproot = taproot;
  for (PartyId id : signers) {
    auto nonces = commit<C>(share_of<C>(shares, id));
    if (!nonces.ok()) throw std::runtime_error(nonces.error().describe());
    out.package.commitments.push_back(nonces->commitments());
    out.nonces.push_back(std::move(nonces).value());
  }
  return out;
}

// A whole coordinator-style run: round 1, every signer's round 2, aggregation.
template <class C>
Result<Signature<C>> sign_with(const std::vector<KeyShare<GroupOf<C>>>& shares, std::span<const PartyId> signers,
                               const Bytes& message, TaprootTweak taproot = {}) {
  auto r1 = run_round1<C>(shares, signers, message, taproot);
  std::vector<SignatureShare<C>> sig_shares;
  for (std::size_t i = 0; i < signers.size(); ++i) {
    TSIGN_TRY(auto z, sign(r1.package, std::move(r1.nonces[i]), share_of<C>(shares, signers[i])));
    sig_shares.push_back(z);
  }
  return aggregate(r1.package, sig_shares, PublicKeyPackage<C>::from_key_share(shares.front()));
}

// BIP-341 output key computed by libsecp256k1 alone.
inline secp256k1_xonly_pubkey libsecp_output_key(const Secp256k1Point& internal, const TaprootTweak& tweak) {
  const secp256k1_context* ctx = secp256k1_ctx();
  secp256k1_xonly_pubkey xonly;
  int parity = 0;
  if (secp256k1_xonly_pubkey_from_pubkey(ctx, &xonly, &parity, &internal.pubkey()) != 1) throw std::runtime_error("xonly");
  if (tweak.mode == TaprootTweak::Mode::None) return xonly;
  unsigned char x[32];
  secp256k1_xonly_pubkey_serialize(ctx, x, &xonly);
  unsigned char msg[64];
  std::copy(x, x + 32, msg);
  std::copy(tweak.merkle_root.begin(), tweak.merkle_root.end(), msg + 32);
  const std::size_t len = tweak.mode == TaprootTweak::Mode::MerkleRoot ? 64 : 32;
  unsigned char t[32];
  const unsigned char tag[] = "TapTweak";
  if (secp256k1_tagged_sha256(ctx, t, tag, sizeof(tag) - 1, msg, len) != 1) throw std::runtime_error("tagged hash");
  secp256k1_pubkey output;
  if (secp256k1_xonly_pubkey_tweak_add(ctx, &output, &xonly, t) != 1) throw std::runtime_error("tweak add");
  secp256k1_xonly_pubkey out;
  if (secp256k1_xonly_pubkey_from_pubkey(ctx, &out, &parity, &output) != 1) throw std::runtime_error("xonly");
  return out;
}

// The suite's reference verifier, called directly: libsecp256k1 BIP-340 against the BIP-341
// output key it computes itself (TR), libsodium (Ed25519), the RFC check (plain secp256k1).
template <class C>
bool reference_verify(const Bytes& message, const Signature<C>& sig, const typename C::Point& group_key,
                      TaprootTweak taproot = {}) {
  const auto bytes = sig.to_bytes();
  if constexpr (C::kTaproot) {
    const secp256k1_xonly_pubkey key = libsecp_output_key(group_key, taproot);
    return secp256k1_schnorrsig_verify(secp256k1_ctx(), bytes.data(), message.data(), message.size(), &key) == 1;
  } else if constexpr (std::is_same_v<GroupOf<C>, Ed25519>) {
    const auto pk = group_key.to_bytes();
    return crypto_sign_verify_detached(bytes.data(), message.data(), message.size(), pk.data()) == 0;
  } else {
    return verify_signature_rfc<C>(message, sig, group_key);
  }
}

inline Bytes random_message(std::size_t max_len = 100) {
  return random_bytes(static_cast<std::size_t>(random_below(max_len + 1)));
}

}  // namespace tsign::test

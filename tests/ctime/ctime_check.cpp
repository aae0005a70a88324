// Constant-time check in the manner of libsecp256k1's ctime tests: every random byte (and so
// every key share, nonce and polynomial coefficient) is marked undefined for valgrind memcheck,
// then whole flows run. A conditional jump or memory index that depends on a secret makes
// valgrind report an error; the test fails on any report. Values the protocols publish on
// purpose (public keys, commitments) are declassified inside the library where they are made.
#include <valgrind/memcheck.h>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/declassify.hpp"
#include "tsign/core/random.hpp"
#include "tsign/dkg/dkg.hpp"
#include "tsign/ecdsa/keygen.hpp"
#include "tsign/ecdsa/sign.hpp"
#include "tsign/frost/frost.hpp"
#include "tsign/keys/key_share.hpp"
#include "ot/base_ot.hpp"
#include "ot/multiply.hpp"
#include "ot/setup.hpp"
#include "tsign/sss/shamir.hpp"
#include "tsign/testing/simulation.hpp"

using namespace tsign;

namespace {

// A flow that does not complete would make the check vacuous: each failure counts.
int failures = 0;
void failed(const std::string& what) {
  std::printf("ctime: FAILED: %s\n", what.c_str());
  ++failures;
}

template <class T>
void classify(T& value) {
  (void)VALGRIND_MAKE_MEM_UNDEFINED(&value, sizeof value);
}
template <class T>
void declassify(T& value) {
  (void)VALGRIND_MAKE_MEM_DEFINED(&value, sizeof value);
}

template <class G>
void scalar_arithmetic() {
  using S = typename G::Scalar;
  S a = S::random(), b = S::random();
  S c = a * b + a - b;
  c = -c * c.invert();
  auto bytes = c.to_bytes();
  auto back = S::from_bytes_reduce(bytes);
  bool same = back == c;
  declassify(same);
  if (!same) failed("scalar round trip mismatch");
}

template <class G>
void shamir_and_feldman() {
  std::vector<PartyId> ids = {1, 2, 3, 4, 5};
  auto secret = G::Scalar::random();
  auto dealing = shamir_split<G>(secret, 3, ids);
  if (!dealing.ok()) return failed("Shamir split");
  for (const auto& share : dealing->shares) {
    DealtShare<G> dealt{9, share.value, &dealing->commitment};
    if (!feldman_verify<G>(share.id, dealt).ok()) failed("share failed to verify");
  }
  auto rec = shamir_reconstruct<G>(dealing->shares, 3);
  if (rec.ok()) {
    auto again = G::Point::base_mul(*rec);
    if (!(again == dealing->commitment.constant())) failed("reconstruction mismatch");
  }
}

// Dealer key generation, round 1, round 2 and aggregation for one FROST suite (2 of 3; for TR
// with a Taproot tweak). Only the signature shares and the signature are published.
template <class C>
void frost_signing() {
  const std::vector<PartyId> ids = {1, 2, 3};
  auto dealt = frost::trusted_dealer_keygen<typename C::Group>(2, ids);
  if (!dealt.ok()) return failed("FROST dealer keygen");
  frost::SigningPackage<C> package;
  package.message = {1, 2, 3};
  if constexpr (C::kTaproot) package.taproot = frost::TaprootTweak::no_scripts();
  std::vector<frost::SigningNonces<C>> nonces;
  for (int i = 0; i < 2; ++i) {
    auto n = frost::commit<C>(dealt->shares[static_cast<std::size_t>(i)]);
    if (!n.ok()) return failed("FROST commit");
    package.commitments.push_back(n->commitments());
    nonces.push_back(std::move(n).value());
  }
  std::vector<frost::SignatureShare<C>> shares;
  for (std::size_t i = 0; i < 2; ++i) {
    auto z = frost::sign(package, std::move(nonces[i]), dealt->shares[i]);
    if (!z.ok()) return failed("FROST signature share");
    shares.push_back(*z);
  }
  auto sig = frost::aggregate(package, shares, frost::PublicKeyPackage<C>::from_key_share(dealt->shares[0]));
  if (!sig.ok()) failed("FROST signature: " + sig.error().describe());
}

// The base OT on its own, through the wire format: the sender's a and products, the receiver's
// b_i, choice bits and products are secret; the points it hashes to the curve are public.
void base_ot_flow() {
  const std::size_t count = 16;
  Digest32 session = random_array<32>();
  declassify(session);  // session digests are public
  auto [sender, msg1] = ot::BaseOtSender::start(session, count, 2);
  Bytes wire1;
  msg1.encode_to(wire1);
  std::vector<std::uint8_t> choices(count / 8);
  random_fill(choices);
  auto received = ot::base_ot_receive(session, *ot::BaseOtSenderMsg::decode(wire1, 1), choices, count, 1);
  if (!received.ok()) return failed("base OT: receive");
  Bytes wire2;
  received->msg.encode_to(wire2);
  auto keys = std::move(sender).finish(*ot::BaseOtReceiverMsg::decode(wire2, count, 2));
  if (!keys.ok()) return failed("base OT: finish");
  std::uint8_t differs = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned c = (choices[i / 8] >> (i % 8)) & 1;
    for (std::size_t t = 0; t < ot::kBaseOtKeySize; ++t) {
      // Both keys read, the chosen one selected by a mask: no index depends on c.
      const std::uint8_t k0 = keys->expose()[2 * i * ot::kBaseOtKeySize + t];
      const std::uint8_t k1 = keys->expose()[(2 * i + 1) * ot::kBaseOtKeySize + t];
      const auto mask = static_cast<std::uint8_t>(0 - c);
      differs |= static_cast<std::uint8_t>(((k1 & mask) | (k0 & ~mask)) ^ received->keys.expose()[i * ot::kBaseOtKeySize + t]);
    }
  }
  declassify(differs);
  if (differs != 0) failed("base OT: keys do not match the choices");
}

// The OT layer: a pair's setup (base OTs, GGM trees) and its reverse (random OTs extended from
// it), then one multiplication over each (extension with its check, the DKLs23 random VOLE with
// its check), through the wire format.
void multiply_once(ot::OtSenderSetup& sender, ot::OtReceiverSetup& receiver, const ot::PairSession& session) {
  auto started = ot::MulReceiver::start(receiver, session, 2);
  if (!started.ok()) return failed("OT flow: started");
  const std::vector<Secp256k1Scalar> a = {Secp256k1Scalar::random(), Secp256k1Scalar::random()};
  auto sent = ot::mul_sender_respond(sender, session, a,
                                     *ot::MulRequest::decode(started->second.encode(), session.receiver));
  if (!sent.ok()) return failed("OT flow: sent");
  const Secp256k1Scalar b = started->first.b();
  auto shares = std::move(started->first)
                    .finish(receiver, *ot::MulResponse::decode(sent->response.encode(), 2, session.sender));
  if (!shares.ok()) return failed("OT flow: shares");
  bool right = sent->shares[0] + (*shares)[0] == a[0] * b;
  declassify(right);
  if (!right) failed("multiplication mismatch");
}

void ot_setup_and_multiply() {
  const Bytes sid = {'c', 't', 'i', 'm', 'e'};
  const ot::PairSession session{sid, 1, 2};
  auto r1 = ot::SetupReceiver::start(session);
  if (!r1.ok()) return failed("OT flow: r1");
  auto s2 = ot::SetupSender::respond(session, *ot::SetupMsg1::decode(r1->second.encode(), 2));
  if (!s2.ok()) return failed("OT flow: s2");
  auto r3 = std::move(r1->first).finish(*ot::SetupMsg2::decode(s2->second.encode(), 1));
  if (!r3.ok()) return failed("OT flow: r3");
  auto sender = std::move(s2->first).finish(*ot::SetupMsg3::decode(r3->second.encode(), 2));
  if (!sender.ok()) return failed("OT flow: sender");
  const ot::PairSession reverse{sid, 2, 1};
  auto rs = ot::SetupSender::reverse(r3->first, reverse);
  if (!rs.ok()) return failed("OT flow: reverse start");
  auto rr = ot::SetupReceiver::reverse(*sender, reverse, *ot::ExtensionMsg::decode(rs->second.encode(), ot::kBaseOts, 2));
  if (!rr.ok()) return failed("OT flow: reverse receiver");
  auto reverse_sender = std::move(rs->first).finish(*ot::SetupMsg3::decode(rr->second.encode(), 1));
  if (!reverse_sender.ok()) return failed("OT flow: reverse sender");
  multiply_once(*sender, r3->first, session);
  multiply_once(*reverse_sender, rr->first, reverse);
}

// Runs round protocols to completion through the simulation harness, with the engine (envelopes
// and the echo step add only work on public payloads); false (with the reason printed) on failure.
template <class P>
bool run_protocols(std::vector<P>& parties) {
  const testing::SimulationResult result = testing::simulate(testing::pointers(parties));
  bool ok = true;
  for (const auto& [id, status] : result.status) {
    if (status.ok()) continue;
    failed(std::string(parties.front().name()) + ", party " + std::to_string(id) + ": " + status.error().describe());
    ok = false;
  }
  return ok;
}

// Distributed key generation (2 of 3) with every random byte secret: polynomial coefficients,
// proof-of-knowledge nonces and chain-code contributions. Only commitments, proofs and verifying
// shares are published.
template <class C>
void distributed_key_generation() {
  SessionId session = random_array<32>();
  declassify(session);  // session ids are public
  const DkgConfig config{session, {1, 2, 3}, 2};
  std::vector<DkgProtocol<C>> parties;
  for (PartyId p : config.parties) parties.push_back(DkgProtocol<C>::create(p, config).value());
  if (!run_protocols(parties)) return;
  for (auto& p : parties) {
    if (!p.take_output().ok()) failed("DKG: no key share");
  }
}

// Threshold ECDSA signing for a BIP-32 child: presigning with its multiplications and checks,
// the online round, verification. The key is generated first with randomness left defined (the
// DKG and OT setup are not what this flow checks); then its secrets are marked undefined: the
// Shamir share, and in its encoding the secret part of every OT state and every zero-sharing seed.
EcdsaKeyShare classified(const EcdsaKeyShare& share) {
  SecretBytes encoded = share.encode();
  std::uint8_t* bytes = encoded.expose_mut().data();
  auto undefined = [&](std::size_t at, std::size_t n) { (void)VALGRIND_MAKE_MEM_UNDEFINED(bytes + at, n); };
  // Layout (ecdsa/key_share.cpp): magic, version, length-prefixed key share, pair count, then per
  // pair: peer, sender state, receiver state (each a 16-byte header and the secret), seed.
  const std::size_t inner = (std::size_t{bytes[6]} << 24) | (std::size_t{bytes[7]} << 16) |
                            (std::size_t{bytes[8]} << 8) | bytes[9];
  std::size_t at = 10 + inner + 4;
  for (std::size_t i = 0; i < share.pairs.size(); ++i) {
    at += 4;
    undefined(at + 16, ot::OtSenderSetup::kSecretSize);
    at += ot::OtSenderSetup::kEncodedSize;
    undefined(at + 16, ot::OtReceiverSetup::kSecretSize);
    at += ot::OtReceiverSetup::kEncodedSize;
    undefined(at, EcdsaPairState::kZeroSeedSize);
    at += EcdsaPairState::kZeroSeedSize;
  }
  EcdsaKeyShare out = EcdsaKeyShare::decode(encoded.expose()).value();
  classify(out.key.signing_share.expose_mut());
  return out;
}

void ecdsa_signing() {
  detail::classify_randomness_for_ctime_check(false);
  const DkgConfig config{random_array<32>(), {1, 2}, 2};
  std::vector<EcdsaKeyProtocol> keygen;
  for (PartyId p : config.parties) keygen.push_back(EcdsaKeyProtocol::keygen(p, config).value());
  if (!run_protocols(keygen)) return;
  std::vector<EcdsaKeyShare> shares;
  for (auto& p : keygen) shares.push_back(p.take_output().value().value());
  for (auto& share : shares) share = classified(share);
  const EcdsaSignConfig sign{random_array<32>(), {1, 2}, {0, 5}, random_array<32>()};
  detail::classify_randomness_for_ctime_check(true);
  std::vector<EcdsaSignProtocol> signers;
  for (auto& share : shares) signers.push_back(EcdsaSignProtocol::create(share, sign).value());
  if (run_protocols(signers) && !signers.front().take_output().ok()) failed("ECDSA: no signature");
}

struct Flow {
  const char* name;
  std::function<void()> run;
};

}  // namespace

int main() {
  const std::vector<Flow> flows = {
      {"secp256k1 scalar arithmetic", scalar_arithmetic<Secp256k1>},
      {"ed25519 scalar arithmetic", scalar_arithmetic<Ed25519>},
      {"secp256k1 Shamir + Feldman", shamir_and_feldman<Secp256k1>},
      {"ed25519 Shamir + Feldman", shamir_and_feldman<Ed25519>},
      {"FROST(secp256k1) signing", frost_signing<FrostSecp256k1>},
      {"FROST(secp256k1, TR) signing", frost_signing<FrostSecp256k1Tr>},
      {"FROST(Ed25519) signing", frost_signing<FrostEd25519>},
      {"DKG (Feldman VSS, proofs of knowledge) on secp256k1", distributed_key_generation<FrostSecp256k1>},
      {"DKG (Feldman VSS, proofs of knowledge) on Ed25519", distributed_key_generation<FrostEd25519>},
      {"base OT (endemic, Masny-Rindal)", base_ot_flow},
      {"OT setup + DKLs23 multiplication", ot_setup_and_multiply},
      {"ECDSA (DKLs23) signing", ecdsa_signing},
  };
  detail::classify_randomness_for_ctime_check(true);
  for (const auto& flow : flows) {
    std::printf("ctime: %s\n", flow.name);
    flow.run();
  }
  std::printf("ctime: %zu flows ran, %d failed; valgrind reports any secret-dependent branch\n", flows.size(),
              failures);
  return failures == 0 ? 0 : 1;
}

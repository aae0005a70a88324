#include "tsign/ecdsa/presign.hpp"

#include <algorithm>
#include <set>

#include "core/declassify.hpp"
#include "dkg/common.hpp"
#include "presignature_access.hpp"
#include "math/secp256k1_secret_point.hpp"
#include "sign_messages.hpp"
#include "tsign/core/random.hpp"
#include "tsign/dkg/public_data.hpp"
#include "tsign/keys/bip32.hpp"
#include "ot/multiply.hpp"

namespace tsign {

using namespace ecdsa_internal;
using dkg_internal::ContextHasher;
using dkg_internal::decode_broadcasts;
using dkg_internal::echoed_broadcast;
using dkg_internal::for_each_decoded;

namespace {

using Scalar = Secp256k1Scalar;
using Point = Secp256k1Point;

constexpr std::size_t kProducts = 2;  // the sender multiplies by r_j and by sk_j

Digest32 nonce_commitment(const Digest32& context, PartyId id, const Point& nonce, const ByteArray<32>& blind) {
  Sha256 h = tagged_hasher("tsign/ecdsa/nonce-commitment");
  h.update(context).update_u32(id).update(nonce.to_bytes()).update(blind);
  return h.finish();
}

// z_ij, the pair's term of the zero-sharing for this session (the same at both ends).
Scalar zero_term(ByteSpan seed, const Digest32& sid) {
  Sha512 h;
  h.update("tsign/ecdsa/zero-share").update(seed).update(sid);
  Digest64 wide = h.finish();
  Scalar out = Scalar::from_bytes_reduce(wide);
  detail::secure_wipe(wide.data(), wide.size());
  return out;
}

// Every byte of a presigning message goes on the wire in the clear: public from here on (for the
// constant-time check; the OT layer's messages included).
Result<std::vector<OutgoingMessage>> published(Result<std::vector<OutgoingMessage>> out) {
  if (out.ok()) {
    for (const auto& m : *out) detail::declassify(m.payload.data(), m.payload.size());
  }
  return out;
}

struct PresignState final : ProtocolState<Presignature> {
  EcdsaKeyShare* share = nullptr;
  EcdsaPresignConfig config;
  PartyId self = 0;
  std::vector<PartyId> peers;          // the other signers, ascending
  std::map<PartyId, Scalar> lambdas;   // Lagrange coefficient of every signer
  DerivedKey derived;                  // the key to sign for and its tweak from the root
  PartyId tweak_holder = 0;            // the lowest signer adds the tweak to its share
  Digest32 context{};

  Scalar r, phi;
  Point nonce;
  ByteArray<32> blind{};
  std::map<PartyId, CommitMessage> commits;
  EchoEntries echo0;
  Digest32 sid{};

  std::map<PartyId, ot::MulReceiver> receivers;
  std::map<PartyId, Scalar> chi;        // our random multiplicand towards each sender
  Scalar sk;
  Point public_share;
  std::map<PartyId, Point> zero_points;  // z_ij·G for each peer j
  std::map<PartyId, std::vector<Scalar>> sender_shares;  // c_u, c_v from answering each peer
  std::optional<Presignature> output;

  // The zero-share points a signer lists, keyed by the other end of each pair.
  std::map<PartyId, Point> zero_claims(PartyId of, const std::vector<Point>& points) const {
    std::map<PartyId, Point> out;
    std::size_t at = 0;
    for (PartyId k : config.signers) {
      if (k != of) out.emplace(k, points[at++]);
    }
    return out;
  }

  Result<Outgoing> start() override {
    r = Scalar::random();
    phi = Scalar::random();
    nonce = Point::base_mul(r);
    random_fill(blind);
    CommitMessage msg;
    random_fill(msg.contribution);
    msg.commitment = nonce_commitment(context, self, nonce, blind);
    // Published in round 0 (contribution, commitment) and round 2 (the opening).
    detail::declassify(msg.contribution.data(), msg.contribution.size());
    detail::declassify(msg.commitment.data(), msg.commitment.size());
    detail::declassify(blind.data(), blind.size());
    Bytes payload = msg.encode(config.session);
    commits.emplace(self, msg);
    return Outgoing{echoed_broadcast(echo0, context, 0, self, std::move(payload))};
  }

  Result<Outgoing> advance(std::size_t round, const RoundMessages& in) override {
    return published(round == 0 ? round0(in) : round1(in));
  }

  Result<Presignature> finish(const RoundMessages& in) override {
    TSIGN_CHECK(round2(in));
    return std::move(*output);
  }

  // In: contributions and commitments. Out: echo and our multiplication requests.
  Result<std::vector<OutgoingMessage>> round0(const RoundMessages& in) {
    Blame blame;
    decode_broadcasts(
        in, echo0, context, 0, blame, [&](ByteSpan payload) { return CommitMessage::decode(payload, config.session); },
        [&](PartyId sender, auto msg) { commits.emplace(sender, std::move(msg)); });
    TSIGN_CHECK(blame.status("ECDSA presigning round 0"));

    Sha256 h = tagged_hasher("tsign/ecdsa/session");
    h.update(context);
    for (const auto& [id, c] : commits) h.update_u32(id).update(c.contribution).update(c.commitment);
    sid = h.finish();

    RequestMessage request;
    request.sid = sid;
    request.context = context;
    for (PartyId k : config.signers) request.echo.push_back(echo0.at(k));
    std::vector<OutgoingMessage> out;
    for (PartyId j : peers) {
      TSIGN_TRY(auto started, ot::MulReceiver::start(share->pairs.at(j).receiver, {sid, j, self}, kProducts));
      chi.emplace(j, started.first.b());
      receivers.emplace(j, std::move(started.first));
      const Bytes mul = started.second.encode();
      request.mul_request = mul;
      out.push_back({j, request.encode()});
    }
    return out;
  }

  // The echo of every peer must match ours: the same context (message, key, signers, path) and
  // the same round-0 broadcasts, hence the same session id.
  void check_requests(const std::map<PartyId, RequestMessage>& requests, Blame& blame) const {
    std::map<PartyId, EchoEntries> theirs;
    for (const auto& [j, req] : requests) {
      if (req.context != context) {
        blame.add(j, "disagrees on the message, key, signer set or derivation path");
        continue;
      }
      EchoEntries entries;
      for (std::size_t k = 0; k < config.signers.size(); ++k) entries.emplace(config.signers[k], req.echo[k]);
      theirs.emplace(j, std::move(entries));
    }
    Blame echo_blame;
    dkg_internal::judge_echoes(self, echo0, theirs, echo_blame);
    if (!echo_blame.empty()) {
      blame.add(echo_blame.status("round-0 broadcasts differ").error());
      return;
    }
    for (const auto& [j, req] : requests) {
      if (req.context == context && req.sid != sid) blame.add(j, "uses a session id that does not match the broadcasts");
    }
  }

  void compute_secret_share() {
    Scalar zeta;
    for (PartyId j : peers) {
      const Scalar z = zero_term(share->pairs.at(j).zero_seed.expose(), sid);
      zeta += self < j ? z : -z;
      zero_points.emplace(j, Point::base_mul(z));
    }
    sk = lambdas.at(self) * share->key.signing_share.expose() + zeta;
    if (self == tweak_holder) sk += derived.tweak;
    public_share = Point::base_mul(sk);
  }

  // In: echoes and the peers' multiplication requests. Out: our replies.
  Result<std::vector<OutgoingMessage>> round1(const RoundMessages& in) {
    Blame blame;
    std::map<PartyId, RequestMessage> requests;
    for_each_decoded(
        in.direct, blame, [&](ByteSpan payload) { return RequestMessage::decode(payload, config.signers.size()); },
        [&](PartyId sender, auto msg) { requests.emplace(sender, std::move(msg)); });
    if (blame.empty()) check_requests(requests, blame);
    TSIGN_CHECK(blame.status("ECDSA presigning round 1"));

    compute_secret_share();
    const Scalar inputs[kProducts] = {r, sk};
    ReplyMessage reply;
    reply.nonce = nonce;
    reply.blind = blind;
    reply.public_share = public_share;
    for (PartyId k : config.signers) {
      if (k != self) reply.zero_points.push_back(zero_points.at(k));
    }
    std::vector<OutgoingMessage> out;
    for (const auto& [j, req] : requests) {
      auto decoded = ot::MulRequest::decode(req.mul_request, j);
      if (!decoded.ok()) {
        blame.add(decoded.error());
        continue;
      }
      auto answered = ot::mul_sender_respond(share->pairs.at(j).sender, {sid, self, j}, inputs, *decoded);
      if (!answered.ok()) {
        blame.add(answered.error());
        continue;
      }
      reply.gamma_u = Point::base_mul(answered->shares[0]);
      reply.gamma_v = Point::base_mul(answered->shares[1]);
      reply.psi = detail::declassified(phi - chi.at(j));  // published: χ_ij masks φ_i
      const Bytes mul = answered->response.encode();
      reply.mul_response = mul;
      out.push_back({j, reply.encode(sid)});
      sender_shares.emplace(j, std::move(answered->shares));
    }
    TSIGN_CHECK(blame.status("ECDSA presigning round 1"));
    return out;
  }

  // The multiplication with j as sender, and j's inputs against its commitments in the exponent.
  // Returns our shares d_u, d_v of r_j·χ_ij and sk_j·χ_ij.
  std::optional<std::vector<Scalar>> check_reply(PartyId j, const ReplyMessage& reply, Blame& blame) {
    if (!(nonce_commitment(context, j, reply.nonce, reply.blind) == commits.at(j).commitment)) {
      blame.add(j, "R does not open its commitment");
    }
    const auto claims = zero_claims(j, reply.zero_points);
    if (!(claims.at(self) == zero_points.at(j))) blame.add(j, "wrong zero-share point for our pair");

    ot::OtReceiverSetup& setup = share->pairs.at(j).receiver;
    auto response = ot::MulResponse::decode(reply.mul_response, kProducts, j);
    if (!response.ok()) {
      blame.add(response.error());
      return std::nullopt;
    }
    // The Γ checks below judge the multiplication's output as much as μ does: one attempt, on
    // record before the output is computed, spans both; the pair is disabled unless all pass.
    auto attempt = setup.guard().begin(j);
    if (!attempt.ok()) {
      blame.add(attempt.error());
      return std::nullopt;
    }
    auto node = receivers.extract(j);
    auto d = std::move(node.mapped()).finish(setup, *response);
    if (!d.ok()) {
      // Either μ failed, and the OT layer has disabled the pair itself, or the response was
      // refused before any secret met it: nothing more for this attempt to guard.
      attempt->pass();
      blame.add(d.error());
      return std::nullopt;
    }
    const Scalar& x = chi.at(j);
    bool consistent = true;
    if (!(detail::secret_mul_consttime(reply.nonce, x) == Point::base_mul((*d)[0]) + reply.gamma_u)) {
      blame.add(j, "Gamma_u check failed: the multiplication did not use the committed r_j");
      consistent = false;
    }
    if (!(detail::secret_mul_consttime(reply.public_share, x) == Point::base_mul((*d)[1]) + reply.gamma_v)) {
      blame.add(j, "Gamma_v check failed: the multiplication did not use the sk_j behind pk_j");
      consistent = false;
    }
    if (consistent) attempt->pass();  // else as terminal for the pair as a failed μ
    return std::move(d).value();
  }

  // Called when Σ pk_j is not the public key: checks each pk_j against λ_j·X_j, its zero-share
  // points and the tweak, and every two signers' points for their pair against each other.
  void blame_public_shares(const std::map<PartyId, ReplyMessage>& replies, Blame& blame) const {
    std::map<PartyId, std::map<PartyId, Point>> claims;
    std::set<PartyId> proven;
    for (const auto& [j, reply] : replies) {
      claims.emplace(j, zero_claims(j, reply.zero_points));
      Point expect = share->key.verifying_shares.at(j).mul_vartime(lambdas.at(j));
      for (const auto& [k, z] : claims.at(j)) expect += j < k ? z : -z;
      if (j == tweak_holder) expect += Point::base_mul(derived.tweak);
      if (!(expect == reply.public_share)) {
        blame.add(j, "pk_j does not match its verifying share and zero-share points");
        proven.insert(j);
      }
    }
    for (const auto& [j, cj] : claims) {
      for (const auto& [k, ck] : claims) {
        if (j >= k || cj.at(k) == ck.at(j) || proven.count(j) || proven.count(k)) continue;
        const std::string why = "parties " + std::to_string(j) + " and " + std::to_string(k) +
                                " disagree on their zero-share point (one of the two is faulty)";
        blame.add(j, why);
        blame.add(k, why);
      }
    }
    if (blame.empty()) {
      for (PartyId j : peers) blame.add(j, "public key shares do not sum to the public key");
    }
  }

  // In: replies. Out: nothing; the presignature is ready.
  Status round2(const RoundMessages& in) {
    Blame blame;
    std::map<PartyId, ReplyMessage> replies;
    std::map<PartyId, std::vector<Scalar>> receiver_shares;
    for_each_decoded(
        in.direct, blame, [&](ByteSpan payload) { return ReplyMessage::decode(payload, sid, config.signers.size()); },
        [&](PartyId sender, auto msg) {
          auto d = check_reply(sender, msg, blame);
          if (d) receiver_shares.emplace(sender, std::move(*d));
          replies.emplace(sender, std::move(msg));
        });
    TSIGN_CHECK(blame.status("ECDSA presigning round 2"));

    std::vector<Point> pks{public_share}, nonces{nonce};
    for (const auto& [j, reply] : replies) {
      pks.push_back(reply.public_share);
      nonces.push_back(reply.nonce);
    }
    if (!(Point::sum(pks) == derived.xpub.key)) {
      blame_public_shares(replies, blame);
      return blame.status("ECDSA presigning round 2");
    }
    const Point big_r = Point::sum(nonces);
    // Unreachable by design (tools/mutation/equivalents.txt): each nonce point is committed before any is revealed.
    if (big_r.is_identity()) return make_error(ErrorKind::ProtocolAborted, "ECDSA presigning: R is the identity");

    // u_i = r_i·φ_i + Σ_j (c_u + r_i·ψ_j + d_u), v_i likewise with sk_i: additive shares of φ·r and φ·sk.
    Scalar u = r * phi, v = sk * phi;
    for (const auto& [j, reply] : replies) {
      const auto& c = sender_shares.at(j);
      const auto& d = receiver_shares.at(j);
      u += c[0] + r * reply.psi + d[0];
      v += c[1] + sk * reply.psi + d[1];
    }
    output.emplace(PresignatureAccess::make(sid, share->key.key_id, share->key.epoch, self, config.signers, config.path, derived.xpub.key, big_r, phi, u, v));
    clear();
    return {};
  }

  // Drops every per-signature secret (the presignature keeps what it needs).
  void clear() {
    r = phi = sk = Scalar::zero();
    receivers.clear();
    chi.clear();
    sender_shares.clear();
  }
};

}  // namespace

Result<EcdsaPresignProtocol> EcdsaPresignProtocol::create(EcdsaKeyShare& share, EcdsaPresignConfig config) {
  return make(share, std::move(config), std::nullopt, std::string(kName));
}

Result<EcdsaPresignProtocol> EcdsaPresignProtocol::make(EcdsaKeyShare& share, EcdsaPresignConfig config,
                                                        const std::optional<Digest32>& message, std::string name) {
  const KeyShare<Secp256k1>& key = share.key;
  const PartyId self = key.self;
  TSIGN_CHECK(dkg_internal::validate_party_list(config.signers, "signers"));
  if (!std::binary_search(config.signers.begin(), config.signers.end(), self)) {
    return make_error(ErrorKind::InvalidInput, "this party is not among the signers");
  }
  std::vector<PartyId> unknown;
  for (PartyId p : config.signers) {
    if (!key.verifying_shares.count(p)) unknown.push_back(p);
  }
  if (!unknown.empty()) return make_error(ErrorKind::InvalidInput, "signers that do not hold the key", unknown);
  if (config.signers.size() < key.threshold) {
    return make_error(ErrorKind::InvalidInput, "fewer signers than the threshold of " + std::to_string(key.threshold));
  }
  std::vector<PartyId> disabled;
  for (PartyId p : config.signers) {
    if (p == self) continue;
    auto it = share.pairs.find(p);
    if (it == share.pairs.end()) return make_error(ErrorKind::InvalidKeyShare, "no pair state for a signer", {p});
    if (!it->second.usable()) disabled.push_back(p);
  }
  if (!disabled.empty()) {
    return make_error(ErrorKind::ProtocolAborted,
                      "the pair with these signers is disabled by an earlier failed check; refresh the key", disabled);
  }

  auto state = std::make_unique<PresignState>();
  state->share = &share;
  state->self = self;
  for (PartyId p : config.signers) {
    if (p != self) state->peers.push_back(p);
  }
  TSIGN_TRY(auto lambdas, lagrange_coefficients<Secp256k1>(config.signers));
  for (std::size_t i = 0; i < config.signers.size(); ++i) state->lambdas.emplace(config.signers[i], lambdas[i]);
  TSIGN_TRY(state->derived, derive_path(ExtendedPublicKey::root(key.group_public_key, key.chain_code), config.path));
  state->tweak_holder = config.signers.front();

  ContextHasher ctx("ecdsa/sign");
  ctx.bytes(config.session).bytes(KeyPublicData<Secp256k1>::of(key).digest()).ids(config.signers);
  ctx.u64(config.path.size());
  for (std::uint32_t index : config.path) ctx.u64(index);
  ctx.bytes(state->derived.xpub.key.to_bytes());
  ctx.u64(message ? 1 : 0);
  if (message) ctx.bytes(*message);
  state->context = ctx.finish();

  std::vector<PartyId> parties = config.signers;
  // Round 0 a broadcast from every other signer, rounds 1 and 2 a direct message.
  RoundShape shape =
      RoundShape::uniform(1, state->peers, {true, false}).then(RoundShape::uniform(kRounds - 1, state->peers, {false, true}));
  // The largest message is round 2's: the multiplication response, the nonce, the shares and
  // their proofs, and one zero-share point (or, in round 1, one echo digest) per signer.
  constexpr std::size_t kFixedFields = 512, kPerSigner = 64;
  shape.bounded(ot::MulResponse::encoded_size(kProducts) + kFixedFields + kPerSigner * parties.size());
  const Secp256k1Point public_key = state->derived.xpub.key;
  state->config = std::move(config);
  return EcdsaPresignProtocol(std::move(name), self, std::move(parties), std::move(shape), std::move(state), public_key);
}


}  // namespace tsign

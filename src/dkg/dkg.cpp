#include "tsign/dkg/dkg.hpp"

#include <optional>

#include "common.hpp"
#include "context.hpp"
#include "core/declassify.hpp"
#include "tsign/core/random.hpp"
#include "tsign/keys/key_id.hpp"
#include "tsign/sss/shamir.hpp"

namespace tsign {

using namespace dkg_internal;

namespace {

template <FrostCiphersuite C>
struct DkgState final : ProtocolState<KeyShare<typename C::Group>> {
  using G = typename C::Group;
  using Scalar = typename C::Scalar;
  using Point = typename C::Point;

  DkgConfig config;
  PartyId self = 0;
  Digest32 context{};

  std::optional<Polynomial<G>> polynomial;  // dropped once the shares are dealt
  ByteArray<32> contribution{};             // chain-code contribution, opened in round 1
  std::map<PartyId, FeldmanCommitment<G>> commitments;
  std::map<PartyId, Digest32> contribution_commitments;
  std::map<PartyId, ByteArray<32>> contributions;
  EchoEntries echo0, echo1;  // digests of the round-0 and round-1 broadcasts as received here
  Secret<Scalar> share;
  Point own_verifying_share;
  FeldmanCommitment<G> joint;  // Σ_i C_i

  Digest32 contribution_commitment(PartyId id, const ByteArray<32>& value) const {
    Sha256 h = tagged_hasher("tsign/dkg/chain-code-commitment");
    h.update(context).update_u32(id).update(value);
    return h.finish();
  }

  ByteArray<32> chain_code() const {
    Sha256 h = tagged_hasher("tsign/dkg/chain-code");
    h.update(context);
    for (const auto& [id, value] : contributions) h.update_u32(id).update(value);
    return h.finish();
  }

  std::vector<PartyId> others_of(const std::vector<PartyId>& parties) const {
    std::vector<PartyId> out;
    for (PartyId p : parties) {
      if (p != self) out.push_back(p);
    }
    return out;
  }
  std::vector<PartyId> others() const { return others_of(config.parties); }

  Result<Outgoing> start() override {
    polynomial.emplace(Polynomial<G>::random(config.threshold - 1, Scalar::random()));
    random_fill(contribution);
    contributions[self] = contribution;
    DkgCommitMessage<G> msg;
    msg.commitment = FeldmanCommitment<G>::of(*polynomial);
    msg.proof = prove_knowledge<C>(self, polynomial->constant(), context);
    msg.chain_commitment = contribution_commitment(self, contribution);
    // Broadcast: z masks the constant term with a fresh nonce; the hash hides the contribution.
    detail::declassify(&msg.proof.z, sizeof msg.proof.z);
    detail::declassify(msg.chain_commitment.data(), msg.chain_commitment.size());
    Bytes payload = msg.encode(config.session);
    commitments.emplace(self, std::move(msg.commitment));
    return Outgoing{echoed_broadcast(echo0, context, 0, self, std::move(payload))};
  }

  // Round 0 in: commitments and proofs. Out: openings, echo, shares.
  Result<Outgoing> advance(std::size_t round, const RoundMessages& in) override {
    return round == 0 ? round0(in) : round1(in);
  }

  Result<Outgoing> round0(const RoundMessages& in) {
    Blame blame;
    decode_broadcasts(
        in, echo0, context, 0, blame,
        [&](ByteSpan payload) { return DkgCommitMessage<G>::decode(payload, config.session, config.threshold); },
        [&](PartyId sender, auto msg) {
          auto proof = verify_knowledge<C>(sender, msg.commitment.constant(), msg.proof, context);
          if (!proof.ok()) blame.add(sender, "proof of knowledge of the constant term does not verify");
          contribution_commitments[sender] = msg.chain_commitment;
          commitments.emplace(sender, std::move(msg.commitment));
        });
    TSIGN_CHECK(blame.status("DKG round 0"));

    Outgoing out;
    detail::declassify(contribution.data(), contribution.size());  // opened to everyone now
    DkgOpenMessage open{echo0, contribution};
    Bytes payload = open.encode(config.session);
    out.push_back(echoed_broadcast(echo1, context, 1, self, std::move(payload)));
    for (PartyId p : others()) {
      ScalarMessage<G> share_msg{DkgMessageType::DkgShare, polynomial->evaluate(identifier_scalar<G>(p))};
      out.push_back(direct(p, share_msg.encode(config.session)));
    }
    share = Secret<Scalar>(polynomial->evaluate(identifier_scalar<G>(self)));
    polynomial.reset();
    return out;
  }

  // Round 1 in: echoes, openings, shares. Out: echo and verifying share.
  Result<Outgoing> round1(const RoundMessages& in) {
    Blame blame;
    record_echo(echo1, context, 1, in.broadcast);
    for_each_echoing(
        in.broadcast, self, echo0, blame,
        [&](ByteSpan payload) { return DkgOpenMessage::decode(payload, config.session, config.parties); },
        [&](PartyId sender, auto msg) {
          if (!(contribution_commitment(sender, msg.chain_contribution) == contribution_commitments.at(sender))) {
            blame.add(sender, "chain-code contribution does not open its commitment");
          }
          contributions[sender] = msg.chain_contribution;
        });

    std::vector<ScalarMessage<G>> received;
    std::vector<DealtShare<G>> dealt;
    received.reserve(in.direct.size());
    for_each_decoded(
        in.direct, blame,
        [&](ByteSpan payload) { return ScalarMessage<G>::decode(payload, DkgMessageType::DkgShare, config.session); },
        [&](PartyId sender, auto msg) {
          received.push_back(std::move(msg));
          dealt.push_back({sender, received.back().value, &commitments.at(sender)});
        });
    if (auto verified = feldman_verify_batch<G>(self, dealt); !verified.ok()) blame.add(verified.error());
    TSIGN_CHECK(blame.status("DKG round 1"));

    for (const auto& s : dealt) share.expose_mut() += s.value;
    std::vector<FeldmanCommitment<G>> all;
    for (const auto& entry : commitments) all.push_back(entry.second);
    joint = FeldmanCommitment<G>::sum(all);
    // Unreachable while the proofs of knowledge hold (tools/mutation/equivalents.txt): the others'
    // constants would have to cancel this party's fresh random one. Kept as the last line of defence.
    if (joint.constant().is_identity()) {
      return make_error(ErrorKind::ProtocolAborted, "DKG round 1: the group key is the identity");
    }

    own_verifying_share = Point::base_mul(share.expose());
    ConfirmMessage<G> confirm{DkgMessageType::DkgConfirm, echo1, own_verifying_share};
    Outgoing out;
    out.push_back(broadcast(confirm.encode(config.session)));
    return out;
  }

  // Round 2 in: echoes and verifying shares. Produces the key share.
  Result<KeyShare<G>> finish(const RoundMessages& in) override {
    Blame blame;
    std::map<PartyId, Point> claims;
    for_each_echoing(
        in.broadcast, self, echo1, blame,
        [&](ByteSpan payload) {
          return ConfirmMessage<G>::decode(payload, DkgMessageType::DkgConfirm, config.session, config.parties, true);
        },
        [&](PartyId sender, auto msg) {
          claims.emplace(sender, *msg.verifying_share);
        });
    check_evaluations<G>(joint, claims, blame, "verifying share does not match the commitments");
    TSIGN_CHECK(blame.status("DKG round 2"));

    KeyShare<G> ks;
    ks.epoch = 0;
    ks.self = self;
    ks.threshold = config.threshold;
    ks.parties = config.parties;
    ks.signing_share = std::move(share);
    ks.verifying_shares = std::move(claims);
    ks.verifying_shares[self] = own_verifying_share;
    ks.group_public_key = joint.constant();
    ks.chain_code = chain_code();
    ks.key_id = derive_key_id<G>(ks.group_public_key);
    if (auto valid = ks.validate(); !valid.ok()) {
      return make_error(ErrorKind::Internal, "DKG produced an inconsistent key share: " + valid.error().message);
    }
    return ks;
  }
};

}  // namespace

template <FrostCiphersuite C>
Result<DkgProtocol<C>> DkgProtocol<C>::create(PartyId self, DkgConfig config) {
  TSIGN_CHECK(validate_party_list(config.parties, "DKG parties"));
  if (!contains(config.parties, self)) {
    return make_error(ErrorKind::InvalidInput, "party " + std::to_string(self) + " is not among the DKG parties");
  }
  if (config.threshold < 2 || config.threshold > config.parties.size()) {
    return make_error(ErrorKind::InvalidInput, "DKG threshold must satisfy 2 <= t <= n");
  }
  auto state = std::make_unique<DkgState<C>>();
  state->self = self;
  state->context = dkg_context(C::kName, config);
  std::vector<PartyId> parties = config.parties;
  RoundShape shape = RoundShape::uniform(kRounds, state->others_of(parties), {true, false});
  shape.expect(1, state->others_of(parties), {false, true});
  shape.bounded(key_message_bound<typename C::Group>(parties.size(), config.threshold));
  state->config = std::move(config);
  return DkgProtocol("dkg/" + std::string(C::kName), self, std::move(parties), std::move(shape), std::move(state));
}

namespace dkg_internal {

Digest32 dkg_context(std::string_view ciphersuite, const DkgConfig& config) {
  return ContextHasher("dkg")
      .bytes(as_bytes(ciphersuite))
      .bytes(config.session)
      .u64(config.threshold)
      .ids(config.parties)
      .finish();
}

Digest32 refresh_context(std::string_view group, const SessionId& session, const Digest32& old_digest) {
  return ContextHasher("refresh").bytes(as_bytes(group)).bytes(session).bytes(old_digest).finish();
}

Digest32 repair_context(std::string_view group, const RepairConfig& config, const KeyId& key_id, std::uint64_t epoch) {
  return ContextHasher("repair")
      .bytes(as_bytes(group))
      .bytes(config.session)
      .bytes(key_id)
      .u64(epoch)
      .ids(config.helpers)
      .u64(config.recovering)
      .finish();
}

}  // namespace dkg_internal

template class DkgProtocol<FrostSecp256k1>;
template class DkgProtocol<FrostSecp256k1Tr>;
template class DkgProtocol<FrostEd25519>;

}  // namespace tsign

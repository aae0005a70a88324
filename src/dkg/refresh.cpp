#include "tsign/dkg/refresh.hpp"

#include <optional>

#include "common.hpp"
#include "context.hpp"
#include "tsign/sss/shamir.hpp"

namespace tsign {

using namespace dkg_internal;

namespace {

template <PrimeOrderGroup G>
struct RefreshState final : ProtocolState<KeyShare<G>> {
  using Scalar = typename G::Scalar;
  using Point = typename G::Point;

  SessionId session{};
  PartyId self = 0;
  KeyPublicData<G> old;
  Digest32 old_digest{};
  Digest32 context{};

  std::optional<Polynomial<G>> polynomial;
  std::map<PartyId, FeldmanCommitment<G>> commitments;
  EchoEntries echo0, echo1;
  Secret<Scalar> share;  // starts as the old share, becomes the new one
  Point own_verifying_share;
  FeldmanCommitment<G> joint;
  KeyPublicData<G> fresh;  // the new epoch's public data
  Digest32 ack{};

  std::vector<PartyId> parties() const { return old.parties(); }

  Result<Outgoing> start() override {
    polynomial.emplace(Polynomial<G>::random(old.threshold - 1, Scalar::zero()));
    RefreshDealMessage<G> msg{old_digest, FeldmanCommitment<G>::of(*polynomial)};
    Bytes payload = msg.encode(session);
    commitments.emplace(self, std::move(msg.commitment));
    Outgoing out;
    out.push_back(echoed_broadcast(echo0, context, 0, self, std::move(payload)));
    for (PartyId p : parties()) {
      if (p == self) continue;
      ScalarMessage<G> m{DkgMessageType::RefreshShare, polynomial->evaluate(identifier_scalar<G>(p))};
      out.push_back(direct(p, m.encode(session)));
    }
    share.expose_mut() += polynomial->evaluate(identifier_scalar<G>(self));
    polynomial.reset();
    return out;
  }

  Result<Outgoing> advance(std::size_t round, const RoundMessages& in) override {
    return round == 0 ? round0(in) : round1(in);
  }

  // Round 0 in: zero-constant commitments and shares. Out: new verifying share.
  Result<Outgoing> round0(const RoundMessages& in) {
    Blame blame;
    decode_broadcasts(
        in, echo0, context, 0, blame,
        [&](ByteSpan payload) { return RefreshDealMessage<G>::decode(payload, session, old.threshold); },
        [&](PartyId sender, auto msg) {
          if (!(msg.key_digest == old_digest))
            blame.add(sender, "holds different public data for this key (another epoch?)");
          commitments.emplace(sender, std::move(msg.commitment));
        });
    std::vector<ScalarMessage<G>> received;
    std::vector<DealtShare<G>> dealt;
    received.reserve(in.direct.size());
    for_each_decoded(
        in.direct, blame,
        [&](ByteSpan payload) { return ScalarMessage<G>::decode(payload, DkgMessageType::RefreshShare, session); },
        [&](PartyId sender, auto msg) {
          received.push_back(std::move(msg));
          if (commitments.count(sender)) dealt.push_back({sender, received.back().value, &commitments.at(sender)});
        });
    if (auto verified = feldman_verify_batch<G>(self, dealt); !verified.ok()) blame.add(verified.error());
    TSIGN_CHECK(blame.status("refresh round 0"));

    for (const auto& d : dealt) share.expose_mut() += d.value;
    std::vector<FeldmanCommitment<G>> all;
    for (const auto& entry : commitments) all.push_back(entry.second);
    joint = FeldmanCommitment<G>::sum(all);
    own_verifying_share = Point::base_mul(share.expose());
    ConfirmMessage<G> confirm{DkgMessageType::RefreshConfirm, echo0, own_verifying_share};
    Bytes payload = confirm.encode(session);
    return Outgoing{echoed_broadcast(echo1, context, 1, self, std::move(payload))};
  }

  // Round 1 in: new verifying shares. Out: acknowledgement of the new public data.
  Result<Outgoing> round1(const RoundMessages& in) {
    Blame blame;
    std::map<PartyId, Point> claims, deltas;
    const auto everyone = parties();
    record_echo(echo1, context, 1, in.broadcast);
    for_each_echoing(
        in.broadcast, self, echo0, blame,
        [&](ByteSpan payload) {
          return ConfirmMessage<G>::decode(payload, DkgMessageType::RefreshConfirm, session, everyone, true);
        },
        [&](PartyId sender, auto msg) {
          claims.emplace(sender, *msg.verifying_share);
          deltas.emplace(sender, *msg.verifying_share - old.verifying_shares.at(sender));
        });
    check_evaluations<G>(joint, deltas, blame, "new verifying share does not match the refresh commitments");
    TSIGN_CHECK(blame.status("refresh round 1"));

    fresh = old;
    fresh.epoch = old.epoch + 1;
    fresh.verifying_shares = std::move(claims);
    fresh.verifying_shares[self] = own_verifying_share;
    ack = ack_digest(context, fresh);
    AckMessage msg{DkgMessageType::RefreshAck, echo1, ack};
    Outgoing out;
    out.push_back(broadcast(msg.encode(session)));
    return out;
  }

  // Round 2 in: acknowledgements. Produces the new share.
  Result<KeyShare<G>> finish(const RoundMessages& in) override {
    Blame blame;
    const auto everyone = parties();
    for_each_echoing(
        in.broadcast, self, echo1, blame,
        [&](ByteSpan payload) { return AckMessage::decode(payload, DkgMessageType::RefreshAck, session, everyone); },
        [&](PartyId sender, auto msg) {
          if (!(msg.ack == ack)) blame.add(sender, "acknowledged different new public data");
        });
    TSIGN_CHECK(blame.status("refresh round 2"));

    KeyShare<G> ks;
    ks.key_id = fresh.key_id;
    ks.epoch = fresh.epoch;
    ks.self = self;
    ks.threshold = fresh.threshold;
    ks.parties = everyone;
    ks.signing_share = std::move(share);
    ks.verifying_shares = fresh.verifying_shares;
    ks.group_public_key = fresh.group_public_key;
    ks.chain_code = fresh.chain_code;
    if (auto valid = ks.validate(); !valid.ok()) {
      return make_error(ErrorKind::Internal, "refresh produced an inconsistent key share: " + valid.error().message);
    }
    return ks;
  }
};

}  // namespace

template <PrimeOrderGroup G>
Result<RefreshProtocol<G>> RefreshProtocol<G>::create(const KeyShare<G>& share, const SessionId& session) {
  TSIGN_CHECK(share.validate());
  if (share.threshold < 2) return make_error(ErrorKind::InvalidInput, "refresh needs a threshold of at least 2");
  auto state = std::make_unique<RefreshState<G>>();
  state->session = session;
  state->self = share.self;
  state->old = KeyPublicData<G>::of(share);
  state->old_digest = state->old.digest();
  state->share = share.signing_share.clone();
  state->context = refresh_context(G::kName, session, state->old_digest);
  std::vector<PartyId> others;
  for (PartyId p : share.parties) {
    if (p != share.self) others.push_back(p);
  }
  RoundShape shape = RoundShape::uniform(kRounds, others, {true, false});
  shape.expect(0, others, {false, true});
  shape.bounded(key_message_bound<G>(share.parties.size(), share.threshold));
  return RefreshProtocol("refresh/" + std::string(G::kName), share.self, share.parties, std::move(shape),
                         std::move(state));
}

template class RefreshProtocol<Secp256k1>;
template class RefreshProtocol<Ed25519>;

}  // namespace tsign

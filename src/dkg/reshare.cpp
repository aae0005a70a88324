#include "tsign/dkg/reshare.hpp"

#include <optional>

#include "common.hpp"
#include "tsign/sss/shamir.hpp"

namespace tsign {

using namespace dkg_internal;

namespace {

template <PrimeOrderGroup G>
struct ReshareState final : ProtocolState<std::optional<KeyShare<G>>> {
  using Scalar = typename G::Scalar;
  using Point = typename G::Point;

  ReshareConfig config;
  PartyId self = 0;
  std::vector<PartyId> everyone;  // Q ∪ N
  bool dealer = false;
  bool receiver = false;
  KeyId key_id{};
  Point group_public_key;
  Digest32 context{};

  std::optional<KeyPublicData<G>> own_old;  // holders only
  std::optional<Secret<Scalar>> old_share;  // dealers only
  std::optional<KeyPublicData<G>> old;      // settled in round 0

  std::optional<Polynomial<G>> polynomial;
  std::map<PartyId, FeldmanCommitment<G>> commitments;
  EchoEntries echo0, echo1;
  Secret<Scalar> share;
  Point own_verifying_share;
  FeldmanCommitment<G> joint;
  KeyPublicData<G> fresh;
  Digest32 ack{};

  Result<Outgoing> start() override {
    Outgoing out;
    if (!dealer) return out;
    TSIGN_TRY(Scalar lambda, lagrange_coefficient<G>(self, config.old_quorum));
    polynomial.emplace(Polynomial<G>::random(config.new_threshold - 1, lambda * old_share->expose()));
    old_share.reset();
    ReshareDealMessage<G> msg{*own_old, FeldmanCommitment<G>::of(*polynomial)};
    Bytes payload = msg.encode(config.session);
    commitments.emplace(self, std::move(msg.commitment));
    out.push_back(echoed_broadcast(echo0, context, 0, self, std::move(payload)));
    for (PartyId p : config.new_parties) {
      if (p == self) continue;
      ScalarMessage<G> m{DkgMessageType::ReshareShare, polynomial->evaluate(identifier_scalar<G>(p))};
      out.push_back(direct(p, m.encode(config.session)));
    }
    if (receiver) share = Secret<Scalar>(polynomial->evaluate(identifier_scalar<G>(self)));
    polynomial.reset();
    return out;
  }

  bool acceptable(const KeyPublicData<G>& data) const {
    if (!(data.key_id == key_id) || !(data.group_public_key == group_public_key)) return false;
    if (config.old_quorum.size() < data.threshold) return false;
    for (PartyId p : config.old_quorum) {
      if (!data.verifying_shares.count(p)) return false;
    }
    return true;
  }

  Result<Outgoing> advance(std::size_t round, const RoundMessages& in) override {
    return round == 0 ? round0(in) : round1(in);
  }

  // Round 0 in: the dealers' public data, commitments and (for receivers) shares.
  Result<Outgoing> round0(const RoundMessages& in) {
    Blame blame;
    std::map<PartyId, ReshareDealMessage<G>> deals;
    decode_broadcasts(
        in, echo0, context, 0, blame,
        [&](ByteSpan payload) { return ReshareDealMessage<G>::decode(payload, config.session, config.new_threshold); },
        [&](PartyId sender, auto msg) { deals.emplace(sender, std::move(msg)); });
    old = settle_deals<G>(
        own_old ? &*own_old : nullptr, deals, [this](const KeyPublicData<G>& d) { return acceptable(d); },
        config.old_quorum, "no dealer presented the expected key", blame);
    if (!old) return blame.status("resharing round 0").error();
    for (auto& [sender, deal] : deals) commitments.emplace(sender, std::move(deal.commitment));

    // Each dealer's constant is λ_i·x_i: its commitment must be λ_i·X_i.
    TSIGN_TRY(auto lambdas, lagrange_coefficients<G>(config.old_quorum));
    std::vector<Point> constants;
    for (std::size_t k = 0; k < config.old_quorum.size(); ++k) {
      const PartyId dealer_id = config.old_quorum[k];
      auto it = commitments.find(dealer_id);
      if (it == commitments.end()) continue;
      constants.push_back(it->second.constant());
      if (!(it->second.constant() == old->verifying_shares.at(dealer_id).mul_vartime(lambdas[k]))) {
        blame.add(dealer_id, "constant commitment is not λ_i·X_i: the dealer does not share its own share");
      }
    }

    std::vector<ScalarMessage<G>> received;
    std::vector<DealtShare<G>> dealt;
    received.reserve(in.direct.size());
    for_each_decoded(
        in.direct, blame,
        [&](ByteSpan payload) {
          return ScalarMessage<G>::decode(payload, DkgMessageType::ReshareShare, config.session);
        },
        [&](PartyId sender, auto msg) {
          received.push_back(std::move(msg));
          if (commitments.count(sender)) dealt.push_back({sender, received.back().value, &commitments.at(sender)});
        });
    if (auto verified = feldman_verify_batch<G>(self, dealt); !verified.ok()) blame.add(verified.error());
    TSIGN_CHECK(blame.status("resharing round 0"));
    if (!(Point::sum(constants) == old->group_public_key)) {
      return make_error(ErrorKind::ProtocolAborted,
                        "resharing round 0: the quorum's verifying shares do not interpolate to the group key");
    }

    for (const auto& d : dealt) share.expose_mut() += d.value;
    std::vector<FeldmanCommitment<G>> all;
    for (const auto& entry : commitments) all.push_back(entry.second);
    joint = FeldmanCommitment<G>::sum(all);
    std::optional<Point> mine;
    if (receiver) {
      own_verifying_share = Point::base_mul(share.expose());
      mine = own_verifying_share;
    }
    ConfirmMessage<G> confirm{DkgMessageType::ReshareConfirm, echo0, mine};
    Bytes payload = confirm.encode(config.session);
    return Outgoing{echoed_broadcast(echo1, context, 1, self, std::move(payload))};
  }

  // Round 1 in: echoes and the receivers' verifying shares. Out: acknowledgement.
  Result<Outgoing> round1(const RoundMessages& in) {
    Blame blame;
    std::map<PartyId, Point> claims;
    record_echo(echo1, context, 1, in.broadcast);
    for_each_echoing(
        in.broadcast, self, echo0, blame,
        [&](PartyId sender, ByteSpan payload) {
          return ConfirmMessage<G>::decode(payload, DkgMessageType::ReshareConfirm, config.session, config.old_quorum,
                                           contains(config.new_parties, sender));
        },
        [&](PartyId sender, auto msg) {
          if (contains(config.new_parties, sender)) claims.emplace(sender, *msg.verifying_share);
        });
    check_evaluations<G>(joint, claims, blame, "new verifying share does not match the dealers' commitments");
    TSIGN_CHECK(blame.status("resharing round 1"));

    fresh = *old;
    fresh.epoch = old->epoch + 1;
    fresh.threshold = config.new_threshold;
    fresh.verifying_shares = std::move(claims);
    if (receiver) fresh.verifying_shares[self] = own_verifying_share;
    ack = ack_digest(context, fresh);
    AckMessage msg{DkgMessageType::ReshareAck, echo1, ack};
    Outgoing out;
    out.push_back(broadcast(msg.encode(config.session)));
    return out;
  }

  // Round 2 in: acknowledgements. Receivers produce their new share.
  Result<std::optional<KeyShare<G>>> finish(const RoundMessages& in) override {
    Blame blame;
    for_each_echoing(
        in.broadcast, self, echo1, blame,
        [&](ByteSpan payload) {
          return AckMessage::decode(payload, DkgMessageType::ReshareAck, config.session, everyone);
        },
        [&](PartyId sender, auto msg) {
          if (!(msg.ack == ack)) blame.add(sender, "acknowledged different new public data");
        });
    TSIGN_CHECK(blame.status("resharing round 2"));
    if (!receiver) return std::optional<KeyShare<G>>();

    KeyShare<G> ks;
    ks.key_id = fresh.key_id;
    ks.epoch = fresh.epoch;
    ks.self = self;
    ks.threshold = fresh.threshold;
    ks.parties = config.new_parties;
    ks.signing_share = std::move(share);
    ks.verifying_shares = fresh.verifying_shares;
    ks.group_public_key = fresh.group_public_key;
    ks.chain_code = fresh.chain_code;
    if (auto valid = ks.validate(); !valid.ok()) {
      return make_error(ErrorKind::Internal, "resharing produced an inconsistent key share: " + valid.error().message);
    }
    return std::optional<KeyShare<G>>(std::move(ks));
  }
};

}  // namespace

template <PrimeOrderGroup G>
Result<ReshareProtocol<G>> ReshareProtocol<G>::make(PartyId self, const KeyShare<G>* share, const KeyId& key_id,
                                                    const typename G::Point& group_public_key, ReshareConfig config) {
  TSIGN_CHECK(validate_party_list(config.old_quorum, "old quorum"));
  TSIGN_CHECK(validate_party_list(config.new_parties, "new committee"));
  if (config.new_threshold < 2 || config.new_threshold > config.new_parties.size()) {
    return make_error(ErrorKind::InvalidInput, "new threshold must satisfy 2 <= t' <= n'");
  }
  auto state = std::make_unique<ReshareState<G>>();
  state->self = self;
  state->dealer = contains(config.old_quorum, self);
  state->receiver = contains(config.new_parties, self);
  if (!state->dealer && !state->receiver) {
    return make_error(ErrorKind::InvalidInput,
                      "party " + std::to_string(self) + " is neither in the old quorum nor in the new committee");
  }
  if (share != nullptr) {
    TSIGN_CHECK(share->validate());
    for (PartyId p : config.old_quorum) {
      if (!share->verifying_shares.count(p)) {
        return make_error(ErrorKind::InvalidInput, "old quorum member " + std::to_string(p) + " holds no share of this key");
      }
    }
    if (config.old_quorum.size() < share->threshold) {
      return make_error(ErrorKind::InvalidInput, "the old quorum is smaller than the key's threshold");
    }
    state->own_old = KeyPublicData<G>::of(*share);
    if (state->dealer) state->old_share.emplace(share->signing_share.clone());
  } else if (state->dealer) {
    // Implied today (tools/mutation/equivalents.txt): only join() passes no share, and it refuses
    // members of the old quorum first. Kept for any new caller.
    return make_error(ErrorKind::InvalidInput, "a dealer of the old quorum needs its key share");
  }
  state->key_id = key_id;
  state->group_public_key = group_public_key;
  state->everyone = sorted_union(config.old_quorum, config.new_parties);
  state->context = ContextHasher("reshare")
                       .bytes(as_bytes(G::kName))
                       .bytes(config.session)
                       .bytes(key_id)
                       .bytes(group_public_key.to_bytes())
                       .ids(config.old_quorum)
                       .ids(config.new_parties)
                       .u64(config.new_threshold)
                       .finish();
  std::vector<PartyId> everyone = state->everyone;
  std::vector<PartyId> others, other_dealers;
  for (PartyId p : everyone) {
    if (p != self) others.push_back(p);
  }
  for (PartyId p : config.old_quorum) {
    if (p != self) other_dealers.push_back(p);
  }
  const bool dealer = state->dealer, receiver = state->receiver;
  RoundShape shape(kRounds);
  shape.expect(0, other_dealers, {true, receiver});
  shape.expect(1, others, {true, false});
  shape.expect(2, others, {true, false});
  // The old key's public data lists every old holder: a joining party, which holds no share yet,
  // knows only that there are at most kMaxParties.
  const std::size_t old_holders = share != nullptr ? share->parties.size() : KeyShare<G>::kMaxParties;
  shape.bounded(key_message_bound<G>(std::max(old_holders, everyone.size()), config.new_threshold));
  state->config = std::move(config);
  return ReshareProtocol("reshare/" + std::string(G::kName), self, std::move(everyone), std::move(shape),
                         std::move(state), dealer, receiver);
}

template <PrimeOrderGroup G>
Result<ReshareProtocol<G>> ReshareProtocol<G>::create(const KeyShare<G>& share, ReshareConfig config) {
  return make(share.self, &share, share.key_id, share.group_public_key, std::move(config));
}

template <PrimeOrderGroup G>
Result<ReshareProtocol<G>> ReshareProtocol<G>::join(PartyId self, const KeyId& key_id,
                                                    const typename G::Point& group_public_key, ReshareConfig config) {
  if (contains(config.old_quorum, self)) {
    return make_error(ErrorKind::InvalidInput, "a dealer of the old quorum joins with its key share (create)");
  }
  return make(self, nullptr, key_id, group_public_key, std::move(config));
}

template class ReshareProtocol<Secp256k1>;
template class ReshareProtocol<Ed25519>;

}  // namespace tsign

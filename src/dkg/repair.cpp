#include "tsign/dkg/repair.hpp"

#include <optional>

#include "common.hpp"
#include "context.hpp"

namespace tsign {

using namespace dkg_internal;

template <PrimeOrderGroup G>
Result<std::map<PartyId, typename G::Scalar>> repair_share_step_1(std::span<const PartyId> helpers, PartyId helper,
                                                                  const typename G::Scalar& share, PartyId recovering) {
  using Scalar = typename G::Scalar;
  if (helpers.size() < 2) return make_error(ErrorKind::InvalidInput, "repair needs at least two helpers");
  std::vector<PartyId> sorted(helpers.begin(), helpers.end());
  std::sort(sorted.begin(), sorted.end());
  TSIGN_CHECK(validate_identifiers(sorted));
  if (recovering == 0 || std::binary_search(sorted.begin(), sorted.end(), recovering)) {
    return make_error(ErrorKind::InvalidInput, "the recovering party must be a non-zero identifier outside the helpers");
  }
  TSIGN_TRY(Scalar zeta, lagrange_coefficient<G>(helper, sorted, identifier_scalar<G>(recovering)));
  std::map<PartyId, Scalar> deltas;
  Scalar rest = zeta * share;
  for (std::size_t k = 0; k + 1 < sorted.size(); ++k) {
    Scalar r = Scalar::random();
    rest -= r;
    deltas.emplace(sorted[k], r);
  }
  deltas.emplace(sorted.back(), rest);
  return deltas;
}

template <PrimeOrderGroup G>
typename G::Scalar repair_share_step_2(std::span<const typename G::Scalar> deltas) {
  typename G::Scalar sum;
  for (const auto& d : deltas) sum += d;
  return sum;
}

template <PrimeOrderGroup G>
typename G::Scalar repair_share_step_3(std::span<const typename G::Scalar> sigmas) {
  return repair_share_step_2<G>(sigmas);
}

namespace {

template <PrimeOrderGroup G>
struct RepairState final : ProtocolState<std::optional<KeyShare<G>>> {
  using Scalar = typename G::Scalar;
  using Point = typename G::Point;

  RepairConfig config;
  PartyId self = 0;
  bool helper = false;
  KeyId key_id{};
  std::uint64_t epoch = 0;
  Digest32 context{};

  std::optional<KeyPublicData<G>> own;  // helpers
  std::optional<Secret<Scalar>> own_share;
  std::optional<KeyPublicData<G>> key;  // settled in round 0

  std::map<PartyId, std::vector<Point>> delta_commitments;  // helper i -> D_ij over helpers j
  EchoEntries echo0;
  Secret<Scalar> sigma;

  std::size_t helper_index(PartyId p) const {
    return static_cast<std::size_t>(std::lower_bound(config.helpers.begin(), config.helpers.end(), p) -
                                    config.helpers.begin());
  }

  Result<Outgoing> start() override {
    Outgoing out;
    if (!helper) return out;
    TSIGN_TRY(auto deltas, repair_share_step_1<G>(config.helpers, self, own_share->expose(), config.recovering));
    own_share.reset();
    RepairDealMessage<G> msg{*own, {}};
    for (const auto& [j, delta] : deltas) msg.delta_commitments.push_back(Point::base_mul(delta));
    Bytes payload = msg.encode(config.session);
    delta_commitments.emplace(self, std::move(msg.delta_commitments));
    out.push_back(echoed_broadcast(echo0, context, 0, self, std::move(payload)));
    for (const auto& [j, delta] : deltas) {
      if (j == self) continue;
      ScalarMessage<G> m{DkgMessageType::RepairDelta, delta};
      out.push_back(direct(j, m.encode(config.session)));
    }
    sigma = Secret<Scalar>(deltas.at(self));
    return out;
  }

  bool acceptable(const KeyPublicData<G>& data) const {
    if (!(data.key_id == key_id) || data.epoch != epoch) return false;
    if (!data.verifying_shares.count(config.recovering) || config.helpers.size() < data.threshold) return false;
    for (PartyId p : config.helpers) {
      if (!data.verifying_shares.count(p)) return false;
    }
    return true;
  }

  Result<Outgoing> advance(std::size_t, const RoundMessages& in) override { return round0(in); }

  // Round 0 in: public data, delta commitments and (for helpers) deltas.
  Result<Outgoing> round0(const RoundMessages& in) {
    Blame blame;
    std::map<PartyId, RepairDealMessage<G>> deals;
    decode_broadcasts(
        in, echo0, context, 0, blame,
        [&](ByteSpan payload) { return RepairDealMessage<G>::decode(payload, config.session, config.helpers.size()); },
        [&](PartyId sender, auto msg) { deals.emplace(sender, std::move(msg)); });
    key = settle_deals<G>(
        own ? &*own : nullptr, deals, [this](const KeyPublicData<G>& d) { return acceptable(d); }, config.helpers,
        "no helper presented the expected key and epoch", blame);
    if (!key) return blame.status("repair round 0").error();
    for (auto& [sender, deal] : deals) delta_commitments.emplace(sender, std::move(deal.delta_commitments));

    // Each helper split ζ_i·s_i: its commitments sum to ζ_i·X_i.
    const auto x = identifier_scalar<G>(config.recovering);
    TSIGN_TRY(auto zetas, lagrange_coefficients<G>(config.helpers, x));
    for (std::size_t k = 0; k < config.helpers.size(); ++k) {
      const PartyId i = config.helpers[k];
      auto it = delta_commitments.find(i);
      if (it == delta_commitments.end()) continue;
      if (!(Point::sum(it->second) == key->verifying_shares.at(i).mul_vartime(zetas[k]))) {
        blame.add(i, "delta commitments do not sum to ζ_i·X_i: the helper does not split its own share");
      }
    }
    if (helper) {
      const std::size_t mine = helper_index(self);
      for_each_decoded(
          in.direct, blame,
          [&](ByteSpan payload) {
            return ScalarMessage<G>::decode(payload, DkgMessageType::RepairDelta, config.session);
          },
          [&](PartyId sender, auto msg) {
            auto it = delta_commitments.find(sender);
            if (it != delta_commitments.end() && !(Point::base_mul(msg.value) == it->second.at(mine))) {
              blame.add(sender, "delta does not match its commitment");
            }
            sigma.expose_mut() += msg.value;
          });
    }
    TSIGN_CHECK(blame.status("repair round 0"));

    Outgoing out;
    ConfirmMessage<G> echo{DkgMessageType::RepairEcho, echo0, std::nullopt};
    out.push_back(broadcast(echo.encode(config.session)));
    if (helper) {
      ScalarMessage<G> m{DkgMessageType::RepairSigma, sigma.expose()};
      out.push_back(direct(config.recovering, m.encode(config.session)));
      sigma.reset();
    }
    return out;
  }

  // Round 1 in: echoes and (for the recovering party) sigmas.
  Result<std::optional<KeyShare<G>>> finish(const RoundMessages& in) override {
    Blame blame;
    for_each_echoing(
        in.broadcast, self, echo0, blame,
        [&](ByteSpan payload) {
          return ConfirmMessage<G>::decode(payload, DkgMessageType::RepairEcho, config.session, config.helpers, false);
        },
        [](PartyId, auto) {});
    if (helper) {
      TSIGN_CHECK(blame.status("repair round 1"));
      return std::optional<KeyShare<G>>();
    }

    Scalar recovered;
    for_each_decoded(
        in.direct, blame,
        [&](ByteSpan payload) {
          return ScalarMessage<G>::decode(payload, DkgMessageType::RepairSigma, config.session);
        },
        [&](PartyId sender, auto msg) {
          std::vector<Point> column;
          const std::size_t j = helper_index(sender);
          for (const auto& entry : delta_commitments) column.push_back(entry.second.at(j));
          if (!(Point::base_mul(msg.value) == Point::sum(column))) {
            blame.add(sender, "sigma does not match the sum of the delta commitments");
          }
          recovered += msg.value;
        });
    TSIGN_CHECK(blame.status("repair round 1"));

    KeyShare<G> ks;
    ks.key_id = key->key_id;
    ks.epoch = key->epoch;
    ks.self = self;
    ks.threshold = key->threshold;
    ks.parties = key->parties();
    ks.signing_share = Secret<Scalar>(recovered);
    ks.verifying_shares = key->verifying_shares;
    ks.group_public_key = key->group_public_key;
    ks.chain_code = key->chain_code;
    if (auto valid = ks.validate(); !valid.ok()) {
      return make_error(ErrorKind::ProtocolAborted, "repair round 1: the recovered share is inconsistent: " +
                                                        valid.error().message);
    }
    return std::optional<KeyShare<G>>(std::move(ks));
  }
};

template <PrimeOrderGroup G>
RoundShape repair_shape(const RepairState<G>& state) {
  const auto& helpers = state.config.helpers;
  std::vector<PartyId> other_helpers, others;
  for (PartyId p : helpers) {
    if (p != state.self) other_helpers.push_back(p);
  }
  others = other_helpers;
  if (state.helper) others.push_back(state.config.recovering);
  RoundShape shape(RepairProtocol<G>::kRounds);
  shape.expect(0, other_helpers, {true, state.helper});
  shape.expect(1, others, {true, false});
  shape.expect(1, other_helpers, {false, !state.helper});
  // The key's public data lists every holder: the recovering party knows only that there are at
  // most kMaxParties.
  const std::size_t holders = state.own ? state.own->verifying_shares.size() : KeyShare<G>::kMaxParties;
  shape.bounded(key_message_bound<G>(holders, 0));
  return shape;
}

}  // namespace

template <PrimeOrderGroup G>
Result<RepairProtocol<G>> RepairProtocol<G>::help(const KeyShare<G>& share, RepairConfig config) {
  TSIGN_CHECK(share.validate());
  TSIGN_CHECK(validate_party_list(config.helpers, "repair helpers"));
  if (!contains(config.helpers, share.self)) {
    return make_error(ErrorKind::InvalidInput, "party " + std::to_string(share.self) + " is not among the helpers");
  }
  if (config.helpers.size() < std::max<std::size_t>(share.threshold, 2)) {
    return make_error(ErrorKind::InvalidInput, "repair needs at least max(t, 2) helpers");
  }
  if (contains(config.helpers, config.recovering) || !share.verifying_shares.count(config.recovering)) {
    return make_error(ErrorKind::InvalidInput, "the recovering party must be a holder of this key outside the helpers");
  }
  for (PartyId p : config.helpers) {
    if (!share.verifying_shares.count(p)) {
      return make_error(ErrorKind::InvalidInput, "helper " + std::to_string(p) + " holds no share of this key");
    }
  }
  auto state = std::make_unique<RepairState<G>>();
  state->self = share.self;
  state->helper = true;
  state->key_id = share.key_id;
  state->epoch = share.epoch;
  state->own = KeyPublicData<G>::of(share);
  state->own_share.emplace(share.signing_share.clone());
  state->config = std::move(config);
  state->context = repair_context(G::kName, state->config, state->key_id, state->epoch);
  auto everyone = sorted_union(state->config.helpers, {state->config.recovering});
  RoundShape shape = repair_shape(*state);
  return RepairProtocol("repair/" + std::string(G::kName), share.self, std::move(everyone), std::move(shape),
                        std::move(state));
}

template <PrimeOrderGroup G>
Result<RepairProtocol<G>> RepairProtocol<G>::recover(PartyId self, const KeyId& key_id, std::uint64_t epoch,
                                                     RepairConfig config) {
  TSIGN_CHECK(validate_party_list(config.helpers, "repair helpers"));
  if (self == 0 || self != config.recovering) {
    return make_error(ErrorKind::InvalidInput, "the recovering party runs recover() with its own identifier");
  }
  if (contains(config.helpers, self) || config.helpers.size() < 2) {
    return make_error(ErrorKind::InvalidInput, "repair needs at least two helpers other than the recovering party");
  }
  auto state = std::make_unique<RepairState<G>>();
  state->self = self;
  state->key_id = key_id;
  state->epoch = epoch;
  state->config = std::move(config);
  state->context = repair_context(G::kName, state->config, key_id, epoch);
  auto everyone = sorted_union(state->config.helpers, {self});
  RoundShape shape = repair_shape(*state);
  return RepairProtocol("repair/" + std::string(G::kName), self, std::move(everyone), std::move(shape),
                        std::move(state));
}

#define TSIGN_INSTANTIATE_REPAIR(G)                                                                       \
  template Result<std::map<PartyId, G::Scalar>> repair_share_step_1<G>(std::span<const PartyId>, PartyId, \
                                                                       const G::Scalar&, PartyId);       \
  template G::Scalar repair_share_step_2<G>(std::span<const G::Scalar>);                                 \
  template G::Scalar repair_share_step_3<G>(std::span<const G::Scalar>);                                 \
  template class RepairProtocol<G>;
TSIGN_INSTANTIATE_REPAIR(Secp256k1)
TSIGN_INSTANTIATE_REPAIR(Ed25519)
#undef TSIGN_INSTANTIATE_REPAIR

}  // namespace tsign

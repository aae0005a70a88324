#pragma once
// Pieces the protocols of this layer share: blame collection, echo judging, batch checks of
// claimed verifying shares, and agreement on a key's public data.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/declassify.hpp"
#include "dkg/messages.hpp"
#include "protocol/blame.hpp"
#include "tsign/protocol/round.hpp"

namespace tsign::dkg_internal {

using tsign::Blame;

// The largest message of this layer's protocols among `parties` parties (old and new committees
// together) with polynomials of `threshold` coefficients: a Feldman commitment, an echo of every
// broadcaster's digest, a key's public data with every verifying share, a repair's delta
// commitments, and fixed fields (type, session id, proof of knowledge, chain codes, group name).
template <PrimeOrderGroup G>
constexpr std::size_t key_message_bound(std::size_t parties, std::size_t threshold) {
  constexpr std::size_t kFixedFields = 512;
  constexpr std::size_t kEchoEntry = 4 + 32, kVerifyingShare = 4 + G::kPointSize, kDeltaCommitment = G::kPointSize;
  return kFixedFields + parties * (kEchoEntry + kVerifyingShare + kDeltaCommitment) + threshold * G::kPointSize;
}

// Calls `use(sender, message)` for every payload of `box` that `decode` (given the payload, or
// the sender and the payload) accepts; a sender whose payload it refuses is blamed with the
// decoder's reason.
template <class Decode, class Use>
void for_each_decoded(const std::map<PartyId, Bytes>& box, Blame& blame, Decode decode, Use use) {
  for (const auto& entry : box) {
    const PartyId sender = entry.first;  // named, not bound: lambdas capture it (clang 14)
    const Bytes& payload = entry.second;
    auto msg = [&] {
      if constexpr (std::is_invocable_v<Decode, PartyId, ByteSpan>) {
        return decode(sender, ByteSpan(payload));
      } else {
        return decode(ByteSpan(payload));
      }
    }();
    if (!msg.ok()) {
      blame.add(sender, msg.error().message);
      continue;
    }
    use(sender, std::move(msg).value());
  }
}

// The digest of every broadcast of `round` as received here, for the next round's echo.
inline void record_echo(EchoEntries& echo, const Digest32& context, std::size_t round,
                        const std::map<PartyId, Bytes>& broadcasts) {
  for (const auto& [sender, payload] : broadcasts) echo[sender] = broadcast_digest(context, round, sender, payload);
}

// Both of the above for the broadcasts of `round`: every digest recorded, every payload decoded.
template <class Decode, class Use>
void decode_broadcasts(const RoundMessages& in, EchoEntries& echo, const Digest32& context, std::size_t round,
                       Blame& blame, Decode decode, Use use) {
  record_echo(echo, context, round, in.broadcast);
  for_each_decoded(in.broadcast, blame, std::move(decode), std::move(use));
}

// This party's broadcast of `round`, its digest recorded in `echo` like everyone else's.
inline OutgoingMessage echoed_broadcast(EchoEntries& echo, const Digest32& context, std::size_t round, PartyId self,
                                        Bytes payload) {
  echo[self] = broadcast_digest(context, round, self, payload);
  return broadcast(std::move(payload));
}

// Compares other parties' echoes with our own digests. A party whose echo contradicts the
// broadcast it sent us, or that misreports our own broadcast, is proven faulty. Any other
// disagreement (k's broadcast as we got it versus as j reports it) cannot be settled without
// signatures: both k and j are named, unless one of them is already proven faulty.
void judge_echoes(PartyId self, const EchoEntries& mine, const std::map<PartyId, EchoEntries>& theirs, Blame& blame);

// for_each_decoded over broadcasts that each carry (as `.echo`) the sender's digests of the
// previous round's broadcasts; once all are decoded, judge_echoes compares them with `previous`.
template <class Decode, class Use>
void for_each_echoing(const std::map<PartyId, Bytes>& broadcasts, PartyId self, const EchoEntries& previous,
                      Blame& blame, Decode decode, Use use) {
  std::map<PartyId, EchoEntries> echoes;
  for_each_decoded(broadcasts, blame, std::move(decode), [&](PartyId sender, auto msg) {
    echoes.emplace(sender, msg.echo);
    use(sender, std::move(msg));
  });
  judge_echoes(self, previous, echoes, blame);
}

// Checks every claimed point P_k == commitment(k) with one random linear combination,
// Σ r_k·P_k == Σ_j (Σ_k r_k·k^j)·C_j (|claims| + t multiplications instead of |claims|·t), and
// checks one by one only when that fails, naming each k whose claim is wrong.
template <PrimeOrderGroup G>
void check_evaluations(const FeldmanCommitment<G>& commitment, const std::map<PartyId, typename G::Point>& claims,
                       Blame& blame, const std::string& what) {
  using Scalar = typename G::Scalar;
  using Point = typename G::Point;
  if (claims.empty()) return;
  const auto& coeffs = commitment.coefficients();
  std::vector<Scalar> weights(coeffs.size());
  std::vector<Point> lhs;
  lhs.reserve(claims.size());
  for (const auto& [id, point] : claims) {
    // The verifier's weights must be unpredictable to whoever made the claims, not secret once
    // they are fixed, so the (variable-time) products may depend on them.
    Scalar r = Scalar::random();
    detail::declassify(&r, sizeof r);
    lhs.push_back(point.mul_vartime(r));
    const Scalar x = identifier_scalar<G>(id);
    Scalar power = r;
    for (auto& w : weights) {
      w += power;
      power *= x;
    }
  }
  std::vector<Point> rhs;
  rhs.reserve(coeffs.size());
  for (std::size_t j = 0; j < coeffs.size(); ++j) rhs.push_back(coeffs[j].mul_vartime(weights[j]));
  if (Point::sum(lhs) == Point::sum(rhs)) return;
  for (const auto& [id, point] : claims) {
    if (!(commitment.evaluate(id) == point)) blame.add(id, what);
  }
}

// Commits a context to a protocol run: everything the parties must agree on is hashed into
// it, and every proof, commitment and digest of the run is bound to it.
class ContextHasher {
 public:
  explicit ContextHasher(std::string_view protocol) : h_(tagged_hasher("tsign/context")) { h_.update_framed(as_bytes(protocol)); }
  ContextHasher& bytes(ByteSpan b) { h_.update_framed(b); return *this; }
  ContextHasher& u64(std::uint64_t v) { h_.update_u64(v); return *this; }
  ContextHasher& ids(const std::vector<PartyId>& ids) {
    h_.update_u64(ids.size());
    for (PartyId p : ids) h_.update_u32(p);
    return *this;
  }
  Digest32 finish() { return h_.finish(); }

 private:
  Sha256 h_;
};

// The digest the acknowledgement round compares: the new public data, bound to the run.
template <PrimeOrderGroup G>
Digest32 ack_digest(const Digest32& context, const KeyPublicData<G>& data) {
  return tagged_hash("tsign/ack", {context, data.digest()});
}

// Settles which public data of the key's current epoch a round builds on. A holder knows it and
// names every sender that presents anything else. A party without a share adopts the version
// presented by the most senders among those `accept` approves of (the key it expects) and names
// every sender presenting anything else. Returns nothing when no sender presents an acceptable
// version (the caller names them all).
template <PrimeOrderGroup G, class Accept>
std::optional<KeyPublicData<G>> settle_public_data(const KeyPublicData<G>* own,
                                                   const std::map<PartyId, const KeyPublicData<G>*>& presented,
                                                   Accept accept, Blame& blame) {
  if (own != nullptr) {
    const Digest32 mine = own->digest();
    for (const auto& [sender, data] : presented) {
      if (!(data->digest() == mine)) blame.add(sender, "holds different public data for this key (another epoch?)");
    }
    return *own;
  }
  std::map<Digest32, std::vector<PartyId>> by_digest;
  std::map<Digest32, const KeyPublicData<G>*> sample;
  for (const auto& [sender, data] : presented) {
    if (!accept(*data)) {
      blame.add(sender, "presented public data of another key, epoch or committee");
      continue;
    }
    const Digest32 d = data->digest();
    by_digest[d].push_back(sender);
    sample[d] = data;
  }
  if (by_digest.empty()) return std::nullopt;
  auto best = std::max_element(by_digest.begin(), by_digest.end(),
                               [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); });
  for (const auto& [digest, senders] : by_digest) {
    if (digest == best->first) continue;
    for (PartyId s : senders) blame.add(s, "presented public data that differs from the other holders'");
  }
  return *sample.at(best->first);
}

// settle_public_data over the key data each deal carries (`deal.key`); when no dealer presents an
// acceptable version, every expected dealer is named with `none`.
template <PrimeOrderGroup G, class Deal, class Accept>
std::optional<KeyPublicData<G>> settle_deals(const KeyPublicData<G>* own, const std::map<PartyId, Deal>& deals,
                                             Accept accept, const std::vector<PartyId>& dealers,
                                             const std::string& none, Blame& blame) {
  std::map<PartyId, const KeyPublicData<G>*> presented;
  for (const auto& [sender, deal] : deals) presented.emplace(sender, &deal.key);
  auto settled = settle_public_data<G>(own, presented, std::move(accept), blame);
  if (!settled) {
    for (PartyId p : dealers) blame.add(p, none);
  }
  return settled;
}

// Named parties of a set, ascending.
inline std::vector<PartyId> sorted_union(std::vector<PartyId> a, const std::vector<PartyId>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  return a;
}

inline bool contains(const std::vector<PartyId>& sorted, PartyId p) {
  return std::binary_search(sorted.begin(), sorted.end(), p);
}

// Identifiers non-zero, distinct and ascending (the order every party iterates in).
Status validate_party_list(const std::vector<PartyId>& ids, std::string_view what);

}  // namespace tsign::dkg_internal

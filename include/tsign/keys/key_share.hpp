#pragma once
// One party's share of a threshold key: everything the party needs to sign, refresh, reshare
// and prove its part, and nothing it must not have (no other party's secret).
#include <map>
#include <string>
#include <vector>

#include "tsign/core/codec.hpp"
#include "tsign/core/secret.hpp"
#include "tsign/keys/key_id.hpp"
#include "tsign/sss/lagrange.hpp"

namespace tsign {

template <PrimeOrderGroup G>
struct KeyShare {
  using Scalar = typename G::Scalar;
  using Point = typename G::Point;
  static constexpr std::uint16_t kFormatVersion = 1;
  static constexpr std::uint32_t kMaxParties = 10000;

  KeyId key_id{};                 // names the key across parties; stays through refresh
  std::uint64_t epoch = 0;        // increments with every refresh or reshare
  PartyId self = 0;
  std::uint32_t threshold = 0;    // t: signers needed
  std::vector<PartyId> parties;   // every holder, ascending
  Secret<Scalar> signing_share;   // this party's Shamir share of the key
  std::map<PartyId, Point> verifying_shares;  // share·G of every holder
  Point group_public_key;
  ByteArray<32> chain_code{};     // BIP-32 chain code agreed at generation

  KeyShare clone() const {
    KeyShare out;
    out.key_id = key_id;
    out.epoch = epoch;
    out.self = self;
    out.threshold = threshold;
    out.parties = parties;
    out.signing_share = signing_share.clone();
    out.verifying_shares = verifying_shares;
    out.group_public_key = group_public_key;
    out.chain_code = chain_code;
    return out;
  }

  // Internal consistency: our share matches our verifying share, the verifying shares
  // interpolate to the group key from any t of them (checked on the first t).
  Status validate() const {
    auto fail = [](std::string why) { return make_error(ErrorKind::InvalidKeyShare, std::move(why)); };
    TSIGN_CHECK(validate_identifiers(parties));
    if (threshold < 1 || threshold > parties.size()) return fail("threshold out of range");
    if (!std::is_sorted(parties.begin(), parties.end())) return fail("parties not in ascending order");
    if (verifying_shares.size() != parties.size()) return fail("verifying shares do not match the party list");
    for (PartyId p : parties) {
      if (!verifying_shares.count(p)) return fail("no verifying share for party " + std::to_string(p));
    }
    if (!verifying_shares.count(self)) return fail("this party is not among the holders");
    if (!signing_share.has_value() || !(Point::base_mul(signing_share.expose()) == verifying_shares.at(self))) {
      return fail("signing share does not match this party's verifying share");
    }
    std::vector<PartyId> first(parties.begin(), parties.begin() + threshold);
    TSIGN_TRY(auto lambdas, lagrange_coefficients<G>(first));
    std::vector<Point> terms;
    for (std::size_t i = 0; i < first.size(); ++i) terms.push_back(verifying_shares.at(first[i]).mul_vartime(lambdas[i]));
    if (!(Point::sum(terms) == group_public_key)) return fail("verifying shares do not interpolate to the group key");
    return {};
  }

  // Holds the secret share: callers seal the result (store/) before it touches a disk.
  SecretBytes encode() const {
    Writer w;
    w.raw(as_bytes("TSKS")).u16(kFormatVersion).str(G::kName).raw(key_id).u64(epoch).u32(self).u32(threshold);
    w.u32(static_cast<std::uint32_t>(parties.size()));
    for (PartyId p : parties) w.u32(p).raw(verifying_shares.at(p).to_bytes());
    w.raw(group_public_key.to_bytes()).raw(chain_code);
    auto share = signing_share.expose().to_bytes();
    w.raw(share);
    Bytes plain = std::move(w).take();
    SecretBytes out = SecretBytes::copy_of(plain);
    detail::secure_wipe(plain.data(), plain.size());
    detail::secure_wipe(share.data(), share.size());
    return out;
  }

  static Result<KeyShare> decode(ByteSpan bytes) {
    Reader r(bytes, "key share");
    TSIGN_TRY(ByteSpan magic, r.raw(4));
    if (!ct_equal(magic, as_bytes("TSKS"))) return r.fail("bad magic");
    TSIGN_TRY(std::uint16_t version, r.u16());
    if (version != kFormatVersion) return r.fail("unsupported version " + std::to_string(version));
    TSIGN_TRY(std::string group, r.str(32));
    if (group != G::kName) return r.fail("key share is for group " + group + ", expected " + std::string(G::kName));
    KeyShare ks;
    TSIGN_TRY(ks.key_id, r.array<32>());
    TSIGN_TRY(ks.epoch, r.u64());
    TSIGN_TRY(ks.self, r.u32());
    TSIGN_TRY(ks.threshold, r.u32());
    TSIGN_TRY(std::uint32_t n, r.count(kMaxParties));
    for (std::uint32_t i = 0; i < n; ++i) {
      TSIGN_TRY(PartyId p, r.u32());
      TSIGN_TRY(ByteSpan pb, r.raw(G::kPointSize));
      auto point = Point::from_bytes(pb);
      if (!point.ok()) return r.fail("verifying share of party " + std::to_string(p) + ": " + point.error().message);
      if (!ks.verifying_shares.emplace(p, std::move(point).value()).second) {
        return r.fail("party " + std::to_string(p) + " listed twice");
      }
      ks.parties.push_back(p);
    }
    TSIGN_TRY(ByteSpan gk, r.raw(G::kPointSize));
    auto group_key = Point::from_bytes(gk);
    if (!group_key.ok()) return r.fail("group key: " + group_key.error().message);
    ks.group_public_key = std::move(group_key).value();
    TSIGN_TRY(ks.chain_code, r.array<32>());
    TSIGN_TRY(ByteSpan sb, r.raw(G::kScalarSize));
    auto share = Scalar::from_bytes(sb);
    if (!share.ok()) return r.fail("signing share: " + share.error().message);
    ks.signing_share = Secret<Scalar>(std::move(share).value());
    TSIGN_CHECK(r.finish());
    TSIGN_CHECK(ks.validate());
    // A stored share names its own key (a BIP-32 child, derived in memory, keeps its parent's id):
    // one relabelled under another key's id, or a key filed under a forged id, is refused.
    if (!(derive_key_id<G>(ks.group_public_key) == ks.key_id)) {
      return make_error(ErrorKind::InvalidKeyShare, "key id is not derived from the group key");
    }
    return ks;
  }
};

}  // namespace tsign

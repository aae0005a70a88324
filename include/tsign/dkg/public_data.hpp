#pragma once
// The public half of a key share: what every holder of one epoch of a key agrees on. Refresh,
// resharing and repair compare it (by digest) between parties before trusting anything built on
// it, and hand it to parties that hold no share yet.
#include <map>
#include <string>

#include "tsign/core/hash.hpp"
#include "tsign/keys/key_share.hpp"

namespace tsign {

template <PrimeOrderGroup G>
struct KeyPublicData {
  using Point = typename G::Point;

  KeyId key_id{};
  std::uint64_t epoch = 0;
  std::uint32_t threshold = 0;
  std::map<PartyId, Point> verifying_shares;  // every holder of this epoch
  Point group_public_key;
  ByteArray<32> chain_code{};

  static KeyPublicData of(const KeyShare<G>& share) {
    return {share.key_id, share.epoch, share.threshold, share.verifying_shares, share.group_public_key,
            share.chain_code};
  }

  std::vector<PartyId> parties() const {
    std::vector<PartyId> out;
    for (const auto& entry : verifying_shares) out.push_back(entry.first);
    return out;
  }

  void encode(Writer& w) const {
    w.str(G::kName).raw(key_id).u64(epoch).u32(threshold);
    w.u32(static_cast<std::uint32_t>(verifying_shares.size()));
    for (const auto& [id, point] : verifying_shares) w.u32(id).raw(point.to_bytes());
    w.raw(group_public_key.to_bytes()).raw(chain_code);
  }
  Bytes encode() const {
    Writer w;
    encode(w);
    return std::move(w).take();
  }

  Digest32 digest() const { return tagged_hash("tsign/key-public-data", {encode()}); }

  // Strict: the group's name, parties ascending and non-zero, no identity points, and the
  // result passes validate().
  static Result<KeyPublicData> decode(Reader& r) {
    TSIGN_TRY(std::string group, r.str(32));
    if (group != G::kName) return r.fail("public key data is for group " + group);
    KeyPublicData out;
    TSIGN_TRY(out.key_id, r.array<32>());
    TSIGN_TRY(out.epoch, r.u64());
    TSIGN_TRY(out.threshold, r.u32());
    TSIGN_TRY(std::uint32_t n, r.count(KeyShare<G>::kMaxParties));
    PartyId previous = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
      TSIGN_TRY(PartyId id, r.u32());
      if (id <= previous) return r.fail("parties not ascending, distinct and non-zero");
      previous = id;
      TSIGN_TRY(ByteSpan pb, r.raw(G::kPointSize));
      auto point = Point::from_bytes(pb);
      if (!point.ok()) return r.fail("verifying share of party " + std::to_string(id) + ": " + point.error().message);
      out.verifying_shares.emplace(id, std::move(point).value());
    }
    TSIGN_TRY(ByteSpan gb, r.raw(G::kPointSize));
    auto group_key = Point::from_bytes(gb);
    if (!group_key.ok()) return r.fail("group key: " + group_key.error().message);
    out.group_public_key = std::move(group_key).value();
    TSIGN_TRY(out.chain_code, r.array<32>());
    auto valid = out.validate();
    if (!valid.ok()) return r.fail(valid.error().message);
    return out;
  }

  // The threshold fits the party count and the first t verifying shares interpolate to the
  // group key (the same check KeyShare::validate makes).
  Status validate() const {
    auto fail = [](std::string why) { return make_error(ErrorKind::InvalidKeyShare, std::move(why)); };
    if (threshold < 1 || threshold > verifying_shares.size()) return fail("threshold out of range");
    std::vector<PartyId> ids = parties();
    std::vector<PartyId> first(ids.begin(), ids.begin() + threshold);
    TSIGN_TRY(auto lambdas, lagrange_coefficients<G>(first));
    std::vector<Point> terms;
    for (std::size_t i = 0; i < first.size(); ++i) terms.push_back(verifying_shares.at(first[i]).mul_vartime(lambdas[i]));
    if (!(Point::sum(terms) == group_public_key)) return fail("verifying shares do not interpolate to the group key");
    return {};
  }
};

}  // namespace tsign

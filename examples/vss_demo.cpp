// Verifiable secret sharing in a few lines: deal a 3-of-5 secret with Feldman commitments, verify every share,
// reconstruct from several 3-subsets, and catch a tampered share by name.
#include <cstdio>
#include <vector>

#include "tsign/sss/shamir.hpp"

using namespace tsign;

namespace {

int vss_demo() {
  const std::vector<PartyId> ids = {1, 2, 3, 4, 5};
  const std::uint32_t t = 3;
  const auto secret = Secp256k1Scalar::random();
  auto dealing = shamir_split<Secp256k1>(secret, t, ids);
  if (!dealing.ok()) {
    std::printf("split failed: %s\n", dealing.error().describe().c_str());
    return 1;
  }
  std::printf("== Feldman VSS: %u-of-%zu over secp256k1\n", t, ids.size());
  std::printf("public key      %s\n", to_hex(dealing->commitment.constant().to_bytes()).c_str());
  for (const auto& share : dealing->shares) {
    DealtShare<Secp256k1> dealt{0, share.value, &dealing->commitment};
    auto ok = feldman_verify<Secp256k1>(share.id, dealt);
    std::printf("share of party %u verifies against the commitments: %s\n", share.id, ok.ok() ? "yes" : "NO");
    if (!ok.ok()) return 1;
  }
  const std::vector<std::vector<std::size_t>> subsets = {{0, 1, 2}, {0, 2, 4}, {1, 3, 4}, {2, 3, 4}};
  for (const auto& subset : subsets) {
    std::vector<Share<Secp256k1>> chosen;
    for (auto i : subset) chosen.push_back(dealing->shares[i]);
    auto rec = shamir_reconstruct<Secp256k1>(chosen, t);
    const bool match = rec.ok() && *rec == secret;
    std::printf("parties {%u,%u,%u} reconstruct the secret: %s\n", chosen[0].id, chosen[1].id, chosen[2].id,
                match ? "yes" : "NO");
    if (!match) return 1;
  }
  // Dealer 9 hands party 4 a share that is off by one; the batch check falls back and names it.
  auto honest = shamir_split<Secp256k1>(Secp256k1Scalar::random(), t, ids).value();
  std::vector<DealtShare<Secp256k1>> received = {
      {8, honest.shares[3].value, &honest.commitment},
      {9, dealing->shares[3].value + Secp256k1Scalar::one(), &dealing->commitment},
  };
  auto caught = feldman_verify_batch<Secp256k1>(4, received);
  if (caught.ok()) {
    std::printf("tampered share went unnoticed\n");
    return 1;
  }
  std::printf("tampered share caught: %s\n", caught.error().describe().c_str());
  return 0;
}

}  // namespace

int main() { return vss_demo(); }

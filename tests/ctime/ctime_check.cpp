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

#include "tsign/core/random.hpp"
#include "tsign/keys/key_share.hpp"
#include "tsign/sss/shamir.hpp"

using namespace tsign;

namespace {

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
  if (!same) std::printf("scalar round trip mismatch\n");
}

template <class G>
void shamir_and_feldman() {
  std::vector<PartyId> ids = {1, 2, 3, 4, 5};
  auto secret = G::Scalar::random();
  auto dealing = shamir_split<G>(secret, 3, ids);
  if (!dealing.ok()) return;
  for (const auto& share : dealing->shares) {
    DealtShare<G> dealt{9, share.value, &dealing->commitment};
    if (!feldman_verify<G>(share.id, dealt).ok()) std::printf("share failed to verify\n");
  }
  auto rec = shamir_reconstruct<G>(dealing->shares, 3);
  if (rec.ok()) {
    auto again = G::Point::base_mul(*rec);
    if (!(again == dealing->commitment.constant())) std::printf("reconstruction mismatch\n");
  }
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
  };
  detail::classify_randomness_for_ctime_check(true);
  for (const auto& flow : flows) {
    std::printf("ctime: %s\n", flow.name);
    flow.run();
  }
  std::printf("ctime: %zu flows ran; valgrind reports any secret-dependent branch\n", flows.size());
  return 0;
}

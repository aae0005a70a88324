#include "helpers.hpp"

using namespace tsign;
using namespace tsign::ecdsa_test;

TEST_CASE("ecdsa: 2-of-3 key generation and signing") {
  auto shares = generate_key(2, ids_1_to(3));
  const Digest32 digest = random_array<32>();
  auto run = sign(shares, {1, 3}, digest);
  check_signatures(run, digest, shares[0].key.group_public_key);
}

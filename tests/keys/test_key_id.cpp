// Key ids name share directories and audit entries on disk: a changed derivation would orphan
// every stored key, so the values for the generators are pinned.
#include <catch2/catch.hpp>

#include "tsign/keys/key_id.hpp"

using namespace tsign;

TEST_CASE("key ids are fixed by the group and the group key", "[key_id]") {
  // tagged_hash("tsign/key-id", "secp256k1" ‖ compressed G) and ("ed25519" ‖ encoded B).
  CHECK(to_hex(derive_key_id<Secp256k1>(Secp256k1Point::generator())) ==
        "26f5815a7bc97dab2756e716462a32776008c975e315fc3a085deb6a12ba32a8");
  CHECK(to_hex(derive_key_id<Ed25519>(Ed25519Point::generator())) ==
        "962b68f244fbd5b8eefb3545a372a958a78e2d716577bf626912a99567e2ffbd");

  const auto a = Secp256k1Point::base_mul(Secp256k1Scalar::from_u64(2));
  CHECK(derive_key_id<Secp256k1>(a) == derive_key_id<Secp256k1>(a));
  CHECK_FALSE(derive_key_id<Secp256k1>(a) == derive_key_id<Secp256k1>(Secp256k1Point::generator()));
}

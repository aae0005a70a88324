// The ciphersuites' nonce hash reproduces RFC 9591's vectors (H3 over randomness ‖ share).
#include <catch2/catch.hpp>

#include "support/test_support.hpp"
#include "tsign/frost/ciphersuite.hpp"

using namespace tsign;

template <class Suite>
static void check_nonces(const std::string& file) {
  auto v = test::load_vector(file);
  for (const auto& out : v["round_one_outputs"]["outputs"]) {
    const auto id = out["identifier"].get<int>();
    std::string share_hex;
    for (const auto& s : v["inputs"]["participant_shares"]) {
      if (s["identifier"].get<int>() == id) share_hex = s["participant_share"];
    }
    Bytes share = test::hex(share_hex);
    Bytes hiding_rand = test::hex(out["hiding_nonce_randomness"]);
    CHECK(to_hex(Suite::H3({hiding_rand, share}).to_bytes()) == out["hiding_nonce"].get<std::string>());
    Bytes binding_rand = test::hex(out["binding_nonce_randomness"]);
    CHECK(to_hex(Suite::H3({binding_rand, share}).to_bytes()) == out["binding_nonce"].get<std::string>());
    Bytes rho_input = test::hex(out["binding_factor_input"]);
    CHECK(to_hex(Suite::H1({rho_input}).to_bytes()) == out["binding_factor"].get<std::string>());
  }
}

TEST_CASE("FROST(secp256k1, SHA-256) hashes match RFC 9591") { check_nonces<FrostSecp256k1>("rfc9591-secp256k1-sha256.json"); }
TEST_CASE("FROST(Ed25519, SHA-512) hashes match RFC 9591") { check_nonces<FrostEd25519>("rfc9591-ed25519-sha512.json"); }
TEST_CASE("FROST(secp256k1, SHA-256, TR) hashes match ZcashFoundation") { check_nonces<FrostSecp256k1Tr>("zf-secp256k1-tr-sign.json"); }

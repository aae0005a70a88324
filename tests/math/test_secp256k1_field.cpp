// The field arithmetic mod p against GMP, and the fixed-base comb against libsecp256k1.
#include <secp256k1.h>
#include <secp256k1_ecdh.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "math/secp256k1_comb.hpp"
#include "support/gmp_oracle.hpp"
#include "tsign/core/random.hpp"
#include "tsign/math/secp256k1.hpp"

using namespace tsign;
using namespace tsign::secp256k1_p;
using test::export_be;
using test::import_be;
using test::Mpz;

namespace {

const char* const kPHex = test::kSecp256k1PrimeHex;
const Mpz& prime() { return test::secp256k1_prime(); }

// The raw limbs as 32 big-endian bytes (not reduced).
ByteArray<32> raw_be(const Fe& a) {
  ByteArray<32> out{};
  limbs64::to_be(a.v, out.data());
  return out;
}

ByteArray<32> mod_p(const Mpz& x) {
  Mpz r;
  mpz_mod(r.v, x.v, prime().v);
  return export_be(r);
}

// Canonical bytes of a field element, which may sit anywhere below 2^256.
ByteArray<32> canonical(const Fe& a) {
  ByteArray<32> out{};
  to_be(a, out.data());
  return out;
}

// Inputs that stress the folds: 0, 1, p - 1, p, p + 1, 2^256 - 1, values just below 2^256.
std::vector<Fe> edge_values() {
  std::vector<Fe> out;
  Mpz x;
  for (const char* hex : {"0", "1", "2", kPHex, "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
                          "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0",
                          "1000003D0", "1000003D1", "1000003D2"}) {
    mpz_set_str(x.v, hex, 16);
    out.push_back(from_be(export_be(x).data()));
  }
  mpz_sub_ui(x.v, prime().v, 1);
  out.push_back(from_be(export_be(x).data()));
  mpz_add_ui(x.v, prime().v, 1);
  out.push_back(from_be(export_be(x).data()));
  return out;
}

void check_against_gmp(const Fe& a, const Fe& b) {
  Mpz x, y, r;
  import_be(x, raw_be(a));
  import_be(y, raw_be(b));
  mpz_add(r.v, x.v, y.v);
  CHECK(canonical(add(a, b)) == mod_p(r));
  mpz_sub(r.v, x.v, y.v);
  CHECK(canonical(sub(a, b)) == mod_p(r));
  mpz_mul(r.v, x.v, y.v);
  CHECK(canonical(mul(a, b)) == mod_p(r));
  mpz_neg(r.v, x.v);
  CHECK(canonical(negate(a)) == mod_p(r));
  CHECK(canonical(normalized(a)) == mod_p(x));
  // Results stay below 2^256 by construction; normalized ones also below p.
  Mpz norm;
  import_be(norm, raw_be(normalized(a)));
  CHECK(mpz_cmp(norm.v, prime().v) < 0);
  mpz_mod(r.v, x.v, prime().v);
  CHECK((zero_mask(a) == ~std::uint64_t{0}) == (mpz_sgn(r.v) == 0));
}

Fe random_fe() {
  ByteArray<32> b{};
  random_fill(b);
  return from_be(b.data());
}

ByteArray<32> random_scalar_bytes() { return Secp256k1Scalar::random().to_bytes(); }

ByteArray<65> uncompressed(const Affine& a) {
  ByteArray<65> out{};
  serialize_uncompressed(a, out.data());
  return out;
}

ByteArray<65> uncompressed(const secp256k1_pubkey& p) {
  ByteArray<65> out{};
  std::size_t size = out.size();
  secp256k1_ec_pubkey_serialize(secp256k1_ctx(), out.data(), &size, &p, SECP256K1_EC_UNCOMPRESSED);
  return out;
}

// k·P by libsecp256k1's ECDH, uncompressed.
int write_point(unsigned char* out, const unsigned char* x, const unsigned char* y, void*) {
  out[0] = 0x04;
  std::memcpy(out + 1, x, 32);
  std::memcpy(out + 33, y, 32);
  return 1;
}
ByteArray<65> reference_mul(const secp256k1_pubkey& p, const ByteArray<32>& k) {
  ByteArray<65> out{};
  REQUIRE(secp256k1_ecdh(secp256k1_ctx(), out.data(), &p, k.data(), write_point, nullptr) == 1);
  return out;
}

}  // namespace

TEST_CASE("secp256k1 field arithmetic matches GMP on edge values", "[math][field]") {
  const auto edges = edge_values();
  for (const auto& a : edges)
    for (const auto& b : edges) check_against_gmp(a, b);
}

TEST_CASE("secp256k1 field arithmetic matches GMP on random values", "[math][field]") {
  for (int i = 0; i < 2000; ++i) check_against_gmp(random_fe(), random_fe());
  // Chains of operations keep their results below 2^256 and correct.
  Fe acc = random_fe();
  Mpz ref;
  import_be(ref, raw_be(acc));
  for (int i = 0; i < 500; ++i) {
    const Fe b = random_fe();
    Mpz y;
    import_be(y, raw_be(b));
    acc = mul(sub(acc, b), add(acc, b));
    Mpz lhs, rhs;
    mpz_sub(lhs.v, ref.v, y.v);
    mpz_add(rhs.v, ref.v, y.v);
    mpz_mul(ref.v, lhs.v, rhs.v);
    mpz_mod(ref.v, ref.v, prime().v);
    REQUIRE(canonical(acc) == export_be(ref));
  }
}

TEST_CASE("secp256k1 field inverse", "[math][field]") {
  for (int i = 0; i < 50; ++i) {
    const Fe a = random_fe();
    CHECK(canonical(mul(a, inverse(a))) == mod_p(Mpz("1")));
  }
  CHECK(canonical(inverse(Fe{})) == ByteArray<32>{});
  CHECK(canonical(inverse(Fe{kP})) == ByteArray<32>{});
}

TEST_CASE("the comb multiplies like libsecp256k1", "[math][comb]") {
  const Secp256k1Point base = Secp256k1Point::base_mul(Secp256k1Scalar::random());
  const Comb comb(from_pubkey(base.pubkey()));
  std::vector<ByteArray<32>> scalars;
  for (const char* hex : {"1", "2", "3", "F", "10", "11", "FFFF",
                          "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364140",  // n - 1
                          "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0",  // (n - 1)/2
                          "8000000000000000000000000000000000000000000000000000000000000000",
                          "14551231950B75FC4402DA1732FC9BEBE"}) {  // 2^256 - 1 - n
    Mpz x(hex);
    scalars.push_back(export_be(x));
  }
  for (int i = 0; i < 200; ++i) scalars.push_back(random_scalar_bytes());
  // Both bases in one call (shared digits and inversions), and each on its own.
  std::vector<Affine> both(2 * scalars.size()), by_g(scalars.size());
  const Comb* combs[2] = {&comb, &Comb::generator()};
  REQUIRE(Comb::mul(combs, scalars, both));
  REQUIRE(Comb::generator().mul(scalars, by_g));
  const std::span<const Affine> by_base = std::span<const Affine>(both).first(scalars.size());
  for (std::size_t i = 0; i < scalars.size(); ++i) CHECK(uncompressed(both[scalars.size() + i]) == uncompressed(by_g[i]));
  for (std::size_t i = 0; i < scalars.size(); ++i) {
    CHECK(uncompressed(by_base[i]) == reference_mul(base.pubkey(), scalars[i]));
    secp256k1_pubkey expected;
    REQUIRE(secp256k1_ec_pubkey_create(secp256k1_ctx(), &expected, scalars[i].data()) == 1);
    CHECK(uncompressed(by_g[i]) == uncompressed(expected));
  }
  // A batch of one takes the same path.
  Affine single;
  REQUIRE(comb.mul({&scalars.back(), 1}, {&single, 1}));
  CHECK(uncompressed(single) == uncompressed(by_base.back()));
}

TEST_CASE("point additions and conversions agree with libsecp256k1", "[math][comb]") {
  std::vector<ByteArray<32>> scalars(40);
  for (auto& k : scalars) k = random_scalar_bytes();
  std::vector<Affine> points(scalars.size());
  REQUIRE(Comb::generator().mul(scalars, points));
  std::vector<Secp256k1Point> expected;
  for (const auto& k : scalars) expected.push_back(Secp256k1Point::base_mul(Secp256k1Scalar::from_bytes(k).value()));
  for (std::size_t i = 0; i < points.size(); ++i) {
    ByteArray<33> compressed{};
    serialize_compressed(points[i], compressed.data());
    CHECK(compressed == expected[i].to_bytes());
  }
  // Jacobian doubling and addition, then the batch conversion.
  std::vector<Jacobian> sums, doubles;
  for (std::size_t i = 1; i < points.size(); ++i) {
    sums.push_back(add(to_jacobian(points[i]), to_jacobian(points[i - 1])));
    doubles.push_back(twice(to_jacobian(points[i])));
  }
  std::vector<Affine> sums_affine(sums.size()), doubles_affine(doubles.size());
  REQUIRE(to_affine(sums, sums_affine));
  REQUIRE(to_affine(doubles, doubles_affine));
  // The batch affine addition.
  std::vector<Affine> acc(points.begin() + 1, points.end());
  std::vector<Fe> scratch(2 * acc.size());
  CHECK(add_batch(acc, std::span<const Affine>(points).first(acc.size()), scratch) == 0);
  for (std::size_t i = 0; i < sums.size(); ++i) {
    ByteArray<33> sum{}, doubled{}, batch_sum{};
    serialize_compressed(sums_affine[i], sum.data());
    serialize_compressed(doubles_affine[i], doubled.data());
    serialize_compressed(acc[i], batch_sum.data());
    CHECK(sum == (expected[i + 1] + expected[i]).to_bytes());
    CHECK(batch_sum == sum);
    CHECK(doubled == (expected[i + 1] + expected[i + 1]).to_bytes());
  }
  // P + P and P + (−P) are outside the batch formula and reported.
  std::vector<Affine> same(points.begin(), points.begin() + 3), negated = same;
  negated[1] = negate(negated[1]);
  CHECK(add_batch(same, std::span<const Affine>(points).first(3), scratch) != 0);
  same.assign(points.begin(), points.begin() + 3);
  CHECK(add_batch(negated, std::span<const Affine>(points).first(3), scratch) != 0);
  // k = 0 is reported by the comb.
  const std::vector<ByteArray<32>> zero{random_scalar_bytes(), ByteArray<32>{}};
  std::vector<Affine> unused(zero.size());
  CHECK_FALSE(Comb::generator().mul(zero, unused));
}

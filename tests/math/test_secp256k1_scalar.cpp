// Secp256k1Scalar against GMP as an independent oracle, on random and edge values.
#include <gmp.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "tsign/core/random.hpp"
#include "math/secp256k1_scalar_limbs.hpp"
#include "support/gmp_oracle.hpp"
#include "tsign/math/secp256k1.hpp"

using namespace tsign;
using test::export_be;
using test::import_be;
using test::Mpz;

namespace {

const char* const kOrderHex = test::kSecp256k1OrderHex;
const Mpz& order() { return test::secp256k1_order(); }

// Edge inputs as 32-byte strings (some not canonical).
std::vector<ByteArray<32>> edge_values() {
  std::vector<ByteArray<32>> out;
  Mpz x;
  for (const char* hex : {"0", "1", "2", kOrderHex}) {
    mpz_set_str(x.v, hex, 16);
    out.push_back(export_be(x));
  }
  mpz_sub_ui(x.v, order().v, 1);
  out.push_back(export_be(x));
  mpz_sub_ui(x.v, order().v, 2);
  out.push_back(export_be(x));
  mpz_add_ui(x.v, order().v, 1);
  out.push_back(export_be(x));
  ByteArray<32> all_ones;
  all_ones.fill(0xff);
  out.push_back(all_ones);
  return out;
}

Secp256k1Scalar reduce(ByteSpan b) { return Secp256k1Scalar::from_bytes_reduce(b); }

void check_against_gmp(const ByteArray<32>& ab, const ByteArray<32>& bb) {
  Mpz a, b, r;
  import_be(a, ab);
  import_be(b, bb);
  mpz_mod(a.v, a.v, order().v);
  mpz_mod(b.v, b.v, order().v);
  Secp256k1Scalar sa = reduce(ab), sb = reduce(bb);
  REQUIRE(sa.to_bytes() == export_be(a));

  mpz_add(r.v, a.v, b.v);
  mpz_mod(r.v, r.v, order().v);
  CHECK((sa + sb).to_bytes() == export_be(r));
  mpz_sub(r.v, a.v, b.v);
  mpz_mod(r.v, r.v, order().v);
  CHECK((sa - sb).to_bytes() == export_be(r));
  mpz_mul(r.v, a.v, b.v);
  mpz_mod(r.v, r.v, order().v);
  CHECK((sa * sb).to_bytes() == export_be(r));
  mpz_neg(r.v, a.v);
  mpz_mod(r.v, r.v, order().v);
  CHECK((-sa).to_bytes() == export_be(r));
  if (mpz_sgn(a.v) == 0) {
    CHECK(sa.invert().is_zero());
  } else {
    REQUIRE(mpz_invert(r.v, a.v, order().v) != 0);
    CHECK(sa.invert().to_bytes() == export_be(r));
  }
  CHECK((sa == sb) == (mpz_cmp(a.v, b.v) == 0));
}

}  // namespace

TEST_CASE("secp256k1 scalar arithmetic matches GMP on edge values") {
  auto edges = edge_values();
  for (const auto& a : edges) {
    for (const auto& b : edges) check_against_gmp(a, b);
  }
}

TEST_CASE("secp256k1 scalar arithmetic matches GMP on random values") {
  for (int i = 0; i < 2000; ++i) check_against_gmp(random_array<32>(), random_array<32>());
}

TEST_CASE("secp256k1 scalar wide reduction matches GMP") {
  for (std::size_t len : {0u, 1u, 31u, 32u, 33u, 48u, 64u}) {
    for (int i = 0; i < 50; ++i) {
      Bytes wide = random_bytes(len);
      if (i == 0) std::fill(wide.begin(), wide.end(), 0xff);
      Mpz x;
      if (len > 0) import_be(x, wide);
      mpz_mod(x.v, x.v, order().v);
      CHECK(Secp256k1Scalar::from_bytes_reduce(wide).to_bytes() == export_be(x));
    }
  }
  for (const auto& edge : edge_values()) {  // 32-byte values around n and 2^256 - 1
    Mpz x;
    import_be(x, edge);
    mpz_mod(x.v, x.v, order().v);
    CHECK(Secp256k1Scalar::from_bytes_reduce(edge).to_bytes() == export_be(x));
  }
}

TEST_CASE("secp256k1 scalar decoding is strict") {
  Mpz x;
  auto n = export_be(order());
  CHECK_FALSE(Secp256k1Scalar::from_bytes(n).ok());
  mpz_add_ui(x.v, order().v, 1);
  CHECK_FALSE(Secp256k1Scalar::from_bytes(export_be(x)).ok());
  ByteArray<32> ones;
  ones.fill(0xff);
  CHECK_FALSE(Secp256k1Scalar::from_bytes(ones).ok());
  CHECK_FALSE(Secp256k1Scalar::from_bytes(Bytes(31)).ok());
  CHECK_FALSE(Secp256k1Scalar::from_bytes(Bytes(33)).ok());
  mpz_sub_ui(x.v, order().v, 1);
  auto nm1 = Secp256k1Scalar::from_bytes(export_be(x));
  REQUIRE(nm1.ok());
  CHECK(nm1->to_bytes() == export_be(x));
  auto zero = Secp256k1Scalar::from_bytes(Bytes(32));
  REQUIRE(zero.ok());
  CHECK(zero->is_zero());
}

TEST_CASE("secp256k1 scalar algebraic properties") {
  using S = Secp256k1Scalar;
  for (int i = 0; i < 200; ++i) {
    S a = S::random(), b = S::random(), c = S::random();
    CHECK(a + b == b + a);
    CHECK(a * b == b * a);
    CHECK((a + b) + c == a + (b + c));
    CHECK((a * b) * c == a * (b * c));
    CHECK(a * (b + c) == a * b + a * c);
    CHECK(a - a == S::zero());
    CHECK(a + (-a) == S::zero());
    CHECK(a * a.invert() == S::one());
    CHECK(a * S::one() == a);
    CHECK(a * S::zero() == S::zero());
  }
  CHECK(S::from_u64(6) * S::from_u64(7) == S::from_u64(42));
  CHECK_FALSE(S::random().is_zero());
}

// The limb helpers the OT layer uses on plain (not Montgomery) values.
TEST_CASE("secp256k1 limb helpers: 32-byte reduction and plain products match GMP") {
  namespace sn = secp256k1_n;
  std::vector<ByteArray<32>> inputs = edge_values();
  for (int i = 0; i < 500; ++i) inputs.push_back(random_array<32>());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const ByteArray<32>& x = inputs[i];
    const ByteArray<32>& y = inputs[(i * 7 + 3) % inputs.size()];
    Mpz a, b, r;
    import_be(a, x);
    import_be(b, y);
    mpz_mod(a.v, a.v, order().v);
    mpz_mod(b.v, b.v, order().v);
    // reduce_be32: the value mod n, plain, fully reduced; to_be/from_be round-trip it.
    const sn::Limbs pa = sn::reduce_be32(x.data()), pb = sn::reduce_be32(y.data());
    ByteArray<32> enc;
    sn::to_be(pa, enc.data());
    CHECK(enc == export_be(a));
    CHECK(sn::from_be(enc.data()) == pa);
    CHECK(sn::below_n(pa) == 1);
    mpz_mul(r.v, a.v, b.v);
    mpz_mod(r.v, r.v, order().v);
    // Montgomery times plain is the plain product.
    sn::to_be(sn::mont_mul(sn::to_mont(pa), pb), enc.data());
    CHECK(enc == export_be(r));
    // Plain times plain carries R^-1, which a product with R^3 turns into the Montgomery form.
    const Secp256k1Scalar s = Secp256k1ScalarOps::make(sn::mont_mul(sn::mont_mul(pa, pb), sn::kR3));
    CHECK(s.to_bytes() == export_be(r));
    // masked: all or nothing.
    CHECK(sn::masked(pa, ~std::uint64_t{0}) == pa);
    CHECK(sn::masked(pa, 0) == sn::Limbs{});
  }
}

namespace {

void import_limbs(Mpz& out, const std::uint64_t* limbs, std::size_t n) { mpz_import(out.v, n, -1, 8, 0, 0, limbs); }

ByteArray<32> limbs_be(const secp256k1_n::Limbs& a) {
  ByteArray<32> out;
  secp256k1_n::to_be(a, out.data());
  return out;
}

}  // namespace

// The delayed reduction of the OT layer: 576-bit sums of products, reduced once.
TEST_CASE("secp256k1 limb helpers: wide reduction matches GMP on any 576-bit value") {
  namespace sn = secp256k1_n;
  std::vector<sn::Wide> inputs;
  sn::Wide w{};
  inputs.push_back(w);  // 0
  w.fill(~std::uint64_t{0});
  inputs.push_back(w);  // 2^576 - 1
  // k·2^256 + (2^256 - 1) and k·2^256 for small and large k: the carries between the folds.
  for (std::uint64_t k : {std::uint64_t{1}, std::uint64_t{2}, ~std::uint64_t{0}}) {
    for (std::uint64_t low : {std::uint64_t{0}, ~std::uint64_t{0}}) {
      for (std::size_t top = 4; top < 9; ++top) {
        sn::Wide v{};
        for (std::size_t i = 0; i < 4; ++i) v[i] = low;
        v[top] = k;
        inputs.push_back(v);
      }
    }
  }
  // Multiples of n and their neighbours.
  for (int i = 0; i < 50; ++i) {
    Mpz q, x;
    const ByteArray<32> r = random_array<32>();
    import_be(q, r);
    mpz_fdiv_q_2exp(q.v, q.v, static_cast<unsigned long>(i * 5));
    mpz_mul(x.v, q.v, order().v);
    for (int d = -1; d <= 1; ++d) {
      Mpz y;
      if (d < 0) mpz_sub_ui(y.v, x.v, 1);
      if (d == 0) mpz_set(y.v, x.v);
      if (d > 0) mpz_add_ui(y.v, x.v, 1);
      if (mpz_sgn(y.v) < 0) continue;
      sn::Wide v{};
      mpz_export(v.data(), nullptr, -1, 8, 0, 0, y.v);
      inputs.push_back(v);
    }
  }
  for (int i = 0; i < 500; ++i) {
    sn::Wide v{};
    const ByteArray<72> r = random_array<72>();
    std::memcpy(v.data(), r.data(), sizeof v);
    // Random lengths too, so short values are covered.
    const std::size_t len = i % 10 == 0 ? 9 : static_cast<std::size_t>(i % 10);
    for (std::size_t l = len; l < 9; ++l) v[l] = 0;
    inputs.push_back(v);
  }
  for (const sn::Wide& v : inputs) {
    Mpz x;
    import_limbs(x, v.data(), v.size());
    mpz_mod(x.v, x.v, order().v);
    const sn::Limbs got = sn::reduce_wide(v);
    CHECK(sn::below_n(got) == 1);
    CHECK(limbs_be(got) == export_be(x));
  }
}

TEST_CASE("secp256k1 limb helpers: sums of wide products match GMP") {
  namespace sn = secp256k1_n;
  sn::Limbs ones;
  ones.fill(~std::uint64_t{0});
  for (int run = 0; run < 20; ++run) {
    // run 0: the largest operands (2^256 - 1) throughout, the worst case for the accumulator.
    sn::Wide acc{};
    Mpz want;
    const int terms = run == 0 ? 1000 : 416;
    for (int t = 0; t < terms; ++t) {
      sn::Limbs a = ones, b = ones, c = ones;
      if (run != 0) {
        a = sn::from_be(random_array<32>().data());
        b = sn::from_be(random_array<32>().data());
        c = sn::from_be(random_array<32>().data());
      }
      sn::mul_add(acc, a, b);
      sn::add_to(acc, c);
      Mpz ma, mb, mc;
      import_limbs(ma, a.data(), 4);
      import_limbs(mb, b.data(), 4);
      import_limbs(mc, c.data(), 4);
      mpz_addmul(want.v, ma.v, mb.v);
      mpz_add(want.v, want.v, mc.v);
    }
    Mpz got;
    import_limbs(got, acc.data(), acc.size());
    CHECK(mpz_cmp(got.v, want.v) == 0);
    mpz_mod(want.v, want.v, order().v);
    CHECK(limbs_be(sn::reduce_wide(acc)) == export_be(want));
  }
}

#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "tsign/core/random.hpp"
#include "ot/bit_matrix.hpp"
#include "ot/gf128.hpp"

using namespace tsign;
using namespace tsign::ot;

namespace {

Gf128 random_element() {
  Gf128 a;
  random_fill({reinterpret_cast<std::uint8_t*>(&a), sizeof a});
  return a;
}

// Schoolbook reference: shift-and-add with reduction after every shift.
Gf128 mul_reference(Gf128 a, const Gf128& b) {
  Gf128 r;
  for (unsigned i = 0; i < 128; ++i) {
    const std::uint64_t bit = i < 64 ? (b.lo >> i) & 1 : (b.hi >> (i - 64)) & 1;
    if (bit) r ^= a;
    const std::uint64_t carry = a.hi >> 63;
    a.hi = (a.hi << 1) | (a.lo >> 63);
    a.lo <<= 1;
    if (carry) a.lo ^= 0x87;  // X^128 = X^7 + X^2 + X + 1
  }
  return r;
}

}  // namespace

TEST_CASE("GF(2^128): portable and carry-less multiply agree with a schoolbook reference") {
  for (int i = 0; i < 2000; ++i) {
    const Gf128 a = random_element(), b = random_element();
    const Gf128 expect = mul_reference(a, b);
    REQUIRE(gf128_mul_portable(a, b) == expect);
    if (gf128_has_clmul()) REQUIRE(gf128_mul_clmul(a, b) == expect);
    REQUIRE(gf128_mul(a, b) == expect);
  }
  // Edge values: all ones, the top bit, zero and one.
  const Gf128 ones{~0ULL, ~0ULL}, top{0, 1ULL << 63}, one{1, 0}, zero{};
  for (const Gf128& a : {ones, top, one, zero}) {
    for (const Gf128& b : {ones, top, one, zero}) {
      REQUIRE(gf128_mul_portable(a, b) == mul_reference(a, b));
      if (gf128_has_clmul()) REQUIRE(gf128_mul_clmul(a, b) == mul_reference(a, b));
    }
  }
  CHECK(gf128_mul(gf128_monomial(127), gf128_monomial(1)) == Gf128{0x87, 0});
}

TEST_CASE("GF(2^128): dot products reduce once and match the sum of products") {
  for (std::size_t n : {0u, 1u, 7u, 576u}) {
    std::vector<Gf128> a(n), b(n);
    Gf128 expect;
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = random_element();
      b[i] = random_element();
      expect ^= mul_reference(a[i], b[i]);
    }
    CHECK(gf128_dot_portable(a, b) == expect);
    if (gf128_has_clmul()) CHECK(gf128_dot_clmul(a, b) == expect);
    CHECK(gf128_dot(a, b) == expect);
  }
}

TEST_CASE("bit matrix transpose matches the definition") {
  auto bit = [](const std::vector<std::uint64_t>& m, std::size_t words_per_row, std::size_t r, std::size_t c) {
    return (m[r * words_per_row + c / 64] >> (c % 64)) & 1;
  };
  for (auto [rows, cols] : {std::pair<std::size_t, std::size_t>{64, 64}, {256, 576}, {576, 256}, {128, 192}, {192, 320}}) {
    std::vector<std::uint64_t> in(rows * cols / 64), out(in.size());
    random_fill({reinterpret_cast<std::uint8_t*>(in.data()), in.size() * 8});
    transpose_bits(in, rows, cols, out);
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < cols; ++c) REQUIRE(bit(out, rows / 64, c, r) == bit(in, cols / 64, r, c));
    }
    std::vector<std::uint64_t> back(in.size());
    transpose_bits(out, cols, rows, back);
    CHECK(back == in);
  }
}

#pragma once
// GMP as an independent oracle for the library's own modular arithmetic (tests only).
#include <gmp.h>

#include <algorithm>
#include <cstdint>

#include "tsign/core/bytes.hpp"

namespace tsign::test {

struct Mpz {
  mpz_t v;
  Mpz() { mpz_init(v); }
  explicit Mpz(const char* hex) { mpz_init_set_str(v, hex, 16); }
  ~Mpz() { mpz_clear(v); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
};

inline void import_be(Mpz& out, ByteSpan b) { mpz_import(out.v, b.size(), 1, 1, 1, 0, b.data()); }

// x, below 2^256, as 32 big-endian bytes.
inline ByteArray<32> export_be(const Mpz& x) {
  ByteArray<32> out{};
  std::size_t count = 0;
  std::uint8_t buf[64] = {};
  mpz_export(buf, &count, 1, 1, 1, 0, x.v);
  std::copy(buf, buf + count, out.begin() + static_cast<std::ptrdiff_t>(32 - count));
  return out;
}

inline constexpr const char* kSecp256k1OrderHex = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141";
inline constexpr const char* kSecp256k1PrimeHex = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F";

// n and p of secp256k1.
inline const Mpz& secp256k1_order() {
  static Mpz n(kSecp256k1OrderHex);
  return n;
}
inline const Mpz& secp256k1_prime() {
  static Mpz p(kSecp256k1PrimeHex);
  return p;
}

}  // namespace tsign::test

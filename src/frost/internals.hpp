#pragma once
// Shared by the FROST sources only: wire headers, suite-specific encodings, and the access
// round 2 and aggregation need to the private parts of nonces and contexts.
#include <span>
#include <string>
#include <string_view>

#include "tsign/core/codec.hpp"
#include "tsign/frost/signing_context.hpp"

// The three suites every FROST template is compiled for.
#define TSIGN_FROST_FOR_EACH_SUITE(X) \
  X(::tsign::FrostSecp256k1)          \
  X(::tsign::FrostSecp256k1Tr)        \
  X(::tsign::FrostEd25519)

namespace tsign::frost::detail {

inline constexpr std::uint16_t kWireVersion = 1;
inline constexpr std::size_t kMaxSuiteName = 32;

// magic (4 bytes) ‖ version (u16) ‖ suite name: every stand-alone FROST encoding starts so, and a
// message for another suite or format is refused before anything else is read.
inline void write_header(Writer& w, std::string_view magic, std::string_view suite) {
  w.raw(as_bytes(magic)).u16(kWireVersion).str(suite);
}

inline Status read_header(Reader& r, std::string_view magic, std::string_view suite) {
  TSIGN_TRY(ByteSpan m, r.raw(magic.size()));
  if (!ct_equal(m, as_bytes(magic))) return r.fail("bad magic");
  TSIGN_TRY(std::uint16_t version, r.u16());
  if (version != kWireVersion) return r.fail("unsupported version " + std::to_string(version));
  TSIGN_TRY(std::string name, r.str(kMaxSuiteName));
  if (name != suite) return r.fail("made for suite " + name + ", expected " + std::string(suite));
  return {};
}

template <FrostCiphersuite C>
Result<typename C::Point> read_point(Reader& r, std::string_view what) {
  TSIGN_TRY(ByteSpan b, r.raw(C::Group::kPointSize));
  auto p = C::Point::from_bytes(b);
  if (!p.ok()) return r.fail(std::string(what) + ": " + p.error().message);
  return std::move(p).value();
}

template <FrostCiphersuite C>
Result<typename C::Scalar> read_scalar(Reader& r, std::string_view what) {
  TSIGN_TRY(ByteSpan b, r.raw(C::Group::kScalarSize));
  auto s = C::Scalar::from_bytes(b);
  if (!s.ok()) return r.fail(std::string(what) + ": " + s.error().message);
  return std::move(s).value();
}

// RFC 9591 SerializeScalar of an identifier.
template <FrostCiphersuite C>
ByteArray<C::Group::kScalarSize> identifier_bytes(PartyId id) {
  return C::Scalar::from_u64(id).to_bytes();
}

// The suite's challenge c = H2(R ‖ PK ‖ m); x coordinates only for TR (BIP-340).
template <FrostCiphersuite C>
typename C::Scalar challenge(const typename C::Point& R, const typename C::Point& key, ByteSpan message) {
  if constexpr (C::kTaproot) {
    return C::H2({R.x_only(), key.x_only(), message});
  } else {
    return C::H2({R.to_bytes(), key.to_bytes(), message});
  }
}

std::string list_parties(std::span<const PartyId> ids);  // "2, 5, 9"

template <FrostCiphersuite C>
struct Internals {
  using Scalar = typename C::Scalar;

  static SigningNonces<C> make_nonces(const Scalar& hiding, const Scalar& binding, SigningCommitments<C> commitments) {
    return SigningNonces<C>(hiding, binding, std::move(commitments));
  }
  static const Scalar& hiding(const SigningNonces<C>& n) { return n.hiding_; }
  static const Scalar& binding(const SigningNonces<C>& n) { return n.binding_; }
  static void wipe(SigningNonces<C>& n) { n.wipe(); }

  static bool negate_key(const SigningContext<C>& c) { return c.negate_key_; }
  static bool negate_nonces(const SigningContext<C>& c) { return c.negate_nonces_; }
  static const Scalar& key_offset(const SigningContext<C>& c) { return c.key_offset_; }
  static const typename C::Point& key_offset_point(const SigningContext<C>& c) { return c.key_offset_point_; }
  static const typename C::Point& binding_term(const SigningContext<C>& c, std::size_t i) { return c.binding_terms_[i]; }
};

// Round 1 with given randomness: commit() with fresh randomness, and the known-answer tests
// (reusing randomness with the same share reuses the nonces and reveals the share).
template <FrostCiphersuite C>
Result<SigningNonces<C>> commit_with_randomness(const KeyShare<typename C::Group>& key,
                                                const ByteArray<32>& hiding_randomness,
                                                const ByteArray<32>& binding_randomness);

// ±1 as a scalar, for multiplying secrets by a public sign without branching on them.
template <class Scalar>
Scalar sign_factor(bool negate) {
  return negate ? -Scalar::one() : Scalar::one();
}

}  // namespace tsign::frost::detail

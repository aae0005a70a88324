#pragma once
// The FROST ciphersuites (RFC 9591 section 6, and ZcashFoundation's secp256k1-tr suite): the
// group and the hash functions H1..H5, plus HDKG for the distributed key generation's proofs.
#include <initializer_list>
#include <string_view>

#include "tsign/core/bytes.hpp"
#include "tsign/math/group.hpp"

namespace tsign {

// FROST(secp256k1, SHA-256): hash_to_field with expand_message_xmd(SHA-256), L = 48.
struct FrostSecp256k1 {
  using Group = Secp256k1;
  using Scalar = Secp256k1Scalar;
  using Point = Secp256k1Point;
  static constexpr std::string_view kContext = "FROST-secp256k1-SHA256-v1";
  static constexpr std::string_view kName = "frost_secp256k1";
  static constexpr bool kTaproot = false;

  static Scalar H1(std::initializer_list<ByteSpan> parts);  // binding factor ("rho")
  static Scalar H2(std::initializer_list<ByteSpan> parts);  // challenge ("chal")
  static Scalar H3(std::initializer_list<ByteSpan> parts);  // nonce ("nonce")
  static Bytes H4(std::initializer_list<ByteSpan> parts);   // message digest ("msg")
  static Bytes H5(std::initializer_list<ByteSpan> parts);   // commitment list digest ("com")
  static Scalar HDKG(std::initializer_list<ByteSpan> parts);  // DKG proof challenge ("dkg")
};

// FROST(secp256k1, SHA-256, TR): BIP-340 challenge and x-only keys; other hashes as above with
// their own context string.
struct FrostSecp256k1Tr {
  using Group = Secp256k1;
  using Scalar = Secp256k1Scalar;
  using Point = Secp256k1Point;
  static constexpr std::string_view kContext = "FROST-secp256k1-SHA256-TR-v1";
  static constexpr std::string_view kName = "frost_secp256k1_tr";
  static constexpr bool kTaproot = true;

  static Scalar H1(std::initializer_list<ByteSpan> parts);
  static Scalar H2(std::initializer_list<ByteSpan> parts);  // tagged_hash("BIP0340/challenge")
  static Scalar H3(std::initializer_list<ByteSpan> parts);
  static Bytes H4(std::initializer_list<ByteSpan> parts);
  static Bytes H5(std::initializer_list<ByteSpan> parts);
  static Scalar HDKG(std::initializer_list<ByteSpan> parts);
};

// FROST(Ed25519, SHA-512): H2 is plain SHA-512 for RFC 8032 compatibility.
struct FrostEd25519 {
  using Group = Ed25519;
  using Scalar = Ed25519Scalar;
  using Point = Ed25519Point;
  static constexpr std::string_view kContext = "FROST-ED25519-SHA512-v1";
  static constexpr std::string_view kName = "frost_ed25519";
  static constexpr bool kTaproot = false;

  static Scalar H1(std::initializer_list<ByteSpan> parts);
  static Scalar H2(std::initializer_list<ByteSpan> parts);
  static Scalar H3(std::initializer_list<ByteSpan> parts);
  static Bytes H4(std::initializer_list<ByteSpan> parts);
  static Bytes H5(std::initializer_list<ByteSpan> parts);
  static Scalar HDKG(std::initializer_list<ByteSpan> parts);
};

template <class C>
concept FrostCiphersuite = PrimeOrderGroup<typename C::Group> && requires(std::initializer_list<ByteSpan> p) {
  { C::H1(p) } -> std::same_as<typename C::Scalar>;
  { C::H2(p) } -> std::same_as<typename C::Scalar>;
  { C::H3(p) } -> std::same_as<typename C::Scalar>;
  { C::H4(p) } -> std::same_as<Bytes>;
  { C::H5(p) } -> std::same_as<Bytes>;
  { C::HDKG(p) } -> std::same_as<typename C::Scalar>;
};

static_assert(FrostCiphersuite<FrostSecp256k1>);
static_assert(FrostCiphersuite<FrostSecp256k1Tr>);
static_assert(FrostCiphersuite<FrostEd25519>);

}  // namespace tsign

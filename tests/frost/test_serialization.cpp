// Wire forms: every encoding round-trips, and every malformed form is refused.
#include <catch2/catch.hpp>

#include "frost_helpers.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

// Every strict prefix and one trailing byte are refused.
template <class Decode>
void check_truncations(ByteSpan bytes, Decode decode) {
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    INFO("cut at " << cut);
    CHECK_FALSE(decode(bytes.first(cut)).ok());
  }
  Bytes longer(bytes.begin(), bytes.end());
  longer.push_back(0);
  CHECK_FALSE(decode(longer).ok());
}

// Header: magic (4) ‖ version (2) ‖ name length (4) ‖ name.
template <class C>
constexpr std::size_t header_size() {
  return 4 + 2 + 4 + C::kName.size();
}

template <class Decode>
void check_header(Bytes bytes, Decode decode) {
  Bytes bad_magic = bytes;
  bad_magic[0] ^= 1;
  CHECK_FALSE(decode(bad_magic).ok());
  Bytes bad_version = bytes;
  bad_version[5] = 2;
  CHECK_FALSE(decode(bad_version).ok());
  Bytes bad_suite = bytes;
  bad_suite[10] ^= 0x20;
  CHECK_FALSE(decode(bad_suite).ok());
}

template <class C>
Bytes identity_encoding() {
  if constexpr (std::is_same_v<GroupOf<C>, Ed25519>) {
    Bytes b(32, 0);
    b[0] = 1;
    return b;
  } else {
    return Bytes(33, 0);
  }
}

template <class C>
Bytes off_curve_encoding() {
  Bytes b(GroupOf<C>::kPointSize, 0xff);  // x (or y) not below the field prime
  if constexpr (!std::is_same_v<GroupOf<C>, Ed25519>) b[0] = 0x02;
  else b[31] = 0x7f;
  return b;
}

Bytes replaced(Bytes bytes, std::size_t at, ByteSpan with) {
  std::copy(with.begin(), with.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at));
  return bytes;
}

}  // namespace

TEMPLATE_TEST_CASE("commitments encode strictly", "[serialization]", FrostSecp256k1, FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  auto shares = deal<C>(2, range_ids(3));
  auto nonces = commit<C>(shares[1]);
  REQUIRE(nonces.ok());
  const Bytes enc = nonces->commitments().encode();
  CHECK(enc.size() == header_size<C>() + 4 + 2 * GroupOf<C>::kPointSize);
  auto back = SigningCommitments<C>::decode(enc);
  REQUIRE(back.ok());
  CHECK(*back == nonces->commitments());

  auto decode = [](ByteSpan b) { return SigningCommitments<C>::decode(b); };
  check_truncations(enc, decode);
  check_header(enc, decode);
  const std::size_t id_at = header_size<C>(), hiding_at = id_at + 4, binding_at = hiding_at + GroupOf<C>::kPointSize;
  CHECK_FALSE(decode(replaced(enc, id_at, Bytes(4, 0))).ok());
  CHECK_FALSE(decode(replaced(enc, hiding_at, identity_encoding<C>())).ok());
  CHECK_FALSE(decode(replaced(enc, binding_at, identity_encoding<C>())).ok());
  CHECK_FALSE(decode(replaced(enc, hiding_at, off_curve_encoding<C>())).ok());
  // Another suite's commitments are refused.
  if constexpr (std::is_same_v<C, FrostSecp256k1>) {
    CHECK_FALSE(SigningCommitments<FrostSecp256k1Tr>::decode(enc).ok());
  } else if constexpr (std::is_same_v<C, FrostSecp256k1Tr>) {
    CHECK_FALSE(SigningCommitments<FrostSecp256k1>::decode(enc).ok());
  }
}

TEMPLATE_TEST_CASE("signing packages encode strictly", "[serialization]", FrostSecp256k1, FrostSecp256k1Tr,
                   FrostEd25519) {
  using C = TestType;
  const std::vector<PartyId> signers{9, 2, 5};
  auto shares = deal<C>(3, std::vector<PartyId>{2, 5, 9});
  for (const auto& taproot : {TaprootTweak::none(), TaprootTweak::no_scripts(), TaprootTweak::with_merkle_root(random_array<32>())}) {
    if (!C::kTaproot && taproot.mode != TaprootTweak::Mode::None) continue;
    auto r1 = run_round1<C>(shares, signers, random_message(), taproot);
    const Bytes enc = r1.package.encode();
    auto back = SigningPackage<C>::decode(enc);
    REQUIRE(back.ok());
    CHECK(back->message == r1.package.message);
    CHECK(back->taproot == taproot);
    REQUIRE(back->commitments.size() == 3);
    CHECK(back->signers() == std::vector<PartyId>{2, 5, 9});  // encoded in ascending order
    for (const auto& c : back->commitments) CHECK(*r1.package.find(c.identifier) == c);
    CHECK(back->encode() == enc);
    auto decode = [](ByteSpan b) { return SigningPackage<C>::decode(b); };
    check_truncations(enc, decode);
    check_header(enc, decode);
  }

  auto r1 = run_round1<C>(shares, signers, Bytes{1, 2, 3}, TaprootTweak::none());
  const Bytes enc = r1.package.encode();
  const std::size_t msg_at = header_size<C>();
  const std::size_t count_at = msg_at + 4 + 3 + (C::kTaproot ? 1 : 0);
  const std::size_t body = 4 + 2 * GroupOf<C>::kPointSize;
  // A message length beyond the limit.
  CHECK_FALSE(SigningPackage<C>::decode(replaced(enc, msg_at, Bytes{0x00, 0x10, 0x00, 0x01})).ok());
  // No signers, or a count beyond the limit.
  CHECK_FALSE(SigningPackage<C>::decode(replaced(Bytes(enc.begin(), enc.begin() + static_cast<std::ptrdiff_t>(count_at + 4)),
                                                 count_at, Bytes{0, 0, 0, 0})).ok());
  CHECK_FALSE(SigningPackage<C>::decode(replaced(enc, count_at, Bytes{0xff, 0xff, 0xff, 0xff})).ok());
  // Identifiers out of order, or the same twice.
  Bytes unordered = enc;
  std::rotate(unordered.begin() + static_cast<std::ptrdiff_t>(count_at + 4),
              unordered.begin() + static_cast<std::ptrdiff_t>(count_at + 4 + body),
              unordered.begin() + static_cast<std::ptrdiff_t>(count_at + 4 + 2 * body));
  auto out_of_order = SigningPackage<C>::decode(unordered);
  REQUIRE_FALSE(out_of_order.ok());
  Bytes twice = enc;
  std::copy(enc.begin() + static_cast<std::ptrdiff_t>(count_at + 4),
            enc.begin() + static_cast<std::ptrdiff_t>(count_at + 4 + body),
            twice.begin() + static_cast<std::ptrdiff_t>(count_at + 4 + body));
  auto duplicate = SigningPackage<C>::decode(twice);
  REQUIRE_FALSE(duplicate.ok());
  CHECK(duplicate.error().culprits == std::vector<PartyId>{2});
  // An identity commitment.
  CHECK_FALSE(SigningPackage<C>::decode(replaced(enc, count_at + 4 + 4, identity_encoding<C>())).ok());
  if constexpr (C::kTaproot) {
    CHECK_FALSE(SigningPackage<C>::decode(replaced(enc, count_at - 1, Bytes{3})).ok());  // unknown tweak mode
  }
}

TEMPLATE_TEST_CASE("signature shares and signatures encode strictly", "[serialization]", FrostSecp256k1,
                   FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  auto shares = deal<C>(2, range_ids(3));
  const std::vector<PartyId> signers{1, 2};
  auto r1 = run_round1<C>(shares, signers, random_message());
  auto z = sign(r1.package, std::move(r1.nonces[0]), shares[0]);
  REQUIRE(z.ok());
  const Bytes enc = z->encode();
  CHECK(enc.size() == header_size<C>() + 4 + 32);
  auto back = SignatureShare<C>::decode(enc);
  REQUIRE(back.ok());
  CHECK(*back == *z);
  auto decode = [](ByteSpan b) { return SignatureShare<C>::decode(b); };
  check_truncations(enc, decode);
  check_header(enc, decode);
  CHECK_FALSE(decode(replaced(enc, header_size<C>(), Bytes(4, 0))).ok());                // zero identifier
  CHECK_FALSE(decode(replaced(enc, header_size<C>() + 4, Bytes(32, 0xff))).ok());        // not below the order

  auto sig = sign_with<C>(shares, signers, random_message());
  REQUIRE(sig.ok());
  const auto sig_bytes = sig->to_bytes();
  CHECK(sig_bytes.size() == (std::is_same_v<C, FrostSecp256k1> ? 65u : 64u));
  auto sig_back = Signature<C>::from_bytes(sig_bytes);
  REQUIRE(sig_back.ok());
  CHECK(*sig_back == *sig);
  auto sig_decode = [](ByteSpan b) { return Signature<C>::from_bytes(b); };
  check_truncations(sig_bytes, sig_decode);
  for (std::size_t size : {sig_bytes.size() - 1, sig_bytes.size() + 1}) {
    Bytes resized(sig_bytes.begin(), sig_bytes.end());
    resized.resize(size);
    auto refused = sig_decode(resized);
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::Contains("must be " + std::to_string(sig_bytes.size()) + " bytes"));
  }
  Bytes bad_z(sig_bytes.begin(), sig_bytes.end());
  std::fill(bad_z.end() - 32, bad_z.end(), 0xff);
  CHECK_FALSE(sig_decode(bad_z).ok());
  Bytes bad_r(sig_bytes.begin(), sig_bytes.end());
  if constexpr (C::kTaproot) {
    std::fill(bad_r.begin(), bad_r.begin() + 32, 0xff);
  } else {
    bad_r = replaced(bad_r, 0, off_curve_encoding<C>());
  }
  CHECK_FALSE(sig_decode(bad_r).ok());
}

TEMPLATE_TEST_CASE("key packages and public key packages encode strictly", "[serialization]", FrostSecp256k1,
                   FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  using Point = typename C::Point;
  auto shares = deal<C>(2, std::vector<PartyId>{3, 8, 11});
  const auto key = KeyPackage<C>::from_key_share(shares[1]);
  const SecretBytes key_enc = key.encode();
  const Bytes kb(key_enc.expose().begin(), key_enc.expose().end());
  auto key_back = KeyPackage<C>::decode(kb);
  REQUIRE(key_back.ok());
  CHECK(key_back->identifier == 8);
  CHECK(key_back->min_signers == 2);
  CHECK(key_back->signing_share.expose() == key.signing_share.expose());
  CHECK(key_back->verifying_share == key.verifying_share);
  CHECK(key_back->verifying_key == key.verifying_key);
  auto key_decode = [](ByteSpan b) { return KeyPackage<C>::decode(b); };
  check_truncations(kb, key_decode);
  check_header(kb, key_decode);
  const std::size_t at = header_size<C>();
  CHECK_FALSE(key_decode(replaced(kb, at, Bytes(4, 0))).ok());       // zero identifier
  CHECK_FALSE(key_decode(replaced(kb, at + 4, Bytes(4, 0))).ok());   // zero threshold
  Bytes flipped = kb;
  flipped[at + 8 + 31] ^= 1;  // the share no longer matches the verifying share
  auto mismatch = key_decode(flipped);
  REQUIRE_FALSE(mismatch.ok());
  CHECK(mismatch.error().kind == ErrorKind::InvalidKeyShare);

  const auto pub = PublicKeyPackage<C>::from_key_share(shares[0]);
  const Bytes pb = pub.encode();
  auto pub_back = PublicKeyPackage<C>::decode(pb);
  REQUIRE(pub_back.ok());
  CHECK(pub_back->verifying_shares == pub.verifying_shares);
  CHECK(pub_back->verifying_key == pub.verifying_key);
  CHECK(pub_back->min_signers == 2);
  CHECK(pub_back->encode() == pb);
  auto pub_decode = [](ByteSpan b) { return PublicKeyPackage<C>::decode(b); };
  check_truncations(pb, pub_decode);
  check_header(pb, pub_decode);
  const std::size_t entry = 4 + GroupOf<C>::kPointSize;
  CHECK_FALSE(pub_decode(replaced(pb, at, Bytes(4, 0))).ok());            // min_signers 0
  CHECK_FALSE(pub_decode(replaced(pb, at, Bytes{0, 0, 0, 4})).ok());      // more than the holders
  CHECK_FALSE(pub_decode(replaced(pb, at + 8, Bytes{0, 0, 0, 8})).ok());  // ids not ascending (8, 8)
  CHECK_FALSE(pub_decode(replaced(pb, at + 8, Bytes(4, 0))).ok());        // zero id
  // The entries of parties 3 and 8 swapped: the same content, but not in ascending order.
  Bytes swapped = pb;
  const auto first = swapped.begin() + static_cast<std::ptrdiff_t>(at + 8);
  std::rotate(first, first + static_cast<std::ptrdiff_t>(entry), first + static_cast<std::ptrdiff_t>(2 * entry));
  auto unordered = pub_decode(swapped);
  REQUIRE_FALSE(unordered.ok());
  CHECK_THAT(unordered.error().message, Catch::Contains("identifiers not strictly ascending (or zero) at 3"));
  // A verifying share that does not interpolate to the group key.
  const Point other = Point::base_mul(C::Scalar::random());
  CHECK_FALSE(pub_decode(replaced(pb, at + 8 + 4, other.to_bytes())).ok());
  CHECK_FALSE(pub_decode(replaced(pb, at + 8 + entry + 4, identity_encoding<C>())).ok());
}

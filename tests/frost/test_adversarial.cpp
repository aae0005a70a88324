// Adversarial inputs to round 2 and aggregation, each refused with the expected error and
// culprits; the single-use nonce rules.
#include <catch2/catch.hpp>

#include "frost_helpers.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

template <class C>
struct Setup {
  std::vector<PartyId> ids = range_ids(5);
  std::vector<PartyId> signers{1, 2, 4, 5};
  std::vector<KeyShare<GroupOf<C>>> shares = deal<C>(3, ids);
  PublicKeyPackage<C> pub = PublicKeyPackage<C>::from_key_share(shares.front());
  Bytes message = random_message();
  TaprootTweak taproot = C::kTaproot ? TaprootTweak::no_scripts() : TaprootTweak::none();
  Round1<C> r1 = run_round1<C>(shares, signers, message, taproot);

  const KeyShare<GroupOf<C>>& key(PartyId id) const { return share_of<C>(shares, id); }
  std::size_t pos(PartyId id) const {
    return static_cast<std::size_t>(std::find(signers.begin(), signers.end(), id) - signers.begin());
  }
  Result<SignatureShare<C>> sign_as(PartyId id) { return sign(r1.package, std::move(r1.nonces[pos(id)]), key(id)); }
  std::vector<SignatureShare<C>> sign_all() {
    std::vector<SignatureShare<C>> out;
    for (PartyId id : signers) {
      auto z = sign_as(id);
      if (!z.ok()) throw std::runtime_error(z.error().describe());
      out.push_back(*z);
    }
    return out;
  }
};

template <class Out>
void check_error(const Result<Out>& r, ErrorKind kind, std::vector<PartyId> culprits) {
  REQUIRE_FALSE(r.ok());
  INFO(r.error().describe());
  CHECK(r.error().kind == kind);
  CHECK(r.error().culprits == culprits);
}

// Compile-time guarantees: nonces cannot be copied, and round 2 does not take an lvalue.
template <class C>
constexpr bool sign_takes_lvalue =
    requires(const SigningPackage<C>& p, SigningNonces<C>& n, const KeyShare<GroupOf<C>>& k) { frost::sign(p, n, k); };

}  // namespace

TEMPLATE_TEST_CASE("nonces are single-use", "[adversarial]", FrostSecp256k1, FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  static_assert(!std::is_copy_constructible_v<SigningNonces<C>>);
  static_assert(!std::is_copy_assignable_v<SigningNonces<C>>);
  static_assert(std::is_nothrow_move_constructible_v<SigningNonces<C>>);
  static_assert(!sign_takes_lvalue<C>);

  Setup<C> s;
  auto& nonces = s.r1.nonces[0];
  REQUIRE(nonces.usable());
  REQUIRE(sign(s.r1.package, std::move(nonces), s.key(1)).ok());
  CHECK_FALSE(nonces.usable());  // consumed: wiped inside round 2
  check_error(sign(s.r1.package, std::move(nonces), s.key(1)), ErrorKind::InvalidInput, {});

  // A moved-from object is refused too.
  auto moved = std::move(s.r1.nonces[1]);
  CHECK(moved.usable());
  CHECK_FALSE(s.r1.nonces[1].usable());
  check_error(sign(s.r1.package, std::move(s.r1.nonces[1]), s.key(2)), ErrorKind::InvalidInput, {});

  // A refused package consumes the nonces as well: start again from round 1.
  auto pkg = s.r1.package;
  pkg.message.push_back(0);
  pkg.commitments.pop_back();
  pkg.commitments.pop_back();
  CHECK_FALSE(sign(pkg, std::move(moved), s.key(2)).ok());
  CHECK_FALSE(moved.usable());
}

TEMPLATE_TEST_CASE("corrupted signature shares are all named", "[adversarial]", FrostSecp256k1, FrostSecp256k1Tr,
                   FrostEd25519) {
  using C = TestType;
  using Scalar = typename C::Scalar;
  Setup<C> s;
  auto z = s.sign_all();
  REQUIRE(aggregate(s.r1.package, z, s.pub).ok());
  for (const auto& share : z) CHECK(verify_signature_share(s.r1.package, share, s.pub).ok());

  z[1].share += Scalar::one();  // party 2
  z[3].share = Scalar::random();  // party 5
  check_error(aggregate(s.r1.package, z, s.pub), ErrorKind::ProtocolAborted, {2, 5});
  auto single = verify_signature_share(s.r1.package, z[1], s.pub);
  REQUIRE_FALSE(single.ok());
  CHECK(single.error().culprits == std::vector<PartyId>{2});
  CHECK(verify_signature_share(s.r1.package, z[0], s.pub).ok());
}

TEMPLATE_TEST_CASE("a signer that signs against a different commitment is named", "[adversarial]", FrostSecp256k1,
                   FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  Setup<C> s;
  // Party 4 signs a package in which its commitment differs from the one everyone else sees
  // (it equivocated, or was shown another package): its share fails, and only it is named.
  auto fresh = commit<C>(s.key(4));
  REQUIRE(fresh.ok());
  auto forked = s.r1.package;
  *std::find_if(forked.commitments.begin(), forked.commitments.end(), [](auto& c) { return c.identifier == 4; }) =
      fresh->commitments();
  std::vector<SignatureShare<C>> z;
  for (PartyId id : s.signers) {
    if (id == 4) {
      auto bad = sign(forked, std::move(fresh).value(), s.key(4));
      REQUIRE(bad.ok());
      z.push_back(*bad);
    } else {
      z.push_back(*s.sign_as(id));
    }
  }
  check_error(aggregate(s.r1.package, z, s.pub), ErrorKind::ProtocolAborted, {4});
}

TEMPLATE_TEST_CASE("round 2 refuses a package whose commitment for us is not ours", "[adversarial]", FrostSecp256k1,
                   FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  Setup<C> s;
  auto replayed = commit<C>(s.key(1));  // e.g. commitments replayed from another session
  REQUIRE(replayed.ok());
  auto pkg = s.r1.package;
  pkg.commitments[0] = replayed->commitments();
  check_error(sign(pkg, std::move(s.r1.nonces[0]), s.key(1)), ErrorKind::InvalidInput, {});
}

TEMPLATE_TEST_CASE("round 2 refuses a package without our commitment", "[adversarial]", FrostSecp256k1,
                   FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  Setup<C> s;
  auto pkg = s.r1.package;
  pkg.commitments.erase(pkg.commitments.begin());  // party 1 left out; 3 signers remain
  auto refused = sign(pkg, std::move(s.r1.nonces[0]), s.key(1));
  check_error(refused, ErrorKind::InvalidInput, {});
  CHECK_THAT(refused.error().message, Catch::Contains("has no commitment from this party (1)"));
}

TEMPLATE_TEST_CASE("duplicated signers are refused", "[adversarial]", FrostSecp256k1, FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  Setup<C> s;
  auto pkg = s.r1.package;
  pkg.commitments.push_back(pkg.commitments[2]);  // party 4 twice
  check_error(sign(pkg, std::move(s.r1.nonces[0]), s.key(1)), ErrorKind::InvalidInput, {4});
  check_error(SigningContext<C>::create(pkg, s.pub), ErrorKind::InvalidInput, {4});
  // A duplicated share is refused by the aggregator.
  s.r1 = run_round1<C>(s.shares, s.signers, s.message, s.taproot);
  auto z = s.sign_all();
  z.push_back(z[1]);
  check_error(aggregate(s.r1.package, z, s.pub), ErrorKind::InvalidInput, {2});
  // A missing or a foreign share too.
  z.pop_back();
  auto foreign = z;
  foreign[0].identifier = 3;
  check_error(aggregate(s.r1.package, foreign, s.pub), ErrorKind::InvalidInput, {3});
  z.pop_back();
  check_error(aggregate(s.r1.package, z, s.pub), ErrorKind::InvalidInput, {5});
}

TEMPLATE_TEST_CASE("identity commitments are refused and named", "[adversarial]", FrostSecp256k1, FrostSecp256k1Tr,
                   FrostEd25519) {
  using C = TestType;
  Setup<C> s;
  auto pkg = s.r1.package;
  pkg.commitments[1].binding = C::Point::identity();  // party 2
  pkg.commitments[3].hiding = C::Point::identity();   // party 5
  check_error(sign(pkg, std::move(s.r1.nonces[0]), s.key(1)), ErrorKind::ProtocolAborted, {2, 5});
  check_error(SigningContext<C>::create(pkg, s.pub), ErrorKind::ProtocolAborted, {2, 5});
}

TEMPLATE_TEST_CASE("signers that do not hold the key are refused", "[adversarial]", FrostSecp256k1, FrostSecp256k1Tr,
                   FrostEd25519) {
  using C = TestType;
  Setup<C> s;
  auto pkg = s.r1.package;
  auto c = pkg.commitments[1];
  c.identifier = 77;
  pkg.commitments.push_back(c);
  check_error(sign(pkg, std::move(s.r1.nonces[0]), s.key(1)), ErrorKind::InvalidInput, {77});
}

TEMPLATE_TEST_CASE("a message or tweak changed after round 1 breaks the signature", "[adversarial]", FrostSecp256k1,
                   FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  Setup<C> s;
  // Signer 1 is shown another message: the binding factors change, its share no longer fits.
  auto other = s.r1.package;
  other.message.push_back(42);
  std::vector<SignatureShare<C>> z;
  for (PartyId id : s.signers) {
    if (id == 1) {
      z.push_back(*sign(other, std::move(s.r1.nonces[0]), s.key(1)));
    } else {
      z.push_back(*s.sign_as(id));
    }
  }
  check_error(aggregate(s.r1.package, z, s.pub), ErrorKind::ProtocolAborted, {1});
  if constexpr (!C::kTaproot) {
    auto tweaked = s.r1.package;
    tweaked.taproot = TaprootTweak::no_scripts();
    check_error(SigningContext<C>::create(tweaked, s.pub), ErrorKind::InvalidInput, {});
  }
}

namespace {

template <class R>
void check_refusal(const R& r, ErrorKind kind, std::vector<PartyId> culprits, const std::string& why) {
  REQUIRE_FALSE(r.ok());
  INFO(r.error().describe());
  CHECK(r.error().kind == kind);
  CHECK(r.error().culprits == culprits);
  CHECK_THAT(r.error().message, Catch::Contains(why));
}

}  // namespace

TEMPLATE_TEST_CASE("share verification and aggregation refuse key packages of another key", "[adversarial]",
                   FrostSecp256k1, FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  Setup<C> s;
  auto z = s.sign_all();
  const auto context = SigningContext<C>::create(s.r1.package, s.pub).value();
  const auto other = PublicKeyPackage<C>::from_key_share(deal<C>(3, s.ids).front());
  const std::string why = "the signing context was built for another key";
  check_refusal(verify_signature_share(context, z[0], other), ErrorKind::InvalidInput, {}, why);
  check_refusal(aggregate(context, z, other), ErrorKind::InvalidInput, {}, why);
  REQUIRE(aggregate(context, z, s.pub).ok());
}

TEMPLATE_TEST_CASE("share verification refuses a share from a party that is not a signer", "[adversarial]",
                   FrostSecp256k1, FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  Setup<C> s;
  auto z = s.sign_all();
  auto foreign = z[0];
  foreign.identifier = 3;  // holds the key, but did not sign
  check_refusal(verify_signature_share(s.r1.package, foreign, s.pub), ErrorKind::InvalidInput, {3},
                "signature share from party 3, which is not a signer");
}

TEMPLATE_TEST_CASE("share verification and blame need the verifying share of every signer", "[adversarial]",
                   FrostSecp256k1, FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  Setup<C> s;
  auto z = s.sign_all();
  // The context comes from a key share that lists party 2; the key package given lacks its share.
  const auto context = SigningContext<C>::create(s.r1.package, s.key(1)).value();
  auto partial = s.pub;
  partial.verifying_shares.erase(2);
  check_refusal(verify_signature_share(context, z[1], partial), ErrorKind::InvalidInput, {2},
                "no verifying share for party 2");
  // A wrong share makes aggregation look for the culprit, which needs every verifying share.
  z[2].share += C::Scalar::one();  // party 4
  check_refusal(aggregate(context, z, partial), ErrorKind::InvalidInput, {2}, "no verifying share for signers 2");
  check_error(aggregate(context, z, s.pub), ErrorKind::ProtocolAborted, {4});
}

TEMPLATE_TEST_CASE("signing refuses a key share without a signing share or identifier", "[adversarial]", FrostSecp256k1,
                   FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  Setup<C> s;
  auto empty = s.key(1).clone();
  empty.signing_share.reset();
  check_refusal(commit<C>(empty), ErrorKind::InvalidKeyShare, {}, "key share holds no signing share");
  check_refusal(sign(s.r1.package, std::move(s.r1.nonces[0]), empty), ErrorKind::InvalidKeyShare, {},
                "key share holds no signing share");
  auto nameless = s.key(1).clone();
  nameless.self = 0;
  check_refusal(commit<C>(nameless), ErrorKind::InvalidKeyShare, {}, "key share has no party identifier");
}

TEMPLATE_TEST_CASE("signing refuses a context built for another key", "[adversarial]", FrostSecp256k1,
                   FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  Setup<C> s;
  // The same signers and commitments, judged under another key of the same holders.
  const auto other = PublicKeyPackage<C>::from_key_share(deal<C>(3, s.ids).front());
  const auto context = SigningContext<C>::create(s.r1.package, other).value();
  check_refusal(sign(context, std::move(s.r1.nonces[0]), s.key(1)), ErrorKind::InvalidInput, {},
                "the signing context was built for another key");
}

TEMPLATE_TEST_CASE("a signing context refuses the identity as group key", "[adversarial]", FrostSecp256k1,
                   FrostSecp256k1Tr, FrostEd25519) {
  using C = TestType;
  Setup<C> s;
  auto broken = s.pub;
  broken.verifying_key = C::Point::identity();
  check_refusal(SigningContext<C>::create(s.r1.package, broken), ErrorKind::InvalidKeyShare, {},
                "the group key is the identity");
}

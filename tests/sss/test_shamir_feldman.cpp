// Shamir sharing and Feldman VSS over both groups: correctness, random (t, n), and bad input.
#include <catch2/catch.hpp>

#include <numeric>
#include <random>

#include "tsign/core/random.hpp"
#include "tsign/sss/shamir.hpp"

using namespace tsign;

namespace {

std::vector<PartyId> sequential_ids(std::uint32_t n) {
  std::vector<PartyId> ids(n);
  std::iota(ids.begin(), ids.end(), 1u);
  return ids;
}

// Distinct random identifiers, many above 255.
std::vector<PartyId> random_ids(std::uint32_t n) {
  std::vector<PartyId> ids;
  while (ids.size() < n) {
    PartyId id = static_cast<PartyId>(1 + random_below(1u << 20));
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

template <class G>
std::vector<Share<G>> pick(const std::vector<Share<G>>& all, std::vector<std::size_t> idx) {
  std::vector<Share<G>> out;
  for (auto i : idx) out.push_back(all[i]);
  return out;
}

}  // namespace

TEMPLATE_TEST_CASE("Shamir 3-of-5 reconstructs from every 3-subset", "", Secp256k1, Ed25519) {
  using S = typename TestType::Scalar;
  S secret = S::random();
  auto ids = sequential_ids(5);
  auto dealing = shamir_split<TestType>(secret, 3, ids);
  REQUIRE(dealing.ok());
  for (std::size_t a = 0; a < 5; ++a)
    for (std::size_t b = a + 1; b < 5; ++b)
      for (std::size_t c = b + 1; c < 5; ++c) {
        auto subset = pick(dealing->shares, {a, b, c});
        auto rec = shamir_reconstruct<TestType>(subset, 3);
        REQUIRE(rec.ok());
        CHECK(*rec == secret);
        // A 2-subset interpolates to something else (with overwhelming probability).
        auto two = pick(dealing->shares, {a, b});
        auto wrong = shamir_reconstruct<TestType>(two, 2);
        REQUIRE(wrong.ok());
        CHECK_FALSE(*wrong == secret);
      }
  auto all = shamir_reconstruct<TestType>(dealing->shares, 3);
  REQUIRE(all.ok());
  CHECK(*all == secret);
}

TEMPLATE_TEST_CASE("Shamir and Feldman over random (t, n) and identifiers", "", Secp256k1, Ed25519) {
  using S = typename TestType::Scalar;
  std::mt19937 rng(static_cast<unsigned>(random_below(1u << 31)));
  for (int round = 0; round < 6; ++round) {
    const auto n = static_cast<std::uint32_t>(1 + rng() % 12);
    const auto t = static_cast<std::uint32_t>(1 + rng() % n);
    auto ids = random_ids(n);
    S secret = S::random();
    auto dealing = shamir_split<TestType>(secret, t, ids);
    REQUIRE(dealing.ok());
    CHECK(dealing->commitment.threshold() == t);
    CHECK(dealing->commitment.constant() == TestType::Point::base_mul(secret));
    for (const auto& share : dealing->shares) {
      DealtShare<TestType> dealt{7, share.value, &dealing->commitment};
      CHECK(feldman_verify<TestType>(share.id, dealt).ok());
    }
    std::vector<std::size_t> idx(n);
    std::iota(idx.begin(), idx.end(), 0);
    std::shuffle(idx.begin(), idx.end(), rng);
    idx.resize(t);
    auto rec = shamir_reconstruct<TestType>(pick(dealing->shares, idx), t);
    REQUIRE(rec.ok());
    CHECK(*rec == secret);
  }
}

TEMPLATE_TEST_CASE("Lagrange coefficients interpolate at zero and at any x", "", Secp256k1, Ed25519) {
  using S = typename TestType::Scalar;
  auto poly = Polynomial<TestType>::random(3, S::random());
  std::vector<PartyId> set = {3, 9, 300, 70000};
  S x = S::random();
  for (const S& at : {S::zero(), x}) {
    auto lambdas = lagrange_coefficients<TestType>(set, at);
    REQUIRE(lambdas.ok());
    S acc;
    for (std::size_t i = 0; i < set.size(); ++i) {
      acc += (*lambdas)[i] * poly.evaluate(identifier_scalar<TestType>(set[i]));
      auto single = lagrange_coefficient<TestType>(set[i], set, at);
      REQUIRE(single.ok());
      CHECK(*single == (*lambdas)[i]);
    }
    CHECK(acc == poly.evaluate(at));
  }
  CHECK_FALSE(lagrange_coefficient<TestType>(5, set).ok());
}

TEMPLATE_TEST_CASE("batch Feldman verification accepts honest dealers and names every bad one", "", Secp256k1, Ed25519) {
  using S = typename TestType::Scalar;
  const std::uint32_t t = 3;
  auto ids = sequential_ids(6);
  std::vector<Dealing<TestType>> dealings;
  for (int d = 0; d < 6; ++d) dealings.push_back(shamir_split<TestType>(S::random(), t, ids).value());
  const PartyId recipient = 4;
  auto shares_for = [&](std::vector<PartyId> cheaters) {
    std::vector<DealtShare<TestType>> out;
    for (std::size_t d = 0; d < dealings.size(); ++d) {
      const PartyId dealer = static_cast<PartyId>(d + 1);
      S value = dealings[d].shares[recipient - 1].value;
      if (std::find(cheaters.begin(), cheaters.end(), dealer) != cheaters.end()) value += S::one();
      out.push_back({dealer, value, &dealings[d].commitment});
    }
    return out;
  };
  CHECK(feldman_verify_batch<TestType>(recipient, shares_for({})).ok());
  auto one_bad = feldman_verify_batch<TestType>(recipient, shares_for({2}));
  REQUIRE_FALSE(one_bad.ok());
  CHECK(one_bad.error().kind == ErrorKind::ProtocolAborted);
  CHECK(one_bad.error().culprits == std::vector<PartyId>{2});
  auto two_bad = feldman_verify_batch<TestType>(recipient, shares_for({3, 6}));
  REQUIRE_FALSE(two_bad.ok());
  CHECK(two_bad.error().culprits == std::vector<PartyId>{3, 6});

  // A commitment of the wrong length names its dealer.
  auto shares = shares_for({});
  FeldmanCommitment<TestType> short_commitment(
      std::vector<typename TestType::Point>(dealings[4].commitment.coefficients().begin(),
                                            dealings[4].commitment.coefficients().begin() + 2));
  shares[4].commitment = &short_commitment;
  auto shape = feldman_verify_batch<TestType>(recipient, shares);
  REQUIRE_FALSE(shape.ok());
  CHECK(shape.error().culprits == std::vector<PartyId>{5});
}

TEMPLATE_TEST_CASE("Feldman commitments and shares encode strictly", "", Secp256k1, Ed25519) {
  using S = typename TestType::Scalar;
  auto dealing = shamir_split<TestType>(S::random(), 3, sequential_ids(4)).value();
  Bytes enc = dealing.commitment.encode();
  {
    Reader r(enc, "commitment");
    auto back = FeldmanCommitment<TestType>::decode(r, 3);
    REQUIRE(back.ok());
    CHECK(r.finish().ok());
    CHECK(back->coefficients() == dealing.commitment.coefficients());
  }
  {
    Reader r(enc, "commitment");
    CHECK_FALSE(FeldmanCommitment<TestType>::decode(r, 2).ok());  // wrong length
  }
  {
    Bytes cut(enc.begin(), enc.end() - 1);
    Reader r(cut, "commitment");
    CHECK_FALSE(FeldmanCommitment<TestType>::decode(r, 3).ok());  // truncated
  }
  {
    Bytes bad = enc;
    bad[4 + TestType::kPointSize + 3] ^= 0x55;  // corrupt the second point
    Reader r(bad, "commitment");
    auto res = FeldmanCommitment<TestType>::decode(r, 3);
    if (res.ok()) CHECK_FALSE(res->coefficients() == dealing.commitment.coefficients());
  }
  {
    FeldmanCommitment<TestType> zero_constant({TestType::Point::identity(), TestType::Point::generator()});
    Bytes z = zero_constant.encode();
    Reader r1(z, "commitment");
    CHECK_FALSE(FeldmanCommitment<TestType>::decode(r1, 2).ok());
    Reader r2(z, "commitment");
    CHECK(FeldmanCommitment<TestType>::decode(r2, 2, true).ok());
  }
  Writer w;
  dealing.shares[1].encode(w);
  Bytes share_enc = std::move(w).take();
  Reader r(share_enc, "share");
  auto share = Share<TestType>::decode(r);
  REQUIRE(share.ok());
  CHECK(share->id == dealing.shares[1].id);
  CHECK(share->value == dealing.shares[1].value);
  Bytes zero_id = share_enc;
  zero_id[3] = 0;
  zero_id[2] = 0;
  Reader rz(zero_id, "share");
  CHECK_FALSE(Share<TestType>::decode(rz).ok());
  Bytes big = share_enc;
  std::fill(big.begin() + 4, big.end(), 0xff);
  Reader rb(big, "share");
  CHECK_FALSE(Share<TestType>::decode(rb).ok());
}

TEST_CASE("bad sharing parameters get clear errors naming the identifiers") {
  using S = Secp256k1Scalar;
  std::vector<PartyId> dup = {1, 2, 2, 3};
  auto r1 = shamir_split<Secp256k1>(S::random(), 2, dup);
  REQUIRE_FALSE(r1.ok());
  CHECK(r1.error().culprits == std::vector<PartyId>{2});
  std::vector<PartyId> zero = {0, 1, 2};
  auto r2 = shamir_split<Secp256k1>(S::random(), 2, zero);
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().culprits == std::vector<PartyId>{0});
  std::vector<PartyId> ids = {1, 2, 3};
  CHECK_FALSE(shamir_split<Secp256k1>(S::random(), 4, ids).ok());
  CHECK_FALSE(shamir_split<Secp256k1>(S::random(), 0, ids).ok());
  auto dealing = shamir_split<Secp256k1>(S::random(), 3, ids).value();
  auto too_few = shamir_reconstruct<Secp256k1>(std::span(dealing.shares).first(2), 3);
  REQUIRE_FALSE(too_few.ok());
  CHECK(too_few.error().message.find("needs 3 shares") != std::string::npos);
  std::vector<Share<Secp256k1>> dup_shares = {dealing.shares[0], dealing.shares[0], dealing.shares[1]};
  auto dup_rec = shamir_reconstruct<Secp256k1>(dup_shares, 3);
  REQUIRE_FALSE(dup_rec.ok());
  CHECK(dup_rec.error().culprits == std::vector<PartyId>{1});
  DealtShare<Secp256k1> no_commitment{9, S::one(), nullptr};
  auto nc = feldman_verify<Secp256k1>(1, no_commitment);
  REQUIRE_FALSE(nc.ok());
  CHECK(nc.error().culprits == std::vector<PartyId>{9});
}

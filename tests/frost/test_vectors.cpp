// Known answers: every vector file in the RFC 9591 / ZcashFoundation layout, in tests/vectors/
// and in $TSIGN_EXTRA_VECTORS, reproduces byte for byte (shares, nonces, commitments, binding
// factors, signature shares, signature) and verifies with the reference verifiers.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "frost/internals.hpp"
#include "frost_helpers.hpp"
#include "support/test_support.hpp"

using namespace tsign;
using namespace tsign::test;
using nlohmann::json;

namespace {

bool has_signing_layout(const json& v) {
  return v.is_object() && v.contains("config") && v.contains("inputs") && v.contains("round_one_outputs") &&
         v.contains("round_two_outputs") && v.contains("final_output") && v["inputs"].contains("participant_shares");
}

std::uint32_t as_count(const json& j) {
  return j.is_string() ? static_cast<std::uint32_t>(std::stoul(j.get<std::string>())) : j.get<std::uint32_t>();
}

template <class Out>
Out parse_or_throw(Result<Out> r) {
  if (!r.ok()) throw std::runtime_error(r.error().describe());
  return std::move(r).value();
}

template <class C>
void run_vector(const json& v) {
  using G = typename C::Group;
  using Scalar = typename C::Scalar;
  using Point = typename C::Point;
  const auto& in = v["inputs"];
  const std::uint32_t t = as_count(v["config"]["MIN_PARTICIPANTS"]);

  // Key generation: the dealer's polynomial reproduces every participant's share.
  std::vector<Scalar> coefficients{parse_or_throw(Scalar::from_bytes(hex(in["group_secret_key"])))};
  for (const auto& c : in["share_polynomial_coefficients"]) coefficients.push_back(parse_or_throw(Scalar::from_bytes(hex(c))));
  REQUIRE(coefficients.size() == t);
  std::vector<PartyId> holders;
  for (const auto& s : in["participant_shares"]) holders.push_back(s["identifier"].get<PartyId>());
  auto dealt = deal_key_shares<G>(Polynomial<G>(coefficients), holders, ByteArray<32>{});
  REQUIRE(dealt.ok());
  const auto& shares = dealt->shares;
  for (const auto& s : in["participant_shares"]) {
    const auto& ks = share_of<C>(shares, s["identifier"].get<PartyId>());
    CHECK(to_hex(ks.signing_share.expose().to_bytes()) == s["participant_share"].get<std::string>());
  }
  const std::string group_key_hex = in.contains("group_public_key") ? in["group_public_key"] : in["verifying_key_key"];
  const Point group_key = shares.front().group_public_key;
  CHECK(to_hex(group_key.to_bytes()) == group_key_hex);

  // Round 1.
  SigningPackage<C> package;
  package.message = hex(in["message"]);
  std::vector<SigningNonces<C>> nonces;
  std::vector<PartyId> signers;
  for (const auto& out : v["round_one_outputs"]["outputs"]) {
    const PartyId id = out["identifier"].get<PartyId>();
    const auto& ks = share_of<C>(shares, id);
    const auto hiding_rand = hex_array<32>(out["hiding_nonce_randomness"]);
    const auto binding_rand = hex_array<32>(out["binding_nonce_randomness"]);
    auto n = parse_or_throw(frost::detail::commit_with_randomness<C>(ks, hiding_rand, binding_rand));
    // The nonces are sealed inside SigningNonces: recompute them as the RFC defines, check them
    // against the vector, and check that commit() committed to exactly them.
    const auto share_bytes = ks.signing_share.expose().to_bytes();
    const Scalar hiding = C::H3({hiding_rand, share_bytes});
    const Scalar binding = C::H3({binding_rand, share_bytes});
    CHECK(to_hex(hiding.to_bytes()) == out["hiding_nonce"].get<std::string>());
    CHECK(to_hex(binding.to_bytes()) == out["binding_nonce"].get<std::string>());
    CHECK(n.commitments().hiding == Point::base_mul(hiding));
    CHECK(n.commitments().binding == Point::base_mul(binding));
    CHECK(to_hex(n.commitments().hiding.to_bytes()) == out["hiding_nonce_commitment"].get<std::string>());
    CHECK(to_hex(n.commitments().binding.to_bytes()) == out["binding_nonce_commitment"].get<std::string>());
    package.commitments.push_back(n.commitments());
    nonces.push_back(std::move(n));
    signers.push_back(id);
  }
  if (in.contains("participant_list")) {
    std::vector<PartyId> listed = in["participant_list"].get<std::vector<PartyId>>();
    std::sort(listed.begin(), listed.end());
    CHECK(listed == package.signers());
  }

  // Binding factors.
  const auto pub = PublicKeyPackage<C>::from_key_share(shares.front());
  auto ctx = SigningContext<C>::create(package, pub);
  REQUIRE(ctx.ok());
  for (const auto& out : v["round_one_outputs"]["outputs"]) {
    const std::size_t index = ctx->index_of(out["identifier"].get<PartyId>());
    REQUIRE(index < ctx->signers().size());
    if (out.contains("binding_factor_input")) {
      CHECK(to_hex(ctx->binding_factor_input(index)) == out["binding_factor_input"].get<std::string>());
    }
    CHECK(to_hex(ctx->binding_factor(index).to_bytes()) == out["binding_factor"].get<std::string>());
  }

  // Round 2.
  std::vector<SignatureShare<C>> sig_shares;
  for (std::size_t i = 0; i < signers.size(); ++i) {
    auto z = sign(package, std::move(nonces[i]), share_of<C>(shares, signers[i]));
    REQUIRE(z.ok());
    sig_shares.push_back(*z);
  }
  for (const auto& out : v["round_two_outputs"]["outputs"]) {
    const PartyId id = out["identifier"].get<PartyId>();
    auto it = std::find_if(sig_shares.begin(), sig_shares.end(), [&](const auto& s) { return s.identifier == id; });
    REQUIRE(it != sig_shares.end());
    CHECK(to_hex(it->share.to_bytes()) == out["sig_share"].get<std::string>());
  }

  // Aggregation and the reference verifiers.
  auto sig = aggregate(package, sig_shares, pub);
  REQUIRE(sig.ok());
  CHECK(to_hex(sig->to_bytes()) == v["final_output"]["sig"].get<std::string>());
  CHECK(reference_verify<C>(package.message, *sig, group_key));
  CHECK(verify_signature_rfc<C>(package.message, *sig, group_key));
  auto decoded = Signature<C>::from_bytes(hex(v["final_output"]["sig"]));
  REQUIRE(decoded.ok());
  CHECK(*decoded == *sig);
}

// Runs every file of the signing-vector layout; returns how many ran.
std::size_t run_all_vectors() {
  std::size_t ran = 0;
  for (const auto& path : vector_files("")) {
    const json v = load_json(path);
    if (!has_signing_layout(v)) continue;
    const std::string group = v["config"]["group"];
    const std::size_t sig_len = hex(v["final_output"]["sig"]).size();
    INFO("vector file " << path.string());
    if (group == "ed25519") {
      run_vector<FrostEd25519>(v);
    } else if (group == "secp256k1" && sig_len == 64) {
      run_vector<FrostSecp256k1Tr>(v);  // BIP-340 x-only signatures
    } else if (group == "secp256k1" && sig_len == 65) {
      run_vector<FrostSecp256k1>(v);
    } else {
      FAIL("vector file of an unsupported suite: " << path.string());
    }
    ++ran;
  }
  return ran;
}

}  // namespace

TEST_CASE("FROST known-answer vectors reproduce byte for byte", "[vectors]") {
  CHECK(run_all_vectors() >= 3);  // rfc9591-secp256k1, rfc9591-ed25519, zf-secp256k1-tr
}

TEST_CASE("FROST vector files in $TSIGN_EXTRA_VECTORS run too", "[vectors]") {
  namespace fs = std::filesystem;
  const char* previous = std::getenv("TSIGN_EXTRA_VECTORS");
  const std::string saved = previous ? previous : "";
  const fs::path dir = fs::temp_directory_path() / ("tsign-frost-vectors-" + to_hex(random_array<8>()));
  fs::create_directories(dir);
  ::unsetenv("TSIGN_EXTRA_VECTORS");
  const std::size_t builtin = run_all_vectors();
  fs::copy_file(fs::path(TSIGN_VECTORS_DIR) / "rfc9591-ed25519-sha512.json", dir / "more-ed25519.json");
  {
    std::ofstream other(dir / "unrelated.json");
    other << "{\"config\": {}}";  // another layout: skipped
  }
  ::setenv("TSIGN_EXTRA_VECTORS", dir.c_str(), 1);
  CHECK(run_all_vectors() == builtin + 1);
  if (previous) {
    ::setenv("TSIGN_EXTRA_VECTORS", saved.c_str(), 1);
  } else {
    ::unsetenv("TSIGN_EXTRA_VECTORS");
  }
  fs::remove_all(dir);
}

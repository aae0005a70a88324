// The request format: canonical signing bytes, a strict decoder, requester lines, the seen set.
#include <catch2/catch.hpp>

#include <fstream>

#include "support/temp_dir.hpp"
#include "tsign/core/random.hpp"
#include "tsign/custody/cluster.hpp"
#include "tsign/service/request.hpp"
#include "tsign/service/requester_key.hpp"
#include "tsign/service/seen_requests.hpp"

namespace tsign::test {

namespace {

ServiceRequest sample() {
  ServiceRequest r;
  r.id = random_bytes(16);
  r.cluster_id = "0123456789abcdef0123456789abcdef";
  r.requester = "app";
  r.created_at = 1'800'000'000;
  r.expires_at = 1'800'000'300;
  r.operation = RequestOperation::Sign;
  r.key_id = random_array<32>();
  r.content = Bytes{'h', 'i'};
  r.signers = {1, 3};
  r.path = {0, 7};
  return r;
}

// The sample's JSON with `from` replaced by `to` once.
std::string edited(const std::string& from, const std::string& to) {
  std::string text = encode_request(sample());
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

}  // namespace

TEST_CASE("request: encodes and decodes to the same signing bytes and the signature verifies") {
  const IdentityKey key = IdentityKey::generate();
  ServiceRequest r = sample();
  sign_request(r, key);
  auto decoded = decode_request(encode_request(r));
  REQUIRE(decoded.ok());
  CHECK(request_signing_bytes(*decoded) == request_signing_bytes(r));
  CHECK(request_signature_valid(*decoded, key.public_key()));
  CHECK_FALSE(request_signature_valid(*decoded, IdentityKey::generate().public_key()));
  // The signed bytes start with the domain and change with every field.
  ServiceRequest other = r;
  other.signers = {1, 2};
  CHECK_FALSE(request_signature_valid(other, key.public_key()));
  other = r;
  other.content = Digest32{};
  CHECK_FALSE(request_signature_valid(other, key.public_key()));
}

TEST_CASE("request: the decoder refuses what is not exactly a request") {
  const std::string text = encode_request(sample());
  CHECK_THAT(decode_request(edited("\"requester\"", "\"requester\":\"x\",\"requester\"")).error().message,
             Catch::Contains("repeated"));
  CHECK_THAT(decode_request(edited("\"requester\"", "\"colour\":1,\"requester\"")).error().message,
             Catch::Contains("'colour'"));
  CHECK_THAT(decode_request(edited("\"requester\"", "\"threshold\":2,\"requester\"")).error().message,
             Catch::Contains("not a field of a sign request"));
  CHECK_THAT(decode_request(edited("\"created_at\":1800000000", "\"created_at\":\"1800000000\"")).error().message,
             Catch::Contains("created_at"));
  CHECK_THAT(decode_request(edited("\"created_at\":1800000000", "\"created_at\":-1")).error().message,
             Catch::Contains("created_at"));
  CHECK_THAT(decode_request(edited("\"version\":1", "\"version\":2")).error().message, Catch::Contains("version"));
  CHECK_THAT(decode_request(edited("[1,3]", "[3,1]")).error().message, Catch::Contains("ascending"));
  CHECK_THAT(decode_request(edited("[1,3]", "[[1],3]")).error().message, Catch::Contains("signers"));
  CHECK_THAT(decode_request(edited("[0,7]", "[2147483648]")).error().message, Catch::Contains("path"));
  CHECK_THAT(decode_request(edited("\"operation\":\"sign\"", "\"operation\":\"burn\"")).error().message,
             Catch::Contains("operation"));
  CHECK_FALSE(decode_request(text.substr(0, text.size() - 1)).ok());
  CHECK_FALSE(decode_request("[]").ok());
  CHECK_THAT(decode_request(std::string(100, '[')).error().message, Catch::Contains("nested"));
  CHECK_THAT(decode_request(std::string(kMaxRequestBytes + 1, ' ')).error().message, Catch::Contains("64 KiB"));
  const std::string long_message = "\"message_hex\":\"" + std::string(2 * kMaxRequestMessage + 2, 'a') + "\"";
  CHECK_THAT(decode_request(edited("\"message_hex\":\"6869\"", long_message)).error().message, Catch::Contains("too long"));
}

TEST_CASE("request: each operation's fields are checked") {
  ServiceRequest r = sample();
  r.operation = RequestOperation::Keygen;
  r.key_id.reset();
  r.content.reset();
  r.signers.clear();
  r.path.clear();
  CHECK_FALSE(check_request_fields(r).ok());  // no suite
  r.suite = ShareSuite::FrostEd25519;
  r.parties = {1, 2, 3};
  r.threshold = 4;
  CHECK_FALSE(check_request_fields(r).ok());
  r.threshold = 2;
  CHECK(check_request_fields(r).ok());
  auto round_trip = decode_request(encode_request(r));
  REQUIRE(round_trip.ok());
  CHECK(round_trip->parties == r.parties);
  r.expires_at = r.created_at;
  CHECK_FALSE(check_request_fields(r).ok());
  r = sample();
  r.id.resize(8);
  CHECK_FALSE(check_request_fields(r).ok());
}

TEST_CASE("request: requester lines of the cluster configuration are parsed strictly") {
  const std::string key(64, 'a');
  const std::string base = "version = 1\nparty = 1 10.0.0.1:7001 " + std::string(64, '1') + " " + std::string(64, '2') +
                           "\nparty = 2 10.0.0.2:7001 " + std::string(64, '3') + " " + std::string(64, '4') + "\n";
  auto ok = parse_cluster(base + "requester = treasury " + key + " sign,health\n");
  REQUIRE(ok.ok());
  REQUIRE(ok->requester("treasury") != nullptr);
  CHECK(ok->requester("treasury")->allows("sign"));
  CHECK_FALSE(ok->requester("treasury")->allows("keygen"));
  CHECK(ok->cluster_id().size() == 32);
  CHECK_FALSE(parse_cluster(base + "requester = treasury " + key + " sign,burn\n").ok());
  CHECK_FALSE(parse_cluster(base + "requester = treasury " + key + " sign,sign\n").ok());
  CHECK_FALSE(parse_cluster(base + "requester = tre$sury " + key + " sign\n").ok());
  CHECK_FALSE(parse_cluster(base + "requester = treasury " + key + "\n").ok());
  CHECK_FALSE(parse_cluster(base + "requester = t " + key + " sign\nrequester = t " + key + " health\n").ok());
}

TEST_CASE("request: the seen set is durable, refuses repeats and forgets expired ids") {
  TempDir dir;
  const auto file = dir / "seen";
  const Bytes a = random_bytes(16), b = random_bytes(16);
  {
    auto seen = SeenRequests::open(file, 100, 10);
    REQUIRE(seen.ok());
    CHECK(seen->insert(a, 200).value());
    CHECK_FALSE(seen->insert(a, 200).value());
    CHECK(seen->insert(b, 150).value());
  }
  {
    auto seen = SeenRequests::open(file, 160, 10);  // b expired
    REQUIRE(seen.ok());
    CHECK(seen->contains(a));
    CHECK_FALSE(seen->contains(b));
    CHECK_FALSE(seen->insert(a, 200).value());
    for (int i = 0; i < 9; ++i) CHECK(seen->insert(random_bytes(16), 300).value());
    CHECK_FALSE(seen->insert(random_bytes(16), 300).ok());  // full
    CHECK(seen->prune(250).ok());
    CHECK(seen->size() == 9);
  }
  // A torn last line (a crash mid-append) is dropped; a damaged one is an error.
  {
    std::ofstream(file, std::ios::app) << "abcd";
    CHECK(SeenRequests::open(file, 0, 10).ok());
    std::ofstream(file, std::ios::app) << "zz 12\n";
    CHECK_FALSE(SeenRequests::open(file, 0, 10).ok());
  }
}

TEST_CASE("request: requester key files are private and read back") {
  TempDir dir;
  const IdentityKey key = IdentityKey::generate();
  REQUIRE(write_requester_key_file(dir / "requester.key", key).ok());
  CHECK_FALSE(write_requester_key_file(dir / "requester.key", key).ok());  // never overwritten
  auto read = read_requester_key_file(dir / "requester.key");
  REQUIRE(read.ok());
  CHECK(read->public_key() == key.public_key());
}

}  // namespace tsign::test

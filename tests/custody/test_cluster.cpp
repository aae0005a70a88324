// The cluster configuration and identity.pub: every malformed line is refused with the reason
// and the line, and what parses is exactly what was written.
#include <catch2/catch.hpp>

#include <fstream>

#include "support/temp_dir.hpp"
#include "tsign/custody/cluster.hpp"
#include "tsign/custody/identity_file.hpp"

using namespace tsign;

namespace {

std::string hex_of(char c) { return std::string(64, c); }

std::string party_line(PartyId id, const std::string& address, char transport, char audit) {
  return "party = " + std::to_string(id) + " " + address + " " + hex_of(transport) + " " + hex_of(audit) + "\n";
}

const std::string kGood = "# a cluster\nversion = 1\n" + party_line(1, "127.0.0.1:7001", '1', '2') +
                          party_line(2, "10.0.0.2:7002", '3', '4');

void refused(const std::string& text, const std::string& reason) {
  INFO(text);
  auto parsed = parse_cluster(text);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().kind == ErrorKind::InvalidInput);
  CHECK_THAT(parsed.error().message, Catch::Contains(reason));
}

}  // namespace

TEST_CASE("cluster: a well-formed configuration parses to its members, sorted") {
  auto cluster = parse_cluster("version = 1\n" + party_line(2, "10.0.0.2:7002", '3', '4') +
                               party_line(1, "127.0.0.1:7001", '1', '2') + "  # trailing comment\n");
  REQUIRE(cluster.ok());
  REQUIRE(cluster->members.size() == 2);
  CHECK(cluster->ids() == std::vector<PartyId>{1, 2});
  CHECK(cluster->members[1].host == "10.0.0.2");
  CHECK(cluster->members[1].port == 7002);
  CHECK(to_hex(cluster->members[0].transport_key) == hex_of('1'));
  CHECK(cluster->find(3) == nullptr);
}

TEST_CASE("cluster: each malformed configuration is refused with its reason") {
  refused(std::string(kMaxClusterBytes + 1, '#'), "too large");
  refused("version 1\n", "line 1: expected 'key = value'");
  refused("party = 1\n", "the first setting must be 'version = 1'");
  refused("version = 2\n", "unsupported version");
  refused(kGood + "version = 1\n", "version given twice");
  refused(kGood + "parties = 3\n", "unknown setting");
  refused("version = 1\nparty = 1 127.0.0.1:7001 " + hex_of('1') + "\n", "expected 'party = <id>");
  refused("version = 1\nparty = 0 127.0.0.1:7001 " + hex_of('1') + " " + hex_of('2') + "\n", "party id");
  refused("version = 1\nparty = 1 127.0.0.1 " + hex_of('1') + " " + hex_of('2') + "\n", "line 2");
  refused("version = 1\nparty = 1 127.0.0.1:7001 xyz " + hex_of('2') + "\n", "transport key");
  refused("version = 1\nparty = 1 127.0.0.1:7001 " + hex_of('1') + " 12\n", "audit key");
  refused(kGood + party_line(1, "10.0.0.9:1", '5', '6'), "party 1 listed twice");
  refused(kGood + party_line(3, "10.0.0.2:7002", '5', '6'), "is used by another party");
  refused(kGood + party_line(3, "10.0.0.3:7003", '1', '6'), "a key is listed twice");
  refused(kGood + party_line(3, "10.0.0.3:7003", '5', '3'), "a key is listed twice");
  refused("# nothing\n", "no 'version = 1' line");
  refused("version = 1\n" + party_line(1, "127.0.0.1:7001", '1', '2'), "fewer than two parties");
  std::string many = "version = 1\n";
  for (PartyId id = 1; id <= kMaxClusterParties + 1; ++id) {
    char transport[65], audit[65];
    std::snprintf(transport, sizeof transport, "%064x", id);
    std::snprintf(audit, sizeof audit, "%064x", id + 100000);
    many += "party = " + std::to_string(id) + " 10.0.0.1:" + std::to_string(id) + " " + transport + " " + audit + "\n";
  }
  refused(many, "too many parties");
}

TEST_CASE("cluster: a party's network configuration pins exactly the participants' keys") {
  const X25519KeyPair mine = X25519KeyPair::generate();
  const std::string text = "version = 1\nparty = 1 127.0.0.1:7001 " + to_hex(mine.public_key()) + " " + hex_of('2') + "\n" +
                           party_line(2, "127.0.0.1:7002", '3', '4') + party_line(3, "127.0.0.1:7003", '5', '6');
  const Cluster cluster = parse_cluster(text).value();
  auto config = network_config(cluster, 1, mine, {1, 3});
  REQUIRE(config.ok());
  REQUIRE(config->peers.size() == 1);
  CHECK(config->peers[0].id == 3);
  CHECK_THAT(network_config(cluster, 4, mine, {1, 4}).error().message, Catch::Contains("does not list this party"));
  CHECK_THAT(network_config(cluster, 1, X25519KeyPair::generate(), {1, 2}).error().message,
             Catch::Contains("another transport key"));
  CHECK_THAT(network_config(cluster, 1, mine, {2, 3}).error().message, Catch::Contains("is not among the participants"));
  CHECK_THAT(network_config(cluster, 1, mine, {1, 9}).error().message, Catch::Contains("party 9 is not in the cluster"));
  test::TempDir dir;
  std::ofstream(dir / "cluster.conf") << text;
  CHECK(load_cluster(dir / "cluster.conf").ok());
  CHECK_THAT(load_cluster(dir / "missing.conf").error().message, Catch::Contains("cluster configuration"));
  std::ofstream(dir / "bad.conf") << "version = 3\n";
  CHECK_THAT(load_cluster(dir / "bad.conf").error().message, Catch::Contains("bad.conf"));
}

TEST_CASE("identity.pub: strict, and what it formats it parses back") {
  const PublicIdentity id{7, X25519KeyPair::generate().public_key(), X25519KeyPair::generate().public_key()};
  auto again = parse_public_identity(format_public_identity(id));
  REQUIRE(again.ok());
  CHECK(again->id == 7);
  CHECK(again->transport_key == id.transport_key);
  CHECK(again->audit_key == id.audit_key);
  const std::string t = "transport_key = " + hex_of('a') + "\n", a = "audit_key = " + hex_of('b') + "\n";
  CHECK_THAT(parse_public_identity("id 7\n" + t + a).error().message, Catch::Contains("expected 'key = value'"));
  CHECK_THAT(parse_public_identity("id = 7\n" + t).error().message, Catch::Contains("incomplete"));
  CHECK_THAT(parse_public_identity("id = 7\nid = 7\n" + t + a).error().message, Catch::Contains("repeated 'id'"));
  CHECK_THAT(parse_public_identity("id = 0\n" + t + a).error().message, Catch::Contains("identity.pub id"));
  CHECK_THAT(parse_public_identity("id = 7\ntransport_key = 12\n" + a).error().message, Catch::Contains("transport_key"));
  CHECK_THAT(parse_public_identity("id = 7\n" + t + "audit_key = zz\n").error().message, Catch::Contains("audit_key"));
}

TEST_CASE("identity file: the clear header is strict") {
  PartyIdentity identity;
  identity.id = 5;
  identity.kdf = Argon2Params::minimal();
  const SecretBytes pass = SecretBytes::copy_of(as_bytes("pw"));
  const Bytes good = seal_identity(identity, pass).value();
  REQUIRE(good.size() == kIdentityFileSize);
  CHECK(read_identity_header(good)->id == 5);
  CHECK(unseal_identity(good, pass).ok());
  CHECK_THAT(read_identity_header(ByteSpan(good).first(good.size() - 1)).error().message, Catch::Contains("bytes, expected"));
  Bytes magic = good;
  magic[0] ^= 1;
  CHECK_THAT(read_identity_header(magic).error().message, Catch::Contains("not a tsign identity file"));
  Bytes version = good;
  version[5] ^= 1;
  CHECK_THAT(read_identity_header(version).error().message, Catch::Contains("version"));
  Bytes party0 = good;
  std::fill(party0.begin() + 6, party0.begin() + 10, 0);
  CHECK_THAT(read_identity_header(party0).error().message, Catch::Contains("names party 0"));
  Bytes cost = good;
  cost[10 + 7] = 9;  // opslimit 9, above the most any file may ask
  CHECK_THAT(read_identity_header(cost).error().message, Catch::Contains("identity file:"));
  CHECK_THAT(unseal_identity(good, SecretBytes::copy_of(as_bytes("no"))).error().message, Catch::Contains("wrong passphrase"));
}

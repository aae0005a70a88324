// End to end over TCP on 127.0.0.1: three `tsign` processes generate a 2-of-3 key in every suite,
// sign (FROST secp256k1, Taproot, Ed25519; ECDSA), refresh, and sign again under the same public
// key; every signature is checked by `tsign verify` and independently by libsecp256k1/libsodium.
#include <catch2/catch.hpp>

#include "cli_cluster.hpp"
#include "support/independent_verify.hpp"
#include "tsign/core/hash.hpp"

namespace tsign::test {

namespace {

const std::vector<PartyId> kAll = {1, 2, 3};

void require_all_ok(const std::vector<RunResult>& results) {
  for (const auto& r : results) {
    INFO(describe(r));
    REQUIRE(r.exit_code == 0);
  }
}

// The signature the signers agree on, checked with `tsign verify` and independently.
void check_signature(const CliCluster& cluster, const std::string& suite, const std::vector<RunResult>& results,
                     const std::string& message, const std::string& expected_key) {
  require_all_ok(results);
  const auto first = results.front().json();
  const std::string signature = first["signature"].get<std::string>();
  const std::string public_key = first["public_key"].get<std::string>();
  for (const auto& r : results) {
    CHECK(r.json()["signature"] == signature);
    CHECK(r.json()["public_key"] == public_key);
  }
  CHECK(public_key == expected_key);

  std::vector<std::string> verify = {"verify", "--suite", suite, "--public-key", public_key, "--signature", signature,
                                     "--message", message, "--json"};
  const RunResult v = run_tsign(verify, {}, cluster.scratch());
  INFO(describe(v));
  CHECK(v.exit_code == 0);
  CHECK(v.json()["valid"] == true);

  const ByteSpan msg = as_bytes(message);
  if (suite == "frost-secp256k1") {
    CHECK(frost_secp256k1_verifies(public_key, msg, signature));
  } else if (suite == "frost-secp256k1-tr") {
    CHECK(bip340_verifies(public_key, msg, signature));
  } else if (suite == "frost-ed25519") {
    CHECK(ed25519_verifies(public_key, msg, signature));
  } else {
    CHECK(first["digest"] == to_hex(sha256(msg)));
    CHECK(ecdsa_verifies(public_key, first["digest"].get<std::string>(), signature));
  }

  // One flipped bit: tsign verify says no (exit code 7).
  std::string bad = signature;
  bad[bad.size() - 1] = bad.back() == '0' ? '1' : '0';
  verify[6] = bad;
  const RunResult nv = run_tsign(verify, {}, cluster.scratch());
  CHECK(nv.exit_code == 7);
}

}  // namespace

TEST_CASE("tsign end to end: keygen 2-of-3, sign in every suite, refresh, sign again", "[cli]") {
  CliCluster cluster(3);

  for (const std::string suite : {"frost-secp256k1", "frost-secp256k1-tr", "frost-ed25519", "ecdsa"}) {
    INFO("suite " << suite);
    std::string stale_presignature;  // ECDSA: made before the refresh
    const auto keygen = cluster.run_all(kAll, "keygen",
                                        {"--suite", suite, "--threshold", "2", "--session", "keygen-" + suite, "--timeout", "30"});
    require_all_ok(keygen);
    const std::string key_id = keygen[0].json()["key_id"].get<std::string>();
    const std::string public_key = keygen[0].json()["public_key"].get<std::string>();
    for (const auto& r : keygen) {
      CHECK(r.json()["key_id"] == key_id);
      CHECK(r.json()["public_key"] == public_key);
      CHECK(r.json()["epoch"] == 0);
    }

    const std::string m1 = "pay 1 BTC to alice (" + suite + ")";
    check_signature(cluster, suite, cluster.run_all({1, 2}, "sign", {"--key", key_id, "--signers", "1,2", "--message", m1, "--timeout", "30"}),
                    m1, public_key);

    if (suite == "frost-secp256k1-tr") {
      // The printed key is the key-path-only output key (BIP-86) of the group key; with a script
      // tree's Merkle root the signers sign for that output instead.
      const std::string group_key = keygen[0].json()["group_key"].get<std::string>();
      CHECK(public_key == taproot_output_key_hex(group_key));
      const std::string root = to_hex(sha256(as_bytes("a script tree")));
      const std::string m = "spend an output that also has scripts";
      check_signature(cluster, suite,
                      cluster.run_all({1, 3}, "sign", {"--key", key_id, "--signers", "1,3", "--message", m,
                                                       "--taproot-root", root, "--timeout", "30"}),
                      m, taproot_output_key_hex(group_key, root));
    }
    if (suite != "frost-ed25519") {
      // A non-hardened BIP-32 child, signed by another pair; its key is what `tsign pubkey` derives.
      const RunResult child = cluster.run(3, "pubkey", {"--key", key_id, "--path", "m/0/7"}, false);
      INFO(describe(child));
      REQUIRE(child.exit_code == 0);
      const std::string child_key = child.json()["public_key"].get<std::string>();
      CHECK(child_key != public_key);
      const std::string m2 = "child payment";
      check_signature(cluster, suite,
                      cluster.run_all({2, 3}, "sign", {"--key", key_id.substr(0, 12), "--signers", "2,3", "--message", m2,
                                                       "--path", "m/0/7", "--timeout", "30"}),
                      m2, child_key);
    }
    if (suite == "ecdsa") {
      // A prehashed digest, signed as given.
      const std::string digest = to_hex(sha256(as_bytes("an externally hashed transaction")));
      const auto signed_digest =
          cluster.run_all({1, 3}, "sign", {"--key", key_id, "--signers", "1,3", "--digest", digest, "--timeout", "30"});
      require_all_ok(signed_digest);
      const auto j = signed_digest[0].json();
      CHECK(j["digest"] == digest);
      CHECK(ecdsa_verifies(public_key, digest, j["signature"].get<std::string>()));
      const RunResult v = run_tsign({"verify", "--suite", "ecdsa", "--public-key", public_key, "--signature",
                                     j["signature"].get<std::string>(), "--digest", digest},
                                    {}, cluster.scratch());
      CHECK(v.exit_code == 0);

      // A presignature made now signs later in one round, once; another made now is void after
      // the refresh below.
      const auto presigned = cluster.run_all({1, 2}, "presign", {"--key", key_id, "--signers", "1,2", "--session", "pre-1"});
      require_all_ok(presigned);
      const std::string presignature = presigned[0].json()["presignature"].get<std::string>();
      CHECK(presigned[1].json()["presignature"] == presignature);
      const std::string m_pre = "signed on a presignature";
      check_signature(cluster, suite,
                      cluster.run_all({1, 2}, "sign", {"--key", key_id, "--signers", "1,2", "--message", m_pre,
                                                       "--presignature", presignature, "--timeout", "30"}),
                      m_pre, public_key);
      const RunResult reused = cluster.run(1, "sign", {"--key", key_id, "--signers", "1,2", "--message", "again",
                                                      "--presignature", presignature, "--timeout", "5"});
      CHECK(reused.exit_code == 2);
      CHECK_THAT(reused.out + reused.err, Catch::Contains("was used already"));
      const auto second = cluster.run_all({1, 2}, "presign", {"--key", key_id, "--signers", "1,2", "--session", "pre-2"});
      require_all_ok(second);
      stale_presignature = second[0].json()["presignature"].get<std::string>();
    }

    const auto refresh = cluster.run_all(kAll, "refresh", {"--key", key_id, "--timeout", "30"});
    require_all_ok(refresh);
    for (const auto& r : refresh) {
      CHECK(r.json()["epoch"] == 1);
      CHECK(r.json()["public_key"] == public_key);
    }
    const RunResult listed = cluster.run(2, "list", {}, false);
    REQUIRE(listed.exit_code == 0);
    CHECK(listed.json()["keys"].size() >= 1);

    const std::string m3 = "after the refresh (" + suite + ")";
    check_signature(cluster, suite, cluster.run_all({1, 3}, "sign", {"--key", key_id, "--signers", "1,3", "--message", m3, "--timeout", "30"}),
                    m3, public_key);
    if (!stale_presignature.empty()) {
      const RunResult stale = cluster.run(2, "sign", {"--key", key_id, "--signers", "1,2", "--message", "stale",
                                                     "--presignature", stale_presignature, "--timeout", "5"});
      CHECK(stale.exit_code == 2);
      CHECK_THAT(stale.out + stale.err, Catch::Contains("made before a refresh or resharing is void"));
    }
  }

  // Every operation was recorded, and every party's log verifies against its audit key.
  for (PartyId p : kAll) {
    const RunResult audit = cluster.run(p, "audit", {"--public-key", cluster.audit_key(p), "--list"}, false);
    INFO(describe(audit));
    REQUIRE(audit.exit_code == 0);
    const auto j = audit.json();
    CHECK(j["valid"] == true);
    std::size_t generated = 0, refreshed = 0, signed_count = 0;
    for (const auto& e : j["entries_list"]) {
      generated += e["event"] == "generated";
      refreshed += e["event"] == "refreshed";
      signed_count += e["event"] == "signed";
    }
    CHECK(generated == 4);
    CHECK(refreshed == 4);
    CHECK(signed_count >= 5);
  }
}

}  // namespace tsign::test

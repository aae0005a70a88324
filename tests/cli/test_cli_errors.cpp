// Bad input and refusals: each gives a clear error and its documented exit code, and leaves the
// party's files as they were. Also the life of a key after generation: an aborted refresh leaves
// the old epoch in use; backup and restore; repair; resharing to a new threshold.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <thread>

#include "cli_cluster.hpp"
#include "support/independent_verify.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/keys/key_share.hpp"
#include "tsign/sss/shamir.hpp"
#include "tsign/store/audit_log.hpp"
#include "tsign/store/backup.hpp"

namespace tsign::test {

namespace {

std::filesystem::path committed_share_file(const CliCluster& cluster, PartyId party, const std::string& key_id) {
  for (const auto& entry : std::filesystem::directory_iterator(cluster.dir(party) / "shares" / key_id)) {
    if (entry.path().extension() == ".share") return entry.path();
  }
  throw std::runtime_error("no committed share file");
}

std::string generate_key(const CliCluster& cluster, const std::string& suite, const std::string& session) {
  const auto keygen = cluster.run_all({1, 2, 3}, "keygen",
                                      {"--suite", suite, "--threshold", "2", "--session", session, "--timeout", "30"});
  for (const auto& r : keygen) {
    INFO(describe(r));
    REQUIRE(r.exit_code == 0);
  }
  return keygen[0].json()["key_id"].get<std::string>();
}

std::string error_message(const RunResult& r) { return r.json()["error"]["message"].get<std::string>(); }

// What an attacker holding only the backup public key can make: a share of a key of its own,
// filed under the victim's key id and party at a later epoch, sealed to the backup key and signed
// by the attacker's identity.
Bytes forged_backup(const std::string& key_id, PartyId party, const std::string& backup_public_key) {
  const std::vector<PartyId> ids{1, 2, 3};
  const auto secret = Ed25519::Scalar::random();
  auto dealing = shamir_split<Ed25519>(secret, 2, ids).value();
  KeyShare<Ed25519> share;
  std::copy_n(from_hex(key_id).begin(), 32, share.key_id.begin());
  share.epoch = 1;
  share.self = party;
  share.threshold = 2;
  share.parties = ids;
  share.signing_share = Secret<Ed25519::Scalar>(dealing.shares[party - 1].value);
  for (PartyId p : ids) share.verifying_shares[p] = dealing.commitment.evaluate(p);
  share.group_public_key = Ed25519::Point::base_mul(secret);
  const ShareHeader header{share.key_id, party, 1, ShareSuite::FrostEd25519, 2, 3};
  ByteArray<32> recipient{};
  std::copy_n(from_hex(backup_public_key).begin(), 32, recipient.begin());
  return export_backup(header, share.encode().expose(), recipient, IdentityKey::generate()).value();
}

}  // namespace

TEST_CASE("tsign refuses bad input with a clear error, its exit code and the files untouched", "[cli]") {
  CliCluster cluster(3);
  const std::string key_id = generate_key(cluster, "frost-ed25519", "errors");
  const auto before = snapshot(cluster.dir(2));
  const auto public_key = cluster.run(2, "pubkey", {"--key", key_id}, false).json()["public_key"];

  {  // wrong passphrase: exit 5
    const RunResult r = run_tsign(cluster.args(2, "pubkey", {"--key", key_id}, false),
                                  {{"TSIGN_PASSPHRASE", "not the passphrase"}}, cluster.scratch());
    INFO(describe(r));
    CHECK(r.exit_code == 5);
    CHECK(error_message(r).find("wrong passphrase") != std::string::npos);
  }

  {  // no passphrase at all (no file, no variable, no terminal): exit 2
    const RunResult r = run_tsign(cluster.args(2, "pubkey", {"--key", key_id}, false), {}, cluster.scratch());
    CHECK(r.exit_code == 2);
  }

  {  // tampered, truncated, or another party's share file
    const auto file = committed_share_file(cluster, 2, key_id);
    const std::string original = read_text(file);

    std::string tampered = original;
    tampered[tampered.size() - 20] ^= 0x01;
    write_text(file, tampered);
    RunResult r = cluster.run(2, "pubkey", {"--key", key_id}, false);
    INFO(describe(r));
    CHECK(r.exit_code == 5);
    CHECK(error_message(r).find("authentication failed") != std::string::npos);
    CHECK(read_text(file) == tampered);

    write_text(file, original.substr(0, original.size() - 7));
    r = cluster.run(2, "pubkey", {"--key", key_id}, false);
    CHECK(r.exit_code == 2);

    write_text(file, read_text(committed_share_file(cluster, 3, key_id)));
    r = cluster.run(2, "pubkey", {"--key", key_id}, false);
    CHECK(r.exit_code == 2);
    CHECK(error_message(r).find("party 3") != std::string::npos);
    write_text(file, original);

    // The file of epoch 0 presented as epoch 1.
    const auto renamed = file.parent_path() / "00000000000000000001.share";
    std::filesystem::rename(file, renamed);
    r = cluster.run(2, "pubkey", {"--key", key_id}, false);
    INFO(describe(r));
    CHECK(r.exit_code == 2);
    CHECK(error_message(r).find("epoch") != std::string::npos);
    std::filesystem::rename(renamed, file);
  }

  {  // a share or identity file whose header asks Argon2id for 4 GiB: refused before Argon2 runs
    // The cluster's parties use opslimit 1 and 8 KiB, written as two big-endian u64 in each header.
    const std::string cost = std::string("\0\0\0\0\0\0\0\x01\0\0\0\0\0\0\x20\0", 16);
    const std::string greedy = std::string("\0\0\0\0\0\0\0\x01\0\0\0\x01\0\0\0\0", 16);  // 4 GiB
    // Under 64 MiB; a sanitizer build's own overhead (ASan's shadow memory) is allowed on top.
    const RunResult normal = cluster.run(2, "pubkey", {"--key", key_id}, false);
    REQUIRE(normal.exit_code == 0);
    const long memory_bound_kib = std::max<long>(64 * 1024, normal.peak_memory_kib + 16 * 1024);
    for (const auto& file : {committed_share_file(cluster, 2, key_id), cluster.dir(2) / "identity"}) {
      INFO(file);
      const std::string original = read_text(file);
      const auto at = original.find(cost);
      REQUIRE(at != std::string::npos);
      write_text(file, original.substr(0, at) + greedy + original.substr(at + greedy.size()));
      const RunResult r = cluster.run(2, "pubkey", {"--key", key_id}, false);
      INFO(describe(r));
      CHECK(r.exit_code != 0);
      CHECK(error_message(r).find("Argon2id memlimit 4294967296") != std::string::npos);
      CHECK(r.elapsed < std::chrono::seconds(1));
      CHECK(r.peak_memory_kib < memory_bound_kib);
      write_text(file, original);
    }
  }

  {  // a signing process that crashes while it holds the share leaves no core dump
    TsignProcess signer(cluster.args(2, "sign", {"--key", key_id, "--signers", "2,3", "--message", "m", "--timeout", "30"}),
                        cluster.env(2), cluster.scratch());
    std::this_thread::sleep_for(std::chrono::seconds(1));  // unsealed, waiting for party 3
    signer.signal(SIGABRT);
    const RunResult r = signer.wait();
    INFO(describe(r));
    CHECK(r.exit_code == 128 + SIGABRT);
    CHECK_FALSE(r.core_dumped);
    for (const auto& entry : std::filesystem::directory_iterator(cluster.scratch())) {
      CHECK(entry.path().filename().string().rfind("core", 0) != 0);
    }
  }

  {  // the audit log and its checkpoint deleted: refused, not started afresh beside the keys
    const auto log = cluster.dir(2) / "audit.log";
    const std::string saved_log = read_text(log), saved_head = read_text(cluster.dir(2) / "audit.log.head");
    std::filesystem::remove(log);
    std::filesystem::remove(cluster.dir(2) / "audit.log.head");
    const RunResult r = cluster.run(2, "pubkey", {"--key", key_id}, false);
    INFO(describe(r));
    CHECK(r.exit_code != 0);
    CHECK(error_message(r).find("the log was deleted") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(log));
    write_text(log, saved_log);
    write_text(cluster.dir(2) / "audit.log.head", saved_head);
  }

  {  // an unavailable HSM: exit 5
    const RunResult r = run_tsign(cluster.args(2, "pubkey", {"--key", key_id, "--hsm-module", "/nonexistent/libpkcs11.so",
                                                             "--hsm-token", "tsign"},
                                               false),
                                  {{"TSIGN_PASSPHRASE", "correct horse battery staple"}, {"TSIGN_HSM_PIN", "1234"}},
                                  cluster.scratch());
    INFO(describe(r));
    CHECK(r.exit_code == 5);
  }

  {  // malformed or mismatched cluster configuration: exit 2 before anything runs
    const auto bad = cluster.scratch() / "bad.conf";
    write_text(bad, "version = 1\nparty = 1 127.0.0.1:1 abc def\n");
    RunResult r = run_tsign({"keygen", "--dir", cluster.dir(2).string(), "--cluster", bad.string(), "--suite", "ecdsa",
                             "--threshold", "2", "--session", "x", "--json"},
                            cluster.env(2), cluster.scratch());
    CHECK(r.exit_code == 2);
    CHECK(error_message(r).find("line 2") != std::string::npos);

    // Party 2's line carries party 3's transport key.
    std::string text = read_text(cluster.config());
    const auto at = text.find(cluster.transport_key(2));
    text.replace(at, 64, cluster.transport_key(3));
    text.replace(text.rfind(cluster.transport_key(3)), 64, std::string(64, 'a'));
    write_text(bad, text);
    r = run_tsign({"sign", "--dir", cluster.dir(2).string(), "--cluster", bad.string(), "--key", key_id, "--signers",
                   "1,2", "--message", "x", "--json"},
                  cluster.env(2), cluster.scratch());
    INFO(describe(r));
    CHECK(r.exit_code == 2);
    CHECK(error_message(r).find("another transport key") != std::string::npos);
  }

  {  // usage errors: exit 1
    CHECK(run_tsign({"sign", "--frobnicate"}, {}, cluster.scratch()).exit_code == 1);
    CHECK(run_tsign({"no-such-command"}, {}, cluster.scratch()).exit_code == 1);
    CHECK(run_tsign(cluster.args(2, "keygen", {"--suite", "ecdsa", "--threshold", "2"}), cluster.env(2), cluster.scratch())
              .exit_code == 1);  // no --session
  }

  {  // --taproot-root with an Ed25519 key: exit 2 before any signer is contacted
    const RunResult r = cluster.run(2, "sign", {"--key", key_id, "--signers", "2,3", "--message", "hello",
                                                "--taproot-root", std::string(64, 'a'), "--timeout", "2"});
    INFO(describe(r));
    CHECK(r.exit_code == 2);
    CHECK(error_message(r).find("--taproot-root: only for frost-secp256k1-tr keys") != std::string::npos);
    CHECK_FALSE(r.json().contains("signature"));
  }

  {  // a missing signer: exit 4 naming it
    const RunResult r = cluster.run(2, "sign", {"--key", key_id, "--signers", "2,3", "--message", "hello", "--timeout", "2"});
    INFO(describe(r));
    CHECK(r.exit_code == 4);
    CHECK(r.json()["error"]["culprits"] == nlohmann::json::array({3}));
    // Nothing was signed, and the share is as it was (compared below); the attempt is on record.
  }

  // Every file as it was, except the audit log: each signing attempt above is in it, approved
  // before the share could leave and then failed (a crash leaves only the approval).
  auto without_audit = [](std::map<std::string, Bytes> files) {
    std::erase_if(files, [](const auto& f) { return f.first.find("audit.log") != std::string::npos; });
    return files;
  };
  CHECK(without_audit(snapshot(cluster.dir(2))) == without_audit(before));
  std::vector<AuditEventKind> kinds;
  AuditVerifyOptions options;
  options.on_entry = [&](const AuditEntry& e) { kinds.push_back(e.event.kind); };
  ByteArray<32> audit_key{};
  std::copy_n(from_hex(cluster.audit_key(2)).begin(), 32, audit_key.begin());
  REQUIRE(verify_audit_log(cluster.dir(2) / "audit.log", audit_key, options).ok());
  REQUIRE(kinds.size() >= 3);
  CHECK(kinds[kinds.size() - 3] == AuditEventKind::Approved);  // the crashed signer
  CHECK(kinds[kinds.size() - 2] == AuditEventKind::Approved);  // the missing signer ...
  CHECK(kinds[kinds.size() - 1] == AuditEventKind::Failed);    // ... timed out
  CHECK(cluster.run(2, "pubkey", {"--key", key_id}, false).json()["public_key"] == public_key);
}

TEST_CASE("tsign sign --taproot-root: a malformed root or a key that is not Taproot is refused", "[cli]") {
  CliCluster cluster(3);
  const std::string taproot_key = generate_key(cluster, "frost-secp256k1-tr", "taproot-root");
  // Same curve, no Taproot tweak: the option would be silently meaningless, so it is refused.
  const std::string plain_key = generate_key(cluster, "frost-secp256k1", "plain");
  const auto before = snapshot(cluster.dir(2));
  // Only party 2 runs: a refused option must fail before any signer is contacted, not time out.
  auto sign_with_root = [&](const std::string& key, const std::string& root) {
    return cluster.run(2, "sign", {"--key", key, "--signers", "1,2", "--message", "hello", "--taproot-root", root,
                                   "--timeout", "2"});
  };
  auto check_refused = [](const RunResult& r, const std::string& expected) {
    INFO(describe(r));
    CHECK(r.exit_code == 2);
    CHECK(r.json()["ok"] == false);
    CHECK(error_message(r).find(expected) != std::string::npos);
    CHECK_FALSE(r.json().contains("signature"));
  };

  const std::string root(64, 'a');
  const std::string wrong_length = "--taproot-root: expected 32 bytes (64 hex digits), got ";
  check_refused(sign_with_root(taproot_key, root.substr(0, 62)), wrong_length + "31");
  check_refused(sign_with_root(taproot_key, root + "aa"), wrong_length + "33");
  check_refused(sign_with_root(taproot_key, ""), wrong_length + "0");
  check_refused(sign_with_root(taproot_key, root.substr(0, 63)), "--taproot-root: expected hex digits");
  check_refused(sign_with_root(taproot_key, root.substr(0, 62) + "zz"), "--taproot-root: expected hex digits");
  check_refused(sign_with_root(taproot_key, "0x" + root.substr(0, 62)), "--taproot-root: expected hex digits");

  check_refused(sign_with_root(plain_key, root), "--taproot-root: only for frost-secp256k1-tr keys");

  // Nothing was signed or logged.
  CHECK(snapshot(cluster.dir(2)) == before);
}

TEST_CASE("tsign sign: a policy denial is recorded, the other signers are told", "[cli]") {
  CliCluster cluster(3);
  const std::string key_id = generate_key(cluster, "frost-secp256k1-tr", "policy");
  const std::string allowed = to_hex(sha256(as_bytes("approved payout")));
  const auto policy = cluster.scratch() / "policy.rules";
  write_text(policy, "tsign-policy 1\nallow-scheme frost-secp256k1-tr\nallow-digest " + allowed + "\n");

  const auto denied = run_together(
      {cluster.args(1, "sign", {"--key", key_id, "--signers", "1,2", "--message", "pay mallory", "--policy", policy.string(),
                                "--timeout", "20"}),
       cluster.args(2, "sign", {"--key", key_id, "--signers", "1,2", "--message", "pay mallory", "--timeout", "20"})},
      {cluster.env(1), cluster.env(2)}, cluster.scratch());
  INFO(describe(denied[0]));
  INFO(describe(denied[1]));
  CHECK(denied[0].exit_code == 6);
  CHECK(denied[1].exit_code == 3);
  CHECK(denied[1].json()["error"]["culprits"] == nlohmann::json::array({1}));
  CHECK(error_message(denied[1]).find("policy") != std::string::npos);

  const RunResult audit = cluster.run(1, "audit", {"--list"}, false);
  REQUIRE(audit.exit_code == 0);
  const auto entries = audit.json()["entries_list"];
  bool recorded = false;
  for (const auto& e : entries) recorded |= e["event"] == "denied";
  CHECK(recorded);

  // A request the rules admit goes through.
  const auto ok = run_together(
      {cluster.args(1, "sign", {"--key", key_id, "--signers", "1,2", "--digest", allowed, "--policy", policy.string(),
                                "--timeout", "20"}),
       cluster.args(2, "sign", {"--key", key_id, "--signers", "1,2", "--digest", allowed, "--timeout", "20"})},
      {cluster.env(1), cluster.env(2)}, cluster.scratch());
  INFO(describe(ok[0]));
  REQUIRE(ok[0].exit_code == 0);
  REQUIRE(ok[1].exit_code == 0);
  const auto j = ok[0].json();
  CHECK(bip340_verifies(j["public_key"].get<std::string>(), from_hex(allowed), j["signature"].get<std::string>()));

  // The party's own rules apply to every signature, with no --policy on the command line.
  write_text(cluster.dir(2) / "signing-policy", "tsign-policy 1\nallow-scheme frost-secp256k1-tr\nallow-digest " + allowed + "\n");
  const auto own_rules = run_together(
      {cluster.args(1, "sign", {"--key", key_id, "--signers", "1,2", "--message", "pay mallory", "--timeout", "20"}),
       cluster.args(2, "sign", {"--key", key_id, "--signers", "1,2", "--message", "pay mallory", "--timeout", "20"})},
      {cluster.env(1), cluster.env(2)}, cluster.scratch());
  INFO(describe(own_rules[1]));
  CHECK(own_rules[1].exit_code == 6);
  CHECK(own_rules[0].exit_code == 3);
  CHECK(own_rules[0].json()["error"]["culprits"] == nlohmann::json::array({2}));
}

TEST_CASE("tsign key life: aborted refresh, backup and restore, repair, resharing", "[cli]") {
  CliCluster cluster(3);
  const std::string key_id = generate_key(cluster, "frost-ed25519", "life");
  const std::string public_key = cluster.run(1, "pubkey", {"--key", key_id}, false).json()["public_key"];
  auto sign = [&](const std::vector<PartyId>& signers, const std::string& message) {
    std::string list;
    for (PartyId p : signers) list += (list.empty() ? "" : ",") + std::to_string(p);
    const auto results = cluster.run_all(signers, "sign", {"--key", key_id, "--signers", list, "--message", message, "--timeout", "20"});
    for (const auto& r : results) {
      INFO(describe(r));
      REQUIRE(r.exit_code == 0);
    }
    const auto j = results[0].json();
    CHECK(j["public_key"] == public_key);
    CHECK(ed25519_verifies(public_key, as_bytes(message), j["signature"].get<std::string>()));
  };

  // A refresh that one holder never joins times out; the old epoch stays committed and signs.
  const auto aborted = cluster.run_all({1, 2}, "refresh", {"--key", key_id, "--timeout", "2"});
  for (const auto& r : aborted) CHECK(r.exit_code == 4);
  const auto listed = cluster.run(1, "list", {}, false).json()["keys"][0];
  CHECK(listed["epoch"] == 0);
  CHECK(listed["staged_epoch"].is_null());
  sign({1, 2}, "after an aborted refresh");

  // Cold backup of party 3's share, its loss, and its restoration.
  const auto backup_secret = cluster.scratch() / "backup.secret";
  const RunResult backup_key = run_tsign({"backup-key", "--out", backup_secret.string(), "--json"}, {}, cluster.scratch());
  REQUIRE(backup_key.exit_code == 0);
  const auto backup_file = cluster.scratch() / "party3.backup";
  const RunResult backup = cluster.run(3, "backup", {"--key", key_id, "--to", backup_key.json()["public_key"],
                                                    "--out", backup_file.string()}, false);
  INFO(describe(backup));
  REQUIRE(backup.exit_code == 0);

  {  // a backup forged with the backup public key alone: refused, the real share intact
    const auto forged_file = cluster.scratch() / "forged.backup";
    const Bytes forged = forged_backup(key_id, 3, backup_key.json()["public_key"].get<std::string>());
    write_text(forged_file, std::string(forged.begin(), forged.end()));
    const auto before = snapshot(cluster.dir(3) / "shares");
    const RunResult r = cluster.run(3, "restore", {"--in", forged_file.string(), "--backup-secret", backup_secret.string()}, false);
    INFO(describe(r));
    CHECK(r.exit_code != 0);
    CHECK(error_message(r).find("backup is signed by identity") != std::string::npos);
    CHECK(snapshot(cluster.dir(3) / "shares") == before);
    CHECK(cluster.run(3, "pubkey", {"--key", key_id}, false).json()["public_key"] == public_key);
  }

  REQUIRE(cluster.run(3, "decommission", {"--key", key_id, "--yes"}, false).exit_code == 0);
  CHECK(cluster.run(3, "pubkey", {"--key", key_id}, false).exit_code == 2);
  CHECK(cluster.run(2, "restore", {"--in", backup_file.string(), "--backup-secret", backup_secret.string()}, false).exit_code == 2);
  const RunResult restored = cluster.run(3, "restore", {"--in", backup_file.string(), "--backup-secret", backup_secret.string(),
                                                       "--group-key", public_key}, false);
  INFO(describe(restored));
  REQUIRE(restored.exit_code == 0);
  sign({1, 3}, "after the restore");

  // Party 3 loses its share again; parties 1 and 2 rebuild it.
  REQUIRE(cluster.run(3, "decommission", {"--key", key_id, "--yes"}, false).exit_code == 0);
  const auto repaired = run_together(
      {cluster.args(1, "repair", {"--key", key_id, "--helpers", "1,2", "--recovering", "3", "--session", "r1", "--timeout", "20"}),
       cluster.args(2, "repair", {"--key", key_id, "--helpers", "1,2", "--recovering", "3", "--session", "r1", "--timeout", "20"}),
       cluster.args(3, "repair", {"--key", key_id, "--helpers", "1,2", "--recovering", "3", "--session", "r1", "--timeout", "20",
                                  "--suite", "frost-ed25519", "--epoch", "0"})},
      {cluster.env(1), cluster.env(2), cluster.env(3)}, cluster.scratch());
  for (const auto& r : repaired) {
    INFO(describe(r));
    REQUIRE(r.exit_code == 0);
  }
  sign({2, 3}, "after the repair");

  // Resharing to 3-of-3: the key stays, every signature now needs all three.
  const auto reshared = cluster.run_all({1, 2, 3}, "reshare", {"--key", key_id, "--old-quorum", "1,3", "--new-parties", "1,2,3",
                                                              "--threshold", "3", "--session", "t3", "--timeout", "20"});
  for (const auto& r : reshared) {
    INFO(describe(r));
    REQUIRE(r.exit_code == 0);
    CHECK(r.json()["threshold"] == 3);
    CHECK(r.json()["epoch"] == 1);
    CHECK(r.json()["public_key"] == public_key);
  }
  CHECK(cluster.run(1, "sign", {"--key", key_id, "--signers", "1,2", "--message", "two", "--timeout", "5"}).exit_code == 2);
  sign({1, 2, 3}, "three of three");

  for (PartyId p : {1u, 2u, 3u}) {
    const RunResult audit = cluster.run(p, "audit", {"--public-key", cluster.audit_key(p)}, false);
    INFO(describe(audit));
    CHECK(audit.exit_code == 0);
  }
  // A modified audit log no longer verifies (exit code 7).
  const auto log = cluster.dir(2) / "audit.log";
  std::string text = read_text(log);
  text[text.size() / 2] ^= 0x01;
  write_text(log, text);
  CHECK(cluster.run(2, "audit", {}, false).exit_code == 7);
}

}  // namespace tsign::test

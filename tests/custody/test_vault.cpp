// The Vault end to end among three in-process parties: every suite signs and outside code verifies,
// and each custody rule holds when a file, the log or a presignature is turned against it.
#include <catch2/catch.hpp>

#include <fstream>
#include <mutex>

#include "custody/vault_cluster.hpp"
#include "tsign/core/random.hpp"
#include "tsign/custody/confirm_protocol.hpp"
#include "tsign/testing/simulation.hpp"
#include "support/independent_verify.hpp"
#include "support/syscall_faults.hpp"

using namespace tsign;
using namespace tsign::test;
namespace fs = std::filesystem;

namespace {

const Bytes kMessage = [] {
  const std::string_view text = "pay 1 BTC to the cold wallet";
  return Bytes(text.begin(), text.end());
}();

SignRequest sign_request(const KeyId& key, std::vector<PartyId> signers, const std::string& session,
                         std::optional<Digest32> presignature = std::nullopt) {
  SignRequest r;
  r.key_id = key;
  r.content = kMessage;
  r.signers = std::move(signers);
  r.session = session;
  r.presignature = presignature;
  return r;
}

bool verifies(ShareSuite suite, const VaultSignature& sig) {
  const std::string pk = to_hex(sig.public_key), s = to_hex(sig.signature);
  switch (suite) {
    case ShareSuite::FrostSecp256k1:
      return frost_secp256k1_verifies(pk, kMessage, s);
    case ShareSuite::FrostSecp256k1Taproot:
      return bip340_verifies(pk, kMessage, s);
    case ShareSuite::FrostEd25519:
      return ed25519_verifies(pk, kMessage, s);
    case ShareSuite::EcdsaSecp256k1:
      return ecdsa_verifies(pk, to_hex(sha256(kMessage)), s);
  }
  return false;
}

std::vector<AuditEntry> audit_entries(const VaultCluster& cluster, PartyId id, const ByteArray<32>& audit_key) {
  std::vector<AuditEntry> out;
  AuditVerifyOptions options;
  options.on_entry = [&out](const AuditEntry& e) { out.push_back(e); };
  REQUIRE(verify_audit_log(cluster.dir(id) / "audit.log", audit_key, options).ok());
  return out;
}

}  // namespace

TEST_CASE("vault: every suite generates a key among three parties and two sign; outside code verifies") {
  const ShareSuite suite = GENERATE(ShareSuite::FrostSecp256k1, ShareSuite::FrostSecp256k1Taproot,
                                    ShareSuite::FrostEd25519, ShareSuite::EcdsaSecp256k1);
  VaultCluster cluster;
  const VaultKey key = cluster.keygen(suite);
  auto signed_by = cluster.on({1, 3}, [&](Vault& v, PeerLink& l) { return v.sign(sign_request(key.key_id, {1, 3}, ""), l); });
  for (auto& [id, sig] : signed_by) {
    INFO("party " << id << ": " << (sig ? std::string() : sig.error().message));
    REQUIRE(sig.ok());
    CHECK(verifies(suite, *sig));
    CHECK(sig->public_key == key.view.public_key);
  }
  // Every party recorded the approval before its share left, then the signature.
  const auto entries = audit_entries(cluster, 1, cluster.vault(1).public_identity().audit_key);
  REQUIRE(entries.size() >= 3);
  CHECK(entries[entries.size() - 2].event.kind == AuditEventKind::Approved);
  CHECK(entries.back().event.kind == AuditEventKind::Signed);
}

TEST_CASE("vault: a pooled presignature signs once and a refresh voids the ones made before it") {
  VaultCluster cluster;
  const VaultKey key = cluster.keygen(ShareSuite::EcdsaSecp256k1);
  const auto presign = [&](const std::string& session) {
    auto made = cluster.on({1, 2}, [&](Vault& v, PeerLink& l) { return v.presign({key.key_id, {1, 2}, {}, session}, l); });
    REQUIRE(made.at(1).ok());
    REQUIRE(made.at(2).ok());
    REQUIRE(*made.at(1) == *made.at(2));
    return *made.at(1);
  };
  const auto sign_with = [&](const Digest32& presignature, const std::string& session) {
    return cluster.on({1, 2}, [&](Vault& v, PeerLink& l) { return v.sign(sign_request(key.key_id, {1, 2}, session, presignature), l); });
  };

  const Digest32 first = presign("presign-1");
  CHECK(cluster.vault(1).presignatures(key.key_id)->size() == 1);
  // The sealed file as it is now, to be put back after its use.
  fs::path sealed;
  for (const auto& f : fs::recursive_directory_iterator(cluster.dir(1) / "presignatures")) {
    if (f.path().extension() == ".presig") sealed = f.path();
  }
  REQUIRE_FALSE(sealed.empty());
  const fs::path copy = cluster.dir(1) / "copy.presig";
  fs::copy_file(sealed, copy);

  auto signed_once = sign_with(first, "use-1");
  REQUIRE(signed_once.at(1).ok());
  CHECK(verifies(ShareSuite::EcdsaSecp256k1, *signed_once.at(1)));
  CHECK(cluster.vault(1).presignatures(key.key_id)->empty());

  SECTION("a second use, even with the sealed file put back, is refused before anything is sent") {
    fs::copy_file(copy, sealed);
    auto again = cluster.vault(1).sign(sign_request(key.key_id, {1, 2}, "use-2", first), cluster.link(1));
    REQUIRE_FALSE(again.ok());
    CHECK_THAT(again.error().message, Catch::Contains("was used already"));
  }

  SECTION("a presignature made before a refresh is refused after it") {
    const Digest32 second = presign("presign-2");
    auto refreshed = cluster.on({1, 2, 3}, [&](Vault& v, PeerLink& l) { return v.refresh(key.key_id, "refresh-1", l); });
    for (auto& [id, r] : refreshed) REQUIRE(r.ok());
    CHECK(cluster.vault(1).presignatures(key.key_id)->empty());
    CHECK(cluster.vault(2).presignatures(key.key_id)->empty());
    // Even its sealed file put back under the new epoch's name does not open as the new epoch.
    auto after = cluster.vault(1).sign(sign_request(key.key_id, {1, 2}, "use-3", second), cluster.link(1));
    REQUIRE_FALSE(after.ok());
    CHECK_THAT(after.error().message, Catch::Contains("no presignature"));
    fs::create_directories(sealed.parent_path());
    const fs::path renamed = sealed.parent_path() / ("1-" + to_hex(second) + ".presig");
    fs::copy_file(copy, renamed);
    fs::permissions(renamed, fs::perms::owner_read | fs::perms::owner_write);
    auto forged = cluster.vault(1).sign(sign_request(key.key_id, {1, 2}, "use-4", second), cluster.link(1));
    REQUIRE_FALSE(forged.ok());
  }
}

TEST_CASE("vault: a crash just after a presignature is recorded as used leaves it used") {
  VaultCluster cluster;
  const VaultKey key = cluster.keygen(ShareSuite::EcdsaSecp256k1);
  auto made = cluster.on({1, 2}, [&](Vault& v, PeerLink& l) { return v.presign({key.key_id, {1, 2}, {}, "p"}, l); });
  REQUIRE(made.at(1).ok());
  struct Crash {};
  VaultOptions options;
  options.on_step = [](std::string_view step) {
    if (step == "presignature:recorded") throw Crash{};
  };
  cluster.open(1, options);
  const SignRequest r = sign_request(key.key_id, {1, 2}, "s", *made.at(1));
  CHECK_THROWS_AS(cluster.vault(1).sign(r, cluster.link(1)), Crash);
  cluster.open(1);
  auto again = cluster.vault(1).sign(r, cluster.link(1));
  REQUIRE_FALSE(again.ok());
  CHECK_THAT(again.error().message, Catch::Contains("was used already"));
}

TEST_CASE("vault: an approval the audit log cannot take releases nothing") {
  VaultCluster cluster;
  const VaultKey key = cluster.keygen(ShareSuite::FrostSecp256k1);
  cluster.sessions().on_new_hub = [](MemoryHub& hub) { hub.set_recording(true); };
  for (PartyId id : {1, 2}) cluster.link(id).engine.round_timeout = std::chrono::milliseconds(1500);

  // Party 1 is approved and waiting for party 2; party 2's audit append then fails at its fsync.
  std::promise<void> approved;
  VaultOptions options;
  options.on_step = [&approved](std::string_view step) {
    if (step == "sign:approved") approved.set_value();
  };
  cluster.open(1, options);
  auto first = std::async(std::launch::async, [&] { return cluster.vault(1).sign(sign_request(key.key_id, {1, 2}, ""), cluster.link(1)); });
  approved.get_future().wait();
  Result<VaultSignature> second = make_error(ErrorKind::Internal, "not run");
  {
    SyscallFault fsync_fails(Syscall::Fsync);
    second = cluster.vault(2).sign(sign_request(key.key_id, {1, 2}, ""), cluster.link(2));
    CHECK(fsync_fails.fired());
  }
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().kind == ErrorKind::Storage);
  const auto first_result = first.get();
  REQUIRE_FALSE(first_result.ok());
  CHECK(first_result.error().kind == ErrorKind::Timeout);
  CHECK(first_result.error().culprits == std::vector<PartyId>{2});
  // Not one message of party 2 reached any session.
  const auto recorded = cluster.sessions().recorded();
  CHECK_FALSE(recorded.empty());  // party 1's did
  CHECK(std::none_of(recorded.begin(), recorded.end(), [](const RecordedMessage& m) { return m.from == 2; }));
  // Party 2's log holds neither an approval nor a signature.
  const auto entries = audit_entries(cluster, 2, cluster.vault(2).public_identity().audit_key);
  for (const auto& e : entries) {
    CHECK(e.event.kind != AuditEventKind::Approved);
    CHECK(e.event.kind != AuditEventKind::Signed);
  }
}

TEST_CASE("vault: a share file older than the audit log records is refused") {
  VaultCluster cluster;
  const VaultKey key = cluster.keygen(ShareSuite::FrostSecp256k1);
  const fs::path shares = cluster.dir(1) / "shares" / to_hex(key.key_id);
  const fs::path saved = cluster.dir(1) / "saved-shares";
  fs::copy(shares, saved);
  auto refreshed = cluster.on({1, 2, 3}, [&](Vault& v, PeerLink& l) { return v.refresh(key.key_id, "r", l); });
  for (auto& [id, r] : refreshed) REQUIRE(r.ok());
  CHECK(refreshed.at(1)->epoch == 1);

  cluster.close(1);
  fs::remove_all(shares);
  fs::copy(saved, shares);
  cluster.open(1);
  auto loaded = cluster.vault(1).key(key.key_id);
  REQUIRE_FALSE(loaded.ok());
  CHECK_THAT(loaded.error().message, Catch::Contains("holds epoch 0, but the audit log records epoch 1"));
  auto signed_old = cluster.vault(1).sign(sign_request(key.key_id, {1, 2}, ""), cluster.link(1));
  REQUIRE_FALSE(signed_old.ok());
  CHECK_THAT(signed_old.error().message, Catch::Contains("an older copy was put back"));
}

TEST_CASE("vault: a backup older than the audit log, or of another key, is not restored") {
  VaultCluster cluster;
  const VaultKey key = cluster.keygen(ShareSuite::FrostEd25519);
  const BackupKeyPair backup_key = BackupKeyPair::generate();
  auto old_backup = cluster.vault(1).backup(key.key_id, backup_key.public_key);
  REQUIRE(old_backup.ok());
  auto refreshed = cluster.on({1, 2, 3}, [&](Vault& v, PeerLink& l) { return v.refresh(key.key_id, "r", l); });
  for (auto& [id, r] : refreshed) REQUIRE(r.ok());
  auto current_backup = cluster.vault(1).backup(key.key_id, backup_key.public_key);
  REQUIRE(current_backup.ok());
  REQUIRE(cluster.vault(1).decommission(key.key_id)->failures.empty());

  auto old = cluster.vault(1).restore(*old_backup, backup_key);
  REQUIRE_FALSE(old.ok());
  CHECK_THAT(old.error().message, Catch::Contains("an older backup cannot be restored"));
  Bytes other_group_key = key.view.group_key;
  other_group_key.back() ^= 1;
  auto other = cluster.vault(1).restore(*current_backup, backup_key, std::nullopt, other_group_key);
  REQUIRE_FALSE(other.ok());
  CHECK_THAT(other.error().message, Catch::Contains("another key"));
  auto restored = cluster.vault(1).restore(*current_backup, backup_key, std::nullopt, key.view.group_key);
  REQUIRE(restored.ok());
  CHECK(restored->epoch == 1);
  CHECK(restored->view.public_key == key.view.public_key);
}

TEST_CASE("vault: decommission wipes what it can and records every failure") {
  VaultCluster cluster;
  const VaultKey key = cluster.keygen(ShareSuite::FrostSecp256k1);
  const fs::path shares = cluster.dir(2) / "shares" / to_hex(key.key_id);
  // A directory where an interrupted write's temporary file would be: loading ignores it, the
  // wipe cannot remove it.
  fs::create_directory(shares / ".0.share.tmp-stray");
  auto report = cluster.vault(2).decommission(key.key_id);
  INFO((report ? std::string() : report.error().message));
  REQUIRE(report.ok());
  REQUIRE(report->failures.size() == 1);
  CHECK_THAT(report->failures.front(), Catch::Contains("unexpected entry"));
  for (const auto& f : fs::directory_iterator(shares)) CHECK(f.is_directory());  // every share file is gone
  const auto entries = audit_entries(cluster, 2, cluster.vault(2).public_identity().audit_key);
  REQUIRE(entries.size() >= 2);
  CHECK(entries.back().event.kind == AuditEventKind::Decommissioned);
  CHECK_THAT(entries.back().event.details, Catch::StartsWith("incomplete") && Catch::Contains("unexpected entry"));
}

TEST_CASE("vault: a vault directory others can read, or whose audit log vanished, does not open") {
  VaultCluster cluster;
  cluster.keygen(ShareSuite::FrostSecp256k1);
  cluster.close(3);
  fs::permissions(cluster.dir(3), fs::perms::group_read, fs::perm_options::add);
  auto readable = Vault::open(cluster.dir(3), VaultUnlock(VaultCluster::passphrase()));
  REQUIRE_FALSE(readable.ok());
  CHECK_THAT(readable.error().message, Catch::Contains("readable by group or others"));
  fs::permissions(cluster.dir(3), fs::perms::group_read, fs::perm_options::remove);
  fs::remove(cluster.dir(3) / "audit.log");
  fs::remove(cluster.dir(3) / "audit.log.head");
  auto without_log = Vault::open(cluster.dir(3), VaultUnlock(VaultCluster::passphrase()));
  REQUIRE_FALSE(without_log.ok());
  CHECK_THAT(without_log.error().message, Catch::Contains("missing while keys exist"));
}

namespace {

template <class T>
void refused(const Result<T>& r, std::string_view reason, ErrorKind kind = ErrorKind::InvalidInput) {
  INFO("expected a refusal: " << reason);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == kind);
  CHECK_THAT(r.error().message, Catch::Contains(std::string(reason)));
}

}  // namespace

TEST_CASE("vault: every malformed request is refused before anything runs, with its reason") {
  VaultCluster cluster;
  const VaultKey frost = cluster.keygen(ShareSuite::FrostSecp256k1, "k1");
  const VaultKey ed = cluster.keygen(ShareSuite::FrostEd25519, "k2");
  const VaultKey ecdsa = cluster.keygen(ShareSuite::EcdsaSecp256k1, "k3");
  Vault& v = cluster.vault(1);
  PeerLink& l = cluster.link(1);

  SECTION("key generation") {
    refused(v.keygen({ShareSuite::FrostSecp256k1, 2, {1, 2, 3}, ""}, l), "needs a session label");
    refused(v.keygen({ShareSuite::FrostSecp256k1, 2, {2, 3}, "x"}, l), "must include this party");
    refused(v.keygen({ShareSuite::FrostSecp256k1, 1, {1, 2, 3}, "x"}, l), "threshold must be within");
    refused(v.keygen({ShareSuite::FrostSecp256k1, 4, {1, 2, 3}, "x"}, l), "threshold must be within");
    refused(v.keygen({ShareSuite::FrostSecp256k1, 2, {1, 2, 3}, std::string(300, 'x')}, l), "at most 256");
  }
  SECTION("signing") {
    refused(v.sign(sign_request(frost.key_id, {2, 1}, ""), l), "ascending");
    refused(v.sign(sign_request(frost.key_id, {1, 1}, ""), l), "ascending");
    refused(v.sign(sign_request(frost.key_id, {2, 3}, ""), l), "must include this party");
    refused(v.sign(sign_request(frost.key_id, {1, 4}, ""), l), "holds no share");
    refused(v.sign(sign_request(frost.key_id, {1}, ""), l), "needs 2 signers");
    SignRequest path = sign_request(ed.key_id, {1, 2}, "");
    path.path = {1};
    refused(v.sign(path, l), "secp256k1 keys only");
    refused(v.sign(sign_request(frost.key_id, {1, 2}, "", random_array<32>()), l), "ECDSA keys only");
    SignRequest root = sign_request(frost.key_id, {1, 2}, "");
    root.taproot_root = random_array<32>();
    refused(v.sign(root, l), "only for frost-secp256k1-tr keys");
  }
  SECTION("presigning") {
    refused(v.presign({ecdsa.key_id, {1, 2}, {}, ""}, l), "session label");
    refused(v.presign({frost.key_id, {1, 2}, {}, "p"}, l), "ECDSA keys only");
    refused(v.presign({ecdsa.key_id, {1, 4}, {}, "p"}, l), "holds no share");
  }
  SECTION("resharing and repair") {
    refused(v.reshare({frost.key_id, {1, 2}, {1, 2, 3}, 2, "", std::nullopt}, l), "needs a session label");
    refused(v.reshare({frost.key_id, {1, 2}, {1, 2, 3}, 4, "r", std::nullopt}, l), "threshold must be within");
    ReshareRequest join{frost.key_id, {1, 2}, {1, 2, 3}, 2, "r", std::make_pair(ShareSuite::FrostSecp256k1, Bytes(33, 2))};
    refused(v.reshare(join, l), "already holds a share");
    ReshareRequest bad_key{random_array<32>(), {2, 3}, {1, 2, 3}, 2, "r", std::make_pair(ShareSuite::FrostSecp256k1, Bytes(32, 2))};
    refused(v.reshare(bad_key, l), "wrong length");
    ReshareRequest not_a_point{random_array<32>(), {2, 3}, {1, 2, 3}, 2, "r", std::make_pair(ShareSuite::FrostSecp256k1, Bytes(33, 7))};
    refused(v.reshare(not_a_point, l), "group key");
    refused(v.repair({frost.key_id, {1, 2}, 2, "", std::nullopt}, l), "needs a session label");
    refused(v.repair({frost.key_id, {1, 2}, 2, "r", std::nullopt}, l), "cannot be one of its helpers");
    refused(v.repair({frost.key_id, {2, 3}, 1, "r", std::nullopt}, l), "names the key's suite and epoch");
    refused(v.repair({frost.key_id, {2, 3}, 1, "r", std::make_pair(ShareSuite::FrostSecp256k1, std::uint64_t{0})}, l),
            "still holds a share");
    refused(v.repair({ecdsa.key_id, {1, 2}, 3, "r", std::nullopt}, l), "repair cannot rebuild");
  }
  SECTION("staged epochs, restore, lookups") {
    refused(v.commit_staged(frost.key_id), "no staged epoch");
    refused(v.discard_staged(frost.key_id), "no staged epoch");
    const BackupKeyPair backup_key = BackupKeyPair::generate();
    auto of_party2 = cluster.vault(2).backup(frost.key_id, backup_key.public_key);
    REQUIRE(of_party2.ok());
    refused(v.restore(*of_party2, backup_key), "holds a share of party 2");
    refused(v.resolve("zz"), "expected a key id");
    refused(v.resolve("abc"), "at least 8 hex digits");
    refused(v.resolve("00000000"), "no key");
    refused(v.key(ed.key_id, std::vector<std::uint32_t>{1}), "secp256k1 keys only");
  }
  SECTION("creating a vault") {
    TempDir dir;
    refused(Vault::create(dir / "v", 0, VaultCluster::passphrase(), Argon2Params::minimal()), "party ids start at 1");
    refused(Vault::create(dir / "v", 1, VaultCluster::passphrase(), Argon2Params{9, 8192}), "opslimit");
    CHECK_FALSE(std::filesystem::exists(dir / "v"));  // refused before anything is created
    refused(Vault::create(cluster.dir(1), 1, VaultCluster::passphrase(), Argon2Params::minimal()), "already holds");
    std::filesystem::create_directory(dir / "open");
    std::filesystem::permissions(dir / "open", std::filesystem::perms::group_read, std::filesystem::perm_options::add);
    refused(Vault::create(dir / "open", 1, VaultCluster::passphrase(), Argon2Params::minimal()), "readable by group",
            ErrorKind::Storage);
    refused(Vault::open(dir / "nothing", VaultUnlock(VaultCluster::passphrase())), "not a vault");
    refused(Vault::open(cluster.dir(2), VaultUnlock(SecretBytes::copy_of(as_bytes("wrong")))), "wrong passphrase",
            ErrorKind::Storage);
  }
}

TEST_CASE("presignature pool: a sealed file under another presignature's name, or a pool open to others, is refused") {
  VaultCluster cluster;
  const VaultKey key = cluster.keygen(ShareSuite::EcdsaSecp256k1);
  std::vector<Digest32> ids;
  for (const std::string session : {"p1", "p2"}) {
    auto made = cluster.on({1, 2}, [&](Vault& v, PeerLink& l) { return v.presign({key.key_id, {1, 2}, {}, session}, l); });
    REQUIRE(made.at(1).ok());
    ids.push_back(*made.at(1));
  }
  const fs::path dir = cluster.dir(1) / "presignatures" / to_hex(key.key_id);
  const fs::path first = dir / ("0-" + to_hex(ids[0]) + ".presig"), second = dir / ("0-" + to_hex(ids[1]) + ".presig");
  REQUIRE(fs::exists(first));
  fs::remove(second);
  fs::copy_file(first, second);  // presignature 0's bytes under presignature 1's name
  fs::permissions(second, fs::perms::owner_read | fs::perms::owner_write);
  auto swapped = cluster.vault(1).sign(sign_request(key.key_id, {1, 2}, "s", ids[1]), cluster.link(1));
  REQUIRE_FALSE(swapped.ok());
  CHECK_THAT(swapped.error().message, Catch::Contains("holds another presignature than its name says"));
  // Names that are no presignature of this pool are not listed.
  std::ofstream(dir / "notes.txt") << "x";
  std::ofstream(dir / ("x-" + to_hex(ids[0]) + ".presig")) << "x";
  auto listed = cluster.vault(1).presignatures(key.key_id);
  REQUIRE(listed.ok());
  CHECK(listed->size() == 2);  // the two named files; neither stray name counts
  // A pool directory open to the group does not open.
  cluster.close(1);
  fs::permissions(cluster.dir(1) / "presignatures", fs::perms::group_read, fs::perm_options::add);
  auto reopened = Vault::open(cluster.dir(1), VaultUnlock(VaultCluster::passphrase()));
  REQUIRE_FALSE(reopened.ok());
  CHECK_THAT(reopened.error().message, Catch::Contains("readable by group or others"));
}

TEST_CASE("confirm barrier: a party that states another value is named by the others") {
  const Digest32 agreed = random_array<32>(), other = random_array<32>();
  const std::vector<PartyId> parties = {1, 2, 3};
  ConfirmProtocol p1(1, parties, agreed), p2(2, parties, agreed), p3(3, parties, other);
  auto run = testing::run_protocols({&p1, &p2, &p3});
  for (PartyId id : {1u, 2u}) {
    REQUIRE_FALSE(run.status.at(id).ok());
    CHECK(run.error(id).kind == ErrorKind::ProtocolAborted);
    CHECK(run.error(id).culprits == std::vector<PartyId>{3});
  }
  REQUIRE_FALSE(run.status.at(3).ok());
  CHECK(run.error(3).culprits == std::vector<PartyId>{1, 2});
}

TEST_CASE("vault: a presignature asked for another path or other signers is refused, and void") {
  VaultCluster cluster;
  const VaultKey key = cluster.keygen(ShareSuite::EcdsaSecp256k1);
  auto made = cluster.on({1, 2}, [&](Vault& v, PeerLink& l) { return v.presign({key.key_id, {1, 2}, {}, "p"}, l); });
  REQUIRE(made.at(1).ok());
  SignRequest child = sign_request(key.key_id, {1, 2}, "s", *made.at(1));
  child.path = {0, 7};  // the presignature was made for the key itself
  refused(cluster.vault(1).sign(child, cluster.link(1)), "other signers or another path");
  // It was taken out of the pool before the comparison: it cannot be tried again.
  refused(cluster.vault(1).sign(sign_request(key.key_id, {1, 2}, "s2", *made.at(1)), cluster.link(1)), "was used already");
}

TEST_CASE("vault: a link without the identity keys of the parties or with a swapped key runs nothing") {
  VaultCluster cluster;
  SECTION("no identity keys") {
    for (PartyId id : {1u, 2u, 3u}) cluster.link(id).identity_keys.clear();
    auto results = cluster.on({1, 2, 3}, [](Vault& v, PeerLink& l) {
      return v.keygen({ShareSuite::FrostSecp256k1, 2, {1, 2, 3}, "no keys"}, l);
    });
    for (auto& [id, r] : results) {
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().kind == ErrorKind::InvalidInput);
      CHECK(r.error().message.find("identity keys") != std::string::npos);
    }
  }
  SECTION("party 2's identity key replaced at parties 1 and 3") {
    // An attacker who swapped a key in the configuration cannot sign as party 2: its own broadcasts
    // fail to verify under the key the others hold, and they name party 2 (whose key is wrong).
    const auto stranger = IdentityKey::generate().public_key();
    for (PartyId id : {1u, 3u}) cluster.link(id).identity_keys[2] = stranger;
    cluster.link(1).engine.round_timeout = std::chrono::milliseconds(3000);
    cluster.link(3).engine.round_timeout = std::chrono::milliseconds(3000);
    cluster.link(2).engine.round_timeout = std::chrono::milliseconds(3000);
    auto results = cluster.on({1, 2, 3}, [](Vault& v, PeerLink& l) {
      return v.keygen({ShareSuite::FrostSecp256k1, 2, {1, 2, 3}, "swapped key"}, l);
    });
    for (auto& [id, r] : results) REQUIRE_FALSE(r.ok());
    // Whichever of 1 and 3 checks party 2's broadcast first names it; the other may be stopped
    // by that party's notice first, and then names nobody. Neither ever names the other.
    bool named = false;
    for (PartyId id : {1u, 3u}) {
      INFO(results.at(id).error().describe());
      const auto& culprits = results.at(id).error().culprits;
      named = named || std::find(culprits.begin(), culprits.end(), 2u) != culprits.end();
      CHECK(std::find(culprits.begin(), culprits.end(), id == 1 ? 3u : 1u) == culprits.end());
      CHECK((!culprits.empty() || results.at(id).error().message.find("blames parties 2") != std::string::npos));
    }
    CHECK(named);
  }
}

namespace {

// A party's link that remembers every session it opened.
class SessionRecordingLink final : public PeerLink {
 public:
  explicit SessionRecordingLink(PeerLink& inner) : inner_(inner) {
    engine = inner.engine;
    identity_keys = inner.identity_keys;
  }
  PartyId self() const override { return inner_.self(); }
  Result<std::unique_ptr<Transport>> open_session(const SessionId& session) override {
    std::lock_guard lock(mutex_);
    opened_.push_back(session);
    return inner_.open_session(session);
  }
  std::vector<SessionId> opened() const {
    std::lock_guard lock(mutex_);
    return opened_;
  }

 private:
  PeerLink& inner_;
  mutable std::mutex mutex_;
  std::vector<SessionId> opened_;
};

}  // namespace

TEST_CASE("vault: two runs of one request under one label run under different fresh session ids") {
  VaultCluster cluster;
  const VaultKey key = cluster.keygen(ShareSuite::FrostSecp256k1);
  std::vector<std::map<PartyId, std::vector<SessionId>>> runs;
  for (int run = 0; run < 2; ++run) {
    std::map<PartyId, std::unique_ptr<SessionRecordingLink>> links;
    for (PartyId id : {1u, 3u}) links.emplace(id, std::make_unique<SessionRecordingLink>(cluster.link(id)));
    auto results = cluster.on({1, 3}, [&](Vault& v, PeerLink& l) {
      return v.sign(sign_request(key.key_id, {1, 3}, "the same label"), *links.at(l.self()));
    });
    for (auto& [id, sig] : results) {
      INFO("party " << id << ": " << (sig ? std::string() : sig.error().message));
      REQUIRE(sig.ok());
      CHECK(verifies(ShareSuite::FrostSecp256k1, *sig));
    }
    runs.push_back({{1, links.at(1)->opened()}, {3, links.at(3)->opened()}});
  }
  for (const auto& opened : runs) {
    REQUIRE(opened.at(1).size() == 2);  // the request's session, then the fresh one
    CHECK(opened.at(1) == opened.at(3));
    CHECK(opened.at(1)[0] != opened.at(1)[1]);
  }
  CHECK(runs[0].at(1)[0] == runs[1].at(1)[0]);  // derived alike from the request
  CHECK(runs[0].at(1)[1] != runs[1].at(1)[1]);  // but each run signs under its own
}

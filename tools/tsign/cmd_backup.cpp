// tsign backup-key, backup, restore: cold backups of a share, sealed to an offline X25519 key.
#include <fcntl.h>
#include <unistd.h>

#include "command.hpp"
#include "key_info.hpp"
#include "parse.hpp"
#include "party.hpp"
#include "tsign/store/atomic_file.hpp"
#include "tsign/store/backup.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kBackupKeyUsage = R"(usage: tsign backup-key --out FILE

Creates an X25519 backup key pair: the secret key goes to FILE (64 hex digits, mode 0600; never
overwritten), the public key is printed. Keep FILE offline; give the public key to `tsign backup`.)";

constexpr std::string_view kBackupUsage = R"(usage: tsign backup --dir DIR --key KEY --to HEX --out FILE

Writes this party's current share of KEY to FILE, sealed to the backup public key HEX
(crypto_box_seal): only the holder of the backup secret key can open it. The share header
(key, party, epoch, suite) is readable without it and authenticated inside; the file is signed by
this party's identity key, which a restore checks. Recorded in the audit log. A backup of an older epoch is useless after a refresh: back up again after each.)";

constexpr std::string_view kRestoreUsage = R"(usage: tsign restore --dir DIR --in FILE --backup-secret FILE [--group-key HEX]
                     [--signer HEX]

Checks the backup's signature (by this party's identity, or the identity public key --signer
names), opens it with the backup secret key, checks that it is a share of this party and that it
is consistent (its key id is its group key's, its verifying shares interpolate to the group key;
with --group-key, that this is the expected key), and stores it as the key's committed epoch once
the stored file reads back whole. Refused when the directory already holds that epoch or a later
one. Recorded in the audit log.)";

Status write_new_file(const std::filesystem::path& path, std::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(ErrorKind::Storage, "cannot create " + path.string() + " (it must not exist)");
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return make_error(ErrorKind::Storage, "cannot write " + path.string());
  return {};
}

Result<Report> run_backup_key(const Args& args, const Context&) {
  const std::filesystem::path out = args.require("out");
  BackupKeyPair pair = BackupKeyPair::generate();
  std::string hex = to_hex(pair.secret_key.expose()) + "\n";
  Status written = write_new_file(out, hex);
  detail::secure_wipe(hex.data(), hex.size());
  TSIGN_CHECK(written);
  Report report;
  report.set("public_key", "backup public key", to_hex(pair.public_key));
  report.set("secret_key_file", "secret key file", out.string());
  return report;
}

Result<Report> run_backup(const Args& args, const Context&) {
  TSIGN_TRY(ByteArray<32> recipient, parse_hex_array<32>(args.require("to"), "--to"));
  const std::filesystem::path out = args.require("out");
  if (std::filesystem::exists(out)) return make_error(ErrorKind::InvalidInput, out.string() + " already exists");
  TSIGN_TRY(Vault vault, open_party(args));
  TSIGN_TRY(KeyId key_id, vault.resolve(args.require("key")));
  TSIGN_TRY(VaultKey key, vault.key(key_id));
  TSIGN_TRY(Bytes backup, vault.backup(key_id, recipient));
  TSIGN_CHECK(write_file_atomic(out, backup));
  Report report;
  report.set("key_id", "key id", to_hex(key_id));
  report.set("epoch", "epoch", key.epoch);
  report.set("suite", "suite", to_string(key.suite));
  report.set("recipient", "sealed to", to_hex(recipient));
  report.set("file", "file", out.string());
  return report;
}

Result<Report> run_restore(const Args& args, const Context&) {
  TSIGN_TRY(Bytes backup, read_file(args.require("in"), kMaxSharePayload + 8192));
  TSIGN_TRY(BackupInfo info, inspect_backup(backup));
  (void)info;  // a file that is no backup stops here, before the passphrase is asked
  TSIGN_TRY(Bytes secret_hex, read_file(args.require("backup-secret"), 200, FileAccess::owner_only));
  std::string_view text(reinterpret_cast<const char*>(secret_hex.data()), secret_hex.size());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  auto secret = parse_hex(text, "--backup-secret", 32);
  detail::secure_wipe(secret_hex.data(), secret_hex.size());
  if (!secret) return secret.error();
  SecretBytes secret_key = SecretBytes::copy_of(*secret);
  detail::secure_wipe(secret->data(), secret->size());
  TSIGN_TRY(BackupKeyPair pair, BackupKeyPair::from_secret_key(std::move(secret_key)));
  std::optional<ByteArray<32>> signer;
  if (auto hex = args.get("signer")) {
    TSIGN_TRY(signer, parse_hex_array<32>(*hex, "--signer"));
  }
  std::optional<Bytes> group_key;
  if (auto hex = args.get("group-key")) {
    TSIGN_TRY(group_key, parse_hex(*hex, "--group-key"));
  }
  TSIGN_TRY(Vault vault, open_party(args));
  TSIGN_TRY(VaultKey key, vault.restore(backup, pair, signer, group_key));
  Report report;
  describe_key(report, key);
  return report;
}

}  // namespace

Command backup_key_command() {
  return {"backup-key", "create an X25519 key pair for cold backups", kBackupKeyUsage, {{}, {"out"}}, run_backup_key};
}

Command backup_command() {
  std::vector<std::string_view> options = party_options();
  for (auto o : {"key", "to", "out"}) options.push_back(o);
  return {"backup", "export a share sealed to a backup key", kBackupUsage, {party_flags(), options}, run_backup};
}

Command restore_command() {
  std::vector<std::string_view> options = party_options();
  for (auto o : {"in", "backup-secret", "group-key", "signer"}) options.push_back(o);
  return {"restore", "restore a share from a cold backup", kRestoreUsage, {party_flags(), options}, run_restore};
}

}  // namespace tsign::cli

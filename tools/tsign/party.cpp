#include "party.hpp"

#include <cstdlib>

#include "exit_codes.hpp"
#include "parse.hpp"
#include "passphrase.hpp"
#include "tsign/custody/process.hpp"
#include "tsign/store/atomic_file.hpp"
#include "tsign/store/hsm_protector.hpp"
#include "tsign/store/passphrase_protector.hpp"

namespace tsign::cli {

namespace {

Result<std::unique_ptr<KeyProtector>> make_protector(const Args& args, const SecretBytes& passphrase,
                                                     const Argon2Params& kdf) {
  if (!args.has("hsm-token")) {
    if (args.has("hsm-module") || args.has("hsm-key") || args.has("hsm-pin-file")) {
      throw UsageError("the HSM options need --hsm-token");
    }
    return std::unique_ptr<KeyProtector>(std::make_unique<PassphraseProtector>(passphrase.clone(), kdf));
  }
  Pkcs11Config config;
  if (auto module = args.get("hsm-module")) config.module_path = *module;
  config.token_label = args.require("hsm-token");
  if (auto pin_file = args.get("hsm-pin-file")) {
    TSIGN_TRY(Bytes pin, read_file(*pin_file, 256, FileAccess::owner_only));
    while (!pin.empty() && (pin.back() == '\n' || pin.back() == '\r')) pin.pop_back();
    config.pin = SecretBytes::copy_of(pin);
    detail::secure_wipe(pin.data(), pin.size());
  } else if (auto env = take_secret_from_environment("TSIGN_HSM_PIN")) {
    config.pin = std::move(*env);
  } else {
    return make_error(ErrorKind::InvalidInput, "the HSM needs a PIN: --hsm-pin-file or TSIGN_HSM_PIN");
  }
  TSIGN_TRY(std::shared_ptr<Pkcs11Token> token, Pkcs11Token::open(std::move(config)));
  TSIGN_TRY(HsmProtector protector, HsmProtector::open(std::move(token), args.get("hsm-key").value_or("tsign-share-key"),
                                                       HsmProtector::KeySource::GenerateIfMissing));
  return std::unique_ptr<KeyProtector>(std::make_unique<HsmProtector>(std::move(protector)));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<std::string_view> party_options() {
  return {"dir", "passphrase-file", "hsm-module", "hsm-token", "hsm-key", "hsm-pin-file"};
}

PartyPaths party_paths(const Args& args) {
  if (auto dir = args.get("dir")) return {*dir};
  if (const char* env = std::getenv("TSIGN_DIR"); env != nullptr && *env != '\0') return {env};
  throw UsageError("missing --dir (or TSIGN_DIR): the party directory");
}

std::string format_public_identity(const PublicIdentity& identity) {
  return "# tsign party identity (public keys)\nid = " + std::to_string(identity.id) +
         "\ntransport_key = " + to_hex(identity.transport_key) + "\naudit_key = " + to_hex(identity.audit_key) + "\n";
}

Result<PublicIdentity> read_public_identity(const PartyPaths& paths) {
  TSIGN_TRY(Bytes raw, read_file(paths.identity_public(), 4096));
  const std::string_view text(reinterpret_cast<const char*>(raw.data()), raw.size());
  PublicIdentity out;
  bool id = false, transport = false, audit = false;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = trim(text.substr(start, end - start));
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return make_error(ErrorKind::InvalidInput, "identity.pub: expected 'key = value'");
    const std::string_view key = trim(line.substr(0, eq));
    const std::string_view value = trim(line.substr(eq + 1));
    if (key == "id" && !id) {
      TSIGN_TRY(out.id, parse_party_id(value, "identity.pub id"));
      id = true;
    } else if (key == "transport_key" && !transport) {
      TSIGN_TRY(out.transport_key, parse_hex_array<32>(value, "identity.pub transport_key"));
      transport = true;
    } else if (key == "audit_key" && !audit) {
      TSIGN_TRY(out.audit_key, parse_hex_array<32>(value, "identity.pub audit_key"));
      audit = true;
    } else {
      return make_error(ErrorKind::InvalidInput, "identity.pub: unexpected or repeated '" + std::string(key) + "'");
    }
  }
  if (!id || !transport || !audit) return make_error(ErrorKind::InvalidInput, "identity.pub: incomplete");
  return out;
}

Result<Party> open_party(const Args& args) {
  const PartyPaths paths = party_paths(args);
  if (!std::filesystem::exists(paths.identity())) {
    return make_error(ErrorKind::InvalidInput, paths.dir.string() + " is not a party directory (no identity): run `tsign init`");
  }
  TSIGN_TRY(Bytes identity_file, read_file(paths.identity(), kIdentityFileSize + 1, FileAccess::owner_only));
  TSIGN_TRY(IdentityHeader header, read_identity_header(identity_file));
  std::optional<std::filesystem::path> passphrase_file;
  if (auto f = args.get("passphrase-file")) passphrase_file = *f;
  TSIGN_TRY(SecretBytes passphrase, read_passphrase(passphrase_file, "Passphrase for party " + std::to_string(header.id) + ": ", false));
  TSIGN_TRY(PartyIdentity identity, unseal_identity(identity_file, passphrase));
  TSIGN_TRY(std::unique_ptr<KeyProtector> protector, make_protector(args, passphrase, identity.kdf));
  TSIGN_TRY(ShareStore store, ShareStore::open(paths.shares(), identity.id));
  const ByteArray<32> audit_key = identity.audit.public_key();
  TSIGN_TRY(IdentityKey signer, IdentityKey::from_seed(identity.audit.seed().expose()));
  TSIGN_TRY(std::vector<KeyId> keys, store.keys());
  TSIGN_TRY(AuditLog log, AuditLog::open(paths.audit_log(), std::move(identity.audit),
                                         keys.empty() ? AuditLog::Missing::create : AuditLog::Missing::refuse));
  TSIGN_TRY(std::shared_ptr<FileCheckJournal> pair_checks, FileCheckJournal::open(paths.pair_checks()));
  return Party{paths,           identity.id,      std::move(identity.transport), audit_key,
               std::move(signer), std::move(store), std::move(log),               std::move(protector),
               std::move(pair_checks)};
}

}  // namespace tsign::cli

// tsign init: a new party directory with fresh identity keys.
#include "command.hpp"
#include "parse.hpp"
#include "party.hpp"
#include "passphrase.hpp"
#include "tsign/net/party_config.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kUsage = R"(usage: tsign init --dir DIR --id N [--address HOST:PORT] [--kdf-ops N] [--kdf-mem KIB]
                  [--passphrase-file FILE]

Creates the party directory DIR (mode 0700) for party N with a new X25519 transport key and a
new Ed25519 audit key, sealed with the passphrase, an empty share store and an empty audit log.
Prints the public keys and the line to add to the cluster configuration.

  --address HOST:PORT  where this party will listen (only used to print the cluster line)
  --kdf-ops N          Argon2id passes for this directory's files (default 3, at most 4)
  --kdf-mem KIB        Argon2id memory in KiB (default 262144 = 256 MiB, at most 1048576;
                       8 is the minimum, for tests only))";

Result<Report> run(const Args& args, const Context&) {
  const VaultPaths paths = party_paths(args);
  TSIGN_TRY(PartyId id, parse_party_id(args.require("id"), "--id"));
  Argon2Params kdf = Argon2Params::moderate();
  if (auto ops = args.get("kdf-ops")) {
    TSIGN_TRY(kdf.opslimit, parse_number(*ops, Argon2Params::sensitive().opslimit, "--kdf-ops"));
  }
  if (auto mem = args.get("kdf-mem")) {
    TSIGN_TRY(std::uint64_t kib, parse_number(*mem, Argon2Params::sensitive().memlimit / 1024, "--kdf-mem"));
    kdf.memlimit = kib * 1024;
  }
  if (auto valid = kdf.validate(); !valid) return make_error(ErrorKind::InvalidInput, valid.error().message);
  std::string address = "<host:port>";
  if (auto a = args.get("address")) {
    auto parsed = parse_host_port(*a, false);
    if (!parsed) return make_error(ErrorKind::InvalidInput, "--address: " + parsed.error().message);
    address = *a;
  }
  if (std::filesystem::exists(paths.identity())) {
    return make_error(ErrorKind::InvalidInput, paths.dir.string() + " already holds a party identity");
  }
  std::optional<std::filesystem::path> passphrase_file;
  if (auto f = args.get("passphrase-file")) passphrase_file = *f;
  TSIGN_TRY(SecretBytes passphrase, read_passphrase(passphrase_file, "New passphrase for party " + std::to_string(id) + ": ", true));
  TSIGN_TRY(PublicIdentity pub, Vault::create(paths.dir, id, passphrase, kdf));
  Report report;
  report.set("dir", "directory", paths.dir.string());
  report.set("party", "party", id);
  report.set("transport_key", "transport key", to_hex(pub.transport_key));
  report.set("audit_key", "audit key", to_hex(pub.audit_key));
  report.set("cluster_line", "cluster line",
             "party = " + std::to_string(id) + " " + address + " " + to_hex(pub.transport_key) + " " + to_hex(pub.audit_key));
  return report;
}

}  // namespace

Command init_command() {
  return {"init", "create a party directory with new identity keys", kUsage,
          {{}, {"dir", "id", "address", "kdf-ops", "kdf-mem", "passphrase-file"}}, run};
}

}  // namespace tsign::cli

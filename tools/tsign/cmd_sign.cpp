// tsign sign: a threshold signature by the listed signers, each running this command.
#include "command.hpp"
#include "key_info.hpp"
#include "message_input.hpp"
#include "multiparty.hpp"
#include "parse.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kUsage = R"(usage: tsign sign --dir DIR --cluster FILE --key KEY --signers 1,2
                  (--message TEXT | --message-hex HEX | --message-file FILE | --digest HEX)
                  [--path m/0/1] [--taproot-root HEX] [--policy FILE] [--presignature ID]
                  [--session LABEL] [--timeout SECONDS]

Signs with the key KEY together with the other signers (each runs the same command with its own
directory). The suite is the key's: FROST (secp256k1, BIP-340/Taproot, Ed25519) signs the
message itself (or the 32 digest bytes); ECDSA signs --digest, or SHA-256 of the message.
Prints the signature and the public key it verifies under.

  --key      the key id, or a prefix of at least 8 hex digits
  --signers  every party taking part, this one included (at least the threshold)
  --path     non-hardened BIP-32 path from the key (secp256k1 keys): signs for that child
  --taproot-root  BIP-340/Taproot keys: the Merkle root of the output's script tree; without
             it the output has the key path only (BIP-86), the key `tsign pubkey` prints
  --policy   a rule file (docs/signing-policy.md) applied on top of the party's own
             DIR/signing-policy (which, once present, applies to every signature): a refused
             request is recorded in the audit log, the other signers are told, and the command
             exits with code 6. An allowed one is recorded (`approved`) before this party's share
             leaves, and an attempt that produces no signature is recorded as `failed`.
  --presignature  ECDSA: sign in one round on this pooled presignature (`tsign presign`)
  --session  tells apart two runs with the same key, message, path and signers)";

Result<Report> run(const Args& args, const Context& context) {
  TSIGN_TRY(MessageContent content, read_message(args));
  TSIGN_TRY(std::vector<PartyId> signers, parse_party_list(args.require("signers"), "--signers"));
  TSIGN_TRY(Cluster cluster, load_cluster(args.require("cluster")));  // fails before the passphrase is asked
  std::vector<PolicyRules> extra_rules;
  if (auto file = args.get("policy")) {
    TSIGN_TRY(PolicyRules rules, PolicyRules::load(*file));
    extra_rules.push_back(std::move(rules));
  }
  const std::string label = session_label(args, false);
  TSIGN_TRY(Vault vault, open_party(args));
  TSIGN_TRY(KeyId key_id, vault.resolve(args.require("key")));
  TSIGN_TRY(VaultKey key, vault.key(key_id));

  SignRequest request;
  request.key_id = key_id;
  request.content = content;
  request.signers = signers;
  TSIGN_TRY(request.path, parse_path_option(args.get("path"), key.suite));
  TSIGN_TRY(request.taproot_root, parse_taproot_option(args.get("taproot-root"), key.suite));
  request.session = label;
  request.extra_rules = std::move(extra_rules);
  if (auto id = args.get("presignature")) {
    TSIGN_TRY(Digest32 presignature, parse_hex_array<32>(*id, "--presignature"));
    request.presignature = presignature;
  }
  TSIGN_TRY(Network network, start_network(args, cluster, vault, signers, context));
  TSIGN_TRY(VaultSignature sig, vault.sign(request, network.peers()));

  Report report;
  report.set("key_id", "key id", to_hex(key_id));
  report.set("suite", "suite", to_string(sig.suite));
  report.set("epoch", "epoch", sig.epoch);
  report.set("signers", "signers", signers);
  report.set("path", "path", format_derivation_path(request.path));
  report.set("signature", "signature", to_hex(sig.signature));
  if (sig.ecdsa) {
    report.set("recovery_id", "recovery id", sig.ecdsa->recovery_id);
    report.set("signature_der", "signature der", to_hex(sig.ecdsa->der()));
    report.set("digest", "digest", to_hex(sig.digest));
  }
  report.set("public_key", "public key", to_hex(sig.public_key));
  return report;
}

constexpr std::string_view kPresignUsage = R"(usage: tsign presign --dir DIR --cluster FILE --key KEY --signers 1,2 --session LABEL
                     [--path m/0/1] [--timeout SECONDS]

ECDSA keys: runs the three message-independent rounds of a signature with the other signers
(each runs the same command) and keeps this party's presignature, sealed, in DIR. Prints its id;
`tsign sign --presignature ID` with the same signers and path then signs in one round. Each
presignature signs once: it is recorded as used before the share leaves, and a refresh or
resharing of the key voids every presignature made before it.)";

Result<Report> run_presign(const Args& args, const Context& context) {
  TSIGN_TRY(std::vector<PartyId> signers, parse_party_list(args.require("signers"), "--signers"));
  TSIGN_TRY(Cluster cluster, load_cluster(args.require("cluster")));
  const std::string label = session_label(args, true);
  TSIGN_TRY(Vault vault, open_party(args));
  TSIGN_TRY(KeyId key_id, vault.resolve(args.require("key")));
  TSIGN_TRY(VaultKey key, vault.key(key_id));
  TSIGN_TRY(std::vector<std::uint32_t> path, parse_path_option(args.get("path"), key.suite));
  TSIGN_TRY(Network network, start_network(args, cluster, vault, signers, context));
  TSIGN_TRY(Digest32 id, vault.presign({key_id, signers, path, label}, network.peers()));
  TSIGN_TRY(std::vector<PresignaturePool::Entry> pool, vault.presignatures(key_id));
  Report report;
  report.set("key_id", "key id", to_hex(key_id));
  report.set("presignature", "presignature", to_hex(id));
  report.set("signers", "signers", signers);
  report.set("path", "path", format_derivation_path(path));
  report.set("pooled", "presignatures pooled", pool.size());
  return report;
}

}  // namespace

Command sign_command() {
  std::vector<std::string_view> options = party_options();
  for (auto o : network_option_names()) options.push_back(o);
  for (auto o : message_option_names()) options.push_back(o);
  for (auto o : {"key", "signers", "path", "taproot-root", "policy", "presignature"}) options.push_back(o);
  return {"sign", "threshold signature (FROST or ECDSA) over TCP", kUsage, {party_flags(), options}, run};
}

Command presign_command() {
  std::vector<std::string_view> options = party_options();
  for (auto o : network_option_names()) options.push_back(o);
  for (auto o : {"key", "signers", "path"}) options.push_back(o);
  return {"presign", "ECDSA presignature for a later one-round signature", kPresignUsage, {party_flags(), options}, run_presign};
}

}  // namespace tsign::cli

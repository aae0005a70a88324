// tsign sign: a threshold signature by the listed signers, each running this command.
#include <algorithm>

#include "command.hpp"
#include "key_info.hpp"
#include "message_input.hpp"
#include "multiparty.hpp"
#include "parse.hpp"
#include "tsign/ecdsa/sign.hpp"
#include "tsign/frost/frost.hpp"
#include "tsign/keys/child_share.hpp"
#include "tsign/store/policy_rules.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kUsage = R"(usage: tsign sign --dir DIR --cluster FILE --key KEY --signers 1,2
                  (--message TEXT | --message-hex HEX | --message-file FILE | --digest HEX)
                  [--path m/0/1] [--taproot-root HEX] [--policy FILE] [--session LABEL]
                  [--timeout SECONDS]

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
  --session  tells apart two runs with the same key, message, path and signers)";

// The rules every signature of this party must pass: the party's own file (<dir>/signing-policy),
// which once present applies to every signature, and a --policy file, which must allow as well.
// With neither, any request is approved (and still recorded before release).
struct SigningRules {
  SigningPolicy policy;
  std::string id;  // SHA-256 of each rule file in force, for the audit log
};

Result<SigningRules> load_signing_rules(const PartyPaths& paths, std::optional<std::string> extra) {
  std::vector<std::filesystem::path> files;
  if (std::filesystem::exists(paths.signing_policy())) files.push_back(paths.signing_policy());
  if (extra) files.push_back(*extra);
  std::vector<PolicyRules> all;
  SigningRules out;
  for (const auto& file : files) {
    TSIGN_TRY(PolicyRules rules, PolicyRules::load(file));
    out.id += (out.id.empty() ? "" : ",") + to_hex(rules.source_digest);
    all.push_back(std::move(rules));
  }
  out.policy = [all = std::move(all)](const SigningRequest& request) {
    for (const auto& rules : all) {
      if (PolicyDecision d = rules.evaluate(request); !d.allowed) return d;
    }
    return PolicyDecision::allow(all.empty() ? "no signing policy is configured for this party" : "");
  };
  return out;
}

// The signature and what goes with it, as report fields.
struct Signed {
  std::vector<std::pair<std::string, Json>> fields;
};

template <FrostCiphersuite C>
Result<Signed> frost_sign(Network& network, const KeyShare<Secp256k1>* secp, const StoredKey& key,
                          const SigningRequest& request, const frost::TaprootTweak& taproot, const SessionId& session,
                          const std::optional<Error>& denial) {
  using Group = typename C::Group;
  KeyShare<Group> signing_key;
  if constexpr (std::is_same_v<Group, Secp256k1>) {
    TSIGN_TRY(signing_key, derive_child_share(*secp, request.derivation_path));
  } else {
    signing_key = std::get<KeyShare<Ed25519>>(key.share).clone();
  }
  const auto verifying = signing_key.group_public_key;
  TSIGN_TRY(auto protocol,
            frost::SigningProtocol<C>::create(std::move(signing_key), request.signers, frost_message(request.content), taproot));
  if (denial) {
    network.decline(protocol, session, *denial);
    return *denial;
  }
  TSIGN_CHECK(network.run(protocol, session, "sign"));
  TSIGN_TRY(auto signature, taken(protocol.take_output(), "sign"));
  Signed out;
  out.fields.emplace_back("signature", to_hex(signature.to_bytes()));
  if constexpr (std::is_same_v<Group, Secp256k1>) {
    TSIGN_TRY(std::string public_key, suite_public_key_hex(key.header.suite, verifying, taproot));
    out.fields.emplace_back("public_key", public_key);
  } else {
    out.fields.emplace_back("public_key", to_hex(verifying.to_bytes()));
  }
  return out;
}

Result<Signed> ecdsa_sign(Party& party, Network& network, StoredKey& key, const SigningRequest& request,
                          const SessionId& session, const std::optional<Error>& denial) {
  auto& share = std::get<EcdsaKeyShare>(key.share);
  TSIGN_CHECK(share.attach_journal(party.pair_checks));
  const Digest32 digest = ecdsa_digest(request.content);
  TSIGN_TRY(EcdsaSignProtocol protocol,
            EcdsaSignProtocol::create(share, EcdsaSignConfig{session, request.signers, request.derivation_path, digest}));
  if (denial) {
    network.decline(protocol, session, *denial);
    return *denial;
  }
  const auto disabled_before = share.disabled_peers();
  Status ran = network.run(protocol, session, "sign");
  if (share.disabled_peers() != disabled_before) {
    // The journal already holds the failure; the share file says so too, for a reader without it.
    if (auto kept = rewrite_stored_key(party.store, key, *party.protector); !kept) return kept.error();
  }
  TSIGN_CHECK(ran);
  TSIGN_TRY(const EcdsaSignature sig, taken(protocol.take_output(), "sign"));
  Signed out;
  out.fields.emplace_back("signature", to_hex(sig.compact()));
  out.fields.emplace_back("recovery_id", sig.recovery_id);
  out.fields.emplace_back("signature_der", to_hex(sig.der()));
  out.fields.emplace_back("digest", to_hex(digest));
  out.fields.emplace_back("public_key", to_hex(protocol.public_key().to_bytes()));
  return out;
}

Result<Report> run(const Args& args, const Context& context) {
  TSIGN_TRY(MessageContent content, read_message(args));
  TSIGN_TRY(std::vector<PartyId> signers, parse_party_list(args.require("signers"), "--signers"));
  TSIGN_TRY(Cluster cluster, load_cluster(args.require("cluster")));  // fails before the passphrase is asked
  TSIGN_TRY(Party party, open_party(args));
  TSIGN_TRY(SigningRules rules, load_signing_rules(party.paths, args.get("policy")));
  TSIGN_TRY(KeyId key_id, resolve_key_id(party.store, args.require("key")));
  TSIGN_TRY(StoredKey key, load_stored_key(party.store, key_id, *party.protector));
  TSIGN_TRY(std::vector<std::uint32_t> path, parse_path_option(args.get("path"), key.header.suite));
  TSIGN_TRY(frost::TaprootTweak taproot, parse_taproot_option(args.get("taproot-root"), key.header.suite));

  const std::vector<PartyId> holders = key.parties();
  if (!std::binary_search(signers.begin(), signers.end(), party.id)) {
    return make_error(ErrorKind::InvalidInput, "--signers must include this party (" + std::to_string(party.id) + ")");
  }
  for (PartyId s : signers) {
    if (!std::binary_search(holders.begin(), holders.end(), s)) {
      return make_error(ErrorKind::InvalidInput, "party " + std::to_string(s) + " holds no share of this key");
    }
  }
  if (signers.size() < key.threshold()) {
    return make_error(ErrorKind::InvalidInput, "the key needs " + std::to_string(key.threshold()) + " signers, " +
                                                   std::to_string(signers.size()) + " listed");
  }

  SigningRequest request;
  request.key_id = key_id;
  request.scheme = to_string(key.header.suite);
  request.content = content;
  request.derivation_path = path;
  request.signers = signers;
  if (taproot.mode == frost::TaprootTweak::Mode::MerkleRoot) request.taproot_root = taproot.merkle_root;
  const Digest32 audit_digest = request.audit_digest();
  Writer path_and_tweak;  // signers given another path or script tree meet in another session
  for (std::uint32_t index : path) path_and_tweak.u32(index);
  path_and_tweak.u8(static_cast<std::uint8_t>(taproot.mode)).raw(taproot.merkle_root);
  TSIGN_TRY(SessionId session, operation_session(args, "sign/" + request.scheme, signers,
                                                 {key_id, audit_digest, path_and_tweak.bytes()}, false));
  TSIGN_TRY(Network network, start_network(args, cluster, party, signers, context));

  // Approved and recorded before this party's share can leave; an approval the log cannot take
  // stops here, and the other signers time out.
  std::optional<Error> denial;
  if (Status authorized = authorize_signing(rules.policy, request, party.log, key.header.epoch, rules.id); !authorized) {
    if (authorized.error().kind != ErrorKind::PolicyDenied) return authorized.error();
    denial = authorized.error();
  }

  Result<Signed> result = make_error(ErrorKind::Internal, "no suite");
  switch (key.header.suite) {
    case ShareSuite::FrostSecp256k1:
      result = frost_sign<FrostSecp256k1>(network, key.secp256k1(), key, request, taproot, session, denial);
      break;
    case ShareSuite::FrostSecp256k1Taproot:
      result = frost_sign<FrostSecp256k1Tr>(network, key.secp256k1(), key, request, taproot, session, denial);
      break;
    case ShareSuite::FrostEd25519:
      result = frost_sign<FrostEd25519>(network, nullptr, key, request, taproot, session, denial);
      break;
    case ShareSuite::EcdsaSecp256k1:
      result = ecdsa_sign(party, network, key, request, session, denial);
      break;
  }
  if (!result) {
    // Every attempt is on record: a denial already is, anything else as `failed`.
    if (!denial) (void)record_signing_failure(request, result.error(), party.log, key.header.epoch);
    return result.error();
  }
  TSIGN_CHECK(party.log.append(signing_audit_event(request, AuditEventKind::Signed, key.header.epoch)));

  Report report;
  report.set("key_id", "key id", to_hex(key_id));
  report.set("suite", "suite", request.scheme);
  report.set("epoch", "epoch", key.header.epoch);
  report.set("signers", "signers", signers);
  report.set("path", "path", format_derivation_path(path));
  for (auto& [name, value] : result->fields) {
    std::string label = name;
    std::replace(label.begin(), label.end(), '_', ' ');
    report.set(name, label, value);
  }
  return report;
}

}  // namespace

Command sign_command() {
  std::vector<std::string_view> options = party_options();
  for (auto o : network_option_names()) options.push_back(o);
  for (auto o : message_option_names()) options.push_back(o);
  for (auto o : {"key", "signers", "path", "taproot-root", "policy"}) options.push_back(o);
  return {"sign", "threshold signature (FROST or ECDSA) over TCP", kUsage, {{}, options}, run};
}

}  // namespace tsign::cli

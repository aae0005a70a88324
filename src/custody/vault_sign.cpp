// Vault::sign and ECDSA presignatures: policy, audit and single use around the signing protocols.
#include <algorithm>

#include "tsign/custody/suite_signature.hpp"
#include "tsign/ecdsa/sign.hpp"
#include "tsign/frost/frost.hpp"
#include "tsign/keys/child_share.hpp"
#include "vault_state.hpp"

namespace tsign {

namespace {

using custody_internal::taken;

// The vault's own rules (which, once present, apply to every signature) and the request's; each
// must allow. With none, a request is approved, and still recorded before release.
struct SigningRules {
  SigningPolicy policy;
  std::string id;  // SHA-256 of each rule file in force, for the audit log
};

SigningRules combine_rules(std::optional<PolicyRules> own, const std::vector<PolicyRules>& extra) {
  std::vector<PolicyRules> all;
  if (own) all.push_back(std::move(*own));
  for (const auto& rules : extra) all.push_back(rules);
  SigningRules out;
  for (const auto& rules : all) out.id += (out.id.empty() ? "" : ",") + to_hex(rules.source_digest);
  out.policy = [all = std::move(all)](const SigningRequest& request) {
    for (const auto& rules : all) {
      if (PolicyDecision d = rules.evaluate(request); !d.allowed) return d;
    }
    return PolicyDecision::allow(all.empty() ? "no signing policy is configured for this party" : "");
  };
  return out;
}

Status check_signers(const StoredKey& key, const std::vector<PartyId>& signers, PartyId self) {
  if (!std::is_sorted(signers.begin(), signers.end()) ||
      std::adjacent_find(signers.begin(), signers.end()) != signers.end()) {
    return make_error(ErrorKind::InvalidInput, "the signers must be listed ascending, each once");
  }
  if (!std::binary_search(signers.begin(), signers.end(), self)) {
    return make_error(ErrorKind::InvalidInput, "the signers must include this party (" + std::to_string(self) + ")");
  }
  const std::vector<PartyId> holders = key.parties();
  for (PartyId s : signers) {
    if (!std::binary_search(holders.begin(), holders.end(), s)) {
      return make_error(ErrorKind::InvalidInput, "party " + std::to_string(s) + " holds no share of this key");
    }
  }
  if (signers.size() < key.threshold()) {
    return make_error(ErrorKind::InvalidInput, "the key needs " + std::to_string(key.threshold()) + " signers, " +
                                                   std::to_string(signers.size()) + " listed");
  }
  return {};
}

Result<frost::TaprootTweak> taproot_tweak(ShareSuite suite, const std::optional<Digest32>& root) {
  if (suite != ShareSuite::FrostSecp256k1Taproot) {
    if (root) return make_error(ErrorKind::InvalidInput, "a Taproot script root is only for frost-secp256k1-tr keys");
    return frost::TaprootTweak::none();
  }
  return root ? frost::TaprootTweak::with_merkle_root(*root) : frost::TaprootTweak::no_scripts();
}

// Runs a signing protocol once the request is approved, or tells the others it is declined.
struct Approval {
  std::optional<Error> denial;
};

template <FrostCiphersuite C>
Result<VaultSignature> frost_sign(PeerLink& peers, const StoredKey& key, const SigningRequest& request,
                                  const frost::TaprootTweak& taproot, const SessionId& session, const Approval& approval) {
  using Group = typename C::Group;
  KeyShare<Group> signing_key;
  if constexpr (std::is_same_v<Group, Secp256k1>) {
    TSIGN_TRY(signing_key, derive_child_share(*key.secp256k1(), request.derivation_path));
  } else {
    signing_key = std::get<KeyShare<Ed25519>>(key.share).clone();
  }
  const auto verifying = signing_key.group_public_key;
  TSIGN_TRY(auto protocol,
            frost::SigningProtocol<C>::create(std::move(signing_key), request.signers, frost_message(request.content), taproot));
  if (approval.denial) {
    peers.decline(protocol, session, *approval.denial);
    return *approval.denial;
  }
  TSIGN_CHECK(peers.run(protocol, session, "sign"));
  TSIGN_TRY(auto signature, taken(protocol.take_output(), "sign"));
  VaultSignature out;
  const auto bytes = signature.to_bytes();
  out.signature.assign(bytes.begin(), bytes.end());
  if constexpr (std::is_same_v<Group, Secp256k1>) {
    TSIGN_TRY(out.public_key, suite_public_key(key.header.suite, verifying, taproot));
  } else {
    const auto pk = verifying.to_bytes();
    out.public_key.assign(pk.begin(), pk.end());
  }
  return out;
}

VaultSignature ecdsa_result(const EcdsaSignature& sig, const Digest32& digest, const Secp256k1Point& public_key) {
  VaultSignature out;
  const auto compact = sig.compact();
  out.signature.assign(compact.begin(), compact.end());
  const auto pk = public_key.to_bytes();
  out.public_key.assign(pk.begin(), pk.end());
  out.ecdsa = sig;
  out.digest = digest;
  return out;
}

}  // namespace

Status Vault::State::run_ecdsa(PeerLink& peers, RoundProtocol& protocol, const SessionId& session,
                               std::string_view label, const StoredKey& key) {
  const auto& share = std::get<EcdsaKeyShare>(key.share);
  const auto disabled_before = share.disabled_peers();
  Status ran = peers.run(protocol, session, label);
  if (share.disabled_peers() != disabled_before) {
    // The journal already holds the failure; the share file says so too, for a reader without it.
    TSIGN_CHECK(rewrite_stored_key(store, key, *protector));
  }
  return ran;
}

Result<VaultSignature> Vault::sign(const SignRequest& in, PeerLink& link) {
  State& s = *state_;
  SigningPeerLink peers(link, s.log.identity());
  TSIGN_TRY(StoredKey key, s.load(in.key_id));
  TSIGN_CHECK(check_signers(key, in.signers, s.id));
  if (key.header.suite == ShareSuite::FrostEd25519 && !in.path.empty()) {
    return make_error(ErrorKind::InvalidInput, "BIP-32 derivation is for secp256k1 keys only");
  }
  if (in.presignature && key.header.suite != ShareSuite::EcdsaSecp256k1) {
    return make_error(ErrorKind::InvalidInput, "presignatures are for ECDSA keys only");
  }
  TSIGN_TRY(frost::TaprootTweak taproot, taproot_tweak(key.header.suite, in.taproot_root));
  TSIGN_TRY(std::optional<PolicyRules> own, policy());
  const SigningRules rules = combine_rules(std::move(own), in.extra_rules);

  SigningRequest request;
  request.key_id = in.key_id;
  request.scheme = to_string(key.header.suite);
  request.content = in.content;
  request.derivation_path = in.path;
  request.signers = in.signers;
  request.taproot_root = in.taproot_root;
  Writer context;  // signers given another path, script tree or presignature meet in another session
  for (std::uint32_t index : in.path) context.u32(index);
  context.u8(static_cast<std::uint8_t>(taproot.mode)).raw(taproot.merkle_root);
  if (in.presignature) context.raw(*in.presignature);
  TSIGN_TRY(SessionId session, vault_session("sign/" + request.scheme, in.signers, in.session,
                                             {in.key_id, request.audit_digest(), context.bytes()}));

  // Approved and recorded before this party's share can leave; an approval the log cannot take
  // stops here, and the other signers time out.
  Approval approval;
  if (Status authorized = authorize_signing(rules.policy, request, s.log, key.header.epoch, rules.id); !authorized) {
    if (authorized.error().kind != ErrorKind::PolicyDenied) return authorized.error();
    approval.denial = authorized.error();
  }
  if (!approval.denial) s.step("sign:approved");

  Result<VaultSignature> result = make_error(ErrorKind::Internal, "no suite");
  switch (key.header.suite) {
    case ShareSuite::FrostSecp256k1:
      result = frost_sign<FrostSecp256k1>(peers, key, request, taproot, session, approval);
      break;
    case ShareSuite::FrostSecp256k1Taproot:
      result = frost_sign<FrostSecp256k1Tr>(peers, key, request, taproot, session, approval);
      break;
    case ShareSuite::FrostEd25519:
      result = frost_sign<FrostEd25519>(peers, key, request, taproot, session, approval);
      break;
    case ShareSuite::EcdsaSecp256k1:
      result = [&]() -> Result<VaultSignature> {
        const Digest32 digest = ecdsa_digest(in.content);
        if (in.presignature) {
          if (approval.denial) return *approval.denial;  // nothing was taken from the pool
          // Taken for good (recorded durably) before the online round can send anything.
          TSIGN_TRY(Presignature presignature, s.presignatures.take(key.header, *in.presignature, *s.protector));
          if (presignature.signers() != in.signers || presignature.path() != in.path) {
            return make_error(ErrorKind::InvalidInput, "the presignature was made for other signers or another path (it is now void)");
          }
          TSIGN_TRY(EcdsaOnlineProtocol protocol, EcdsaOnlineProtocol::create(std::get<EcdsaKeyShare>(key.share), std::move(presignature), digest));
          TSIGN_CHECK(peers.run(protocol, session, "sign"));
          TSIGN_TRY(const EcdsaSignature sig, taken(protocol.take_output(), "sign"));
          return ecdsa_result(sig, digest, protocol.public_key());
        }
        auto& share = std::get<EcdsaKeyShare>(key.share);
        TSIGN_TRY(EcdsaSignProtocol protocol, EcdsaSignProtocol::create(share, EcdsaSignConfig{session, in.signers, in.path, digest}));
        if (approval.denial) {
          peers.decline(protocol, session, *approval.denial);
          return *approval.denial;
        }
        TSIGN_CHECK(s.run_ecdsa(peers, protocol, session, "sign", key));
        TSIGN_TRY(const EcdsaSignature sig, taken(protocol.take_output(), "sign"));
        return ecdsa_result(sig, digest, protocol.public_key());
      }();
      break;
  }
  if (!result) {
    // Every attempt is on record: a denial already is, anything else as `failed`.
    if (!approval.denial) (void)record_signing_failure(request, result.error(), s.log, key.header.epoch);
    return result.error();
  }
  result->suite = key.header.suite;
  result->epoch = key.header.epoch;
  TSIGN_TRY(AuditEntry signed_entry, s.log.append(signing_audit_event(request, AuditEventKind::Signed, key.header.epoch)));
  (void)signed_entry;
  return result;
}

Result<Digest32> Vault::presign(const PresignRequest& in, PeerLink& link) {
  State& s = *state_;
  SigningPeerLink peers(link, s.log.identity());
  if (in.session.empty()) return make_error(ErrorKind::InvalidInput, "presigning needs a session label every signer passes alike");
  TSIGN_TRY(StoredKey key, s.load(in.key_id));
  if (key.header.suite != ShareSuite::EcdsaSecp256k1) {
    return make_error(ErrorKind::InvalidInput, "presignatures are for ECDSA keys only");
  }
  TSIGN_CHECK(check_signers(key, in.signers, s.id));
  Writer context;
  for (std::uint32_t index : in.path) context.u32(index);
  Writer epoch;
  epoch.u64(key.header.epoch);
  TSIGN_TRY(SessionId session, vault_session("presign", in.signers, in.session, {in.key_id, epoch.bytes(), context.bytes()}));
  auto& share = std::get<EcdsaKeyShare>(key.share);
  TSIGN_TRY(EcdsaPresignProtocol protocol, EcdsaPresignProtocol::create(share, EcdsaPresignConfig{session, in.signers, in.path}));
  TSIGN_CHECK(s.run_ecdsa(peers, protocol, session, "presign", key));
  TSIGN_TRY(Presignature presignature, taken(protocol.take_output(), "presign"));
  const Digest32 id = presignature.id();
  TSIGN_CHECK(s.presignatures.add(key.header, std::move(presignature), *s.protector));
  return id;
}

Result<std::vector<PresignaturePool::Entry>> Vault::presignatures(const KeyId& key_id) const {
  return state_->presignatures.list(key_id);
}

}  // namespace tsign

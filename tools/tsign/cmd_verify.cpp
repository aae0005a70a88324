// tsign verify: offline check of a signature against a public key.
#include "command.hpp"
#include "message_input.hpp"
#include "parse.hpp"
#include "tsign/ecdsa/signature.hpp"
#include "tsign/frost/signature.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kUsage = R"(usage: tsign verify --suite SUITE --public-key HEX --signature HEX
                    (--message TEXT | --message-hex HEX | --message-file FILE | --digest HEX)

Checks a signature offline, with the suite's reference verifier: libsecp256k1 for BIP-340 and
ECDSA, libsodium for Ed25519, the RFC 9591 equation for FROST(secp256k1). Exit code 0 when it
verifies, 7 when it does not (a malformed signature does not verify either).

  frost-secp256k1     public key 33 bytes (compressed), signature 65 bytes (R || z)
  frost-secp256k1-tr  public key 32 bytes (x-only) or 33, signature 64 bytes (BIP-340)
  frost-ed25519       public key 32 bytes, signature 64 bytes (RFC 8032)
  ecdsa               public key 33 bytes, signature 64 bytes (r || s, low s);
                      signs --digest, or SHA-256 of the message)";

Result<bool> verify_frost_secp(ByteSpan message, ByteSpan pk, ByteSpan sig) {
  auto key = Secp256k1Point::from_bytes(pk);
  if (!key) return make_error(ErrorKind::InvalidInput, "--public-key: " + key.error().message);
  auto signature = frost::Signature<FrostSecp256k1>::from_bytes(sig);
  if (!signature) return false;
  return frost::verify_signature<FrostSecp256k1>(message, *signature, *key);
}

Result<bool> verify_frost_tr(ByteSpan message, ByteSpan pk, ByteSpan sig) {
  auto key = pk.size() == 32 ? Secp256k1Point::from_x_only(pk) : Secp256k1Point::from_bytes(pk);
  if (!key) return make_error(ErrorKind::InvalidInput, "--public-key: " + key.error().message);
  auto signature = frost::Signature<FrostSecp256k1Tr>::from_bytes(sig);
  if (!signature) return false;
  return frost::verify_signature<FrostSecp256k1Tr>(message, *signature, *key);
}

Result<bool> verify_frost_ed25519(ByteSpan message, ByteSpan pk, ByteSpan sig) {
  auto key = Ed25519Point::from_bytes(pk);
  if (!key) return make_error(ErrorKind::InvalidInput, "--public-key: " + key.error().message);
  auto signature = frost::Signature<FrostEd25519>::from_bytes(sig);
  if (!signature) return false;
  return frost::verify_signature<FrostEd25519>(message, *signature, *key);
}

Result<bool> verify_ecdsa_signature(const Digest32& digest, ByteSpan pk, ByteSpan sig) {
  auto key = Secp256k1Point::from_bytes(pk);
  if (!key) return make_error(ErrorKind::InvalidInput, "--public-key: " + key.error().message);
  if (sig.size() != 64) return false;
  auto signature = EcdsaSignature::from_compact(sig, 0);
  if (!signature) return false;
  return verify_ecdsa(*signature, digest, *key).ok();
}

Result<Report> run(const Args& args, const Context&) {
  TSIGN_TRY(ShareSuite suite, parse_suite(args.require("suite")));
  TSIGN_TRY(Bytes pk, parse_hex(args.require("public-key"), "--public-key"));
  TSIGN_TRY(Bytes sig, parse_hex(args.require("signature"), "--signature"));
  TSIGN_TRY(MessageContent content, read_message(args));
  Result<bool> valid = false;
  switch (suite) {
    case ShareSuite::FrostSecp256k1:
      valid = verify_frost_secp(frost_message(content), pk, sig);
      break;
    case ShareSuite::FrostSecp256k1Taproot:
      valid = verify_frost_tr(frost_message(content), pk, sig);
      break;
    case ShareSuite::FrostEd25519:
      valid = verify_frost_ed25519(frost_message(content), pk, sig);
      break;
    case ShareSuite::EcdsaSecp256k1:
      valid = verify_ecdsa_signature(ecdsa_digest(content), pk, sig);
      break;
  }
  if (!valid) return valid.error();
  Report report;
  report.set("suite", "suite", to_string(suite));
  report.set("valid", "valid", *valid);
  if (!*valid) report.exit = ExitCode::VerificationFailed;
  return report;
}

}  // namespace

Command verify_command() {
  std::vector<std::string_view> options = {"suite", "public-key", "signature"};
  for (auto o : message_option_names()) options.push_back(o);
  return {"verify", "check a signature offline", kUsage, {{}, options}, run};
}

}  // namespace tsign::cli

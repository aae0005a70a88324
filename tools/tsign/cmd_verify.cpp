// tsign verify: offline check of a signature against a public key.
#include "command.hpp"
#include "message_input.hpp"
#include "parse.hpp"

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

Result<Report> run(const Args& args, const Context&) {
  TSIGN_TRY(ShareSuite suite, parse_suite(args.require("suite")));
  TSIGN_TRY(Bytes pk, parse_hex(args.require("public-key"), "--public-key"));
  TSIGN_TRY(Bytes sig, parse_hex(args.require("signature"), "--signature"));
  TSIGN_TRY(MessageContent content, read_message(args));
  auto valid = verify_suite_signature(suite, content, pk, sig);
  if (!valid) return make_error(ErrorKind::InvalidInput, "--public-key: " + valid.error().message);
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

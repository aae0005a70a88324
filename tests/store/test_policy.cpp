#include <catch2/catch.hpp>

#include <fstream>

#include "store_fixtures.hpp"
#include "tsign/core/random.hpp"
#include "support/syscall_faults.hpp"
#include "tsign/store/policy_rules.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

const std::string kKeyHex(64, 'a');

const char* kRules = R"(# treasury hot wallet
tsign-policy 1

allow-scheme frost-secp256k1-tr
allow-scheme ecdsa-secp256k1
allow-key aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
allow-path m/0
allow-path	m/7/1
min-signers 2
max-signers 3
require-signer 1
max-message-bytes 64
allow-digest 5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a
)";

SigningRequest good_request() {
  SigningRequest r;
  r.key_id.fill(0xaa);
  r.scheme = "frost-secp256k1-tr";
  r.content = Bytes(32, 0x01);
  r.derivation_path = {0, 5};
  r.signers = {1, 3};
  return r;
}

PolicyRules rules() {
  auto parsed = PolicyRules::parse(kRules);
  if (!parsed.ok()) FAIL(parsed.error().describe());
  return std::move(parsed).value();
}

std::string parse_error(const std::string& text) {
  auto r = PolicyRules::parse(text);
  if (r.ok()) return "parsed";
  CHECK(r.error().kind == ErrorKind::InvalidInput);
  return r.error().message;
}

}  // namespace

TEST_CASE("policy rules: a rule file parses into its rules") {
  const PolicyRules p = rules();
  CHECK(p.schemes == std::vector<std::string>{"frost-secp256k1-tr", "ecdsa-secp256k1"});
  REQUIRE(p.keys.size() == 1);
  CHECK(to_hex(p.keys[0]) == kKeyHex);
  CHECK(p.path_prefixes == std::vector<std::vector<std::uint32_t>>{{0}, {7, 1}});
  CHECK(p.min_signers == 2);
  CHECK(p.max_signers == std::optional<std::uint32_t>{3});
  CHECK(p.required_signers == std::vector<PartyId>{1});
  CHECK(p.max_message_bytes == std::optional<std::uint64_t>{64});
  CHECK_FALSE(p.any_digest);
  CHECK(p.digests.size() == 1);
}

TEST_CASE("policy rules: allowed requests") {
  const PolicyRules p = rules();
  CHECK(p.evaluate(good_request()).allowed);

  SigningRequest root = good_request();
  root.derivation_path = {};  // the root key needs no allow-path
  CHECK(p.evaluate(root).allowed);

  SigningRequest digest = good_request();
  Digest32 d;
  d.fill(0x5a);
  digest.content = d;
  digest.scheme = "ecdsa-secp256k1";
  digest.derivation_path = {7, 1, 9};
  digest.signers = {3, 2, 1};
  CHECK(p.evaluate(digest).allowed);

  SigningRequest longest = good_request();
  longest.content = Bytes(64, 0);
  CHECK(p.evaluate(longest).allowed);

  const SigningPolicy callback = p.as_policy();
  CHECK(callback(good_request()).allowed);
}

TEST_CASE("policy rules: each rule denies with its reason") {
  const PolicyRules p = rules();
  auto denied = [&](SigningRequest r, std::string_view reason) {
    const PolicyDecision d = p.evaluate(r);
    CHECK_FALSE(d.allowed);
    INFO(d.reason);
    CHECK(d.reason.find(reason) != std::string::npos);
  };
  SigningRequest r = good_request();
  r.scheme = "frost-ed25519";
  denied(r, "scheme 'frost-ed25519' is not allowed");

  r = good_request();
  r.key_id.fill(0xbb);
  denied(r, "is not allowed");

  r = good_request();
  r.signers = {1};
  denied(r, "fewer than the minimum of 2");
  r.signers = {1, 2, 3, 4};
  denied(r, "exceed the maximum of 3");
  r.signers = {2, 3};
  denied(r, "required signer 1");
  r.signers = {1, 1};
  denied(r, "repeats a party");

  r = good_request();
  r.derivation_path = {1, 0};
  denied(r, "m/1/0 is not under an allowed prefix");
  r.derivation_path = {7};
  denied(r, "m/7 is not under an allowed prefix");
  r.derivation_path = {0, 0x80000001u};
  denied(r, "m/0/1' has a hardened step");

  r = good_request();
  r.content = Bytes(65, 0);
  denied(r, "message of 65 bytes exceeds the limit of 64");
  Digest32 other;
  other.fill(0x01);
  r.content = other;
  denied(r, "is not on the allow list");

  PolicyRules strict = p;
  strict.max_message_bytes.reset();
  strict.digests.clear();
  r = good_request();
  CHECK(strict.evaluate(r).reason == "message requests are not allowed");
  r.content = other;
  CHECK(strict.evaluate(r).reason == "digest requests are not allowed");
  strict.any_digest = true;
  CHECK(strict.evaluate(r).allowed);
}

TEST_CASE("policy rules: strict parsing names the line") {
  const std::string head = "tsign-policy 1\n";
  CHECK(parse_error("") == "policy file is empty: it must start with 'tsign-policy 1'");
  CHECK(parse_error("# only a comment\n") == "policy file is empty: it must start with 'tsign-policy 1'");
  CHECK(parse_error("allow-scheme frost-ed25519\n").find("line 1: the file must start with") != std::string::npos);
  CHECK(parse_error("tsign-policy 2\n").find("unsupported policy version '2'") != std::string::npos);
  CHECK(parse_error(head + "tsign-policy 1\n").find("line 2: 'tsign-policy' given twice") != std::string::npos);
  CHECK(parse_error(head + "allow-shceme frost-ed25519\n").find("line 2: unknown directive 'allow-shceme'") !=
        std::string::npos);
  CHECK(parse_error(head + "allow-scheme frost\n").find("unknown scheme 'frost'") != std::string::npos);
  CHECK(parse_error(head + "allow-scheme\n").find("takes 1 argument, got 0") != std::string::npos);
  CHECK(parse_error(head + "allow-scheme frost-ed25519 frost-secp256k1\n").find("got 2") != std::string::npos);
  CHECK(parse_error(head + "allow-scheme frost-ed25519\nallow-scheme frost-ed25519\n").find("line 3: scheme listed twice") !=
        std::string::npos);
  CHECK(parse_error(head + "min-signers 2\nmin-signers 3\n").find("line 3: 'min-signers' given twice") != std::string::npos);
  CHECK(parse_error(head + "min-signers 02\n").find("leading zeros") != std::string::npos);
  CHECK(parse_error(head + "min-signers +2\n").find("decimal number") != std::string::npos);
  CHECK(parse_error(head + "min-signers 0\n").find("at least 1") != std::string::npos);
  CHECK(parse_error(head + "max-signers 4294967296\n").find("too large") != std::string::npos);
  CHECK(parse_error(head + "min-signers 3\nmax-signers 2\n").find("max-signers is below min-signers") != std::string::npos);
  CHECK(parse_error(head + "require-signer 0\n").find("party id 0") != std::string::npos);
  CHECK(parse_error(head + "allow-key " + std::string(64, 'A') + "\n").find("lowercase hex") != std::string::npos);
  CHECK(parse_error(head + "allow-key abcd\n").find("64 lowercase hex digits") != std::string::npos);
  CHECK(parse_error(head + "allow-path 0/1\n").find("must be 'm'") != std::string::npos);
  CHECK(parse_error(head + "allow-path m/\n").find("path index") != std::string::npos);
  CHECK(parse_error(head + "allow-path m//1\n").find("path index") != std::string::npos);
  CHECK(parse_error(head + "allow-path m/1'\n").find("path index") != std::string::npos);
  CHECK(parse_error(head + "allow-path m/2147483648\n").find("is hardened") != std::string::npos);
  CHECK(parse_error(head + "allow-any-digest yes\n").find("takes 0 arguments") != std::string::npos);
  CHECK(parse_error(head + "allow-any-digest\nallow-digest " + std::string(64, '0') + "\n").find("contradict") !=
        std::string::npos);
  CHECK(parse_error(head + "max-signers 1\nrequire-signer 1\nrequire-signer 2\n").find("more required signers") !=
        std::string::npos);
  CHECK(parse_error("tsign-policy 1\r\n").find("carriage return") != std::string::npos);
  CHECK(parse_error(head + "allow-scheme frost-ed25519 # trailing\n").find("got 3") != std::string::npos);
  CHECK(parse_error(head + "allow-scheme \x01\n").find("printable ASCII") != std::string::npos);

  // Comments, blank lines, indentation and a missing final newline are fine.
  auto ok = PolicyRules::parse("  # header\n\ntsign-policy 1\n\t allow-path m \n  # note\nallow-scheme frost-ed25519");
  REQUIRE(ok.ok());
  CHECK(ok->path_prefixes == std::vector<std::vector<std::uint32_t>>{{}});
  CHECK(ok->schemes == std::vector<std::string>{"frost-ed25519"});
}

TEST_CASE("policy rules: loaded from a file, errors name the file") {
  TempDir dir;
  const auto path = dir.path() / "policy.rules";
  { std::ofstream(path) << kRules; }
  auto loaded = PolicyRules::load(path);
  REQUIRE(loaded.ok());
  CHECK(loaded->evaluate(good_request()).allowed);
  { std::ofstream(path) << "tsign-policy 1\nbogus\n"; }
  auto bad = PolicyRules::load(path);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find(path.string() + ": policy line 2") != std::string::npos);
  CHECK_FALSE(PolicyRules::load(dir.path() / "missing").ok());
}

TEST_CASE("policy: every answer is recorded in the audit log before anything is released") {
  TempDir dir;
  const auto log_path = dir.path() / "audit.log";
  IdentityKey identity = IdentityKey::generate();
  const ByteArray<32> public_key = identity.public_key();
  auto log = AuditLog::open(log_path, std::move(identity));
  REQUIRE(log.ok());
  const SigningPolicy policy = rules().as_policy();

  SigningRequest taproot = good_request();
  taproot.taproot_root = random_array<32>();
  CHECK(authorize_signing(policy, taproot, *log, 4, "rules 0123").ok());
  CHECK(log->head().count == 1);

  SigningRequest refused = good_request();
  refused.scheme = "frost-ed25519";
  auto st = authorize_signing(policy, refused, *log, 4);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().kind == ErrorKind::PolicyDenied);
  CHECK(st.error().message == "signing request denied: scheme 'frost-ed25519' is not allowed");

  // Fails closed without a policy or when the policy throws.
  auto none = authorize_signing(SigningPolicy{}, good_request(), *log, 4);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message.find("no signing policy") != std::string::npos);
  auto throwing = authorize_signing([](const SigningRequest&) -> PolicyDecision { throw std::runtime_error("boom"); },
                                    good_request(), *log, 4);
  REQUIRE_FALSE(throwing.ok());
  CHECK(throwing.error().message.find("the policy failed: boom") != std::string::npos);

  // After signing, the caller logs the outcome with the same helpers.
  REQUIRE(log->append(signing_audit_event(good_request(), AuditEventKind::Signed, 4)).ok());
  REQUIRE(record_signing_failure(good_request(), Error{ErrorKind::Timeout, "round 1: no message from 3", {3}}, *log, 4).ok());

  std::vector<AuditEntry> entries;
  AuditVerifyOptions options;
  options.on_entry = [&](const AuditEntry& e) { entries.push_back(e); };
  REQUIRE(verify_audit_log(log_path, public_key, options).ok());
  REQUIRE(entries.size() == 6);
  const AuditEvent& approval = entries[0].event;
  CHECK(approval.kind == AuditEventKind::Approved);
  CHECK(approval.details == "taproot root " + to_hex(*taproot.taproot_root) + "; policy rules 0123");
  CHECK(approval.digest == std::optional<Digest32>{sha256(std::get<Bytes>(taproot.content))});
  const AuditEvent& denial = entries[1].event;
  CHECK(denial.kind == AuditEventKind::Denied);
  CHECK(denial.details == "scheme 'frost-ed25519' is not allowed");
  CHECK(denial.key_id == refused.key_id);
  CHECK(denial.epoch == 4);
  CHECK(denial.digest == std::optional<Digest32>{sha256(std::get<Bytes>(refused.content))});
  CHECK(denial.derivation_path == refused.derivation_path);
  CHECK(denial.signers == refused.signers);
  CHECK(entries[2].event.details == "no signing policy is configured");
  CHECK(entries[4].event.kind == AuditEventKind::Signed);
  CHECK(entries[5].event.kind == AuditEventKind::Failed);
  CHECK(entries[5].event.details.find("round 1: no message from 3") != std::string::npos);
}

TEST_CASE("policy: an approval that cannot be recorded releases nothing") {
  TempDir dir;
  auto log = AuditLog::open(dir.path() / "audit.log", IdentityKey::generate());
  REQUIRE(log.ok());
  const SigningPolicy allow_all = [](const SigningRequest&) { return PolicyDecision::allow(); };
  for (auto call : {Syscall::Write, Syscall::Fsync}) {
    INFO(static_cast<int>(call));
    SyscallFault fault(call);
    auto st = authorize_signing(allow_all, good_request(), *log, 1);
    REQUIRE(fault.fired());
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().kind == ErrorKind::Storage);
    CHECK(st.error().message.find("could not be recorded, so nothing is released") != std::string::npos);
    CHECK(log->head().count == 0);
  }
  CHECK(authorize_signing(allow_all, good_request(), *log, 1).ok());
  CHECK(log->head().count == 1);
}

TEST_CASE("policy: derivation paths print in BIP-32 notation") {
  CHECK(format_derivation_path({}) == "m");
  CHECK(format_derivation_path({0, 7, 0x80000002u}) == "m/0/7/2'");
}

TEST_CASE("policy rules: a path deeper than 255, max-signers 0 and an oversized file are refused for those reasons") {
  std::string deep = "m";
  for (int i = 0; i < 256; ++i) deep += "/1";
  CHECK(PolicyRules::parse("tsign-policy 1\nallow-path " + deep.substr(0, deep.size() - 2) + "\n").ok());
  CHECK(parse_error("tsign-policy 1\nallow-path " + deep + "\n").find("deeper than 255") != std::string::npos);
  CHECK(parse_error("tsign-policy 1\nmax-signers 0\n").find("max-signers must be at least 1") != std::string::npos);
  std::string big = "tsign-policy 1\n";
  big.resize((1u << 20) + 1, '#');
  CHECK(parse_error(big).find("larger than 1 MiB") != std::string::npos);
}

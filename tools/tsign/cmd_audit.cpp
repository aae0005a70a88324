// tsign audit verify: check a party's audit log offline.
#include <ctime>

#include "command.hpp"
#include "parse.hpp"
#include "party.hpp"
#include "tsign/store/audit_log.hpp"
#include "tsign/store/policy.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kUsage = R"(usage: tsign audit verify (--dir DIR | --log FILE --public-key HEX) [--public-key HEX]
                         [--known-head COUNT:HASH] [--list]

Checks every entry of the audit log (signatures, hash chain, sequence numbers) and its signed
checkpoint against the party's Ed25519 audit key: from --public-key (best: the key listed in the
cluster configuration), else from DIR/identity.pub. Prints the head (COUNT:HASH); record it
elsewhere and pass it back as --known-head to also detect a rollback of log and checkpoint
together. Exit code 0 when the log verifies, 7 when it does not. No passphrase is needed.

  --list  print every entry)";

std::string format_time(std::uint64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

Json entry_json(const AuditEntry& e) {
  Json j = {{"sequence", e.sequence},
            {"time", format_time(e.timestamp_ms)},
            {"event", to_string(e.event.kind)},
            {"key_id", to_hex(e.event.key_id)},
            {"epoch", e.event.epoch}};
  if (e.event.digest) j["digest"] = to_hex(*e.event.digest);
  if (!e.event.derivation_path.empty() || e.event.kind == AuditEventKind::Signed || e.event.kind == AuditEventKind::Denied) {
    j["path"] = format_derivation_path(e.event.derivation_path);
  }
  if (!e.event.signers.empty()) j["parties"] = e.event.signers;
  if (!e.event.details.empty()) j["details"] = e.event.details;
  return j;
}

std::string entry_line(const Json& j) {
  std::string line = std::to_string(j["sequence"].get<std::uint64_t>()) + "  " + j["time"].get<std::string>() + "  " +
                     j["event"].get<std::string>() + "  key " + j["key_id"].get<std::string>().substr(0, 16) +
                     "  epoch " + std::to_string(j["epoch"].get<std::uint64_t>());
  if (j.contains("digest")) line += "  digest " + j["digest"].get<std::string>();
  if (j.contains("path")) line += "  path " + j["path"].get<std::string>();
  if (j.contains("parties")) {
    std::string ids;
    for (const auto& p : j["parties"]) ids += (ids.empty() ? "" : ",") + std::to_string(p.get<PartyId>());
    line += "  parties " + ids;
  }
  if (j.contains("details")) line += "  (" + j["details"].get<std::string>() + ")";
  return line;
}

Result<AuditHead> parse_head(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return make_error(ErrorKind::InvalidInput, "--known-head: expected COUNT:HASH");
  AuditHead head;
  TSIGN_TRY(head.count, parse_number(text.substr(0, colon), ~std::uint64_t{0} >> 1, "--known-head count"));
  TSIGN_TRY(head.hash, parse_hex_array<32>(text.substr(colon + 1), "--known-head hash"));
  return head;
}

Result<Report> run(const Args& args, const Context&) {
  std::filesystem::path log;
  ByteArray<32> public_key{};
  std::string key_source = "--public-key";
  if (auto file = args.get("log")) {
    log = *file;
    if (args.has("dir")) throw UsageError("give --dir or --log, not both");
    TSIGN_TRY(public_key, parse_hex_array<32>(args.require("public-key"), "--public-key"));
  } else {
    const VaultPaths paths = party_paths(args);
    log = paths.audit_log();
    if (auto key = args.get("public-key")) {
      TSIGN_TRY(public_key, parse_hex_array<32>(*key, "--public-key"));
    } else {
      TSIGN_TRY(PublicIdentity identity, Vault::public_identity(paths.dir));
      public_key = identity.audit_key;
      key_source = paths.identity_public().string();
    }
  }
  if (!std::filesystem::exists(log)) return make_error(ErrorKind::InvalidInput, "no audit log at " + log.string());
  AuditVerifyOptions options;
  if (auto head = args.get("known-head")) {
    TSIGN_TRY(options.known_head, parse_head(*head));
  }
  Json entries = Json::array();
  const bool list = args.has("list");
  if (list) options.on_entry = [&](const AuditEntry& e) { entries.push_back(entry_json(e)); };

  Report report;
  report.set("log", "log", log.string());
  report.set("audit_key", "audit key", to_hex(public_key));
  auto verified = verify_audit_log(log, public_key, options);
  if (!verified) {
    report.set("valid", "valid", false);
    report.set("problem", "problem", verified.error().message);
    report.exit = ExitCode::VerificationFailed;
    return report;
  }
  report.set("valid", "valid", true);
  report.set("entries", "entries", verified->head.count);
  report.set("head", "head", std::to_string(verified->head.count) + ":" + to_hex(verified->head.hash));
  if (key_source != "--public-key") report.note("(audit key taken from " + key_source + ": compare it with the cluster configuration)");
  if (list) {
    for (const auto& e : entries) report.note(entry_line(e));
    report.json["entries_list"] = std::move(entries);
  }
  return report;
}

}  // namespace

Command audit_verify_command() {
  return {"audit verify", "check an audit log offline", kUsage,
          {{"list"}, {"dir", "log", "public-key", "known-head"}}, run};
}

}  // namespace tsign::cli

// tsign staged and tsign decommission: finishing an unconfirmed epoch by hand, and the end of a
// share's life.
#include "command.hpp"
#include <algorithm>

#include "exit_codes.hpp"
#include "key_info.hpp"
#include "party.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kStagedUsage = R"(usage: tsign staged --dir DIR --key KEY [--commit | --discard]

A refresh, resharing or key generation whose final confirmation did not reach every party
leaves the new epoch staged beside the committed one. Without an option, shows both epochs.
--commit makes the staged epoch the one in use (once every party is known to hold it) and wipes
the older one; --discard wipes the staged epoch (when some party does not hold it).)";

constexpr std::string_view kDecommissionUsage = R"(usage: tsign decommission --dir DIR --key KEY --yes [--force]

Wipes every file of this party's share of the key (overwritten, then removed) and records it in
the audit log. The share is unsealed first to prove the passphrase; --force skips that, for a
share file that is damaged beyond use. --yes is required: this cannot be undone.)";

Result<Report> run_staged(const Args& args, const Context&) {
  if (args.has("commit") && args.has("discard")) throw UsageError("give --commit or --discard, not both");
  TSIGN_TRY(Vault vault, open_party(args));
  TSIGN_TRY(KeyId key_id, vault.resolve(args.require("key")));
  TSIGN_TRY(std::vector<VaultListing> keys, vault.keys());
  const auto listing = std::find_if(keys.begin(), keys.end(), [&](const VaultListing& k) { return k.key_id == key_id; });
  if (listing == keys.end()) return make_error(ErrorKind::InvalidInput, "no key " + to_hex(key_id));
  Report report;
  report.set("key_id", "key id", to_hex(key_id));
  report.set("epoch", "committed epoch", listing->epoch ? Json(*listing->epoch) : Json());
  report.set("staged_epoch", "staged epoch", listing->staged_epoch ? Json(*listing->staged_epoch) : Json());
  if (!args.has("commit") && !args.has("discard")) return report;
  if (!listing->staged_epoch) return make_error(ErrorKind::InvalidInput, "no staged epoch of key " + to_hex(key_id));
  const std::uint64_t staged = *listing->staged_epoch;
  if (args.has("discard")) {
    TSIGN_CHECK(vault.discard_staged(key_id));
    report.note("staged epoch " + std::to_string(staged) + " wiped");
    return report;
  }
  TSIGN_TRY(VaultKey committed, vault.commit_staged(key_id));
  report.json["epoch"] = committed.epoch;
  report.json["staged_epoch"] = Json();
  report.note("epoch " + std::to_string(committed.epoch) + " committed");
  return report;
}

Result<Report> run_decommission(const Args& args, const Context&) {
  if (!args.has("yes")) throw UsageError("decommissioning wipes the share for good: confirm with --yes");
  TSIGN_TRY(Vault vault, open_party(args));
  TSIGN_TRY(KeyId key_id, vault.resolve(args.require("key")));
  TSIGN_TRY(DecommissionReport outcome, vault.decommission(key_id, args.has("force")));
  Report report;
  report.set("key_id", "key id", to_hex(key_id));
  report.set("epoch", "epoch", outcome.epoch);
  if (!outcome.failures.empty()) {
    std::string all;
    for (const auto& f : outcome.failures) all += (all.empty() ? "" : "; ") + f;
    return make_error(ErrorKind::Storage, "decommission incomplete (recorded in the audit log): " + all);
  }
  report.note("share wiped");
  return report;
}

}  // namespace

Command staged_command() {
  std::vector<std::string_view> options = party_options();
  options.push_back("key");
  return {"staged", "commit or discard an epoch left staged", kStagedUsage, {{"commit", "discard", "hsm-accept-imported-key"}, options}, run_staged};
}

Command decommission_command() {
  std::vector<std::string_view> options = party_options();
  options.push_back("key");
  return {"decommission", "wipe this party's share of a key", kDecommissionUsage, {{"yes", "force", "hsm-accept-imported-key"}, options},
          run_decommission};
}

}  // namespace tsign::cli

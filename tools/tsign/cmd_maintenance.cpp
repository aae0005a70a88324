// tsign staged and tsign decommission: finishing an unconfirmed epoch by hand, and the end of a
// share's life.
#include "command.hpp"
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
  TSIGN_TRY(Party party, open_party(args));
  TSIGN_TRY(KeyId key_id, resolve_key_id(party.store, args.require("key")));
  TSIGN_TRY(ShareStore::KeyState state, party.store.state(key_id));
  Report report;
  report.set("key_id", "key id", to_hex(key_id));
  report.set("epoch", "committed epoch", state.committed.empty() ? Json() : Json(state.committed.back()));
  report.set("staged_epoch", "staged epoch", state.staged ? Json(*state.staged) : Json());
  if (!args.has("commit") && !args.has("discard")) return report;
  if (!state.staged) return make_error(ErrorKind::InvalidInput, "no staged epoch of key " + to_hex(key_id));
  const std::uint64_t staged = *state.staged;
  if (args.has("discard")) {
    TSIGN_CHECK(party.store.discard(key_id, staged));
    report.note("staged epoch " + std::to_string(staged) + " wiped");
    return report;
  }
  TSIGN_TRY(UnsealedShare unsealed, party.store.load_staged(key_id, *party.protector));
  TSIGN_TRY(StoredKey next, decode_stored_key(unsealed));
  std::optional<ShareHeader> previous;
  if (!state.committed.empty()) {
    TSIGN_TRY(ShareHeader h, read_clear_header(party.store, key_id));
    previous = h;
  }
  TSIGN_CHECK(party.store.commit(key_id, staged));
  AuditEvent event;
  event.kind = !previous ? AuditEventKind::Generated
               : (previous->threshold == next.header.threshold && previous->parties == next.header.parties)
                   ? AuditEventKind::Refreshed
                   : AuditEventKind::Reshared;
  event.key_id = key_id;
  event.epoch = staged;
  event.signers = next.parties();
  event.details = "staged epoch committed by the operator";
  TSIGN_CHECK(party.log.append(std::move(event)));
  report.json["epoch"] = staged;
  report.json["staged_epoch"] = Json();
  report.note("epoch " + std::to_string(staged) + " committed");
  return report;
}

Result<Report> run_decommission(const Args& args, const Context&) {
  if (!args.has("yes")) throw UsageError("decommissioning wipes the share for good: confirm with --yes");
  TSIGN_TRY(Party party, open_party(args));
  TSIGN_TRY(KeyId key_id, resolve_key_id(party.store, args.require("key")));
  std::optional<UnsealedShare> held;
  std::uint64_t epoch = 0;
  if (!args.has("force")) {
    TSIGN_TRY(UnsealedShare unsealed, party.store.load(key_id, *party.protector));
    epoch = unsealed.header.epoch;
    held = std::move(unsealed);
  } else {
    TSIGN_TRY(ShareStore::KeyState state, party.store.state(key_id));
    if (!state.committed.empty()) epoch = state.committed.back();
  }
  AuditEvent event;
  event.kind = AuditEventKind::Decommissioned;
  event.key_id = key_id;
  event.epoch = epoch;
  event.details = args.has("force") ? "forced, without unsealing" : "";
  TSIGN_CHECK(party.log.append(std::move(event)));
  TSIGN_CHECK(party.store.decommission(key_id, std::move(held)));
  Report report;
  report.set("key_id", "key id", to_hex(key_id));
  report.set("epoch", "epoch", epoch);
  report.note("share wiped");
  return report;
}

}  // namespace

Command staged_command() {
  std::vector<std::string_view> options = party_options();
  options.push_back("key");
  return {"staged", "commit or discard an epoch left staged", kStagedUsage, {{"commit", "discard"}, options}, run_staged};
}

Command decommission_command() {
  std::vector<std::string_view> options = party_options();
  options.push_back("key");
  return {"decommission", "wipe this party's share of a key", kDecommissionUsage, {{"yes", "force"}, options},
          run_decommission};
}

}  // namespace tsign::cli

#pragma once
// A party's key shares on disk, one sealed file per key and epoch, with two-phase replacement:
// refresh and resharing stage the new epoch beside the committed one and commit it only once the
// whole committee has it. A crash at any point leaves a committed, usable share.
//
//   <root>/.lock                                  held while a ShareStore is open
//   <root>/<key id, 64 hex>/<epoch, 20 digits>.share    committed
//   <root>/<key id, 64 hex>/<epoch, 20 digits>.staged   written, not yet committed
//
// load() returns the highest committed epoch. commit() renames the staged file (one atomic step)
// and then wipes the older epochs; after a crash, calling commit() again finishes the job, and a
// staged file left behind waits for the caller to commit or discard it once the peers are known
// to have (or not have) the new epoch. Key generation uses the same two calls at epoch 0.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"
#include "tsign/store/atomic_file.hpp"
#include "tsign/store/file_lock.hpp"
#include "tsign/store/sealed_share.hpp"
#include "tsign/store/share_header.hpp"

namespace tsign {

class ShareStore {
 public:
  struct Options {
    // Fault injection for tests: "stage:done", "commit:begin", "commit:renamed", "commit:done",
    // and the steps of write_file_atomic.
    StepHook on_step;
  };

  // Opens (creating with mode 0700 if needed) the store of one party and locks it against a second
  // opener. Every file it reads or writes must name this party.
  static Result<ShareStore> open(std::filesystem::path root, PartyId party, Options options = {});

  // Seals and durably writes header.epoch as the staged epoch of header.key_id. The epoch must be
  // above the committed one; staging the same epoch again replaces it; staging a different epoch
  // while one is staged is refused.
  Status stage(const ShareHeader& header, ByteSpan share, KeyProtector& protector);
  // Makes the staged epoch the committed one and wipes the older epochs. Idempotent: committing
  // an epoch that is already committed only finishes removing older ones.
  Status commit(const KeyId& key_id, std::uint64_t epoch);
  // Wipes the staged epoch; the committed one stays.
  Status discard(const KeyId& key_id, std::uint64_t epoch);
  // Replaces the file of the committed epoch header.epoch with a new sealing of `share` under the
  // same header (key, party, epoch, suite, t and n), in one atomic write. For state that changes
  // within an epoch and must survive a restart, such as an ECDSA pair disabled by a failed check.
  Status rewrite(const ShareHeader& header, ByteSpan share, KeyProtector& protector);

  // The highest committed epoch, unsealed and checked (key, party, epoch from the file name).
  Result<UnsealedShare> load(const KeyId& key_id, KeyProtector& protector) const;
  Result<UnsealedShare> load_staged(const KeyId& key_id, KeyProtector& protector) const;
  // The clear header of the highest committed (or the staged) file, read without unsealing it:
  // enough to list keys and their suites with no passphrase. Not authenticated until unsealed.
  Result<ShareHeader> read_header(const KeyId& key_id, bool staged = false) const;

  struct KeyState {
    std::vector<std::uint64_t> committed;  // ascending; more than one only after a crash in commit
    std::optional<std::uint64_t> staged;
  };
  Result<KeyState> state(const KeyId& key_id) const;
  Result<std::vector<KeyId>> keys() const;

  // Wipes (overwrites and unlinks) every file of the key and removes its directory; a share the
  // caller still holds in memory is handed over to be wiped as well.
  Status decommission(const KeyId& key_id, std::optional<UnsealedShare> held = std::nullopt);

  const std::filesystem::path& root() const { return root_; }
  PartyId party() const { return party_; }

 private:
  ShareStore(std::filesystem::path root, PartyId party, Options options, FileLock lock);
  std::filesystem::path key_dir(const KeyId& key_id) const;
  Result<UnsealedShare> load_file(const KeyId& key_id, std::uint64_t epoch, bool staged, KeyProtector& protector) const;
  void step(std::string_view name) const;

  std::filesystem::path root_;
  PartyId party_;
  Options options_;
  FileLock lock_;
};

}  // namespace tsign

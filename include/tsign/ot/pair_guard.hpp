#pragma once
// The abort state of one end of an OT pair, shared by every copy of it in the process.
//
// A failed extension or multiplication check must disable the pair for good: a cheating peer
// that could retry would learn the sender's Δ, or the receiver's choice bits, a bit or two per
// failure. Copies would undo that if each carried its own flag (a clone that signs in parallel, a
// second decode of the same share file, a same-epoch backup put back), and so would a crash
// between the check and the write-back of the share. So:
//   - every OT state names its guard by a fingerprint of its secret seeds: clones, decodes and
//     restored copies of the same state find the same guard, and a disabled fingerprint stays
//     disabled for the life of the process even after the last copy is gone;
//   - with a CheckJournal attached (a Vault attaches one), the attempt at a check is recorded
//     durably before the check runs and cleared only once it passes; an attempt found when the
//     journal is attached (the process died mid-check) disables the pair.
#include <memory>
#include <mutex>

#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/result.hpp"

namespace tsign::ot {

// SHA-256 of the state's role, pair and secret seeds under a domain of its own: names the state,
// reveals nothing of it.
using PairFingerprint = Digest32;

// Durable record of check attempts, keyed by fingerprint. Implementations fsync before returning.
class CheckJournal {
 public:
  virtual ~CheckJournal() = default;
  // Whether an unfinished attempt or a failure is on record: the pair is then disabled.
  virtual Result<bool> disabled(const PairFingerprint& pair) = 0;
  // Records that a check is about to run: until passed(), the pair counts as disabled.
  virtual Status begin(const PairFingerprint& pair) = 0;
  // The check passed; the record may go (losing it only leaves the pair disabled).
  virtual void passed(const PairFingerprint& pair) = 0;
  // The check failed: disabled for good.
  virtual Status failed(const PairFingerprint& pair) = 0;
};

class PairGuard;

// One run of a check, from before it reads the peer's data to its verdict. Unless pass() is
// called, the pair ends disabled (a check abandoned half way counts as failed).
class [[nodiscard]] CheckAttempt {
 public:
  CheckAttempt(CheckAttempt&& other) noexcept;
  CheckAttempt& operator=(CheckAttempt&&) = delete;
  CheckAttempt(const CheckAttempt&) = delete;
  ~CheckAttempt();
  void pass();

 private:
  friend class PairGuard;
  explicit CheckAttempt(std::shared_ptr<PairGuard> guard) : guard_(std::move(guard)) {}
  std::shared_ptr<PairGuard> guard_;
};

class PairGuard : public std::enable_shared_from_this<PairGuard> {
 public:
  // The process's guard for this fingerprint (created on first use).
  static std::shared_ptr<PairGuard> of(const PairFingerprint& fingerprint);

  const PairFingerprint& fingerprint() const { return fingerprint_; }
  bool disabled() const;
  // ProtocolAborted naming `peer` (whose earlier message failed a check) if disabled.
  Status usable(PartyId peer) const;
  // Disables the pair (another layer's check failed); durable if a journal is attached.
  void disable();
  // From now on attempts are recorded in `journal`; disables the pair if the journal says so.
  // Fails (and disables) if the journal cannot be read.
  Status attach(std::shared_ptr<CheckJournal> journal);
  // Refuses a disabled pair (ProtocolAborted naming `peer`, whose earlier message failed a check)
  // and a journal that cannot record the attempt (Storage; nothing secret has been used).
  Result<CheckAttempt> begin(PartyId peer);

  explicit PairGuard(const PairFingerprint& fingerprint) : fingerprint_(fingerprint) {}

 private:
  friend class CheckAttempt;
  void end(bool passed);
  void disable_locked();
  Status usable_locked(PartyId peer) const;

  const PairFingerprint fingerprint_;
  mutable std::mutex mutex_;
  bool disabled_ = false;
  int in_flight_ = 0;  // attempts begun and not ended, over every copy and thread
  std::shared_ptr<CheckJournal> journal_;
};

}  // namespace tsign::ot

#include "tsign/ot/pair_guard.hpp"

#include <map>
#include <vector>

#include "blame.hpp"

namespace tsign::ot {

namespace {

// Every guard alive in the process, and every disabled one for good.
struct Registry {
  std::mutex mutex;
  std::map<PairFingerprint, std::weak_ptr<PairGuard>> live;
  std::vector<std::shared_ptr<PairGuard>> disabled;

  static Registry& instance() {
    static Registry registry;
    return registry;
  }
};

}  // namespace

std::shared_ptr<PairGuard> PairGuard::of(const PairFingerprint& fingerprint) {
  Registry& r = Registry::instance();
  std::lock_guard lock(r.mutex);
  auto& slot = r.live[fingerprint];
  if (auto guard = slot.lock()) return guard;
  auto guard = std::make_shared<PairGuard>(fingerprint);
  slot = guard;
  // Forget the guards no state refers to any more (disabled ones are held in `disabled`).
  std::erase_if(r.live, [](const auto& entry) { return entry.second.expired(); });
  return guard;
}

bool PairGuard::disabled() const {
  std::lock_guard lock(mutex_);
  return disabled_;
}

Status PairGuard::usable_locked(PartyId peer) const {
  if (disabled_) return detail::abort_by(peer, "the OT state of this pair is disabled by an earlier failed check");
  return {};
}

Status PairGuard::usable(PartyId peer) const {
  std::lock_guard lock(mutex_);
  return usable_locked(peer);
}

void PairGuard::disable_locked() {
  if (disabled_) return;
  disabled_ = true;
  {
    Registry& r = Registry::instance();
    std::lock_guard lock(r.mutex);
    r.disabled.push_back(shared_from_this());
  }
  // If this write fails, an attempt on record (if any) keeps the pair disabled on disk; either
  // way it is disabled in this process.
  if (journal_) (void)journal_->failed(fingerprint_);
}

void PairGuard::disable() {
  std::lock_guard lock(mutex_);
  disable_locked();
}

Status PairGuard::attach(std::shared_ptr<CheckJournal> journal) {
  std::lock_guard lock(mutex_);
  auto on_record = journal->disabled(fingerprint_);
  if (disabled_) (void)journal->failed(fingerprint_);  // disabled in memory before: now on disk too
  journal_ = std::move(journal);
  if (!on_record.ok() || *on_record) disable_locked();
  if (!on_record.ok()) return on_record.error();
  return {};
}

Result<CheckAttempt> PairGuard::begin(PartyId peer) {
  std::lock_guard lock(mutex_);
  TSIGN_CHECK(usable_locked(peer));  // under the same lock as the count: no check starts after a failure
  if (journal_ && in_flight_ == 0) TSIGN_CHECK(journal_->begin(fingerprint_));
  ++in_flight_;
  return CheckAttempt(shared_from_this());
}

void PairGuard::end(bool passed) {
  std::lock_guard lock(mutex_);
  --in_flight_;
  if (!passed) {
    disable_locked();
    return;
  }
  if (journal_ && in_flight_ == 0 && !disabled_) journal_->passed(fingerprint_);
}

CheckAttempt::CheckAttempt(CheckAttempt&& other) noexcept : guard_(std::move(other.guard_)) {}

CheckAttempt::~CheckAttempt() {
  if (guard_) guard_->end(false);
}

void CheckAttempt::pass() {
  if (auto guard = std::move(guard_)) guard->end(true);
}

}  // namespace tsign::ot

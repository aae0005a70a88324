#pragma once
// The nonces a link has accepted, for a transport whose frames may be lost, reordered or replayed
// (the NATS broker): a nonce is accepted once, and only if it is newer than the window's start.
// The window of 2048 nonces is far more than the frames a broker could hold back and reorder on
// one link; a frame older than that is dropped like a replay and sent again by the reliable layer.
#include <bitset>
#include <cstdint>

namespace tsign {

class ReplayWindow {
 public:
  static constexpr std::uint64_t kSize = 2048;

  // True when `nonce` was neither accepted before nor is older than the window.
  bool fresh(std::uint64_t nonce) const {
    if (nonce >= next_) return true;
    if (next_ - nonce > kSize) return false;
    return !seen_.test(nonce % kSize);
  }
  // Records an accepted nonce (after its frame authenticated).
  void accept(std::uint64_t nonce) {
    if (nonce >= next_) {
      const std::uint64_t gap = nonce - next_;
      if (gap >= kSize) {
        seen_.reset();
      } else {
        for (std::uint64_t n = next_; n < nonce; ++n) seen_.reset(n % kSize);
      }
      next_ = nonce + 1;
    }
    seen_.set(nonce % kSize);
  }

 private:
  std::uint64_t next_ = 0;  // one past the highest nonce accepted
  std::bitset<kSize> seen_;
};

}  // namespace tsign

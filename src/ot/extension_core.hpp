#pragma once
// The extension and random-OT hash keyed by a session digest, shared by the stand-alone extension
// and the multiplication (which derives its own digest).
#include <cstddef>
#include <optional>

#include "primitives.hpp"
#include "tsign/core/hash.hpp"
#include "ot/extension.hpp"

namespace tsign::ot::detail {

// One batch as the protocols inside the library use it (heap buffers, wiped).
inline constexpr std::size_t kRowWords = kBaseOts / 64;

struct ReceiverBatch {
  WipedBytes choices;  // bit j = x_j
  WipedWords rows;     // t_j, kRowWords little-endian words each
};
struct SenderBatch {
  WipedWords rows;  // q_j = t_j XOR x_j·Δ
};

Result<std::pair<ReceiverBatch, ExtensionPayload>> extend_receiver(const OtReceiverSetup& setup,
                                                                   const Digest32& digest, std::size_t ots);

#ifdef TSIGN_TEST_HOOKS
// Test builds only (never installed): a receiver that flips its choice bit `row` in every chunk
// but the first, then runs the check honestly for the choice bits of the first chunk.
struct ReceiverDeviation {
  std::size_t row = 0;
};
Result<std::pair<ReceiverBatch, ExtensionPayload>> extend_receiver_deviating(const OtReceiverSetup& setup,
                                                                             const Digest32& digest, std::size_t ots,
                                                                             ReceiverDeviation deviation);
#endif

Result<SenderBatch> extend_sender(OtSenderSetup& setup, const Digest32& digest, std::size_t ots,
                                            const ExtensionPayload& payload);

// The random-OT hash of one session: out = H(j, row XOR mask), mask being Δ or all zeros.
class RotHasher {
 public:
  RotHasher(const Digest32& digest, ByteSpan mask);
  ~RotHasher();
  RotHasher(const RotHasher&) = delete;
  RotHasher& operator=(const RotHasher&) = delete;
  // The rows of OTs first, first + 1, ... (kRowWords words each), `width` bytes each into out;
  // width is a multiple of 32, at most kMaxRotWidth.
  void hash(std::size_t first, std::span<const std::uint64_t> rows, std::size_t width,
            std::span<std::uint8_t> out) const;

 private:
  std::uint64_t base_[kRowWords];  // session key XOR mask, little-endian words
  std::uint32_t tweak_[2];
};

// Every row of a batch: `width` bytes per row into out.
void rot_hash(const Digest32& digest, std::span<const std::uint64_t> rows, ByteSpan mask, std::size_t width,
              std::span<std::uint8_t> out);

}  // namespace tsign::ot::detail

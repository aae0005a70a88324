#pragma once
// The extension and random-OT hash keyed by a session digest, shared by the stand-alone extension
// and the multiplication (which derives its own digest).
#include <cstddef>
#include <optional>

#include "tsign/core/hash.hpp"
#include "tsign/ot/extension.hpp"

namespace tsign::ot::detail {

// A receiver that deviates, for the adversarial tests: flips its choice bit `row` in every chunk
// but the first, then runs the check honestly for the choice bits of the first chunk.
struct ReceiverDeviation {
  std::size_t row = 0;
};

Result<std::pair<ExtensionReceiverOutput, ExtensionPayload>> extend_receiver(
    const OtReceiverSetup& setup, const Digest32& digest, std::size_t ots,
    std::optional<ReceiverDeviation> deviation = std::nullopt);

Result<ExtensionSenderOutput> extend_sender(OtSenderSetup& setup, const Digest32& digest, std::size_t ots,
                                            const ExtensionPayload& payload);

// out = H(j, row_j XOR mask) for j < count, `width` bytes each; mask is Δ or all zero.
void rot_hash(const Digest32& digest, ByteSpan rows, ByteSpan mask, std::size_t width, std::span<std::uint8_t> out);

}  // namespace tsign::ot::detail

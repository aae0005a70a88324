#pragma once
// Parameters of the OT layer (base OT, SoftSpoken OT extension, DKLs23 multiplication).
#include <cstddef>

namespace tsign::ot {

// κ: base OTs per ordered pair of parties; also the width in bits of an extended OT's row and
// of the sender's secret correlation Δ.
inline constexpr std::size_t kBaseOts = 256;
// SoftSpoken's k: Δ is cut into chunks of k bits, each backed by a (2^k - 1)-of-2^k OT built from
// k base OTs. k = 2 halves the receiver's traffic compared with KOS at the same PRG cost.
inline constexpr std::size_t kSoftSpokenK = 2;
inline constexpr std::size_t kChunks = kBaseOts / kSoftSpokenK;
inline constexpr std::size_t kLeaves = std::size_t{1} << kSoftSpokenK;  // seeds per chunk
// Extra random OTs that mask the receiver's choice bits in the consistency check (one GF(2^128)
// element's worth, combined with fixed coefficients so the mask is exact).
inline constexpr std::size_t kCheckPadRows = 128;
// Largest extension batch accepted from a peer.
inline constexpr std::size_t kMaxExtensionOts = 1u << 16;

// DKLs23 two-party multiplication: ξ = κ + 2·λs choice bits, κ = 256 (the bit length of the
// secp256k1 order) and λs = 128 (statistical security, as in the reference implementations: a
// cheating sender's check passes, or its input leaks through the encoding, with probability at
// most 2^-128).
inline constexpr std::size_t kStatSecurity = 128;
inline constexpr std::size_t kMulOts = 256 + 2 * kStatSecurity;  // ξ = 512
// Products a_k·b per multiplication (DKLs23 signing uses 2: r_j·φ and sk_j·φ).
inline constexpr std::size_t kMaxProducts = 4;

// Rows of an extension batch of `ots` OTs: the OTs plus the check padding, rounded up to a
// multiple of 64 for the bit-matrix transpose.
constexpr std::size_t extension_rows(std::size_t ots) { return (ots + kCheckPadRows + 63) / 64 * 64; }

}  // namespace tsign::ot

#pragma once
// SoftSpoken OT extension (Roy, CRYPTO 2022) with k = 2 and a KOS-style consistency check: one
// message from the receiver R to the sender S turns the pair's setup into a batch of correlated
// OTs, bound to one session.
//
// R expands every seed of every chunk h with ChaCha20 (key: the seed, nonce: from the session)
// into r_{h,x}, and sets u_h = XOR_x r_{h,x}, column (h, b) = XOR over x with bit b set. Its choice
// bits are x = u_0, and it sends the corrections u_h XOR u_0 for h >= 1. S, which knows every seed
// but the one at δ_h, gets column (h, b) XOR δ_{h,b}·x. Transposed, row j reads
//     S: q_j = t_j XOR x_j·Δ        R: t_j        (rows of κ = 256 bits)
//
// Check: with χ_j = H(session, corrections) in GF(2^128) for the hashed rows and X^i for the last
// 128 padding rows (which mask x exactly), R sends x̃ = Σ χ_j·x_j and t̃ = Σ χ_j·t_j (each half of
// a row is one field element); S verifies Σ χ_j·q_j = t̃ + x̃·Δ. A receiver that used different
// choice bits in different chunks fails unless it guesses the Δ bits involved. A failure poisons
// the sender's state (see state.hpp) and names the receiver.
//
// Random OT: the messages of OT j are H(j, q_j) and H(j, q_j XOR Δ) for S and H(j, t_j) = the one
// of its choice for R, H a correlation-robust hash (ChaCha20 keyed by the row XOR a session key,
// tweaked by j; see src/ot/extension.cpp).
#include <array>
#include <cstdint>
#include <utility>

#include "tsign/core/hash.hpp"
#include "tsign/core/secret.hpp"
#include "ot/gf128.hpp"
#include "ot/session.hpp"
#include "tsign/ot/state.hpp"

namespace tsign::ot {

inline constexpr std::size_t kRowBytes = kBaseOts / 8;
inline constexpr std::size_t kMaxRotWidth = 32 * 64;

// The receiver's message body: (κ/k − 1) corrections of extension_rows(ots) bits, x̃ and t̃.
struct ExtensionPayload {
  Bytes corrections;
  Gf128 x_check;
  std::array<Gf128, 2> t_check{};

  static std::size_t encoded_size(std::size_t ots) { return (kChunks - 1) * extension_rows(ots) / 8 + 48; }
  void encode_to(Bytes& out) const;
  static Result<ExtensionPayload> decode(ByteSpan in, std::size_t ots, PartyId from);
};

// A stand-alone extension message (R -> S). The multiplication embeds the payload in its own
// request instead.
struct ExtensionMsg {
  SessionTag tag{};
  std::uint32_t ots = 0;
  ExtensionPayload payload;

  Bytes encode() const;
  // ots: the batch size both sides agreed on.
  static Result<ExtensionMsg> decode(ByteSpan in, std::size_t ots, PartyId from);
};

struct ExtensionReceiverOutput {
  std::size_t ots = 0;
  SecretBytes choices;  // bit j = x_j
  SecretBytes rows;     // t_j, kRowBytes each
};

struct ExtensionSenderOutput {
  std::size_t ots = 0;
  SecretBytes delta;  // Δ
  SecretBytes rows;   // q_j, kRowBytes each
};

// R's side: ots in 1..kMaxExtensionOts. Refuses a poisoned state.
Result<std::pair<ExtensionReceiverOutput, ExtensionMsg>> extend_receiver(const OtReceiverSetup& setup,
                                                                         const PairSession& session, std::size_t ots);
// S's side: checks the message; a failed check poisons `setup` and names R.
Result<ExtensionSenderOutput> extend_sender(OtSenderSetup& setup, const PairSession& session, const ExtensionMsg& msg);

// Random-OT messages of `width` bytes (a multiple of 32, at most kMaxRotWidth) per OT:
// R gets m_{x_j, j} for every j; S gets m_{0,j} followed by m_{1,j}.
SecretBytes rot_receiver_messages(const ExtensionReceiverOutput& out, const PairSession& session, std::size_t width);
SecretBytes rot_sender_messages(const ExtensionSenderOutput& out, const PairSession& session, std::size_t width);

}  // namespace tsign::ot

#pragma once
// Batched random 1-of-2 OT over secp256k1: the base OTs that seed the OT extension, run once per
// pair of parties at key generation.
//
// The protocol is the "simplest OT" of Chou and Orlandi with the checks a malicious peer needs:
//   1. sender -> receiver  A = a·G and a Schnorr proof of knowledge of a (bound to the session).
//   2. receiver -> sender  B_i = b_i·G + c_i·A for every OT i, c_i the secret choice bit.
//   Receiver's key  k_i     = H(session, i, c_i, A, B_i, b_i·A)
//   Sender's keys   k_{i,x} = H(session, i, x,   A, B_i, a·B_i − x·a·A)   for x = 0, 1
// B_i is uniform whatever c_i is, so the sender learns nothing about the choices. Knowing both
// keys of one OT needs both a·B_i and a·(B_i − A), hence a·A = a²·G: a computational Diffie-Hellman
// problem. Every hash carries the session digest and the OT index, so keys of different OTs or
// sessions are unrelated even when a peer reuses or relates points. The proof makes the sender's
// key extractable and pins A to this session. A and the proof travel as 33-byte compressed SEC1,
// the B_i as 65-byte uncompressed SEC1: the sender then checks each against the curve equation
// instead of taking a square root, which saves about a twentieth of the batch for 32 more bytes
// per OT. Points are decoded strictly; B_i = ±A is refused, naming the peer: B_i = A would make a·(B_i − A) the
// identity, and B_i = −A the sender's subtraction a doubling. An honest receiver never sends either.
//
// Why secp256k1: the receiver's products are all by G or by A, which the library's constant-time
// combs compute in a batch at about a third of a ladder each (src/math/secp256k1_comb.hpp); the
// sender's a·B_i runs libsecp256k1's constant-time ECDH ladder. libsodium's ristretto255 offers
// neither a table for a chosen point nor a cheap ladder (about three times secp256k1's).
// Why not Endemic OT (Masny-Rindal): it needs two variable-base multiplications and two
// hash-to-group evaluations per OT on the sender side; this variant needs one multiplication
// and one point subtraction.
#include <secp256k1.h>

#include <cstddef>
#include <utility>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/result.hpp"
#include "tsign/core/secret.hpp"

namespace tsign::ot {

inline constexpr std::size_t kBaseOtKeySize = 32;
inline constexpr std::size_t kMaxBaseOts = 1024;

// Message 1, OT sender -> OT receiver.
struct BaseOtSenderMsg {
  static constexpr std::size_t kSize = 98;
  ByteArray<33> a_point{};        // A
  ByteArray<33> proof_commit{};   // R = r·G
  ByteArray<32> proof_response{}; // s = r + e·a mod n, e = H(session, A, R)

  void encode_to(Bytes& out) const;
  // Checks that A and R are compressed curve points and s a canonical scalar.
  static Result<BaseOtSenderMsg> decode(ByteSpan in, PartyId from);
};

// Message 2, OT receiver -> OT sender: one uncompressed point per OT.
struct BaseOtReceiverMsg {
  static constexpr std::size_t kPointSize = 65;
  std::vector<ByteArray<65>> points;
  // The same points as libsecp256k1 parsed them, kept by decode so the sender parses each once.
  std::vector<secp256k1_pubkey> parsed;

  void encode_to(Bytes& out) const;
  // Exactly `count` uncompressed curve points (prefix 04; the hybrid 06 and 07 are refused).
  static Result<BaseOtReceiverMsg> decode(ByteSpan in, std::size_t count, PartyId from);
};

class BaseOtSender {
 public:
  // session: a digest that binds the batch to one protocol run and one ordered pair;
  // peer: the receiver, named in errors.
  static std::pair<BaseOtSender, BaseOtSenderMsg> start(const Digest32& session, std::size_t count, PartyId peer);

  // Both keys of every OT: bytes [64·i, 64·i + 32) are k_{i,0}, the next 32 bytes k_{i,1}.
  Result<SecretBytes> finish(const BaseOtReceiverMsg& msg) &&;

 private:
  BaseOtSender(const Digest32& session, std::size_t count, PartyId peer, SecretBytes a, ByteArray<33> a_point)
      : session_(session), count_(count), peer_(peer), a_(std::move(a)), a_point_(a_point) {}
  Digest32 session_;
  std::size_t count_;
  PartyId peer_;
  SecretBytes a_;  // big-endian scalar
  ByteArray<33> a_point_;
};

struct BaseOtReceiverResult {
  SecretBytes keys;  // k_i for every OT, 32 bytes each
  BaseOtReceiverMsg msg;
};

// choices: one secret bit per OT, bit i is bit i % 8 of byte i / 8. Verifies the sender's proof;
// peer: the sender, named in errors.
Result<BaseOtReceiverResult> base_ot_receive(const Digest32& session, const BaseOtSenderMsg& msg, ByteSpan choices,
                                             std::size_t count, PartyId peer);

}  // namespace tsign::ot

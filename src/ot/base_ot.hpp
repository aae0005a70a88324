#pragma once
// Batched random 1-of-2 OT over secp256k1: the base OTs that seed the OT extension, run once per
// pair of parties at key generation.
//
// The protocol is the 1-out-of-2 endemic OT of Masny and Rindal (eprint 2019/706, Figure 8):
// Diffie-Hellman key agreement whose receiver message goes through a two-round Feistel network
// over a random oracle H onto the group, which McQuoid, Rosulek and Roy (eprint 2020/1043) call a
// programmable-once public function. With Ā = 1 − c:
//   1. sender -> receiver  A = a·G.
//   2. receiver -> sender  (R_{i,0}, R_{i,1}): R_{i,Ā} a uniform point, R_{i,c} = b_i·G − H(i, R_{i,Ā}).
//   Sender's keys   M_{i,j} = R_{i,j} + H(i, R_{i,1−j}),  k_{i,j} = KDF(i, j, A, R_{i,0}, R_{i,1}, a·M_{i,j})
//   Receiver's key  k_i = KDF(i, c_i, A, R_{i,0}, R_{i,1}, b_i·A)   (M_{i,c} = b_i·G, so a·M_{i,c} = b_i·A)
// H and KDF are keyed with the session digest and take the OT index, so nothing carries over
// between OTs or sessions. The pair (R_{i,0}, R_{i,1}) is uniform whatever c_i is. M_{i,Ā} is
// the oracle's output shifted by a point fixed before it was drawn: a receiver can set one
// M_{i,j} to a point it knows the logarithm of, never both, and a simulator reads the choice
// off its oracle queries. That is what makes the OT UC-secure in the random-oracle model
// (docs/ecdsa.md, "Base OT", names the theorem and its assumption), which DKLs23's proof
// (eprint 2023/765) asks of its base OTs; the Chou-Orlandi OT this replaces has no such proof.
// The sender needs no proof of knowledge: a malformed A only spoils its own keys, which endemic
// security lets a corrupt sender choose anyway.
//
// Constant time. H tries hashes until one is an x-coordinate on the curve (hash_to_point.hpp),
// so its time depends on its input. The sender hashes both public R_{i,j}. The receiver hashes
// R_{i,Ā} to build R_{i,c} and then hashes R_{i,c} too, for nothing: its time is then the sum over
// both points whichever the choice, so the sender, who can count every hash's tries, learns
// nothing from it. The choice only selects, in constant time, which point goes first.
// The products: b_i·G and b_i·A through the constant-time combs (a table per base, shared by the
// batch; src/math/secp256k1_comb.hpp), a·M_{i,j} through libsecp256k1's constant-time ladder.
//
// Points travel as SEC1: A compressed (33 bytes), the R_{i,j} uncompressed (65 bytes, which
// spares the sender two square roots per OT). Decoding is strict: the identity, hybrid
// encodings and off-curve points are refused, naming the peer. The sender also refuses,
// naming the receiver, R_{i,0} = R_{i,1} and R_{i,j} = ±H(i, R_{i,1−j}) (M_{i,j} the identity
// or a doubling): an honest receiver sends them with negligible probability.
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
  static constexpr std::size_t kSize = 33;
  ByteArray<33> a_point{};  // A

  void encode_to(Bytes& out) const;
  // Checks that A is a compressed curve point.
  static Result<BaseOtSenderMsg> decode(ByteSpan in, PartyId from);
};

// Message 2, OT receiver -> OT sender: two uncompressed points per OT.
struct BaseOtReceiverMsg {
  static constexpr std::size_t kPointSize = 65;
  static constexpr std::size_t kPerOt = 2 * kPointSize;
  std::vector<ByteArray<65>> points;  // points[2·i + j] = R_{i,j}
  // The same points as libsecp256k1 parsed them, kept by decode so the sender parses each once.
  std::vector<secp256k1_pubkey> parsed;

  void encode_to(Bytes& out) const;
  // Exactly 2·`count` uncompressed curve points (prefix 04; the hybrid 06 and 07 are refused).
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

// choices: one secret bit per OT, bit i is bit i % 8 of byte i / 8. peer: the sender, named in
// errors.
Result<BaseOtReceiverResult> base_ot_receive(const Digest32& session, const BaseOtSenderMsg& msg, ByteSpan choices,
                                             std::size_t count, PartyId peer);

}  // namespace tsign::ot

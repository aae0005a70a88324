#pragma once
// The NATS transport's wire format, in one place. Every NATS message is one frame, published on
// the recipient's subject (nats_transport.hpp).
//
//   header (clear, 30 bytes) = "TSGN" | version u8 | kind u8 | sender u32 | recipient u32 | link id 16
//   kind 1, hello:   header | Noise_KK message 1 (e, es, ss; 48 bytes)    lower id -> higher id
//   kind 2, reply:   header | Noise_KK message 2 (e, ee, se; 48 bytes)    higher id -> lower id
//   kind 3, sealed:  header | nonce u64 | Noise transport ciphertext (at least 16 + 1 bytes)
//   kind 4, rekey:   header (link id: zero)                              higher id -> lower id
//
// The link id is drawn by the initiator for each handshake; the hello's header is the Noise
// prologue (with the cluster hash, wire::noise_prologue), so a header altered in flight fails the
// handshake. A sealed frame's header and nonce are its associated data. The nonce travels in the
// frame because the broker may lose, reorder or replay frames: the receiver decrypts with the
// nonce named and keeps a window of nonces already accepted (ReplayWindow). A rekey asks the lower
// id for a new handshake; it carries no authority (a forged one costs one handshake, which
// replaces nothing until its key is confirmed).
//
// A sealed frame's plaintext is one unit. Units make delivery reliable over a broker that may
// lose messages. Each node numbers what it sends to a peer (per peer, per incarnation: a random
// id drawn when the node starts); a message longer than one frame is cut into fragments, each
// with its own sequence number:
//   Data: type 1 | my incarnation 16 | your incarnation 16 | seq u64 | ack u64 |
//         first unacknowledged seq u64 | flags u8 (bit 0: first fragment, bit 1: last) | bytes
//   Ack:  type 2 | my incarnation 16 | your incarnation 16 | ack u64 | first unacknowledged seq u64
// "ack" says every seq below it arrived and was taken, and counts only when "your incarnation"
// is the receiver's own. Fragments are taken strictly in order: a duplicate is dropped, one ahead
// of the next expected is dropped too and comes again (its sender resends what stays
// unacknowledged). A new incarnation of the peer (it restarted) restarts the numbering at its
// first unacknowledged seq.
#include <array>
#include <cstddef>
#include <cstdint>

#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/result.hpp"

namespace tsign::nats_wire {

inline constexpr std::array<std::uint8_t, 4> kMagic = {'T', 'S', 'G', 'N'};
inline constexpr std::uint8_t kVersion = 1;
inline constexpr std::size_t kHeaderSize = 30;
inline constexpr std::size_t kTagSize = 16;
inline constexpr std::size_t kHandshakeMessage = 32 + kTagSize;  // KK messages with empty payloads
inline constexpr std::size_t kMaxCiphertext = 65535;             // Noise's limit on one message
inline constexpr std::size_t kMaxFrame = kHeaderSize + 8 + kMaxCiphertext;
inline constexpr std::size_t kDataHeaderSize = 1 + 16 + 16 + 8 + 8 + 8 + 1;
inline constexpr std::size_t kMaxFragment = kMaxCiphertext - kTagSize - kDataHeaderSize;
inline constexpr std::uint8_t kFirstFragment = 0x01;
inline constexpr std::uint8_t kLastFragment = 0x02;

using LinkId = ByteArray<16>;
using Incarnation = ByteArray<16>;

enum class Kind : std::uint8_t { Hello = 1, Reply = 2, Sealed = 3, Rekey = 4 };

struct Header {
  Kind kind = Kind::Sealed;
  PartyId sender = 0;
  PartyId recipient = 0;
  LinkId link{};
};

struct Frame {
  Header header;
  ByteSpan clear_header;  // the header's bytes (and, for a sealed frame, its nonce): prologue or AD
  std::uint64_t nonce = 0;   // sealed
  ByteSpan body;             // hello, reply: the Noise message; sealed: the ciphertext
};

Bytes encode_header(const Header& h);
Bytes encode_handshake(const Header& h, ByteSpan noise_message);
// The sealed frame's associated data (header and nonce); the ciphertext is appended to it.
Bytes encode_sealed_prefix(const Header& h, std::uint64_t nonce);
// Strict: magic, version, known kind, nonzero party ids, exact sizes per kind. Views into `data`.
Result<Frame> decode_frame(ByteSpan data);

enum class UnitType : std::uint8_t { Data = 1, Ack = 2 };

struct Unit {
  UnitType type = UnitType::Ack;
  Incarnation mine{};
  Incarnation yours{};
  std::uint64_t seq = 0;  // data
  std::uint64_t ack = 0;
  std::uint64_t first_unacked = 0;
  std::uint8_t flags = 0;  // data
  ByteSpan bytes;          // data: at least one byte, a view into the unit
};

Bytes encode_data(const Unit& u);  // u.type ignored
Bytes encode_ack(const Unit& u);
// Strict: known type and flags, exact sizes, data with at least one byte.
Result<Unit> decode_unit(ByteSpan unit);

}  // namespace tsign::nats_wire

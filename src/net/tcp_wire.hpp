#pragma once
// The TCP transport's wire format, in one place.
//
// Connection set-up (the lower party id dials the higher one; see tcp_transport.hpp):
//   initiator -> responder: preamble, 13 bytes in clear: "TSGN" | version u8 | initiator u32 |
//                           responder u32 (it tells the responder which pinned key to expect)
//   initiator -> responder: frame(Noise_KK message 1: e, es, ss)
//   responder -> initiator: frame(Noise_KK message 2: e, ee, se)
// The Noise prologue binds the protocol version, the cluster hash and the preamble, so parties
// that disagree on the cluster's membership or keys, or a preamble altered in flight, fail the
// handshake.
//
// After the handshake every frame is one Noise transport message:
//   frame = length u32 (big-endian, at most 65535) | ciphertext (at least 16 + 1 bytes)
//   plaintext = flags u8 (bit 0: last fragment of a unit) | fragment bytes
// A unit longer than one frame is cut into fragments; the receiver reassembles up to the size
// limit. A frame that fails authentication, a length outside the limits, unknown flags or an
// oversized unit close the connection.
//
// Units make delivery survive reconnection. Each node numbers the messages it sends to a peer
// (per peer, per incarnation: a random id drawn when the node starts) and keeps them until the
// peer acknowledges them:
//   Resume (first unit each way on every connection):
//     type 1 | my incarnation 16 | your incarnation as I know it 16 | next seq I expect from you
//     u64 | my oldest unacknowledged seq u64
//   Data:  type 2 | seq u64 | ack u64 (all your seqs below it arrived) | session id 32 | bytes
//   Ack:   type 3 | ack u64
// After a reconnection each side resends what the other has not acknowledged; a restarted peer
// (new incarnation) gets everything still held. Duplicates are dropped by sequence number; a
// gap in the sequence is a protocol violation.
#include <array>
#include <cstddef>
#include <cstdint>

#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/result.hpp"

namespace tsign::wire {

inline constexpr std::array<std::uint8_t, 4> kMagic = {'T', 'S', 'G', 'N'};
inline constexpr std::uint8_t kVersion = 1;
inline constexpr std::size_t kPreambleSize = 13;
inline constexpr std::size_t kFrameHeaderSize = 4;
inline constexpr std::size_t kMaxFrame = 65535;  // Noise's limit on one message
inline constexpr std::size_t kTagSize = 16;
inline constexpr std::size_t kHandshakeFrame = 32 + kTagSize;  // KK messages with empty payloads
inline constexpr std::size_t kMaxFragment = kMaxFrame - kTagSize - 1;
inline constexpr std::uint8_t kFlagLast = 0x01;

struct Preamble {
  PartyId initiator = 0;
  PartyId responder = 0;
};

Bytes encode_preamble(const Preamble& p);
Result<Preamble> decode_preamble(ByteSpan data);

Bytes noise_prologue(const Digest32& cluster_hash, ByteSpan preamble);

using Incarnation = ByteArray<16>;
enum class UnitType : std::uint8_t { Resume = 1, Data = 2, Ack = 3 };

struct Resume {
  Incarnation mine{};
  Incarnation yours{};  // all zero: none known
  std::uint64_t next_expected = 0;
  std::uint64_t first_unacked = 0;
};
struct DataHeader {
  std::uint64_t seq = 0;
  std::uint64_t ack = 0;
};
inline constexpr std::size_t kDataHeaderSize = 1 + 8 + 8;

Bytes encode_resume(const Resume& r);
Bytes encode_data(const DataHeader& h, ByteSpan session_and_bytes);
Bytes encode_ack(std::uint64_t ack);

struct Unit {
  UnitType type = UnitType::Ack;
  Resume resume;        // Resume
  DataHeader data;      // Data
  std::uint64_t ack = 0;  // Ack
  ByteSpan message;     // Data: session id (32) and engine bytes, a view into the unit
};
// Strict: exact sizes, a Data message longer than 32 bytes.
Result<Unit> decode_unit(ByteSpan unit);

// A frame's length field, checked: `handshake` frames must be exactly kHandshakeFrame bytes.
Result<std::size_t> decode_frame_length(ByteSpan header, bool handshake);
ByteArray<kFrameHeaderSize> encode_frame_length(std::size_t length);

}  // namespace tsign::wire

#pragma once
// One TCP connection to one peer: the preamble, the Noise_KK handshake under a deadline, then
// encrypted, length-prefixed, fragmented frames in both directions. Lives on the io thread.
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "tcp_core.hpp"
#include "net/noise.hpp"
#include "net/tcp_wire.hpp"

namespace tsign {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `dialed` is the peer this side dialled (the initiator); nullopt for an accepted socket.
  Connection(NodeCore& core, tcp::socket socket, std::optional<PartyId> dialed);

  void start();
  // Established connections only: fragments, encrypts and queues one unit (see tcp_wire.hpp).
  void send_unit(const Bytes& unit);
  void close(const std::string& reason);

  PartyId peer() const { return peer_; }
  const asio::ip::address& remote_address() const { return remote_; }
  bool initiator() const { return initiator_; }
  // The initiator: message 2 read. The responder: the initiator's first frame decrypted.
  bool established() const { return established_; }
  bool closed() const { return closed_; }
  // A unit the node could not take yet (tcp_core.hpp): reading waits until it is taken.
  bool stalled() const { return !stalled_unit_.empty(); }
  void retry_stalled();
  // Frames queued or being written: not yet handed to the kernel.
  bool writes_pending() const { return writing_ || !writes_.empty(); }

 private:
  void read_preamble();
  void read_frame(bool handshake, std::function<void(Bytes)> then);
  void on_first_message(Bytes body);
  void on_second_message(Bytes body);
  void finish_handshake();
  void establish();
  // Keepalives while idle; a link silent for silence_timeout is closed (and redialled).
  void watch_liveness();
  void read_records();
  void enqueue(Bytes frame);
  void write_next();
  Bytes frame(ByteSpan body) const;

  NodeCore& core_;
  tcp::socket socket_;
  asio::steady_timer deadline_;
  asio::steady_timer keepalive_;
  asio::ip::address remote_;
  std::chrono::steady_clock::time_point last_received_{};
  std::chrono::steady_clock::time_point last_sent_{};
  const bool initiator_;
  PartyId peer_ = 0;
  std::optional<NoiseHandshakeKK> handshake_;
  NoiseCipher send_;
  NoiseCipher receive_;
  ByteArray<wire::kPreambleSize> preamble_{};
  ByteArray<wire::kFrameHeaderSize> header_{};
  Bytes body_;
  Bytes partial_;  // a unit being reassembled
  Bytes stalled_unit_;
  std::deque<Bytes> writes_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool established_ = false;
  bool closed_ = false;
};

}  // namespace tsign

#pragma once
// TCP transport over Boost.Asio: one node per party, one io_context and one thread per node,
// serving any number of concurrent sessions.
//
// - One connection per pair of parties, always dialled by the lower party id: no races between
//   simultaneous dials, and a responder only accepts connections from lower ids. When a newer
//   authenticated connection from a peer arrives, it replaces the old one (the peer restarted).
// - Every connection runs Noise_KK_25519_ChaChaPoly_SHA256 (see noise.hpp, tcp_wire.hpp): static
//   keys pinned in the PartyConfig, a prologue binding the wire version and the cluster hash.
//   A frame that fails authentication closes the connection.
// - While at least one session is open (or messages wait for a peer), a lost connection is
//   redialled with exponential backoff, and every message the peer has not acknowledged is sent
//   again on the new connection (sequence numbers and acknowledgements per peer; a restarted
//   peer is recognised by its new incarnation id). A peer that stays away is reported by the
//   engine's deadlines.
// - Each session gets its own Transport view (open_session). Messages are demultiplexed by
//   session id; messages for a session not yet opened here wait, bounded in count, size and age.
// - Every budget for received messages is per sender and counts what holding a message costs,
//   not only its bytes. A message is acknowledged only once it is held (in a session's inbox, or
//   waiting for its session to open); when a sender's budget is full, its connection stops being
//   read until there is room again, so TCP holds that sender back and nothing acknowledged is
//   ever dropped. One party's flood therefore never displaces another party's messages.
// - Every limit is explicit (TcpOptions) and every wait has a deadline; a peer that connects and
//   stalls is dropped when the handshake deadline passes.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "tsign/core/result.hpp"
#include "tsign/net/engine.hpp"
#include "tsign/net/envelope.hpp"
#include "tsign/net/party_config.hpp"
#include "tsign/net/session_node.hpp"
#include "tsign/protocol/session_id.hpp"
#include "tsign/net/transport.hpp"

namespace tsign {

struct TcpOptions {
  std::chrono::milliseconds handshake_timeout{5000};  // TCP connect plus both Noise messages
  std::chrono::milliseconds reconnect_initial{100};
  std::chrono::milliseconds reconnect_max{2000};
  std::size_t max_message_size = kDefaultMaxPayload + 4096;  // one engine message, envelope included
  std::size_t max_queued_bytes = 64u << 20;                  // per peer, unacknowledged
  std::chrono::milliseconds unacked_ttl{60'000};             // then given up on
  // Budgets per sender, in bytes plus a fixed cost for each message held (tcp_core.hpp). A sender
  // over a budget is not read from until there is room (it is not disconnected).
  std::size_t max_session_inbox_bytes = 256u << 20;  // per sender, per open session, unread
  std::size_t max_pending_sessions = 256;            // per sender: sessions not yet opened here
  std::size_t max_pending_bytes = 64u << 20;         // per sender, over all those sessions
  std::chrono::milliseconds pending_session_ttl{60'000};
  // Connections accepted but not yet authenticated (the responder's handshake ends only when the
  // initiator's first frame decrypts). A source address gets max_handshakes_per_address for each
  // configured peer at that address (at least one share); when every peer's host is an IP
  // address, all other addresses together get max_handshakes_from_unknown_addresses.
  std::size_t max_handshakes_in_progress = 64;
  std::size_t max_handshakes_per_address = 4;
  std::size_t max_handshakes_from_unknown_addresses = 8;
  // Liveness of established links: an idle link sends a keepalive every keepalive_interval; a
  // link with nothing received for silence_timeout is closed and redialled. A link down longer
  // than redial_window (after it was up) makes the peer unreachable: a session step waiting only
  // for unreachable peers ends then with its Timeout error (Transport::peer_unreachable).
  std::chrono::milliseconds keepalive_interval{1000};
  std::chrono::milliseconds silence_timeout{5000};
  std::chrono::milliseconds redial_window{4000};
};

class NodeCore;

class TcpNode final : public SessionNode {
 public:
  // Binds the listening socket (port 0: any free port) and starts the node's thread.
  static Result<std::unique_ptr<TcpNode>> start(PartyConfig config, TcpOptions options = {});
  // Closes every connection and joins the thread; open session views then fail.
  ~TcpNode() override;
  TcpNode(const TcpNode&) = delete;
  TcpNode& operator=(const TcpNode&) = delete;

  PartyId self() const override;
  std::uint16_t listen_port() const;
  // Where a peer is dialled from now on (e.g. once it has bound an ephemeral port).
  Status set_peer_address(PartyId peer, std::string host, std::uint16_t port);
  // A Transport for one session. One view per session id at a time; closing the view (destroying
  // it) ends the session here.
  Result<std::unique_ptr<Transport>> open_session(const SessionId& session) override;
  // "connected", or why not ("handshake rejected ...", "connection refused, retrying ...").
  std::string peer_status(PartyId peer) const override;
  bool connected(PartyId peer) const;
  // Drops the current connection to a peer (as a network fault would); it is redialled and
  // unacknowledged messages are sent again.
  void reset_connection(PartyId peer);
  // Waits until every peer has acknowledged every message queued for it so far and every frame
  // (acknowledgements included) has been written to its socket, or until `timeout` passes
  // (Timeout naming the peers still owing). A process calls it before it exits, so that the last
  // messages of a session do not die with it.
  Status flush(std::chrono::milliseconds timeout) override;

 private:
  explicit TcpNode(std::shared_ptr<NodeCore> core);
  std::shared_ptr<NodeCore> core_;
  std::thread thread_;  // runs the node's io_context
};

}  // namespace tsign

#pragma once
// Internals of the TCP transport shared by the node and its connections. Everything except the
// session tables and the peer notes (guarded by mutex_) belongs to the io thread.
#include <boost/asio.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tsign/net/tcp_transport.hpp"
#include "net/session_table.hpp"
#include "net/session_view.hpp"
#include "net/tcp_wire.hpp"

namespace tsign {

namespace asio = boost::asio;
using asio::ip::tcp;

class Connection;

class NodeCore final : public SessionHost {
 public:
  NodeCore(PartyConfig config, TcpOptions options);

  // SessionHost, any thread.
  const PartyConfig& party_config() const override { return config; }
  std::size_t max_message_size() const override { return options.max_message_size; }
  std::string_view transport_name() const override { return "TCP"; }
  Status queue_message(PartyId to, Bytes message) override { return post_send(to, std::move(message)); }
  void session_closed(const SessionId& session) override { close_session(session); }
  void inbox_drained() override { post_resume_stalled(); }
  std::string peer_note(PartyId peer) const override;
  bool peer_unreachable(PartyId peer) const override;

  // Any thread.
  Status post_send(PartyId to, Bytes message);
  Result<std::shared_ptr<SessionInbox>> open_session(const SessionId& session);
  void close_session(const SessionId& session);
  bool peer_connected(PartyId peer) const;
  bool stopped() const { return stopped_.load(); }
  void post_peer_address(PartyId peer, std::string host, std::uint16_t port);
  void shutdown();  // then join the thread
  // Peers with queued messages they have not acknowledged, or with frames (acknowledgements
  // included) not yet handed to the kernel (asks the io thread).
  std::vector<PartyId> undelivered_peers();

  // The io thread, from connections.
  void on_established(const std::shared_ptr<Connection>& c);
  void on_closed(const std::shared_ptr<Connection>& c, const std::string& reason);
  // False: the unit cannot be taken now (its sender's budget is full). The connection stops
  // reading, keeps the unit, and offers it again from resume_stalled(); it is acknowledged only
  // once taken, so nothing acknowledged is ever dropped for lack of room.
  bool on_unit(const std::shared_ptr<Connection>& c, ByteSpan unit);
  // Any thread: room may have appeared (a session opened, closed or was read from).
  void post_resume_stalled();
  void post_reset(PartyId peer);
  void send_keepalive(const std::shared_ptr<Connection>& c);
  // A responder's check of a preamble's claimed initiator: its pinned key, or an error.
  Result<X25519PublicKey> accept_initiator(PartyId initiator) const;
  // Whether a socket accepted from `from` may start a handshake now (TcpOptions' limits on
  // connections that have not authenticated yet).
  bool handshake_slot_available(const asio::ip::address& from) const;

  const PartyConfig config;
  const TcpOptions options;
  const Digest32 cluster_hash;
  asio::io_context io;  // declared before everything that holds io objects

  Status listen();
  std::uint16_t bound_port() const { return bound_port_; }
  void run();  // the io thread's body

 private:
  struct Peer {
    PartyId id = 0;
    std::string host;
    std::uint16_t port = 0;
    std::shared_ptr<Connection> conn;  // established
    bool dialing = false;              // resolve, connect or handshake under way
    bool redial_pending = false;
    std::chrono::milliseconds backoff{0};
    std::string last_failure;  // kept in the note while redialling
    std::unique_ptr<asio::steady_timer> redial_timer;
    // Reliable delivery across reconnections (tcp_wire.hpp): what the peer has not acknowledged.
    struct Outgoing {
      std::uint64_t seq = 0;
      Bytes message;  // session id | engine bytes
      std::chrono::steady_clock::time_point queued;
    };
    std::deque<Outgoing> outbox;
    std::size_t outbox_bytes = 0;
    std::uint64_t next_seq = 0;
    bool resumed = false;  // the peer's Resume arrived on the current connection
    wire::Incarnation peer_incarnation{};
    std::uint64_t next_expected = 0;
    bool ack_due = false;
  };
  void accept_next();
  void ensure_dial(Peer& p);
  void dial(Peer& p);
  void dial_failed(PartyId id, const std::string& reason);
  void schedule_redial(Peer& p);
  bool dialled_by_lower_id(const Connection& c) const;
  bool wants_connection(const Peer& p) const;
  void send_to_peer(PartyId to, Bytes message);
  void resume_stalled();
  void arm_stall_timer();
  void on_resume(Peer& p, const wire::Resume& r);
  void acknowledged(Peer& p, std::uint64_t ack);
  void transmit(Peer& p, const Peer::Outgoing& entry);
  void expire_outbox(Peer& p);
  std::uint64_t first_unacked(const Peer& p) const;
  void note(PartyId peer, bool connected, std::string text);
  void kick_all();

  tcp::acceptor acceptor_;
  std::uint16_t bound_port_ = 0;
  std::map<PartyId, Peer> peers_;
  std::set<std::shared_ptr<Connection>> connections_;
  asio::steady_timer stall_timer_{io};  // pending sessions expire while a sender waits
  bool stall_timer_armed_ = false;
  std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::atomic<bool> stopped_{false};
  const wire::Incarnation incarnation_;

  SessionTable sessions_;
  mutable std::mutex mutex_;  // guards notes_
  // What this node itself saw of each link (never what an unauthenticated connection claimed).
  struct PeerNote {
    bool connected = false;
    bool ever_connected = false;
    std::chrono::steady_clock::time_point down_since{};
    std::string text;
  };
  std::map<PartyId, PeerNote> notes_;
};

}  // namespace tsign

#pragma once
// The NATS transport's link layer, free of the client library: Noise links per peer, reliable
// numbered delivery over a lossy broker, the session table. nats_node.cpp feeds it the frames
// the subscription receives and gives it a way to publish. Every member is guarded by mutex_.
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "broker/nats_wire.hpp"
#include "broker/replay_window.hpp"
#include "net/noise.hpp"
#include "net/session_table.hpp"
#include "net/session_view.hpp"
#include "tsign/broker/nats_transport.hpp"

namespace tsign {

class NatsCore final : public SessionHost {
 public:
  using Clock = std::chrono::steady_clock;
  using Publish = std::function<void(const std::string& subject, Bytes frame)>;

  NatsCore(PartyConfig config, NatsOptions options);

  // Before the first frame: where frames go (the NATS connection). Cleared by stop().
  void set_publisher(Publish publish);
  std::string subject_for(PartyId party) const;

  // SessionHost, any thread.
  const PartyConfig& party_config() const override { return config_; }
  std::size_t max_message_size() const override { return options_.max_message_size; }
  std::string_view transport_name() const override { return "NATS"; }
  Status queue_message(PartyId to, Bytes message) override;
  void session_closed(const SessionId& session) override { sessions_.close(session); }
  void inbox_drained() override {}  // an unacknowledged fragment is resent on the timer anyway
  std::string peer_note(PartyId peer) const override;
  bool peer_unreachable(PartyId peer) const override;

  Result<std::shared_ptr<SessionInbox>> open_session(const SessionId& session);
  bool connected(PartyId peer) const;
  // Peers holding messages of ours they have not acknowledged.
  std::vector<PartyId> owing_peers();
  std::uint64_t rejected_frames() const { return rejected_.load(); }
  std::uint64_t duplicates_dropped() const { return duplicates_.load(); }

  // The subscription's thread: one frame; `burst_over` when no other frame waits behind it
  // (acknowledgements go out then, one per burst).
  void on_frame(ByteSpan data, bool burst_over);
  // The client library's callbacks on the broker connection.
  void on_broker_lost();
  void on_broker_back();
  // Timers: handshakes, resends, keepalives, expiry. Called every options.tick.
  void tick();
  void stop();
  bool stopped() const { return stopped_.load(); }

#ifdef TSIGN_TEST_HOOKS
  void hold_outgoing(bool hold);
  std::vector<std::pair<std::string, Bytes>> take_held();
#endif

 private:
  struct Keys {
    nats_wire::LinkId id{};
    NoiseCipher send;
    NoiseCipher receive;
    ReplayWindow window;
  };
  struct Initiation {
    nats_wire::LinkId id{};
    NoiseHandshakeKK handshake;
    Clock::time_point started;
  };
  struct Outgoing {
    std::uint64_t seq = 0;
    std::uint8_t flags = 0;
    Bytes bytes;  // one fragment
    Clock::time_point queued;
    Clock::time_point last_sent{};
  };
  struct Peer {
    PartyId id = 0;
    std::string subject;
    X25519PublicKey static_key{};
    // Links: the current one, the one it replaced (still read from while frames sealed under it
    // drain), and a responder's links awaiting key confirmation.
    std::optional<Keys> link;
    std::optional<Keys> previous;
    std::deque<Keys> candidates;
    std::optional<Initiation> initiation;
    Clock::time_point last_handshake{};
    Clock::time_point last_rekey_request{};
    std::deque<nats_wire::LinkId> hellos_seen;
    // Sending: what the peer has not acknowledged.
    std::deque<Outgoing> outbox;
    std::size_t outbox_bytes = 0;
    std::uint64_t next_seq = 0;
    // Receiving.
    nats_wire::Incarnation peer_incarnation{};
    std::uint64_t next_expected = 0;
    Bytes partial;  // a message being reassembled
    bool partial_open = false;
    bool ack_due = false;
    // Liveness: the last authenticated frame from the peer, and the last frame to it.
    Clock::time_point last_heard{};
    Clock::time_point last_sent{};
    bool ever_heard = false;
    std::string misbehaviour;  // what an authenticated peer did wrong, for its note
  };

  bool initiator_for(const Peer& p) const { return config_.id < p.id; }
  void reject() { rejected_.fetch_add(1); }
  void publish(const Peer& p, Bytes frame);
  void start_handshake(Peer& p, Clock::time_point now);
  void on_hello(Peer& p, const nats_wire::Frame& f);
  void on_reply(Peer& p, const nats_wire::Frame& f, Clock::time_point now);
  void on_rekey(Peer& p, Clock::time_point now);
  void on_sealed(Peer& p, const nats_wire::Frame& f, Clock::time_point now);
  void on_unit(Peer& p, const nats_wire::Unit& u);
  bool take_fragment(Peer& p, const nats_wire::Unit& u);
  void link_up(Peer& p, Keys keys, Clock::time_point now);
  void ask_for_link(Peer& p, Clock::time_point now);
  void seal(Peer& p, const Bytes& unit);
  void transmit(Peer& p, Outgoing& entry, Clock::time_point now);
  void send_ack(Peer& p);
  void acknowledged(Peer& p, std::uint64_t ack);
  void expire_outbox(Peer& p, Clock::time_point now);
  std::uint64_t first_unacked(const Peer& p) const;
  bool link_live(const Peer& p, Clock::time_point now) const;

  const PartyConfig config_;
  const NatsOptions options_;
  const Digest32 cluster_hash_;
  const nats_wire::Incarnation incarnation_;
  SessionTable sessions_;
  std::atomic<bool> stopped_{false};
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<std::uint64_t> duplicates_{0};

  mutable std::mutex mutex_;
  Publish publish_;
  bool broker_up_ = true;
  std::map<PartyId, Peer> peers_;
#ifdef TSIGN_TEST_HOOKS
  bool holding_ = false;
  std::vector<std::pair<std::string, Bytes>> held_;
#endif
};

}  // namespace tsign

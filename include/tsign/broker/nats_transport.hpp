#pragma once
// NATS transport: one NatsNode per party, one connection to a NATS broker, serving any number of
// concurrent sessions. For parties that cannot reach each other directly (the signer service,
// tsignd): every party connects out to the broker.
//
// The broker is not trusted. It may drop, reorder, replay, duplicate or inject messages, and it
// learns only who talks to whom and how much:
// - The connection to the broker runs TLS with the CA named in NatsOptions, and the broker
//   authenticates each party by its NKey (or a credentials file); the broker's configuration can
//   limit each party to publishing on its cluster's subjects and subscribing to its own.
// - Each party subscribes only to its own subject, <prefix>.<cluster>.p<id> (cluster: the first
//   8 bytes of the cluster hash in hex). The session id travels inside the encrypted frame.
// - Between every pair of parties runs Noise_KK_25519_ChaChaPoly_SHA256 with the static keys
//   pinned in the PartyConfig, handshake messages carried on the recipient's subject; the lower
//   id initiates (the higher one may ask it to, with a rekey frame). The prologue binds the wire
//   version, the cluster hash and the handshake's clear header (initiator, responder, a random
//   link id). A responder keeps a new link as a candidate until the initiator's first sealed
//   frame decrypts (key confirmation): a hello replayed by the broker never displaces a link.
// - Sealed frames carry their Noise nonce; the receiver decrypts with it and keeps a window of
//   nonces accepted, so a frame replayed, duplicated or injected is dropped, and a lost frame
//   does not stall the link. Anything that fails to decode or authenticate is dropped and
//   counted (rejected_frames(), and a count in peer_status); it never names a party, since
//   whatever it claims is unproven.
// - NATS core delivers at most once, and a broker restart loses what it held. Each node numbers
//   what it sends to each peer and keeps it until acknowledged; the receiver acknowledges a
//   message only once it is held (in a session's inbox, or waiting for its session to open), takes
//   fragments strictly in order and drops duplicates, so nothing reaches a protocol twice;
//   unacknowledged frames are resent every resend_interval and at once after the connection to
//   the broker comes back. A receiver whose budget for a sender is full does not acknowledge:
//   the sender's resends are its back-pressure.
// - Budgets per sender as over TCP (session_table.hpp): unread messages per session, messages for
//   sessions not yet opened here (bounded in count, size and age); frames waiting in the client
//   library are bounded too (max_inbound_messages, max_inbound_bytes). Every limit is in
//   NatsOptions.
// - Liveness: an idle link sends a keepalive every keepalive_interval; a link with nothing
//   authenticated for silence_timeout is handshaken again; a peer heard from before and silent for
//   unreachable_after is unreachable (Transport::peer_unreachable), so the engine ends a step
//   waiting only for such peers at once.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tsign/core/result.hpp"
#include "tsign/net/envelope.hpp"
#include "tsign/net/party_config.hpp"
#include "tsign/net/session_node.hpp"
#include "tsign/net/transport.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign {

struct NatsOptions {
  // The broker: "tls://host:port" (several comma-separated for a cluster of brokers).
  std::string url;
  std::filesystem::path ca_file;  // the CA that signed the broker's TLS certificate (required)
  // The name the broker's certificate must carry (a DNS name); empty: the host part of `url`.
  std::string tls_server_name;
  // This party's credentials at the broker: an NKey user (public key "U..." and the file holding
  // its seed "SU..."), or a user credentials file (JWT and seed).
  std::string nkey_public;
  std::filesystem::path nkey_seed_file;
  std::filesystem::path credentials_file;
  std::string subject_prefix = "tsign";  // letters, digits, '-' and '_'; dots separate tokens
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds reconnect_wait{250};     // between attempts after the broker is lost
  std::size_t reconnect_buffer_bytes = 8u << 20;      // published while the broker is away
  std::size_t max_message_size = kDefaultMaxPayload + 4096;  // one engine message, envelope included
  std::size_t max_queued_bytes = 64u << 20;                  // per peer, unacknowledged
  std::chrono::milliseconds unacked_ttl{60'000};             // then given up on
  std::chrono::milliseconds resend_interval{500};            // unacknowledged frames go again
  // Budgets per sender (session_table.hpp).
  std::size_t max_session_inbox_bytes = 256u << 20;
  std::size_t max_pending_sessions = 256;
  std::size_t max_pending_bytes = 64u << 20;
  std::chrono::milliseconds pending_session_ttl{60'000};
  // Frames received but not yet processed, held by the client library (beyond: dropped there).
  std::size_t max_inbound_messages = 65536;
  std::size_t max_inbound_bytes = 64u << 20;
  // Links: a hello unanswered for handshake_timeout is sent anew (with a new link id); a
  // responder holds at most max_candidate_links per peer awaiting key confirmation.
  std::chrono::milliseconds handshake_timeout{1000};
  std::size_t max_candidate_links = 4;
  std::chrono::milliseconds keepalive_interval{1000};
  std::chrono::milliseconds silence_timeout{4000};
  std::chrono::milliseconds unreachable_after{6000};
  std::chrono::milliseconds tick{25};  // how often timers are looked at
};

class NatsCoreHandle;

class NatsNode final : public SessionNode {
 public:
  // Connects to the broker (failing if it cannot within connect_timeout), subscribes to this
  // party's subject and starts the handshakes with every peer.
  static Result<std::unique_ptr<NatsNode>> start(PartyConfig config, NatsOptions options);
  // Closes the connection; open session views then fail.
  ~NatsNode() override;
  NatsNode(const NatsNode&) = delete;
  NatsNode& operator=(const NatsNode&) = delete;

  PartyId self() const override;
  Result<std::unique_ptr<Transport>> open_session(const SessionId& session) override;
  // "connected", or why not; with the count of rejected frames when there are any.
  std::string peer_status(PartyId peer) const override;
  bool connected(PartyId peer) const;
  Status flush(std::chrono::milliseconds timeout) override;
  // The subject this party receives on, and the one for a peer.
  std::string subject(PartyId party) const;
  // Frames dropped because they failed to decode or authenticate, were replays, or belonged to no
  // link: whatever the broker or anyone publishing on this subject injected.
  std::uint64_t rejected_frames() const;
  // Messages (fragments) received again after they had been taken, and dropped.
  std::uint64_t duplicates_dropped() const;

#ifdef TSIGN_TEST_HOOKS
  // Test builds only: while holding, frames this node would publish are kept instead, for a test
  // to publish itself (late, reordered, twice).
  void hold_outgoing_for_testing(bool hold);
  std::vector<std::pair<std::string, Bytes>> take_held_for_testing();
#endif

 private:
  explicit NatsNode(std::shared_ptr<NatsCoreHandle> handle);
  std::shared_ptr<NatsCoreHandle> handle_;
};

}  // namespace tsign

#pragma once
// The per-session Transport every node hands out (open_session): sends go to the node's link
// layer tagged with the session id, receives come from the session's inbox (session_table.hpp).
#include <memory>
#include <string>
#include <string_view>

#include "net/session_table.hpp"
#include "tsign/net/party_config.hpp"
#include "tsign/net/transport.hpp"

namespace tsign {

// What a node's core offers its session views.
class SessionHost {
 public:
  virtual ~SessionHost() = default;
  virtual const PartyConfig& party_config() const = 0;
  virtual std::size_t max_message_size() const = 0;
  virtual std::string_view transport_name() const = 0;  // "TCP", "NATS": prefixes errors
  // Queues `message` (session id | engine bytes) for `to`; an error only when it can never go.
  virtual Status queue_message(PartyId to, Bytes message) = 0;
  virtual void session_closed(const SessionId& session) = 0;
  virtual void inbox_drained() = 0;  // a sender waited for room in an inbox: there is some now
  virtual std::string peer_note(PartyId peer) const = 0;
  virtual bool peer_unreachable(PartyId peer) const = 0;
};

class SessionView final : public Transport {
 public:
  SessionView(std::shared_ptr<SessionHost> host, const SessionId& session, std::shared_ptr<SessionInbox> inbox)
      : host_(std::move(host)), session_(session), inbox_(std::move(inbox)) {}
  ~SessionView() override { host_->session_closed(session_); }
  SessionView(const SessionView&) = delete;
  SessionView& operator=(const SessionView&) = delete;

  PartyId self() const override { return host_->party_config().id; }
  Status send(PartyId to, Bytes data) override;
  Result<std::optional<IncomingMessage>> receive(Clock::time_point deadline) override;
  std::string peer_status(PartyId peer) const override { return host_->peer_note(peer); }
  bool peer_unreachable(PartyId peer) const override { return host_->peer_unreachable(peer); }

 private:
  std::shared_ptr<SessionHost> host_;
  SessionId session_;
  std::shared_ptr<SessionInbox> inbox_;
};

}  // namespace tsign

#pragma once
// What a node keeps per session, shared by every node that serves many sessions over one link
// per peer (TCP, NATS): the open sessions' inboxes, the messages waiting for a session not yet
// opened here, and the per-sender budgets that bound both. One party's flood never displaces
// another party's messages, because every budget is per sender.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "tsign/core/result.hpp"
#include "tsign/net/transport.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign {

// Holding a message costs more than its bytes (the queue slot, the allocation), so budgets count
// this much more for each; a flood of tiny messages then fills a budget as fast as its memory.
inline constexpr std::size_t kHeldMessageOverhead = 96;
inline std::size_t held_cost(const IncomingMessage& m) { return m.data.size() + kHeldMessageOverhead; }

// What each sender has in a queue, by held_cost.
using HeldBySender = std::map<PartyId, std::size_t>;

struct SessionInbox {
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<IncomingMessage> messages;
  HeldBySender held;
  bool sender_waiting = false;  // a sender's budget was full: its link resumes as this drains
  bool closed = false;
};

struct SessionBudgets {
  std::size_t max_session_inbox_bytes = 0;  // per sender, per open session, unread
  std::size_t max_pending_sessions = 0;     // per sender: sessions not yet opened here
  std::size_t max_pending_bytes = 0;        // per sender, over all those sessions
  std::chrono::milliseconds pending_session_ttl{0};
};

class SessionTable {
 public:
  explicit SessionTable(SessionBudgets budgets) : budgets_(budgets) {}

  // One inbox per session id at a time; messages that waited for it move in.
  Result<std::shared_ptr<SessionInbox>> open(const SessionId& session);
  void close(const SessionId& session);
  bool any_open() const;
  // Takes `message` (session id 32 | engine bytes, more than 32 bytes) from `from`: into its
  // session's inbox, or held for a session not opened yet. False: the sender's budget has no room
  // now and nothing was taken (the link offers it again later). A message for a session that
  // ended here is taken and dropped.
  bool deliver(PartyId from, ByteSpan message);
  // Drops waiting messages older than pending_session_ttl.
  void expire_pending();
  // Wakes every open session's reader with a closed inbox (the node stops).
  void close_all();

 private:
  struct Pending {
    std::deque<IncomingMessage> messages;
    HeldBySender held;
    std::chrono::steady_clock::time_point created;
  };
  // One sender's share of everything held for sessions not yet opened here.
  struct PendingShare {
    std::size_t bytes = 0;
    std::size_t sessions = 0;
  };
  bool hold_pending(const SessionId& session, IncomingMessage incoming);  // mutex_ held
  void expire_pending_locked();
  void release_pending(const Pending& pending);

  const SessionBudgets budgets_;
  mutable std::mutex mutex_;
  std::map<SessionId, std::shared_ptr<SessionInbox>> sessions_;
  std::map<SessionId, Pending> pending_;
  std::map<PartyId, PendingShare> pending_shares_;
  std::deque<SessionId> closed_order_;
  std::set<SessionId> closed_;
};

}  // namespace tsign

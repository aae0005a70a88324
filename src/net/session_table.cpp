#include "net/session_table.hpp"

#include <algorithm>

namespace tsign {

namespace {
constexpr std::size_t kRememberClosedSessions = 4096;
}  // namespace

Result<std::shared_ptr<SessionInbox>> SessionTable::open(const SessionId& session) {
  auto inbox = std::make_shared<SessionInbox>();
  std::lock_guard lock(mutex_);
  if (sessions_.count(session)) return make_error(ErrorKind::InvalidInput, "session already open on this node");
  if (closed_.erase(session)) {
    closed_order_.erase(std::find(closed_order_.begin(), closed_order_.end(), session));
  }
  if (auto it = pending_.find(session); it != pending_.end()) {
    release_pending(it->second);
    inbox->messages = std::move(it->second.messages);
    inbox->held = std::move(it->second.held);
    pending_.erase(it);
  }
  sessions_.emplace(session, inbox);
  return inbox;
}

void SessionTable::close(const SessionId& session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
  if (closed_.insert(session).second) {
    closed_order_.push_back(session);
    if (closed_order_.size() > kRememberClosedSessions) {
      closed_.erase(closed_order_.front());
      closed_order_.pop_front();
    }
  }
}

bool SessionTable::any_open() const {
  std::lock_guard lock(mutex_);
  return !sessions_.empty();
}

bool SessionTable::deliver(PartyId from, ByteSpan message) {
  SessionId session;
  std::copy(message.begin(), message.begin() + 32, session.begin());
  IncomingMessage incoming{from, Bytes(message.begin() + 32, message.end())};
  const std::size_t cost = held_cost(incoming);
  std::lock_guard lock(mutex_);
  if (auto it = sessions_.find(session); it != sessions_.end()) {
    SessionInbox& inbox = *it->second;
    std::lock_guard inbox_lock(inbox.mutex);
    std::size_t& held = inbox.held[from];
    if (held + cost > budgets_.max_session_inbox_bytes) {
      inbox.sender_waiting = true;
      return false;
    }
    held += cost;
    inbox.messages.push_back(std::move(incoming));
    inbox.cv.notify_one();
    return true;
  }
  if (closed_.count(session)) return true;  // that session ended here: nothing waits for it
  expire_pending_locked();
  return hold_pending(session, std::move(incoming));
}

bool SessionTable::hold_pending(const SessionId& session, IncomingMessage incoming) {
  const PartyId from = incoming.from;
  const std::size_t cost = held_cost(incoming);
  PendingShare& share = pending_shares_[from];
  auto it = pending_.find(session);
  const bool new_for_sender = it == pending_.end() || it->second.held.count(from) == 0;
  if (new_for_sender && share.sessions >= budgets_.max_pending_sessions) return false;
  if (share.bytes + cost > budgets_.max_pending_bytes) return false;
  if (it == pending_.end()) it = pending_.emplace(session, Pending{{}, {}, std::chrono::steady_clock::now()}).first;
  it->second.held[from] += cost;
  it->second.messages.push_back(std::move(incoming));
  share.bytes += cost;
  share.sessions += new_for_sender ? 1 : 0;
  return true;
}

void SessionTable::release_pending(const Pending& pending) {
  for (const auto& [from, bytes] : pending.held) {
    PendingShare& share = pending_shares_.at(from);
    share.bytes -= bytes;
    share.sessions -= 1;
  }
}

void SessionTable::expire_pending() {
  std::lock_guard lock(mutex_);
  expire_pending_locked();
}

void SessionTable::expire_pending_locked() {
  const auto now = std::chrono::steady_clock::now();
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (now - it->second.created <= budgets_.pending_session_ttl) {
      ++it;
      continue;
    }
    release_pending(it->second);
    it = pending_.erase(it);
  }
}

void SessionTable::close_all() {
  std::lock_guard lock(mutex_);
  for (auto& [id, inbox] : sessions_) {
    std::lock_guard inbox_lock(inbox->mutex);
    inbox->closed = true;
    inbox->cv.notify_all();
  }
}

}  // namespace tsign

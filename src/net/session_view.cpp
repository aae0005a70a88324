#include "net/session_view.hpp"

namespace tsign {

Status SessionView::send(PartyId to, Bytes data) {
  std::string what(host_->transport_name());
  if (host_->party_config().peer(to) == nullptr) {
    what += " transport: party " + std::to_string(to);
    what += " is not a configured peer";
    return make_error(ErrorKind::InvalidInput, what);
  }
  if (data.size() > host_->max_message_size()) {
    what += " transport: message of " + std::to_string(data.size());
    what += " bytes exceeds the size limit";
    return make_error(ErrorKind::InvalidInput, what);
  }
  Bytes message(session_.begin(), session_.end());
  append(message, data);
  return host_->queue_message(to, std::move(message));
}

Result<std::optional<IncomingMessage>> SessionView::receive(Clock::time_point deadline) {
  std::unique_lock lock(inbox_->mutex);
  inbox_->cv.wait_until(lock, deadline, [&] { return !inbox_->messages.empty() || inbox_->closed; });
  if (!inbox_->messages.empty()) {
    IncomingMessage m = std::move(inbox_->messages.front());
    inbox_->messages.pop_front();
    inbox_->held[m.from] -= held_cost(m);
    if (std::exchange(inbox_->sender_waiting, false)) host_->inbox_drained();
    return std::optional<IncomingMessage>(std::move(m));
  }
  if (inbox_->closed) {
    std::string what(host_->transport_name());
    what += " node stopped";
    return make_error(ErrorKind::Transport, what);
  }
  return std::optional<IncomingMessage>{};
}

}  // namespace tsign

#include "tcp_connection.hpp"

#include <algorithm>

namespace tsign {

Connection::Connection(NodeCore& core, tcp::socket socket, std::optional<PartyId> dialed)
    : core_(core), socket_(std::move(socket)), deadline_(core.io), keepalive_(core.io), initiator_(dialed.has_value()),
      peer_(dialed.value_or(0)) {
  boost::system::error_code ec;
  remote_ = socket_.remote_endpoint(ec).address();
}

void Connection::start() {
  boost::system::error_code ec;
  socket_.set_option(tcp::no_delay(true), ec);
  deadline_.expires_after(core_.options.handshake_timeout);
  deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (!error && !self->established_) self->close("handshake not completed before the deadline (peer stalled)");
  });
  if (!initiator_) {
    read_preamble();
    return;
  }
  Bytes preamble = wire::encode_preamble({core_.config.id, peer_});
  const PeerConfig* pinned = core_.config.peer(peer_);
  handshake_.emplace(NoiseHandshakeKK::Role::Initiator, core_.config.static_key, pinned->static_key,
                     wire::noise_prologue(core_.cluster_hash, preamble));
  auto first = handshake_->write_message({});
  if (!first) return close(first.error().message);
  Bytes out = std::move(preamble);
  append(out, frame(*first));
  enqueue(std::move(out));
  read_frame(true, [this](Bytes body) { on_second_message(std::move(body)); });
}

Bytes Connection::frame(ByteSpan body) const {
  auto header = wire::encode_frame_length(body.size());
  Bytes out(header.begin(), header.end());
  append(out, body);
  return out;
}

void Connection::read_preamble() {
  asio::async_read(socket_, asio::buffer(preamble_),
                   [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
                     if (self->closed_) return;
                     if (error) return self->close("connection closed before its preamble: " + error.message());
                     auto p = wire::decode_preamble(self->preamble_);
                     if (!p) return self->close(p.error().message);
                     if (p->responder != self->core_.config.id) {
                       return self->close("preamble addressed to party " + std::to_string(p->responder));
                     }
                     auto key = self->core_.accept_initiator(p->initiator);
                     if (!key) return self->close(key.error().message);
                     self->peer_ = p->initiator;
                     self->handshake_.emplace(NoiseHandshakeKK::Role::Responder, self->core_.config.static_key, *key,
                                              wire::noise_prologue(self->core_.cluster_hash, self->preamble_));
                     self->read_frame(true, [raw = self.get()](Bytes body) { raw->on_first_message(std::move(body)); });
                   });
}

void Connection::read_frame(bool handshake, std::function<void(Bytes)> then) {
  asio::async_read(
      socket_, asio::buffer(header_),
      [self = shared_from_this(), handshake, then = std::move(then)](const boost::system::error_code& error,
                                                                      std::size_t) mutable {
        if (self->closed_) return;
        if (error) {
          std::string what = error == asio::error::eof ? "peer closed the connection" : "connection lost: " + error.message();
          if (!self->established_) {
            what += " during the handshake (it may pin another key for us or run another cluster configuration)";
          }
          return self->close(what);
        }
        auto length = wire::decode_frame_length(self->header_, handshake);
        if (!length) return self->close(length.error().message);
        self->body_.assign(*length, 0);
        asio::async_read(self->socket_, asio::buffer(self->body_),
                         [self, then = std::move(then)](const boost::system::error_code& e2, std::size_t) {
                           if (self->closed_) return;
                           if (e2) return self->close("connection lost inside a frame: " + e2.message());
                           then(std::move(self->body_));
                         });
      });
}

void Connection::on_first_message(Bytes body) {
  if (!handshake_->read_message(body)) {
    return close("handshake from party " + std::to_string(peer_) +
                 " failed authentication (its static key or cluster configuration differs from ours)");
  }
  auto second = handshake_->write_message({});
  if (!second) return close(second.error().message);
  enqueue(frame(*second));
  finish_handshake();
}

void Connection::on_second_message(Bytes body) {
  if (!handshake_->read_message(body)) {
    return close("party " + std::to_string(peer_) +
                 " failed authentication in the handshake (its static key or cluster configuration differs from ours)");
  }
  finish_handshake();
}

void Connection::finish_handshake() {
  auto ciphers = handshake_->split();
  handshake_.reset();
  if (!ciphers) return close(ciphers.error().message);
  send_ = std::move(ciphers->send);
  receive_ = std::move(ciphers->receive);
  // Message 2 proves to the initiator that the responder holds its key. The responder waits for
  // the initiator's first transport frame: message 1 alone can be a recording, replayed by anyone,
  // and must not displace the live connection (read_records establishes it).
  if (initiator_) establish();
  if (!closed_) read_records();
}

void Connection::establish() {
  established_ = true;
  deadline_.cancel();
  last_received_ = last_sent_ = std::chrono::steady_clock::now();
  core_.on_established(shared_from_this());
  if (!closed_) watch_liveness();
}

void Connection::watch_liveness() {
  keepalive_.expires_after(core_.options.keepalive_interval);
  keepalive_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (error || self->closed_) return;
    const auto now = std::chrono::steady_clock::now();
    // A stalled connection is not read on purpose (its sender is over budget): not silence.
    if (!self->stalled() && now - self->last_received_ > self->core_.options.silence_timeout) {
      return self->close("nothing received for " + std::to_string(self->core_.options.silence_timeout.count()) +
                         " ms (the peer is silent or the link is down)");
    }
    if (now - self->last_sent_ >= self->core_.options.keepalive_interval) self->core_.send_keepalive(self);
    self->watch_liveness();
  });
}

void Connection::read_records() {
  read_frame(false, [this](Bytes ciphertext) {
    auto plain = receive_.decrypt({}, ciphertext);
    if (!plain) return close("a frame from party " + std::to_string(peer_) + " failed authentication");
    last_received_ = std::chrono::steady_clock::now();
    if (!established_) {
      establish();  // key confirmation: only the initiator's keys could produce this frame
      if (closed_) return;
    }
    if (plain->size() < 2) return close("empty fragment from party " + std::to_string(peer_));
    std::uint8_t flags = (*plain)[0];
    if ((flags & ~wire::kFlagLast) != 0) return close("unknown frame flags from party " + std::to_string(peer_));
    if (partial_.size() + plain->size() - 1 > core_.options.max_message_size + 32 + wire::kDataHeaderSize) {
      return close("message from party " + std::to_string(peer_) + " exceeds the size limit");
    }
    partial_.insert(partial_.end(), plain->begin() + 1, plain->end());
    if (flags & wire::kFlagLast) {
      Bytes unit;
      unit.swap(partial_);
      if (!core_.on_unit(shared_from_this(), unit)) {
        stalled_unit_ = std::move(unit);  // TCP's flow control now holds the sender back
        return;
      }
    }
    if (!closed_) read_records();
  });
}

void Connection::retry_stalled() {
  if (closed_ || stalled_unit_.empty()) return;
  if (!core_.on_unit(shared_from_this(), stalled_unit_)) return;
  stalled_unit_.clear();
  if (!closed_) read_records();
}

void Connection::send_unit(const Bytes& message) {
  if (!established_ || closed_) return;
  std::size_t offset = 0;
  do {
    std::size_t n = std::min(wire::kMaxFragment, message.size() - offset);
    Bytes plain;
    plain.reserve(n + 1);
    plain.push_back(offset + n == message.size() ? wire::kFlagLast : 0);
    plain.insert(plain.end(), message.begin() + static_cast<std::ptrdiff_t>(offset),
                 message.begin() + static_cast<std::ptrdiff_t>(offset + n));
    auto sealed = send_.encrypt({}, plain);
    if (!sealed) return close(sealed.error().message);
    enqueue(frame(*sealed));
    offset += n;
  } while (offset < message.size() && !closed_);
}

void Connection::enqueue(Bytes bytes) {
  if (closed_) return;
  queued_bytes_ += bytes.size();
  if (queued_bytes_ > 2 * core_.options.max_queued_bytes) {  // the outbox plus framing
    return close("party " + std::to_string(peer_) + " is not reading (send queue full)");
  }
  writes_.push_back(std::move(bytes));
  last_sent_ = std::chrono::steady_clock::now();
  if (!writing_) write_next();
}

void Connection::write_next() {
  writing_ = true;
  asio::async_write(socket_, asio::buffer(writes_.front()),
                    [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
                      if (self->closed_) return;
                      if (error) return self->close("write failed: " + error.message());
                      self->queued_bytes_ -= self->writes_.front().size();
                      self->writes_.pop_front();
                      if (self->writes_.empty()) {
                        self->writing_ = false;
                      } else {
                        self->write_next();
                      }
                    });
}

void Connection::close(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ec;
  deadline_.cancel();
  keepalive_.cancel();
  socket_.shutdown(tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  handshake_.reset();
  core_.on_closed(shared_from_this(), reason);
}

}  // namespace tsign

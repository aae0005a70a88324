#include <algorithm>
#include <exception>
#include <future>

#include "tcp_connection.hpp"
#include "tcp_core.hpp"
#include "tsign/core/random.hpp"

namespace tsign {

NodeCore::NodeCore(PartyConfig cfg, TcpOptions opts)
    : config(std::move(cfg)), options(opts), cluster_hash(config.cluster_hash()), acceptor_(io),
      incarnation_(random_array<16>()),
      sessions_({opts.max_session_inbox_bytes, opts.max_pending_sessions, opts.max_pending_bytes,
                 opts.pending_session_ttl}) {
  for (const auto& p : config.peers) {
    Peer peer;
    peer.id = p.id;
    peer.host = p.host;
    peer.port = p.port;
    peer.backoff = options.reconnect_initial;
    peer.redial_timer = std::make_unique<asio::steady_timer>(io);
    peers_.emplace(p.id, std::move(peer));
  }
  work_ = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(io.get_executor());
}

Status NodeCore::listen() {
  boost::system::error_code ec;
  tcp::resolver resolver(io);
  auto results = resolver.resolve(config.listen_host, std::to_string(config.listen_port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    return make_error(ErrorKind::Transport, "cannot resolve listen address " + config.listen_host + ": " + ec.message());
  }
  tcp::endpoint endpoint = results.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return make_error(ErrorKind::Transport, "cannot listen on " + config.listen_host + ":" +
                                                std::to_string(config.listen_port) + ": " + ec.message());
  }
  bound_port_ = acceptor_.local_endpoint(ec).port();
  accept_next();
  return {};
}

void NodeCore::run() {
  while (!stopped_.load()) {
    try {
      io.run();
      return;
    } catch (const std::exception&) {
      // A handler threw (out of memory): keep serving the other connections.
    }
  }
}

void NodeCore::accept_next() {
  acceptor_.async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
    if (stopped_.load() || !acceptor_.is_open()) return;
    if (!error) {
      boost::system::error_code ec;
      const asio::ip::address from = socket.remote_endpoint(ec).address();
      if (!ec && handshake_slot_available(from)) {
        auto c = std::make_shared<Connection>(*this, std::move(socket), std::nullopt);
        connections_.insert(c);
        c->start();
      } else {
        socket.close(ec);
      }
    }
    accept_next();
  });
}

bool NodeCore::handshake_slot_available(const asio::ip::address& from) const {
  // Where the configured peers are: when every peer's host is an IP address, a source address
  // that is none of them gets only a small share of the slots.
  std::map<asio::ip::address, std::size_t> peers_at;
  bool pinned = true;
  for (const auto& [id, p] : peers_) {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(p.host, ec);
    if (ec) {
      pinned = false;
    } else {
      ++peers_at[address];
    }
  }
  const bool known = peers_at.count(from) > 0;
  std::size_t total = 0, same_address = 0, unknown = 0;
  for (const auto& c : connections_) {
    if (c->initiator() || c->established()) continue;
    ++total;
    same_address += c->remote_address() == from ? 1 : 0;
    unknown += peers_at.count(c->remote_address()) == 0 ? 1 : 0;
  }
  const std::size_t address_limit = options.max_handshakes_per_address * (known ? peers_at.at(from) : 1);
  if (same_address >= address_limit || total >= options.max_handshakes_in_progress) return false;
  return known || !pinned || unknown < options.max_handshakes_from_unknown_addresses;
}

Result<X25519PublicKey> NodeCore::accept_initiator(PartyId initiator) const {
  const PeerConfig* p = config.peer(initiator);
  if (p == nullptr) {
    return make_error(ErrorKind::Transport, "connection claims to be party " + std::to_string(initiator) +
                                                ", which is not in the configuration");
  }
  return p->static_key;
}

void NodeCore::note(PartyId peer, bool connected, std::string text) {
  std::lock_guard lock(mutex_);
  PeerNote& n = notes_[peer];
  if (n.connected && !connected) n.down_since = std::chrono::steady_clock::now();
  n.connected = connected;
  n.ever_connected = n.ever_connected || connected;
  n.text = std::move(text);
}

std::string NodeCore::peer_note(PartyId peer) const {
  std::lock_guard lock(mutex_);
  auto it = notes_.find(peer);
  return it == notes_.end() ? std::string() : it->second.text;
}

bool NodeCore::peer_connected(PartyId peer) const {
  std::lock_guard lock(mutex_);
  auto it = notes_.find(peer);
  return it != notes_.end() && it->second.connected;
}

bool NodeCore::peer_unreachable(PartyId peer) const {
  std::lock_guard lock(mutex_);
  auto it = notes_.find(peer);
  if (it == notes_.end() || it->second.connected || !it->second.ever_connected) return false;
  return std::chrono::steady_clock::now() - it->second.down_since > options.redial_window;
}

bool NodeCore::wants_connection(const Peer& p) const {
  return !p.outbox.empty() || sessions_.any_open();
}

void NodeCore::ensure_dial(Peer& p) {
  if (stopped_.load() || p.conn || p.dialing || p.redial_pending || p.port == 0) return;
  if (!wants_connection(p)) return;
  // The lower id dials first; the higher one dials too when the link stays down (schedule_redial).
  if (p.id < config.id) return schedule_redial(p);
  dial(p);
}

void NodeCore::dial(Peer& p) {
  p.dialing = true;
  const std::string where = p.host + ":" + std::to_string(p.port);
  note(p.id, false, p.last_failure.empty() ? "connecting to " + where : p.last_failure + "; redialling " + where);
  const PartyId id = p.id;
  auto resolver = std::make_shared<tcp::resolver>(io);
  resolver->async_resolve(
      p.host, std::to_string(p.port), tcp::resolver::numeric_service,
      [this, id, resolver](const boost::system::error_code& error, tcp::resolver::results_type results) {
        if (stopped_.load()) return;
        if (error) return dial_failed(id, "cannot resolve its address: " + error.message());
        auto socket = std::make_shared<tcp::socket>(io);
        auto timer = std::make_shared<asio::steady_timer>(io, options.handshake_timeout);
        timer->async_wait([socket](const boost::system::error_code& e) {
          if (!e) {
            boost::system::error_code ignored;
            socket->close(ignored);
          }
        });
        asio::async_connect(*socket, results,
                            [this, id, socket, timer](const boost::system::error_code& e, const tcp::endpoint&) {
                              timer->cancel();
                              if (stopped_.load()) return;
                              if (e) return dial_failed(id, "cannot connect: " + e.message());
                              auto c = std::make_shared<Connection>(*this, std::move(*socket), id);
                              connections_.insert(c);
                              c->start();
                            });
      });
}

void NodeCore::dial_failed(PartyId id, const std::string& reason) {
  Peer& p = peers_.at(id);
  p.dialing = false;
  if (p.conn) return;  // the peer dialled in meanwhile
  p.last_failure = reason;
  note(id, false, reason);
  schedule_redial(p);
}

void NodeCore::schedule_redial(Peer& p) {
  if (stopped_.load() || p.redial_pending || p.conn || !wants_connection(p)) return;
  p.redial_pending = true;
  // The higher id leaves the first tries to the lower one: fewer crossing dials.
  const auto delay = p.id < config.id ? options.reconnect_max : p.backoff;
  // Jitter keeps many parties that lost the same peer from dialling in lockstep.
  auto jitter = std::chrono::milliseconds(random_below(static_cast<std::uint64_t>(delay.count()) / 4 + 1));
  p.redial_timer->expires_after(delay + jitter);
  p.backoff = std::min(p.backoff * 2, options.reconnect_max);
  const PartyId id = p.id;
  p.redial_timer->async_wait([this, id](const boost::system::error_code& error) {
    if (error || stopped_.load()) return;
    Peer& peer = peers_.at(id);
    peer.redial_pending = false;
    if (!peer.conn && !peer.dialing && peer.port != 0 && wants_connection(peer)) dial(peer);
  });
}

bool NodeCore::dialled_by_lower_id(const Connection& c) const {
  return c.initiator() ? config.id < c.peer() : c.peer() < config.id;
}

void NodeCore::on_established(const std::shared_ptr<Connection>& c) {
  Peer& p = peers_.at(c->peer());
  // Both ends may dial; when both connections come up, both ends keep the one the lower id
  // dialled. Otherwise the newer replaces the older (the peer restarted).
  if (p.conn && p.conn != c && !p.conn->closed() && dialled_by_lower_id(*p.conn) && !dialled_by_lower_id(*c)) {
    return c->close("a connection dialled by the lower party id is up");
  }
  std::shared_ptr<Connection> old = std::exchange(p.conn, c);
  p.dialing = false;
  p.resumed = false;
  p.backoff = options.reconnect_initial;
  p.last_failure.clear();
  note(p.id, true, "connected");
  if (old && old != c) old->close("replaced by a newer connection");
  expire_outbox(p);
  c->send_unit(wire::encode_resume({incarnation_, p.peer_incarnation, p.next_expected, first_unacked(p)}));
}

std::uint64_t NodeCore::first_unacked(const Peer& p) const {
  return p.outbox.empty() ? p.next_seq : p.outbox.front().seq;
}

void NodeCore::expire_outbox(Peer& p) {
  const auto now = std::chrono::steady_clock::now();
  while (!p.outbox.empty() && now - p.outbox.front().queued > options.unacked_ttl) {
    p.outbox_bytes -= p.outbox.front().message.size();
    p.outbox.pop_front();
  }
}

void NodeCore::acknowledged(Peer& p, std::uint64_t ack) {
  while (!p.outbox.empty() && p.outbox.front().seq < ack) {
    p.outbox_bytes -= p.outbox.front().message.size();
    p.outbox.pop_front();
  }
}

void NodeCore::transmit(Peer& p, const Peer::Outgoing& entry) {
  p.conn->send_unit(wire::encode_data({entry.seq, p.next_expected}, entry.message));
  p.ack_due = false;
}

void NodeCore::on_resume(Peer& p, const wire::Resume& r) {
  if (r.mine != p.peer_incarnation) {
    // A peer seen for the first time, or restarted: its numbering starts where it says.
    p.peer_incarnation = r.mine;
    p.next_expected = r.first_unacked;
  } else {
    // Messages it gave up on (expired) are skipped; the engine's deadlines report any loss.
    p.next_expected = std::max(p.next_expected, r.first_unacked);
  }
  if (r.yours == incarnation_) acknowledged(p, r.next_expected);
  p.resumed = true;
  for (const auto& entry : p.outbox) {
    if (!p.conn || p.conn->closed()) break;
    transmit(p, entry);
  }
}

bool NodeCore::on_unit(const std::shared_ptr<Connection>& c, ByteSpan bytes) {
  auto it = peers_.find(c->peer());
  if (it == peers_.end() || it->second.conn != c) return true;
  Peer& p = it->second;
  auto unit = wire::decode_unit(bytes);
  if (!unit) {
    c->close("party " + std::to_string(p.id) + " sent " + unit.error().message);
    return true;
  }
  if ((unit->type == wire::UnitType::Resume) == p.resumed) {
    c->close("party " + std::to_string(p.id) + (p.resumed ? " resumed twice" : " sent data before resuming"));
    return true;
  }
  switch (unit->type) {
    case wire::UnitType::Resume:
      on_resume(p, unit->resume);
      return true;
    case wire::UnitType::Ack:
      acknowledged(p, unit->ack);
      return true;
    case wire::UnitType::Data:
      break;
  }
  acknowledged(p, unit->data.ack);
  if (unit->data.seq > p.next_expected) {
    c->close("party " + std::to_string(p.id) + " skipped messages (sequence gap)");
    return true;
  }
  if (unit->data.seq == p.next_expected) {
    if (!sessions_.deliver(p.id, unit->message)) {
      arm_stall_timer();
      return false;
    }
    ++p.next_expected;
  }
  if (!p.ack_due) {
    // One acknowledgement for everything that arrives in this burst, unless data carries it.
    p.ack_due = true;
    asio::post(io, [this, id = p.id] {
      Peer& peer = peers_.at(id);
      if (!peer.ack_due || !peer.conn || !peer.resumed || peer.conn->closed()) return;
      peer.ack_due = false;
      peer.conn->send_unit(wire::encode_ack(peer.next_expected));
    });
  }
  return true;
}

void NodeCore::post_resume_stalled() {
  asio::post(io, [this] { resume_stalled(); });
}

void NodeCore::resume_stalled() {
  if (stopped_.load()) return;
  sessions_.expire_pending();
  for (auto& [id, p] : peers_) {
    if (p.conn) p.conn->retry_stalled();
  }
}

void NodeCore::arm_stall_timer() {
  if (stall_timer_armed_) return;
  stall_timer_armed_ = true;
  // Room also appears when pending sessions expire, which nothing else announces: look again
  // every so often while any sender waits.
  stall_timer_.expires_after(std::chrono::milliseconds(100));
  stall_timer_.async_wait([this](const boost::system::error_code& error) {
    stall_timer_armed_ = false;
    if (error || stopped_.load()) return;
    resume_stalled();
    for (auto& [id, p] : peers_) {
      if (p.conn && p.conn->stalled()) return arm_stall_timer();
    }
  });
}

void NodeCore::post_reset(PartyId peer) {
  asio::post(io, [this, peer] {
    auto it = peers_.find(peer);
    if (it != peers_.end() && it->second.conn) it->second.conn->close("connection reset on request");
  });
}

void NodeCore::on_closed(const std::shared_ptr<Connection>& c, const std::string& reason) {
  connections_.erase(c);
  if (stopped_.load()) return;
  auto it = peers_.find(c->peer());
  if (it == peers_.end()) return;  // a connection rejected before it named a known peer
  Peer& p = it->second;
  const bool was_current = p.conn == c;
  if (was_current) {
    p.conn.reset();
    p.resumed = false;
  }
  if (c->initiator() && !c->established()) p.dialing = false;
  // An incoming connection that never completed its handshake only claimed to be this peer:
  // anyone can send that preamble, so it leaves no note on the peer (notes appear in errors).
  const bool unauthenticated = !c->initiator() && !c->established();
  if (!p.conn && !unauthenticated) {
    std::string what = was_current ? "connection lost: " + reason : reason;
    note(p.id, false, what);
    if (c->initiator()) p.last_failure = what;
  }
  if (c->initiator() || was_current) schedule_redial(p);
}

void NodeCore::send_keepalive(const std::shared_ptr<Connection>& c) {
  auto it = peers_.find(c->peer());
  if (it == peers_.end() || it->second.conn != c) return;
  c->send_unit(wire::encode_ack(it->second.next_expected));  // any frame will do; this one is harmless
}

// Reached only through a live TcpNode, whose destructor is what stops the core.
Result<std::shared_ptr<SessionInbox>> NodeCore::open_session(const SessionId& session) {
  TSIGN_TRY(auto inbox, sessions_.open(session));
  asio::post(io, [this] {
    kick_all();
    resume_stalled();
  });
  return inbox;
}

void NodeCore::close_session(const SessionId& session) {
  sessions_.close(session);
  post_resume_stalled();  // a sender waiting on that session's inbox can go on
}

void NodeCore::kick_all() {
  for (auto& [id, p] : peers_) ensure_dial(p);
}

Status NodeCore::post_send(PartyId to, Bytes message) {
  if (stopped_.load()) return make_error(ErrorKind::Transport, "TCP node stopped");
  asio::post(io, [this, to, message = std::move(message)]() mutable { send_to_peer(to, std::move(message)); });
  return {};
}

void NodeCore::send_to_peer(PartyId to, Bytes message) {
  Peer& p = peers_.at(to);
  expire_outbox(p);
  if (p.outbox_bytes + message.size() > options.max_queued_bytes) {
    note(to, p.conn != nullptr, "too much unacknowledged data; messages dropped");
    return;
  }
  p.outbox_bytes += message.size();
  p.outbox.push_back({p.next_seq++, std::move(message), std::chrono::steady_clock::now()});
  if (p.conn && p.resumed && !p.conn->closed()) {
    transmit(p, p.outbox.back());
    return;
  }
  ensure_dial(p);
}

void NodeCore::post_peer_address(PartyId peer, std::string host, std::uint16_t port) {
  asio::post(io, [this, peer, host = std::move(host), port]() mutable {
    Peer& p = peers_.at(peer);
    p.host = std::move(host);
    p.port = port;
    p.backoff = options.reconnect_initial;
    ensure_dial(p);
  });
}

void NodeCore::shutdown() {
  if (stopped_.exchange(true)) return;
  sessions_.close_all();
  asio::post(io, [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
    stall_timer_.cancel();
    for (auto& [id, p] : peers_) p.redial_timer->cancel();
    auto all = connections_;
    for (const auto& c : all) c->close("node stopped");
    for (auto& [id, p] : peers_) p.conn.reset();
    work_.reset();
    io.stop();
  });
}

std::vector<PartyId> NodeCore::undelivered_peers() {
  if (stopped_.load()) return {};
  auto answer = std::make_shared<std::promise<std::vector<PartyId>>>();
  auto result = answer->get_future();
  asio::post(io, [this, answer] {
    std::vector<PartyId> owing;
    for (auto& [id, p] : peers_) {
      expire_outbox(p);
      if (!p.outbox.empty() || (p.conn && !p.conn->closed() && p.conn->writes_pending())) owing.push_back(id);
    }
    answer->set_value(std::move(owing));
  });
  return result.get();
}

// ---- the node ------------------------------------------------------------------------------

TcpNode::TcpNode(std::shared_ptr<NodeCore> core) : core_(std::move(core)) {}

Result<std::unique_ptr<TcpNode>> TcpNode::start(PartyConfig config, TcpOptions options) {
  if (config.id == 0 || config.peers.empty()) {
    return make_error(ErrorKind::InvalidInput, "TCP node: configuration needs an id and at least one peer");
  }
  auto core = std::make_shared<NodeCore>(std::move(config), options);
  TSIGN_CHECK(core->listen());
  std::unique_ptr<TcpNode> node(new TcpNode(core));
  node->thread_ = std::thread([raw = core.get()] { raw->run(); });
  return node;
}

TcpNode::~TcpNode() {
  core_->shutdown();
  thread_.join();
}

PartyId TcpNode::self() const { return core_->config.id; }
std::uint16_t TcpNode::listen_port() const { return core_->bound_port(); }

Status TcpNode::set_peer_address(PartyId peer, std::string host, std::uint16_t port) {
  if (core_->config.peer(peer) == nullptr) {
    return make_error(ErrorKind::InvalidInput, "party " + std::to_string(peer) + " is not a configured peer");
  }
  if (port == 0) return make_error(ErrorKind::InvalidInput, "port 0");
  core_->post_peer_address(peer, std::move(host), port);
  return {};
}

Result<std::unique_ptr<Transport>> TcpNode::open_session(const SessionId& session) {
  TSIGN_TRY(auto inbox, core_->open_session(session));
  return std::unique_ptr<Transport>(std::make_unique<SessionView>(core_, session, std::move(inbox)));
}

std::string TcpNode::peer_status(PartyId peer) const { return core_->peer_note(peer); }
bool TcpNode::connected(PartyId peer) const { return core_->peer_connected(peer); }
void TcpNode::reset_connection(PartyId peer) { core_->post_reset(peer); }

Status TcpNode::flush(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::vector<PartyId> owing = core_->undelivered_peers();
    if (owing.empty()) return {};
    if (std::chrono::steady_clock::now() >= deadline) {
      return make_error(ErrorKind::Timeout, "messages not acknowledged before the deadline", std::move(owing));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace tsign

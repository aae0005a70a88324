#include "broker/nats_core.hpp"

#include <algorithm>

#include "net/tcp_wire.hpp"
#include "tsign/core/random.hpp"

namespace tsign {

namespace {
constexpr std::size_t kRememberHellos = 64;  // per peer: link ids already answered
}  // namespace

NatsCore::NatsCore(PartyConfig config, NatsOptions options)
    : config_(std::move(config)), options_(std::move(options)), cluster_hash_(config_.cluster_hash()),
      incarnation_(random_array<16>()),
      sessions_({options_.max_session_inbox_bytes, options_.max_pending_sessions, options_.max_pending_bytes,
                 options_.pending_session_ttl}) {
  for (const auto& pc : config_.peers) {
    Peer p;
    p.id = pc.id;
    p.static_key = pc.static_key;
    p.subject = subject_for(pc.id);
    peers_.emplace(pc.id, std::move(p));
  }
}

std::string NatsCore::subject_for(PartyId party) const {
  std::string s = options_.subject_prefix;
  s += '.';
  s += to_hex(ByteSpan(cluster_hash_).first(8));
  s += ".p";
  s += std::to_string(party);
  return s;
}

void NatsCore::set_publisher(Publish publish) {
  std::lock_guard lock(mutex_);
  publish_ = std::move(publish);
}

void NatsCore::publish(const Peer& p, Bytes frame) {
#ifdef TSIGN_TEST_HOOKS
  if (holding_) {
    held_.emplace_back(p.subject, std::move(frame));
    return;
  }
#endif
  if (publish_) publish_(p.subject, std::move(frame));
}

// ---- links ---------------------------------------------------------------------------------

void NatsCore::start_handshake(Peer& p, Clock::time_point now) {
  nats_wire::Header h{nats_wire::Kind::Hello, config_.id, p.id, random_array<16>()};
  Bytes header = nats_wire::encode_header(h);
  NoiseHandshakeKK hs(NoiseHandshakeKK::Role::Initiator, config_.static_key, p.static_key,
                      wire::noise_prologue(cluster_hash_, header));
  auto first = hs.write_message({});
  if (!first) return;
  p.initiation.emplace(Initiation{h.link, std::move(hs), now});
  p.last_handshake = now;
  publish(p, nats_wire::encode_handshake(h, *first));
}

void NatsCore::on_hello(Peer& p, const nats_wire::Frame& f) {
  const auto& id = f.header.link;
  const bool known = std::find(p.hellos_seen.begin(), p.hellos_seen.end(), id) != p.hellos_seen.end() ||
                     (p.link && p.link->id == id);
  if (known) return reject();  // a replay: that hello was answered already
  NoiseHandshakeKK hs(NoiseHandshakeKK::Role::Responder, config_.static_key, p.static_key,
                      wire::noise_prologue(cluster_hash_, f.clear_header));
  if (!hs.read_message(f.body)) return reject();
  p.hellos_seen.push_back(id);
  if (p.hellos_seen.size() > kRememberHellos) p.hellos_seen.pop_front();
  auto second = hs.write_message({});
  if (!second) return;
  auto ciphers = hs.split();
  if (!ciphers) return;
  // A candidate until the initiator's first sealed frame decrypts: only the holder of the
  // initiator's ephemeral key can produce it, so a replayed hello never gets this far.
  p.candidates.push_back(Keys{id, std::move(ciphers->send), std::move(ciphers->receive), {}});
  while (p.candidates.size() > options_.max_candidate_links) p.candidates.pop_front();
  publish(p, nats_wire::encode_handshake({nats_wire::Kind::Reply, config_.id, p.id, id}, *second));
}

void NatsCore::on_reply(Peer& p, const nats_wire::Frame& f, Clock::time_point now) {
  if (!p.initiation || p.initiation->id != f.header.link) return reject();
  // A forged reply spends this handshake (Noise failures are final); the next starts on the timer.
  if (!p.initiation->handshake.read_message(f.body)) {
    p.initiation.reset();
    return reject();
  }
  auto ciphers = p.initiation->handshake.split();
  const auto id = p.initiation->id;
  p.initiation.reset();
  if (!ciphers) return;
  link_up(p, Keys{id, std::move(ciphers->send), std::move(ciphers->receive), {}}, now);
}

void NatsCore::on_rekey(Peer& p, Clock::time_point now) {
  // Anyone can send a rekey; at most one handshake per quarter of handshake_timeout follows.
  if (p.initiation && now - p.initiation->started < options_.handshake_timeout) return;
  if (now - p.last_handshake < options_.handshake_timeout / 4) return;
  start_handshake(p, now);
}

void NatsCore::ask_for_link(Peer& p, Clock::time_point now) {
  if (initiator_for(p)) {
    if (!p.initiation && now - p.last_handshake >= options_.handshake_timeout / 4) start_handshake(p, now);
    return;
  }
  if (now - p.last_rekey_request < options_.handshake_timeout) return;
  p.last_rekey_request = now;
  publish(p, nats_wire::encode_header({nats_wire::Kind::Rekey, config_.id, p.id, {}}));
}

void NatsCore::link_up(Peer& p, Keys keys, Clock::time_point now) {
  if (p.link) p.previous = std::move(p.link);
  p.link = std::move(keys);
  p.candidates.clear();
  p.last_heard = now;
  p.ever_heard = true;
  // The first sealed frame confirms the keys to a responder; then everything unacknowledged
  // goes again (the peer drops what it already has).
  send_ack(p);
  for (auto& entry : p.outbox) transmit(p, entry, now);
}

bool NatsCore::link_live(const Peer& p, Clock::time_point now) const {
  return p.link.has_value() && p.ever_heard && now - p.last_heard < options_.silence_timeout;
}

// ---- frames in -----------------------------------------------------------------------------

void NatsCore::on_frame(ByteSpan data, bool burst_over) {
  if (stopped_.load()) return;
  auto f = nats_wire::decode_frame(data);
  if (!f || f->header.recipient != config_.id) return reject();
  std::lock_guard lock(mutex_);
  auto it = peers_.find(f->header.sender);
  if (it == peers_.end()) return reject();
  Peer& p = it->second;
  const auto now = Clock::now();
  switch (f->header.kind) {
    case nats_wire::Kind::Hello:
      if (initiator_for(p)) return reject();
      on_hello(p, *f);
      break;
    case nats_wire::Kind::Reply:
      if (!initiator_for(p)) return reject();
      on_reply(p, *f, now);
      break;
    case nats_wire::Kind::Rekey:
      if (!initiator_for(p)) return reject();
      on_rekey(p, now);
      break;
    case nats_wire::Kind::Sealed:
      on_sealed(p, *f, now);
      break;
  }
  if (!burst_over) return;
  for (auto& [id, peer] : peers_) {
    if (peer.ack_due && peer.link) send_ack(peer);
  }
}

void NatsCore::on_sealed(Peer& p, const nats_wire::Frame& f, Clock::time_point now) {
  Keys* keys = nullptr;
  std::size_t candidate = p.candidates.size();
  if (p.link && p.link->id == f.header.link) {
    keys = &*p.link;
  } else if (p.previous && p.previous->id == f.header.link) {
    keys = &*p.previous;
  } else {
    for (std::size_t i = 0; i < p.candidates.size(); ++i) {
      if (p.candidates[i].id == f.header.link) {
        keys = &p.candidates[i];
        candidate = i;
      }
    }
  }
  if (keys == nullptr) {
    // No such link here: this node restarted (then it has no live link and asks for one), or
    // the frame is stale or made up (a live link stays as it is).
    if (!link_live(p, now)) ask_for_link(p, now);
    return reject();
  }
  if (!keys->window.fresh(f.nonce)) return reject();
  auto plain = keys->receive.decrypt_with_nonce(f.nonce, f.clear_header, f.body);
  if (!plain) return reject();
  keys->window.accept(f.nonce);
  if (candidate < p.candidates.size()) {
    Keys confirmed = std::move(p.candidates[candidate]);
    link_up(p, std::move(confirmed), now);
  }
  p.last_heard = now;
  p.ever_heard = true;
  auto unit = nats_wire::decode_unit(*plain);
  if (!unit) {
    p.misbehaviour = "party " + std::to_string(p.id) + " sent " + unit.error().message;
    return;
  }
  on_unit(p, *unit);
}

void NatsCore::on_unit(Peer& p, const nats_wire::Unit& u) {
  if (u.yours == incarnation_) acknowledged(p, u.ack);
  if (u.mine != p.peer_incarnation) {
    // A peer seen for the first time, or restarted: its numbering starts where it says.
    p.peer_incarnation = u.mine;
    p.next_expected = u.first_unacked;
    p.partial.clear();
    p.partial_open = false;
  } else if (u.first_unacked > p.next_expected) {
    // It gave up on messages (expired): skip them; the engine's deadlines report any loss.
    p.next_expected = u.first_unacked;
    p.partial.clear();
    p.partial_open = false;
  }
  if (u.type != nats_wire::UnitType::Data) return;
  p.ack_due = true;
  if (u.seq < p.next_expected) {
    duplicates_.fetch_add(1);
    return;
  }
  // Ahead of the next expected one (the broker lost or reordered frames): dropped unacknowledged,
  // so its sender sends it again after the gap is filled.
  if (u.seq > p.next_expected) return;
  if (take_fragment(p, u)) ++p.next_expected;
}

bool NatsCore::take_fragment(Peer& p, const nats_wire::Unit& u) {
  const bool first = (u.flags & nats_wire::kFirstFragment) != 0;
  const bool last = (u.flags & nats_wire::kLastFragment) != 0;
  if (!first && !p.partial_open) return true;  // the rest of a message its sender gave up on
  const std::size_t before = first ? 0 : p.partial.size();
  if (before + u.bytes.size() > options_.max_message_size + 32) {
    p.misbehaviour = "party " + std::to_string(p.id) + " sent a message above the size limit";
    p.partial.clear();
    p.partial_open = false;
    return true;
  }
  if (!last) {
    if (first) p.partial.clear();
    append(p.partial, u.bytes);
    p.partial_open = true;
    return true;
  }
  Bytes message = first ? Bytes() : p.partial;
  append(message, u.bytes);
  if (message.size() <= 32) {
    p.misbehaviour = "party " + std::to_string(p.id) + " sent a message without session id and bytes";
  } else if (!sessions_.deliver(p.id, message)) {
    return false;  // its sender's budget is full: not acknowledged, offered again later
  }
  p.partial.clear();
  p.partial_open = false;
  return true;
}

// ---- frames out ----------------------------------------------------------------------------

void NatsCore::seal(Peer& p, const Bytes& unit) {
  Keys& k = *p.link;
  const std::uint64_t nonce = k.send.nonce();
  Bytes frame = nats_wire::encode_sealed_prefix({nats_wire::Kind::Sealed, config_.id, p.id, k.id}, nonce);
  auto sealed = k.send.encrypt(frame, unit);
  if (!sealed) {  // nonces exhausted: a new handshake
    p.link.reset();
    return;
  }
  append(frame, *sealed);
  p.last_sent = Clock::now();
  publish(p, std::move(frame));
}

std::uint64_t NatsCore::first_unacked(const Peer& p) const {
  return p.outbox.empty() ? p.next_seq : p.outbox.front().seq;
}

void NatsCore::transmit(Peer& p, Outgoing& entry, Clock::time_point now) {
  if (!p.link) return;
  nats_wire::Unit u;
  u.mine = incarnation_;
  u.yours = p.peer_incarnation;
  u.seq = entry.seq;
  u.ack = p.next_expected;
  u.first_unacked = first_unacked(p);
  u.flags = entry.flags;
  u.bytes = entry.bytes;
  seal(p, nats_wire::encode_data(u));
  entry.last_sent = now;
  p.ack_due = false;
}

void NatsCore::send_ack(Peer& p) {
  if (!p.link) return;
  nats_wire::Unit u;
  u.mine = incarnation_;
  u.yours = p.peer_incarnation;
  u.ack = p.next_expected;
  u.first_unacked = first_unacked(p);
  seal(p, nats_wire::encode_ack(u));
  p.ack_due = false;
}

void NatsCore::acknowledged(Peer& p, std::uint64_t ack) {
  while (!p.outbox.empty() && p.outbox.front().seq < ack) {
    p.outbox_bytes -= p.outbox.front().bytes.size();
    p.outbox.pop_front();
  }
}

void NatsCore::expire_outbox(Peer& p, Clock::time_point now) {
  while (!p.outbox.empty() && now - p.outbox.front().queued > options_.unacked_ttl) {
    p.outbox_bytes -= p.outbox.front().bytes.size();
    p.outbox.pop_front();
  }
}

Status NatsCore::queue_message(PartyId to, Bytes message) {
  if (stopped_.load()) return make_error(ErrorKind::Transport, "NATS node stopped");
  std::lock_guard lock(mutex_);
  Peer& p = peers_.at(to);
  const auto now = Clock::now();
  expire_outbox(p, now);
  if (p.outbox_bytes + message.size() > options_.max_queued_bytes) {
    p.misbehaviour = "too much unacknowledged data; messages dropped";
    return {};  // lost like a message in flight: the engine's deadlines report it
  }
  for (std::size_t offset = 0; offset < message.size();) {
    const std::size_t n = std::min(nats_wire::kMaxFragment, message.size() - offset);
    Outgoing entry;
    entry.seq = p.next_seq++;
    entry.flags = static_cast<std::uint8_t>((offset == 0 ? nats_wire::kFirstFragment : 0) |
                                            (offset + n == message.size() ? nats_wire::kLastFragment : 0));
    entry.bytes.assign(message.begin() + static_cast<std::ptrdiff_t>(offset),
                       message.begin() + static_cast<std::ptrdiff_t>(offset + n));
    entry.queued = now;
    p.outbox_bytes += n;
    p.outbox.push_back(std::move(entry));
    offset += n;
    if (link_live(p, now)) transmit(p, p.outbox.back(), now);
  }
  return {};
}

// ---- timers and the broker connection ------------------------------------------------------

void NatsCore::tick() {
  if (stopped_.load()) return;
  sessions_.expire_pending();
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  for (auto& [id, p] : peers_) {
    expire_outbox(p, now);
    const bool live = link_live(p, now);
    if (initiator_for(p)) {
      const bool stale = p.initiation && now - p.initiation->started >= options_.handshake_timeout;
      const bool idle = !p.initiation && now - p.last_handshake >= options_.handshake_timeout;
      if (!live && (stale || idle)) start_handshake(p, now);
    } else if (!live) {
      ask_for_link(p, now);
    }
    if (!p.link) continue;
    for (auto& entry : p.outbox) {
      if (!live) break;  // nothing to resend into a silent link: link_up sends it all
      if (now - entry.last_sent >= options_.resend_interval) transmit(p, entry, now);
    }
    if (p.ack_due || now - p.last_sent >= options_.keepalive_interval) send_ack(p);
  }
}

void NatsCore::on_broker_lost() {
  std::lock_guard lock(mutex_);
  broker_up_ = false;
}

void NatsCore::on_broker_back() {
  std::lock_guard lock(mutex_);
  broker_up_ = true;
  // The broker may have lost whatever it held: send everything unacknowledged again.
  const auto now = Clock::now();
  for (auto& [id, p] : peers_) {
    if (!p.link) continue;
    for (auto& entry : p.outbox) transmit(p, entry, now);
    send_ack(p);
  }
}

void NatsCore::stop() {
  if (stopped_.exchange(true)) return;
  sessions_.close_all();
  std::lock_guard lock(mutex_);
  publish_ = nullptr;
}

// ---- sessions and status -------------------------------------------------------------------

Result<std::shared_ptr<SessionInbox>> NatsCore::open_session(const SessionId& session) {
  if (stopped_.load()) return make_error(ErrorKind::Transport, "NATS node stopped");
  return sessions_.open(session);
}

bool NatsCore::connected(PartyId peer) const {
  std::lock_guard lock(mutex_);
  auto it = peers_.find(peer);
  return it != peers_.end() && broker_up_ && link_live(it->second, Clock::now());
}

std::string NatsCore::peer_note(PartyId peer) const {
  std::lock_guard lock(mutex_);
  auto it = peers_.find(peer);
  if (it == peers_.end()) return {};
  const Peer& p = it->second;
  const auto now = Clock::now();
  std::string text;
  if (!broker_up_) {
    text = "connection to the broker lost, reconnecting";
  } else if (link_live(p, now)) {
    text = "connected";
  } else if (!p.ever_heard) {
    text = "no answer to the handshake yet";
  } else {
    const auto silent = std::chrono::duration_cast<std::chrono::milliseconds>(now - p.last_heard).count();
    text = "nothing heard for " + std::to_string(silent);
    text += " ms, handshaking again";
  }
  if (!p.misbehaviour.empty()) {
    text += "; ";
    text += p.misbehaviour;
  }
  if (const auto n = rejected_.load(); n > 0) {
    text += "; ";
    text += std::to_string(n);
    text += " frames on this party's subject rejected (unauthenticated, sender unknown)";
  }
  return text;
}

bool NatsCore::peer_unreachable(PartyId peer) const {
  std::lock_guard lock(mutex_);
  auto it = peers_.find(peer);
  if (it == peers_.end() || !it->second.ever_heard) return false;
  return Clock::now() - it->second.last_heard > options_.unreachable_after;
}

std::vector<PartyId> NatsCore::owing_peers() {
  std::lock_guard lock(mutex_);
  std::vector<PartyId> owing;
  const auto now = Clock::now();
  for (auto& [id, p] : peers_) {
    expire_outbox(p, now);
    if (!p.outbox.empty()) owing.push_back(id);
  }
  return owing;
}

#ifdef TSIGN_TEST_HOOKS
void NatsCore::hold_outgoing(bool hold) {
  std::lock_guard lock(mutex_);
  holding_ = hold;
}

std::vector<std::pair<std::string, Bytes>> NatsCore::take_held() {
  std::lock_guard lock(mutex_);
  return std::exchange(held_, {});
}
#endif

}  // namespace tsign

#include "tsign/net/protocol_session.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "notices.hpp"
#include "router.hpp"

namespace tsign {

namespace {

std::string list_parties(const std::vector<PartyId>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) out += (i == 0 ? "" : ", ") + std::to_string(ids[i]);
  return out;
}

Status check_shape(const RoundProtocol& p) {
  const auto& parties = p.parties();
  auto bad = [](std::string what) { return make_error(ErrorKind::InvalidInput, "protocol setup: " + what); };
  if (p.name().empty() || p.name().size() > kMaxProtocolNameLength) return bad("name must have 1 to 64 characters");
  if (p.round_count() == 0) return bad("no rounds");
  if (p.round_count() > 0xffffffffu) return bad("too many rounds");
  if (parties.size() < 2) return bad("fewer than two parties");
  if (!std::is_sorted(parties.begin(), parties.end()) ||
      std::adjacent_find(parties.begin(), parties.end()) != parties.end()) {
    return bad("party ids not strictly ascending");
  }
  if (parties.front() == 0) return bad("party id 0");
  if (!std::binary_search(parties.begin(), parties.end(), p.self())) return bad("self is not a party");
  return {};
}

}  // namespace

ProtocolSession::ProtocolSession(RoundProtocol& protocol, const SessionId& session, std::size_t max_payload)
    : protocol_(protocol), session_(session), max_payload_(max_payload) {}

ProtocolSession::~ProtocolSession() = default;

Error ProtocolSession::fail(Error error) {
  failed_ = true;
  return error;
}

Bytes ProtocolSession::seal(std::uint32_t round, PartyId to, MessageKind kind, Bytes payload) const {
  Envelope e;
  e.session = session_;
  e.protocol = std::string(protocol_.name());
  e.round = round;
  e.sender = protocol_.self();
  e.recipient = to;
  e.kind = kind;
  e.payload = std::move(payload);
  return encode_envelope(e);
}

void ProtocolSession::count_sent(const std::vector<OutboundPacket>& packets) {
  stats_.messages_sent += packets.size();
  for (const auto& p : packets) stats_.bytes_sent += p.data.size();
}

Result<std::vector<OutboundPacket>> ProtocolSession::start() {
  if (started_) return make_error(ErrorKind::Internal, "ProtocolSession::start called twice");
  started_ = true;
  if (auto shape = check_shape(protocol_); !shape) return fail(shape.error());
  for (PartyId p : protocol_.parties()) {
    if (p != protocol_.self()) others_.push_back(p);
  }
  own_broadcast_.assign(protocol_.round_count(), std::nullopt);
  router_ = std::make_unique<Router>(protocol_, session_, max_payload_);

  auto first = protocol_.start();
  if (!first) return fail(first.error());
  auto out = emit(0, std::move(first).value());
  if (!out) return fail(out.error());
  auto more = progress();
  if (!more) return fail(more.error());
  auto packets = std::move(out).value();
  for (auto& p : more.value()) packets.push_back(std::move(p));
  return packets;
}

Result<std::vector<OutboundPacket>> ProtocolSession::emit(std::size_t round, std::vector<OutgoingMessage> messages) {
  const auto r = static_cast<std::uint32_t>(round);
  std::vector<OutboundPacket> packets;
  std::set<PartyId> direct_to;
  bool broadcast = false;
  for (auto& m : messages) {
    if (!m.to) {
      if (broadcast) return make_error(ErrorKind::Internal, "protocol emitted two broadcasts in round " + std::to_string(round));
      broadcast = true;
      own_broadcast_[round] = m.payload;
      Bytes sealed = seal(r, kBroadcastRecipient, MessageKind::Protocol, std::move(m.payload));
      for (PartyId p : others_) packets.push_back({p, sealed});
      continue;
    }
    PartyId to = *m.to;
    if (!std::binary_search(others_.begin(), others_.end(), to) || !direct_to.insert(to).second) {
      return make_error(ErrorKind::Internal, "protocol emitted a direct message to party " + std::to_string(to) +
                                                 " in round " + std::to_string(round) + " (not a peer, or twice)");
    }
    packets.push_back({to, seal(r, to, MessageKind::Protocol, std::move(m.payload))});
  }
  bool has_echo = broadcast;
  for (PartyId p : others_) has_echo = has_echo || protocol_.expects_from(round, p).broadcast;
  TSIGN_CHECK(router_->set_echo(r, has_echo));
  count_sent(packets);
  return packets;
}

EchoEntries ProtocolSession::held_digests(std::size_t round) const {
  const auto r = static_cast<std::uint32_t>(round);
  EchoEntries entries;
  if (own_broadcast_[round]) {
    entries[protocol_.self()] = broadcast_digest(session_, protocol_.name(), r, protocol_.self(), *own_broadcast_[round]);
  }
  for (PartyId p : others_) {
    if (const Bytes* b = router_->find({r, MessageKind::Protocol, p, true})) {
      entries[p] = broadcast_digest(session_, protocol_.name(), r, p, *b);
    }
  }
  return entries;
}

std::vector<OutboundPacket> ProtocolSession::echo_packets(std::size_t round) {
  const auto r = static_cast<std::uint32_t>(round);
  Bytes sealed = seal(r, kBroadcastRecipient, MessageKind::Echo, encode_echo(held_digests(round)));
  std::vector<OutboundPacket> packets;
  for (PartyId p : others_) packets.push_back({p, sealed});
  count_sent(packets);
  return packets;
}

namespace {

// Compares every echo with the digests this party holds and names who is to blame.
// - A peer that misreports this party's own broadcast is provably lying.
// - A broadcaster whose own echo contradicts what it sent here has provably equivocated.
// - Otherwise each disagreement pairs a broadcaster with an echoer holding a different copy, and
//   without signatures this party cannot prove which of the two is faulty. When two or more
//   echoers hold a different copy of one broadcast, the broadcaster is named alone (one
//   equivocator explains it; several parties lying alike would be a coalition); when a single
//   echoer disagrees, both are named.
Status judge_echoes(PartyId self, std::uint32_t round, const EchoEntries& mine,
                    const std::map<PartyId, EchoEntries>& echoes) {
  std::set<PartyId> proven;
  std::map<PartyId, std::vector<PartyId>> dissent;  // broadcaster -> echoers with another copy
  for (const auto& [sender, digest] : mine) {
    if (sender != self && echoes.at(sender).at(sender) != digest) {
      proven.insert(sender);
      continue;
    }
    for (const auto& [echoer, claims] : echoes) {
      if (claims.at(sender) == digest) continue;
      if (sender == self) {
        proven.insert(echoer);
      } else {
        dissent[sender].push_back(echoer);
      }
    }
  }
  std::set<PartyId> suspected;
  for (const auto& [sender, echoers] : dissent) {
    if (echoers.size() >= 2) {
      proven.insert(sender);
      continue;
    }
    if (proven.count(echoers[0])) continue;  // already known to lie
    suspected.insert(sender);
    suspected.insert(echoers[0]);
  }
  if (proven.empty() && suspected.empty()) return {};
  const std::string r = std::to_string(round);
  std::string message;
  std::vector<PartyId> culprits(proven.begin(), proven.end());
  if (!proven.empty()) {
    message = "round " + r + " broadcast equivocation: parties " + list_parties(culprits) +
              " showed different parties different broadcasts";
  }
  if (!suspected.empty()) {
    std::vector<PartyId> both(suspected.begin(), suspected.end());
    if (!message.empty()) message += "; ";
    message += "round " + r + " broadcast disputed between parties " + list_parties(both) +
               " (a broadcaster and one party reporting a different copy; one of them is faulty)";
    culprits.insert(culprits.end(), both.begin(), both.end());
  }
  std::sort(culprits.begin(), culprits.end());
  culprits.erase(std::unique(culprits.begin(), culprits.end()), culprits.end());
  return make_error(ErrorKind::ProtocolAborted, message, culprits);
}

}  // namespace

Result<std::vector<OutboundPacket>> ProtocolSession::progress() {
  std::vector<OutboundPacket> packets;
  while (!finished_) {
    const auto r = static_cast<std::uint32_t>(round_);
    if (!missing().empty()) return packets;
    if (phase_ == Phase::Collect && router_->has_echo(r)) {
      phase_ = Phase::Echo;
      ++step_;
      for (auto& p : echo_packets(round_)) packets.push_back(std::move(p));
      continue;
    }
    if (phase_ == Phase::Echo) {
      const EchoEntries mine = held_digests(round_);
      std::map<PartyId, EchoEntries> echoes;
      std::vector<PartyId> malformed;
      for (PartyId p : others_) {
        auto decoded = decode_echo(*router_->find({r, MessageKind::Echo, p, true}), protocol_.parties().size());
        bool same_senders = decoded && decoded->size() == mine.size() &&
                            std::equal(decoded->begin(), decoded->end(), mine.begin(),
                                       [](const auto& a, const auto& b) { return a.first == b.first; });
        if (!same_senders) {
          malformed.push_back(p);
        } else {
          echoes[p] = std::move(decoded).value();
        }
      }
      if (!malformed.empty()) {
        return make_error(ErrorKind::ProtocolAborted,
                          "round " + std::to_string(round_) + " echo malformed or listing the wrong broadcasters",
                          malformed);
      }
      TSIGN_CHECK(judge_echoes(protocol_.self(), r, mine, echoes));
    }

    RoundMessages in;
    for (PartyId p : others_) {
      if (const Bytes* b = router_->find({r, MessageKind::Protocol, p, true})) in.broadcast[p] = *b;
      if (const Bytes* b = router_->find({r, MessageKind::Protocol, p, false})) in.direct[p] = *b;
    }
    router_->erase_round(r);
    auto next = protocol_.advance(round_, in);
    if (!next) return next.error();
    ++step_;
    if (round_ + 1 == protocol_.round_count()) {
      if (!next->empty()) return make_error(ErrorKind::Internal, "protocol emitted messages after its last round");
      finished_ = true;
      break;
    }
    ++round_;
    phase_ = Phase::Collect;
    TSIGN_TRY(auto out, emit(round_, std::move(next).value()));
    for (auto& p : out) packets.push_back(std::move(p));
  }
  return packets;
}

Result<std::vector<OutboundPacket>> ProtocolSession::receive(PartyId from, ByteSpan data) {
  if (!started_ || finished_ || failed_) return std::vector<OutboundPacket>{};
  if (std::binary_search(flooders_.begin(), flooders_.end(), from)) {
    ++stats_.flood_dropped;  // not even decoded: a flooder costs a lookup per message
    return std::vector<OutboundPacket>{};
  }
  ++stats_.messages_received;
  stats_.bytes_received += data.size();
  auto admitted = router_->admit(from, data, round_);
  if (!admitted) return fail(admitted.error());
  switch (admitted.value()) {
    case Admission::Stored: {
      auto out = progress();
      if (!out) return fail(out.error());
      return out;
    }
    case Admission::Duplicate:
    case Admission::Stale: {
      ++(admitted.value() == Admission::Duplicate ? stats_.duplicates_ignored : stats_.stale_ignored);
      if (++repeats_[from] > kRepeatAllowance) flooders_.insert(std::upper_bound(flooders_.begin(), flooders_.end(), from), from);
      break;
    }
    case Admission::Unknown: ++stats_.unknown_ignored; break;
    case Admission::Aborted: {
      stopped_by_peer_ = true;
      const AbortNotice& notice = router_->abort_notice();
      std::string message = "party " + std::to_string(from) + " aborted the session: " + notice.reason;
      if (!notice.blamed.empty()) message += " (it blames parties " + list_parties(notice.blamed) + ")";
      return fail(make_error(ErrorKind::ProtocolAborted, message, {from}));
    }
  }
  return std::vector<OutboundPacket>{};
}

std::string ProtocolSession::step_name() const {
  return (phase_ == Phase::Echo ? "echo of round " : "round ") + std::to_string(round_);
}

std::vector<PartyId> ProtocolSession::missing() const {
  std::vector<PartyId> out;
  if (!started_ || finished_ || !router_) return out;
  const auto r = static_cast<std::uint32_t>(round_);
  for (PartyId p : others_) {
    bool lacking;
    if (phase_ == Phase::Echo) {
      lacking = router_->find({r, MessageKind::Echo, p, true}) == nullptr;
    } else {
      RoundSpec spec = protocol_.expects_from(round_, p);
      lacking = (spec.broadcast && !router_->find({r, MessageKind::Protocol, p, true})) ||
                (spec.direct && !router_->find({r, MessageKind::Protocol, p, false}));
    }
    if (lacking) out.push_back(p);
  }
  return out;
}

Error ProtocolSession::timeout_error(std::string_view detail) const {
  auto missing_now = missing();
  std::string message = std::string(protocol_.name()) + " " + step_name() + ": no message from parties " +
                        list_parties(missing_now) + " before the deadline";
  if (!detail.empty()) message += " (" + std::string(detail) + ")";
  std::vector<PartyId> culprits = missing_now;
  if (!flooders_.empty()) {
    message += "; parties " + list_parties(flooders_) + " repeated messages more than " +
               std::to_string(kRepeatAllowance) + " times (a flood)";
    for (PartyId p : flooders_) {
      if (!std::binary_search(missing_now.begin(), missing_now.end(), p)) culprits.push_back(p);
    }
    std::sort(culprits.begin(), culprits.end());
  }
  return make_error(ErrorKind::Timeout, message, culprits);
}

std::vector<OutboundPacket> ProtocolSession::abort_packets(const Error& reason) const {
  AbortNotice notice{std::string(to_string(reason.kind)) + ": " + reason.message, {}};
  // Before start() the other parties come straight from the protocol (a party that declines).
  std::vector<PartyId> others = others_;
  if (!started_) {
    for (PartyId p : protocol_.parties()) {
      if (p != protocol_.self()) others.push_back(p);
    }
  }
  for (PartyId p : reason.culprits) {
    if (std::binary_search(others.begin(), others.end(), p)) notice.blamed.push_back(p);
  }
  Bytes sealed = seal(static_cast<std::uint32_t>(round_), kBroadcastRecipient, MessageKind::Abort, encode_abort(notice));
  std::vector<OutboundPacket> packets;
  for (PartyId p : others) packets.push_back({p, sealed});
  return packets;
}

}  // namespace tsign

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

Status check_keys(const RoundProtocol& p, const BroadcastKeys& keys) {
  auto bad = [](std::string what) { return make_error(ErrorKind::InvalidInput, "broadcast keys: " + what); };
  if (!keys.own) return bad("no key of this party to sign with");
  auto own = keys.public_keys.find(p.self());
  if (own == keys.public_keys.end() || own->second != keys.own->public_key()) {
    return bad("this party's public key is not the one it signs with");
  }
  for (PartyId party : p.parties()) {
    if (!keys.public_keys.count(party)) return bad("no public key for party " + std::to_string(party));
  }
  return {};
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

ProtocolSession::ProtocolSession(RoundProtocol& protocol, const SessionId& session, std::size_t max_payload,
                                 const BroadcastKeys* keys)
    : protocol_(protocol), session_(session), max_payload_(max_payload), keys_(keys) {}

ProtocolSession::~ProtocolSession() = default;

Error ProtocolSession::fail(Error error) {
  failed_ = true;
  return error;
}

Bytes ProtocolSession::seal(std::uint32_t round, PartyId to, MessageKind kind, Bytes payload,
                            const BroadcastSignature& signature) const {
  Envelope e;
  e.session = session_;
  e.protocol = std::string(protocol_.name());
  e.round = round;
  e.sender = protocol_.self();
  e.recipient = to;
  e.kind = kind;
  e.payload = std::move(payload);
  e.signature = signature;
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
  if (keys_) {
    if (auto keys = check_keys(protocol_, *keys_); !keys) return fail(keys.error());
  }
  // Between two parties a broadcast has one recipient: there is nobody to show another copy to,
  // so neither the echo step nor signatures would check anything.
  if (protocol_.parties().size() == 2) keys_ = nullptr;
  for (PartyId p : protocol_.parties()) {
    if (p != protocol_.self()) others_.push_back(p);
  }
  own_broadcast_.assign(protocol_.round_count(), std::nullopt);
  own_signature_.assign(protocol_.round_count(), BroadcastSignature{});
  router_ = std::make_unique<Router>(protocol_, session_, max_payload_, keys_);

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
      // Signatures serve the echo step's disputes; a round without agreement has none.
      if (keys_ && protocol_.needs_agreement(round)) {
        const Digest32 hash = broadcast_payload_hash(m.payload);
        own_signature_[round] = keys_->own->sign(broadcast_statement(session_, protocol_.name(), r, protocol_.self(), hash));
      }
      own_broadcast_[round] = m.payload;
      Bytes sealed = seal(r, kBroadcastRecipient, MessageKind::Protocol, std::move(m.payload), own_signature_[round]);
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
  has_echo = has_echo && others_.size() >= 2 && protocol_.needs_agreement(round);  // see start()
  TSIGN_CHECK(router_->set_echo(r, has_echo));
  count_sent(packets);
  return packets;
}

EchoEntries ProtocolSession::held_broadcasts(std::size_t round) const {
  const auto r = static_cast<std::uint32_t>(round);
  EchoEntries entries;
  if (own_broadcast_[round]) {
    entries[protocol_.self()] = {broadcast_payload_hash(*own_broadcast_[round]), own_signature_[round]};
  }
  for (PartyId p : others_) {
    const SlotKey key{r, MessageKind::Protocol, p, true};
    if (const Bytes* b = router_->find(key)) entries[p] = {broadcast_payload_hash(*b), router_->signature(key)};
  }
  return entries;
}

std::vector<OutboundPacket> ProtocolSession::echo_packets(std::size_t round) {
  const auto r = static_cast<std::uint32_t>(round);
  Bytes sealed = seal(r, kBroadcastRecipient, MessageKind::Echo, encode_echo(held_broadcasts(round)));
  std::vector<OutboundPacket> packets;
  for (PartyId p : others_) packets.push_back({p, sealed});
  count_sent(packets);
  return packets;
}

bool ProtocolSession::signed_by(PartyId sender, std::uint32_t round, const EchoEntry& claim) const {
  return verify_identity_signature(keys_->public_keys.at(sender),
                                   broadcast_statement(session_, protocol_.name(), round, sender, claim.hash),
                                   claim.signature);
}

// Compares every echo with the broadcasts this party holds and names who is provably at fault:
// - an echoer that misreports this party's own broadcast;
// - signed: a broadcaster whose signature stands behind a copy other than the one held here (it
//   signed two payloads for one slot; the two statements are kept as a proof), or else the echoer
//   that reported a copy its sender never signed;
// - unsigned: a broadcaster whose own echo contradicts what it sent here. A third party's other
//   copy could be the broadcaster's lie or the echoer's, so it ends the session naming nobody.
Status ProtocolSession::judge_echoes(std::uint32_t round, const EchoEntries& mine,
                                     const std::map<PartyId, EchoEntries>& echoes) {
  const PartyId self = protocol_.self();
  std::set<PartyId> equivocators, liars, unattributed;
  for (const auto& [sender, held] : mine) {
    for (const auto& [echoer, claims] : echoes) {
      const EchoEntry& claim = claims.at(sender);
      if (claim.hash == held.hash) continue;
      if (sender == self) {
        liars.insert(echoer);
      } else if (keys_ && signed_by(sender, round, claim)) {
        if (equivocators.insert(sender).second) {
          proofs_.push_back({session_, std::string(protocol_.name()), round, sender, held.hash, held.signature,
                             claim.hash, claim.signature});
        }
      } else if (keys_ || echoer == sender) {
        (echoer == sender ? equivocators : liars).insert(echoer);
      } else {
        unattributed.insert(sender);
      }
    }
  }
  for (PartyId p : equivocators) unattributed.erase(p);  // already proven
  if (equivocators.empty() && liars.empty() && unattributed.empty()) return {};
  const std::string r = std::to_string(round);
  std::vector<std::string> findings;
  if (!equivocators.empty()) {
    findings.push_back("round " + r + " broadcast equivocation: parties " +
                       list_parties({equivocators.begin(), equivocators.end()}) +
                       (keys_ ? " signed different broadcasts for different parties (proof kept)"
                              : " showed different parties different broadcasts"));
  }
  if (!liars.empty()) {
    findings.push_back("round " + r + " echo: parties " + list_parties({liars.begin(), liars.end()}) +
                       " reported broadcasts their senders never sent");
  }
  if (!unattributed.empty()) {
    findings.push_back("round " + r + " broadcasts of parties " + list_parties({unattributed.begin(), unattributed.end()}) +
                       " reached parties differently; unsigned broadcasts cannot tell the broadcaster's fault from"
                       " an echoer's, so nobody is named (set broadcast keys)");
  }
  std::string message;
  for (const auto& f : findings) message += (message.empty() ? "" : "; ") + f;
  std::set<PartyId> culprits = equivocators;
  culprits.insert(liars.begin(), liars.end());
  return make_error(ErrorKind::ProtocolAborted, message, {culprits.begin(), culprits.end()});
}

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
      const EchoEntries mine = held_broadcasts(round_);
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
      TSIGN_CHECK(judge_echoes(r, mine, echoes));
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
  if (stopping_) {
    // Past this party's deadline: only the others' timed-out notices still count.
    const bool timed_out_notice = admitted.value() == Admission::Aborted && router_->abort_notice().timed_out;
    if (timed_out_notice) stalled_[from] = router_->abort_notice().blamed;
    return std::vector<OutboundPacket>{};
  }
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
      const AbortNotice& notice = router_->abort_notice();
      if (notice.timed_out) {
        // It stopped waiting for others: keep waiting here, and do not blame it for its silence.
        stalled_[from] = notice.blamed;
        break;
      }
      // A party that stopped on its own account (it declined, or failed locally) says so of
      // itself, and is named. A fault it claims of others this party cannot check: naming the
      // sender would frame an honest party that found a fault, and naming whom it blames would let
      // any party frame another. The parties that saw the fault name the culprit themselves.
      stopped_by_peer_ = true;
      std::string message = "party " + std::to_string(from) + " aborted the session: " + notice.reason;
      if (notice.own_account) return fail(make_error(ErrorKind::ProtocolAborted, message, {from}));
      if (!notice.blamed.empty()) message += " (it blames parties " + list_parties(notice.blamed) + ")";
      message += "; a claim this party cannot check, so it names nobody";
      return fail(make_error(ErrorKind::ProtocolAborted, message));
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

std::vector<PartyId> ProtocolSession::unexplained_missing() const {
  std::vector<PartyId> out;
  for (PartyId p : missing()) {
    if (!stalled_.count(p)) out.push_back(p);
  }
  return out;
}

Error ProtocolSession::timeout_error(std::string_view detail) const {
  auto missing_now = missing();
  std::string message = std::string(protocol_.name()) + " " + step_name() + ": no message from parties " +
                        list_parties(missing_now) + " before the deadline";
  if (!detail.empty()) message += " (" + std::string(detail) + ")";
  // A party that timed out itself is not named for the silence that followed: it told us whom it
  // was waiting for (and those it names are named by the parties that lacked their messages).
  std::vector<PartyId> culprits = unexplained_missing();
  for (const auto& [party, blamed] : stalled_) {
    if (std::binary_search(missing_now.begin(), missing_now.end(), party)) {
      message += "; party " + std::to_string(party) + " stopped waiting itself" +
                 (blamed.empty() ? std::string() : " (it had no message from parties " + list_parties(blamed) + ")");
    }
  }
  if (!flooders_.empty()) {
    message += "; parties " + list_parties(flooders_) + " repeated messages more than " +
               std::to_string(kRepeatAllowance) + " times (a flood)";
    culprits.insert(culprits.end(), flooders_.begin(), flooders_.end());
    std::sort(culprits.begin(), culprits.end());
    culprits.erase(std::unique(culprits.begin(), culprits.end()), culprits.end());
  }
  return make_error(ErrorKind::Timeout, message, culprits);
}

std::vector<OutboundPacket> ProtocolSession::abort_packets(const Error& reason, bool own_account) const {
  const bool timed_out = reason.kind == ErrorKind::Timeout;
  AbortNotice notice{std::string(to_string(reason.kind)) + ": " + reason.message, {}, timed_out,
                     !timed_out && (own_account || reason.kind != ErrorKind::ProtocolAborted)};
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

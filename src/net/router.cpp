#include "router.hpp"

#include <algorithm>
#include <string>

namespace tsign {

namespace {
Error fault(PartyId from, std::string what) {
  return make_error(ErrorKind::ProtocolAborted, "party " + std::to_string(from) + " " + what, {from});
}
}  // namespace

Router::Router(const RoundProtocol& protocol, const SessionId& session, std::size_t max_payload,
               const BroadcastKeys* keys)
    : protocol_(protocol), session_(session), max_payload_(max_payload), has_echo_(protocol.round_count()), keys_(keys) {}

Status Router::check_signature(PartyId from, const Envelope& e) const {
  if (!keys_ || !protocol_.needs_agreement(e.round)) {
    if (e.signature == BroadcastSignature{}) return {};
    return fault(from, "sent a signed broadcast in round " + std::to_string(e.round) +
                           (keys_ ? ", whose broadcasts are not signed" : " of a session without broadcast keys"));
  }
  const Bytes statement = broadcast_statement(session_, e.protocol, e.round, from, broadcast_payload_hash(e.payload));
  if (verify_identity_signature(keys_->public_keys.at(from), statement, e.signature)) return {};
  return fault(from, "sent a round " + std::to_string(e.round) + " broadcast whose signature does not verify under its key");
}

Status Router::check(PartyId from, const Envelope& e) const {
  if (e.session != session_) return fault(from, "sent a message of another session (replayed or misrouted)");
  if (e.protocol != protocol_.name()) return fault(from, "sent a message of protocol '" + e.protocol + "'");
  if (e.sender != from) {
    return fault(from, "sent a message claiming to come from party " + std::to_string(e.sender));
  }
  if (e.recipient != kBroadcastRecipient && e.recipient != protocol_.self()) {
    return fault(from, "sent a message addressed to party " + std::to_string(e.recipient));
  }
  if (e.kind == MessageKind::Abort) return {};
  if (e.round >= protocol_.round_count()) {
    return fault(from, "sent a " + std::string(to_string(e.kind)) + " for round " + std::to_string(e.round) +
                           " of a " + std::to_string(protocol_.round_count()) + "-round protocol");
  }
  const std::string where = " in round " + std::to_string(e.round);
  if (e.kind == MessageKind::Echo) {
    if (!e.is_broadcast()) return fault(from, "sent an echo to one party only" + where);
    if (has_echo_[e.round].has_value() && !*has_echo_[e.round]) {
      return fault(from, "sent an echo" + where + ", which carries no broadcast");
    }
    return {};
  }
  if (e.payload.size() > protocol_.max_message_size()) {
    std::string what = "sent a ";
    what += std::to_string(e.payload.size());
    what += "-byte message";
    what += where;
    what += "; ";
    what += protocol_.name();
    what += " sends at most ";
    what += std::to_string(protocol_.max_message_size());
    what += " bytes";
    return fault(from, std::move(what));
  }
  RoundSpec spec = protocol_.expects_from(e.round, from);
  if (e.is_broadcast() && !spec.broadcast) {
    return fault(from, std::string("sent a broadcast") + where + (spec.direct ? ", where a direct message is due" : ", where it sends nothing"));
  }
  if (!e.is_broadcast() && !spec.direct) {
    return fault(from, std::string("sent a direct message") + where + (spec.broadcast ? ", where a broadcast is due" : ", where it sends nothing"));
  }
  return {};
}

Result<Admission> Router::admit(PartyId from, ByteSpan data, std::size_t current_round) {
  const auto& parties = protocol_.parties();
  if (from == protocol_.self() || !std::binary_search(parties.begin(), parties.end(), from)) {
    return Admission::Unknown;
  }
  auto decoded = decode_envelope(data, max_payload_);
  if (!decoded) return fault(from, "sent an undecodable message: " + decoded.error().message);
  Envelope e = std::move(decoded).value();
  TSIGN_CHECK(check(from, e));

  if (e.kind == MessageKind::Abort) {
    auto notice = decode_abort(e.payload, parties.size());
    if (!notice) return fault(from, "sent an undecodable abort notice: " + notice.error().message);
    abort_notice_ = std::move(notice).value();
    return Admission::Aborted;
  }
  if (e.round < current_round) return Admission::Stale;

  SlotKey key{e.round, e.kind, from, e.is_broadcast()};
  if (auto held = slots_.find(key); held != slots_.end()) {
    if (held->second.payload == e.payload && held->second.signature == e.signature) return Admission::Duplicate;
  } else {
    // Checked once per slot: repeated copies cost a comparison, not a verification.
    if (e.is_signed_kind()) TSIGN_CHECK(check_signature(from, e));
    slots_.emplace(key, Slot{std::move(e.payload), e.signature});
    return Admission::Stored;
  }
  return fault(from, "sent two different " + std::string(to_string(key.kind)) + "s for round " +
                         std::to_string(key.round) + (key.broadcast ? " (broadcast)" : " (direct)"));
}

Status Router::set_echo(std::uint32_t round, bool has_echo) {
  has_echo_.at(round) = has_echo;
  if (has_echo) return {};
  std::vector<PartyId> culprits;
  for (auto it = slots_.begin(); it != slots_.end();) {
    if (it->first.round == round && it->first.kind == MessageKind::Echo) {
      culprits.push_back(it->first.sender);
      it = slots_.erase(it);
    } else {
      ++it;
    }
  }
  if (culprits.empty()) return {};
  return make_error(ErrorKind::ProtocolAborted,
                    "echo received for round " + std::to_string(round) + ", which carries no broadcast", culprits);
}

const Bytes* Router::find(const SlotKey& key) const {
  auto it = slots_.find(key);
  return it == slots_.end() ? nullptr : &it->second.payload;
}

void Router::erase_round(std::uint32_t round) {
  for (auto it = slots_.begin(); it != slots_.end();) {
    it = it->first.round == round ? slots_.erase(it) : std::next(it);
  }
}

}  // namespace tsign

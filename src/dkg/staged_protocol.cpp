#include "tsign/dkg/staged_protocol.hpp"

#include <algorithm>
#include <string>

namespace tsign {

namespace {

std::string list(const std::vector<PartyId>& ids) {
  std::string out;
  for (PartyId p : ids) out += (out.empty() ? "" : ", ") + std::to_string(p);
  return out;
}

}  // namespace

Result<std::vector<OutgoingMessage>> StagedProtocol::start() {
  if (started_ || failed_) return make_error(ErrorKind::InvalidInput, name_ + ": start() called twice or after a failure");
  started_ = true;
  return settle(on_start(), round_count() == 0);
}

Result<std::vector<OutgoingMessage>> StagedProtocol::advance(std::size_t round, const RoundMessages& in) {
  if (!started_ || failed_ || finished_ || round != next_round_) {
    return make_error(ErrorKind::InvalidInput, name_ + ": advance(" + std::to_string(round) + ") called out of order");
  }
  if (auto senders = check_senders(round, in); !senders.ok()) return settle(senders.error(), false);
  ++next_round_;
  return settle(on_round(round, in), next_round_ == round_count());
}

Result<std::vector<OutgoingMessage>> StagedProtocol::settle(Result<std::vector<OutgoingMessage>> step, bool last) {
  if (!step.ok()) {
    failed_ = true;
    wipe();
    return step;
  }
  if (last) finished_ = true;
  return step;
}

Status StagedProtocol::check_senders(std::size_t round, const RoundMessages& in) const {
  std::vector<PartyId> missing, unexpected;
  for (PartyId p : parties_) {
    if (p == self_) continue;
    const RoundSpec spec = expects_from(round, p);
    const bool has_broadcast = in.broadcast.count(p) != 0;
    const bool has_direct = in.direct.count(p) != 0;
    if ((spec.broadcast && !has_broadcast) || (spec.direct && !has_direct)) missing.push_back(p);
    if ((!spec.broadcast && has_broadcast) || (!spec.direct && has_direct)) unexpected.push_back(p);
  }
  auto outsider = [&](PartyId p) {
    return p == self_ || !std::binary_search(parties_.begin(), parties_.end(), p);
  };
  for (const auto* box : {&in.broadcast, &in.direct}) {
    for (const auto& entry : *box) {
      if (outsider(entry.first)) unexpected.push_back(entry.first);
    }
  }
  if (missing.empty() && unexpected.empty()) return {};
  std::vector<PartyId> culprits = missing;
  culprits.insert(culprits.end(), unexpected.begin(), unexpected.end());
  std::sort(culprits.begin(), culprits.end());
  culprits.erase(std::unique(culprits.begin(), culprits.end()), culprits.end());
  std::string message = name_ + " round " + std::to_string(round) + ":";
  if (!missing.empty()) message += " no message from " + list(missing) + ";";
  if (!unexpected.empty()) message += " unexpected message from " + list(unexpected) + ";";
  message.pop_back();
  return make_error(ErrorKind::ProtocolAborted, message, culprits);
}

}  // namespace tsign

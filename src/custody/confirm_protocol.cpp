#include "tsign/custody/confirm_protocol.hpp"

namespace tsign {

Result<std::vector<OutgoingMessage>> ConfirmProtocol::start() {
  return std::vector<OutgoingMessage>{{std::nullopt, Bytes(value_.begin(), value_.end())}};
}

Result<std::vector<OutgoingMessage>> ConfirmProtocol::advance(std::size_t round, const RoundMessages& in) {
  if (round != 0) return make_error(ErrorKind::Internal, "confirmation has one round");
  std::vector<PartyId> differ;
  for (PartyId p : parties_) {
    if (p == self_) continue;
    auto it = in.broadcast.find(p);
    if (it == in.broadcast.end() || !ct_equal(it->second, value_)) differ.push_back(p);
  }
  if (!differ.empty()) {
    return make_error(ErrorKind::ProtocolAborted, "parties staged a different new epoch", std::move(differ));
  }
  return std::vector<OutgoingMessage>{};
}

}  // namespace tsign

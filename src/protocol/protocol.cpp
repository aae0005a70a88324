#include "tsign/protocol/protocol.hpp"

#include <algorithm>
#include <string>

namespace tsign::protocol_detail {

namespace {

std::string list(const std::vector<PartyId>& ids) {
  std::string out;
  for (PartyId p : ids) out += (out.empty() ? "" : ", ") + std::to_string(p);
  return out;
}

}  // namespace

Status check_senders(std::string_view name, std::size_t round, PartyId self, const std::vector<PartyId>& parties,
                     const RoundShape& shape, const RoundMessages& in) {
  std::vector<PartyId> missing, unexpected;
  for (PartyId p : parties) {
    if (p == self) continue;
    const RoundSpec spec = shape.expects_from(round, p);
    const bool has_broadcast = in.broadcast.count(p) != 0;
    const bool has_direct = in.direct.count(p) != 0;
    if ((spec.broadcast && !has_broadcast) || (spec.direct && !has_direct)) missing.push_back(p);
    if ((!spec.broadcast && has_broadcast) || (!spec.direct && has_direct)) unexpected.push_back(p);
  }
  auto outsider = [&](PartyId p) { return p == self || !std::binary_search(parties.begin(), parties.end(), p); };
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
  std::string message = std::string(name) + " round " + std::to_string(round) + ":";
  if (!missing.empty()) message += " no message from " + list(missing) + ";";
  if (!unexpected.empty()) message += " unexpected message from " + list(unexpected) + ";";
  message.pop_back();
  return make_error(ErrorKind::ProtocolAborted, message, culprits);
}

Error call_out_of_order(std::string_view name, std::string_view call) {
  return make_error(ErrorKind::InvalidInput,
                    std::string(name) + ": " + std::string(call) + " called out of order or after a failure");
}

Error no_output(std::string_view name, bool failed, bool finished) {
  const char* why = failed ? "it failed" : finished ? "it was already taken" : "it has not finished";
  return make_error(ErrorKind::InvalidInput, std::string(name) + " has no output to hand out: " + why);
}

}  // namespace tsign::protocol_detail

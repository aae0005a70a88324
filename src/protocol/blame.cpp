#include "protocol/blame.hpp"

#include <algorithm>

namespace tsign {

void Blame::add(const Error& error) {
  if (error.culprits.empty()) {
    general_.push_back(error.message);
    return;
  }
  for (PartyId p : error.culprits) add(p, error.message);
}

Status Blame::status(std::string_view step) const {
  if (empty()) return {};
  constexpr std::size_t kMaxReasons = 8;  // keeps the message readable for large committees
  std::string message(step);
  message += ": ";
  std::size_t shown = 0;
  for (const auto& why : general_) {
    if (shown++ < kMaxReasons) message += why + "; ";
  }
  for (const auto& [party, why] : entries_) {
    if (shown++ < kMaxReasons) message += "party " + std::to_string(party) + ": " + why + "; ";
  }
  if (shown > kMaxReasons) message += "and " + std::to_string(shown - kMaxReasons) + " more; ";
  message.resize(message.size() - 2);
  std::vector<PartyId> culprits;
  for (const auto& entry : entries_) culprits.push_back(entry.first);
  std::sort(culprits.begin(), culprits.end());
  culprits.erase(std::unique(culprits.begin(), culprits.end()), culprits.end());
  return make_error(ErrorKind::ProtocolAborted, message, culprits);
}

Error merge_errors(std::optional<Error> a, std::optional<Error> b) {
  if (!a) return *b;
  if (!b) return *a;
  Error out = *a;
  out.message += "; " + b->message;
  out.culprits.insert(out.culprits.end(), b->culprits.begin(), b->culprits.end());
  std::sort(out.culprits.begin(), out.culprits.end());
  out.culprits.erase(std::unique(out.culprits.begin(), out.culprits.end()), out.culprits.end());
  if (a->kind != b->kind) out.kind = ErrorKind::ProtocolAborted;
  return out;
}

}  // namespace tsign

#pragma once
// Blame: every party that failed a check in one step, with the reason for each. A step collects
// all of them before it aborts, so one run names every culprit it can prove, not the first.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tsign/core/result.hpp"

namespace tsign {

class Blame {
 public:
  void add(PartyId party, std::string why) { entries_.emplace_back(party, std::move(why)); }
  // Takes over the culprits of an error (an error without culprits is kept as a general one).
  void add(const Error& error);
  bool empty() const { return entries_.empty() && general_.empty(); }
  // ProtocolAborted naming every culprit (ascending) with its reasons, or success when empty.
  Status status(std::string_view step) const;

 private:
  std::vector<std::pair<PartyId, std::string>> entries_;
  std::vector<std::string> general_;
};

// One error naming the culprits of both (either may be absent, not both).
Error merge_errors(std::optional<Error> a, std::optional<Error> b);

}  // namespace tsign

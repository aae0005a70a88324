#pragma once
// Checks a protocol's declared message bound against what a run actually sent.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "tsign/testing/simulation.hpp"

namespace tsign::test {

// Every message of the run fits every party's declared bound (a party that holds no share yet
// may bound the key's data by the largest committee; the others know theirs), and the tightest
// bound is within a small factor of the largest message, so it still bounds something.
template <class P>
void check_message_bounds(const std::vector<P>& parties, const testing::SimulationResult& result, const char* what) {
  REQUIRE(result.all_finished());
  std::size_t largest = 0;
  for (const auto& m : result.transcript) largest = std::max(largest, m.payload.size());
  std::size_t tightest = kUnboundedMessageSize;
  for (const auto& p : parties) tightest = std::min(tightest, p.max_message_size());
  INFO(what << ": largest message " << largest << " bytes, tightest declared bound " << tightest);
  CHECK(largest <= tightest);
  CHECK(tightest <= 2 * largest + 1024);
}

}  // namespace tsign::test

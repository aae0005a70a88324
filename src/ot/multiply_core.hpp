#pragma once
// Test builds only (never installed): the sender's computation with deviations, so adversarial
// tests can play a cheating sender that is internally consistent everywhere except where the
// test says.
#include <cstddef>
#include <vector>

#include "ot/multiply.hpp"

namespace tsign::ot::detail {

struct SenderDeviation {
  // Use a_1 + 1 instead of a_1 in the ã of these OTs (a wrong correlation).
  std::vector<std::size_t> shifted_rows;
  // Compute η and μ with a θ that is not the hash of ã.
  bool wrong_theta = false;
};

#ifdef TSIGN_TEST_HOOKS
Result<MulSenderResult> mul_sender_respond_deviating(OtSenderSetup& setup, const PairSession& session,
                                                     std::span<const Secp256k1Scalar> inputs,
                                                     const MulRequest& request, const SenderDeviation& deviation);
#endif

}  // namespace tsign::ot::detail

#pragma once
// Deviations for the adversarial tests: a signer that is internally consistent but dishonest,
// to reach the checks that tampering with messages in flight cannot reach (a wrong sk_j used
// consistently in the multiplications and in pk_j passes the Γ checks and is caught only by the
// sum of the pk_j).
#include <optional>

#include "tsign/ecdsa/sign.hpp"

namespace tsign::ecdsa_internal {

struct PresignDeviation {
  std::optional<Secp256k1Scalar> secret_share_offset;  // added to sk_i after it is computed
};

struct DeviationAccess {
  // Before the protocol starts.
  static void set(EcdsaPresignProtocol& party, const PresignDeviation& deviation);
  static void set(EcdsaSignProtocol& party, const PresignDeviation& deviation);
};

}  // namespace tsign::ecdsa_internal

#pragma once
// The context of a DKG run: everything its parties must agree on, hashed. Every proof,
// commitment and echo digest of the run is bound to it.
#include <string_view>

#include "tsign/core/hash.hpp"
#include "tsign/dkg/dkg.hpp"

namespace tsign::dkg_internal {

Digest32 dkg_context(std::string_view ciphersuite, const DkgConfig& config);

}  // namespace tsign::dkg_internal

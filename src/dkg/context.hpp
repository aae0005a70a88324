#pragma once
// The context of a run of each protocol of this layer: everything its parties must agree on,
// hashed. Every proof, commitment and echo digest of the run is bound to it.
#include <cstdint>
#include <string_view>

#include "tsign/core/hash.hpp"
#include "tsign/dkg/dkg.hpp"
#include "tsign/dkg/repair.hpp"
#include "tsign/keys/key_id.hpp"

namespace tsign::dkg_internal {

Digest32 dkg_context(std::string_view ciphersuite, const DkgConfig& config);
// `group`: the group's name; `old_digest`: the digest of the key's current public data.
Digest32 refresh_context(std::string_view group, const SessionId& session, const Digest32& old_digest);
Digest32 repair_context(std::string_view group, const RepairConfig& config, const KeyId& key_id, std::uint64_t epoch);

}  // namespace tsign::dkg_internal

#pragma once
// The vault operation an admitted request asks for, run by one party of it.
#include "tsign/custody/vault.hpp"
#include "tsign/service/request.hpp"

namespace tsign::service_internal {

// The label every party derives alike from a request (and an attempt), for Vault sessions.
std::string session_label(const ServiceRequest& request, std::uint32_t attempt = 0);

// Fills `result` (status, key, signature, culprits, ...). `max_attempts` bounds robust signing.
void run_operation(Vault& vault, PeerLink& peers, const ServiceRequest& request, std::size_t max_attempts,
                   ServiceResult& result);

}  // namespace tsign::service_internal

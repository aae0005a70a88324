#pragma once
// Hygiene for a process that holds key material: every tsign program calls harden_process() before
// it reads a secret, and takes passphrases and PINs from the environment only through
// take_secret_from_environment().
#include <optional>

#include "tsign/core/result.hpp"
#include "tsign/core/secret.hpp"

namespace tsign {

// No core dump and no ptrace attach by another process of the same user: PR_SET_DUMPABLE 0 and a
// core size limit of 0 (soft and hard, so a later setrlimit cannot raise it).
Status harden_process();

// The variable's value, after overwriting it in place (so /proc/<pid>/environ no longer shows it)
// and removing it from the environment (so no child process inherits it); nullopt if unset.
std::optional<SecretBytes> take_secret_from_environment(const char* name);

}  // namespace tsign

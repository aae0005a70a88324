#pragma once
// Hygiene for a process that holds key material: every tsign program calls harden_process() before
// it reads a secret, and takes passphrases and PINs from the environment only through
// take_secret_from_environment() or read_secret_file().
#include <filesystem>
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

// A passphrase or PIN file: a regular file readable by its owner only, at most `max_size` bytes
// after one trailing line break ("\n" or "\r\n", as echo or an editor leave) is dropped. The
// bytes read are wiped.
Result<SecretBytes> read_secret_file(const std::filesystem::path& file, std::size_t max_size);

}  // namespace tsign

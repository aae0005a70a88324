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

// A signing process allocates and frees buffers of tens of kilobytes for every message; glibc hands
// the top of its heap back to the kernel whenever more than 128 KiB of it is free, so each protocol
// run pays for fresh page faults (a quarter of an ECDSA signature's time on a virtual machine).
// This keeps up to 64 MiB of freed heap for reuse (glibc's M_TRIM_THRESHOLD and M_TOP_PAD; no
// effect with another C library). Nothing secret stays behind: secrets live in locked memory, or in
// heap scratch that is wiped before it is freed. tsign's programs and benchmarks call it at start.
void keep_freed_heap_for_reuse();

// A passphrase or PIN file: a regular file readable by its owner only, at most `max_size` bytes
// after one trailing line break ("\n" or "\r\n", as echo or an editor leave) is dropped. The
// bytes read are wiped.
Result<SecretBytes> read_secret_file(const std::filesystem::path& file, std::size_t max_size);

}  // namespace tsign

#pragma once
namespace tsign {
// Initializes libsodium once (thread-safe); every entry point that uses libsodium calls it.
void ensure_sodium();
}  // namespace tsign

#pragma once
// Initializes libsodium once (thread-safe); every entry point that uses libsodium calls it.
namespace tsign {
void ensure_sodium();
}  // namespace tsign

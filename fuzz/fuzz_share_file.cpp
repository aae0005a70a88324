// Share files and backups: hostile bytes never crash, and a file that parses re-encodes to the same
// header bytes. Unsealing runs with the cheapest Argon2id cost so the fuzzer stays fast.
#include <cstdlib>

#include "tsign/store/backup.hpp"
#include "tsign/store/passphrase_protector.hpp"
#include "tsign/store/sealed_share.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tsign::ByteSpan bytes(data, size);
  if (auto parsed = tsign::parse_sealed_share(bytes); parsed.ok()) {
    if (tsign::encode(parsed->header) != parsed->header_bytes) std::abort();
    tsign::PassphraseProtector protector(tsign::SecretBytes::copy_of(tsign::as_bytes("fuzz")),
                                         tsign::Argon2Params::minimal(), tsign::Argon2Params::minimal());
    (void)tsign::unseal_share(bytes, protector);
  }
  (void)tsign::inspect_backup(bytes);
  return 0;
}

#pragma once
// Data keys derived from a passphrase with Argon2id (libsodium crypto_pwhash).
#include <optional>

#include "tsign/core/secret.hpp"
#include "tsign/store/sealed_share.hpp"

namespace tsign {

class PassphraseProtector final : public KeyProtector {
 public:
  // `params` applies to new files; existing files are opened with the parameters in their header,
  // as long as neither exceeds `ceiling` (a modified header must not buy an attacker gigabytes),
  // by default Argon2Params::ceiling_for(params). Both are checked before Argon2 runs.
  explicit PassphraseProtector(SecretBytes passphrase, Argon2Params params = Argon2Params::moderate(),
                               std::optional<Argon2Params> ceiling = std::nullopt);

  Result<FileKey> new_file_key() override;
  Result<Bytes> wrap_file_key(const KeyProtection& protection, ByteSpan header_bytes,
                              const SecretBytes& data_key) override;
  Result<SecretBytes> file_key(const KeyProtection& protection, ByteSpan header_bytes, ByteSpan key_slot) override;

 private:
  SecretBytes passphrase_;
  Argon2Params params_;
  Argon2Params ceiling_;
};

// Argon2id with a 16-byte salt into a 32-byte key.
Result<SecretBytes> derive_passphrase_key(const SecretBytes& passphrase, const PassphraseKdf& kdf);

}  // namespace tsign

#include "tsign/store/passphrase_protector.hpp"

#include <sodium.h>

#include "tsign/core/random.hpp"
#include "core/sodium_init.hpp"

namespace tsign {

static_assert(crypto_pwhash_argon2id_SALTBYTES == 16);

Result<SecretBytes> derive_passphrase_key(const SecretBytes& passphrase, const PassphraseKdf& kdf) {
  ensure_sodium();
  TSIGN_CHECK(kdf.params.validate());
  if (passphrase.empty()) return make_error(ErrorKind::InvalidInput, "empty passphrase");
  SecretBytes key(32);
  const auto pass = passphrase.expose();
  if (crypto_pwhash(key.expose_mut().data(), key.size(), reinterpret_cast<const char*>(pass.data()), pass.size(),
                    kdf.salt.data(), kdf.params.opslimit, static_cast<std::size_t>(kdf.params.memlimit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return make_error(ErrorKind::Storage, "Argon2id failed: not enough memory for memlimit " +
                                              std::to_string(kdf.params.memlimit));
  }
  return key;
}

PassphraseProtector::PassphraseProtector(SecretBytes passphrase, Argon2Params params,
                                         std::optional<Argon2Params> ceiling)
    : passphrase_(std::move(passphrase)), params_(params), ceiling_(ceiling.value_or(Argon2Params::ceiling_for(params))) {}

Result<KeyProtector::FileKey> PassphraseProtector::new_file_key() {
  TSIGN_CHECK(params_.within(ceiling_));
  PassphraseKdf kdf{params_, random_array<16>()};
  TSIGN_TRY(SecretBytes key, derive_passphrase_key(passphrase_, kdf));
  return FileKey{kdf, std::move(key)};
}

Result<Bytes> PassphraseProtector::wrap_file_key(const KeyProtection&, ByteSpan, const SecretBytes&) {
  return Bytes{};  // the key is derived again from the passphrase and the header's salt
}

Result<SecretBytes> PassphraseProtector::file_key(const KeyProtection& protection, ByteSpan, ByteSpan) {
  const auto* kdf = std::get_if<PassphraseKdf>(&protection);
  if (kdf == nullptr) {
    return make_error(ErrorKind::InvalidInput, "the file's key is held by an HSM, not derived from a passphrase");
  }
  TSIGN_CHECK(kdf->params.validate());
  TSIGN_CHECK(kdf->params.within(ceiling_));
  return derive_passphrase_key(passphrase_, *kdf);
}

}  // namespace tsign

#include "tsign/store/hsm_protector.hpp"

#include "tsign/core/random.hpp"

namespace tsign {

HsmProtector::HsmProtector(std::shared_ptr<Pkcs11Token> token, std::string key_label)
    : token_(std::move(token)), key_label_(std::move(key_label)) {}

Result<HsmProtector> HsmProtector::open(std::shared_ptr<Pkcs11Token> token, std::string key_label, KeySource source) {
  if (!token) return make_error(ErrorKind::InvalidInput, "HSM protector needs an open token");
  if (source == KeySource::GenerateIfMissing) {
    TSIGN_CHECK(token->find_or_generate_key(key_label));
  } else {
    TSIGN_CHECK(token->find_key(key_label));
  }
  return HsmProtector(std::move(token), std::move(key_label));
}

Result<KeyProtector::FileKey> HsmProtector::new_file_key() {
  SecretBytes data_key(32);
  random_fill(data_key.expose_mut());
  return FileKey{HsmWrap{token_->label(), key_label_, random_array<12>()}, std::move(data_key)};
}

Result<Bytes> HsmProtector::wrap_file_key(const KeyProtection& protection, ByteSpan header_bytes,
                                          const SecretBytes& data_key) {
  const auto* wrap = std::get_if<HsmWrap>(&protection);
  if (wrap == nullptr) return make_error(ErrorKind::Internal, "HSM protector asked to wrap a passphrase-derived key");
  TSIGN_TRY(Pkcs11Token::KeyHandle key, token_->find_key(wrap->key_label));
  return token_->encrypt(key, wrap->iv, header_bytes, data_key.expose());
}

Result<SecretBytes> HsmProtector::file_key(const KeyProtection& protection, ByteSpan header_bytes, ByteSpan key_slot) {
  const auto* wrap = std::get_if<HsmWrap>(&protection);
  if (wrap == nullptr) {
    return make_error(ErrorKind::InvalidInput, "the file's key is derived from a passphrase, not held by an HSM");
  }
  if (wrap->token_label != token_->label()) {
    return make_error(ErrorKind::InvalidInput, "the file's key is on token \"" + wrap->token_label +
                                                   "\", not on token \"" + token_->label() + "\"");
  }
  TSIGN_TRY(Pkcs11Token::KeyHandle key, token_->find_key(wrap->key_label));
  TSIGN_TRY(SecretBytes data_key, token_->decrypt(key, wrap->iv, header_bytes, key_slot));
  // Implied today (tools/mutation/equivalents.txt): the parser fixes the key slot at 32 + 16 bytes
  // and decrypt() returns exactly the ciphertext less its tag. Kept against a change to either.
  if (data_key.size() != 32) return make_error(ErrorKind::Storage, "unwrapped data key has the wrong size");
  return data_key;
}

}  // namespace tsign

#pragma once
// Share files whose data key is random and wrapped by a non-extractable AES-256 key in a PKCS#11
// token (C_Encrypt/C_Decrypt with CKM_AES_GCM, the file header as AAD). The share can then only be
// opened on a host that can log in to that token.
#include <memory>
#include <string>

#include "tsign/store/pkcs11_token.hpp"
#include "tsign/store/sealed_share.hpp"

namespace tsign {

class HsmProtector final : public KeyProtector {
 public:
  enum class KeySource { FindExisting, GenerateIfMissing };

  // New files are wrapped by the key labelled key_label (1..64 printable ASCII bytes); existing
  // files name their own key label in their header.
  static Result<HsmProtector> open(std::shared_ptr<Pkcs11Token> token, std::string key_label,
                                   KeySource source = KeySource::FindExisting);

  Result<FileKey> new_file_key() override;
  Result<Bytes> wrap_file_key(const KeyProtection& protection, ByteSpan header_bytes,
                              const SecretBytes& data_key) override;
  Result<SecretBytes> file_key(const KeyProtection& protection, ByteSpan header_bytes, ByteSpan key_slot) override;

 private:
  HsmProtector(std::shared_ptr<Pkcs11Token> token, std::string key_label);
  std::shared_ptr<Pkcs11Token> token_;
  std::string key_label_;
};

}  // namespace tsign

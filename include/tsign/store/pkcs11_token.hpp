#pragma once
// A logged-in session on one token of a PKCS#11 module (any vendor's module path; SoftHSM2 by
// default), used to keep a non-extractable AES-256 key that wraps share files' data keys.
#include <memory>
#include <string>
#include <string_view>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"
#include "tsign/core/secret.hpp"

namespace tsign {

struct Pkcs11Config {
  std::string module_path = "/usr/lib/softhsm/libsofthsm2.so";
  std::string token_label;  // CK_TOKEN_INFO.label without its trailing spaces
  SecretBytes pin;          // user PIN; wiped once the login is done
  // A wrapping key must have been generated on the token and never been extractable. A key
  // imported on purpose (say, the same key on several tokens) passes only with this set; it must
  // still be private, sensitive and not extractable.
  bool accept_imported_key = false;
};

// Thread-safe: calls are serialized on one session. Several tokens may be open at once, on the same
// module or on different ones; the module stays loaded for the life of the process (unloading
// modules that link a crypto library is a known source of crashes at exit).
class Pkcs11Token {
 public:
  // Loads and initializes the module, finds the token by label, opens a read-write session and
  // logs in as the user. Storage error naming the module, the token or the PKCS#11 return code.
  // If this process is already logged in to the token (another open Pkcs11Token), the token does
  // not check the PIN again: the login is per application. The PIN is kept in locked memory: a
  // session the token ends, or a logout, is met with a new session and login and one retry.
  static Result<std::shared_ptr<Pkcs11Token>> open(Pkcs11Config config);
  ~Pkcs11Token();
  Pkcs11Token(const Pkcs11Token&) = delete;
  Pkcs11Token& operator=(const Pkcs11Token&) = delete;

  // An AES-256 key object on this token (meaningless on any other).
  struct KeyHandle {
    unsigned long object = 0;
    std::string label;  // to find the key again in a new session (handles may not survive one)
  };
  // The one AES key with this label; refused unless it is 32 bytes, a private token object,
  // sensitive, not extractable, and (unless accept_imported_key) generated on the token and never
  // extractable.
  Result<KeyHandle> find_key(std::string_view label);
  // As find_key, but generates the key inside the token when no key has this label.
  Result<KeyHandle> find_or_generate_key(std::string_view label);

  // CKM_AES_GCM with a 12-byte IV, the given AAD and a 128-bit tag appended to the ciphertext.
  Result<Bytes> encrypt(KeyHandle key, const ByteArray<12>& iv, ByteSpan aad, ByteSpan plaintext);
  // Storage error when the token refuses (wrong key, modified ciphertext or AAD).
  Result<SecretBytes> decrypt(KeyHandle key, const ByteArray<12>& iv, ByteSpan aad, ByteSpan ciphertext);

  const std::string& label() const;
  const std::string& module_path() const;

  struct Impl;

 private:
  explicit Pkcs11Token(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tsign

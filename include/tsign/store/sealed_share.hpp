#pragma once
// Sealed share files (format version 1, docs/share-file-format.md):
//
//   header  (clear; magic, version, ShareHeader, how the data key is protected, nonce, body length)
//   key slot (HSM files only: the data key wrapped by the token, header as associated data)
//   body    (the share, XChaCha20-Poly1305 under the data key, header as associated data)
//
// Every header byte is authenticated, so a file cannot be moved to another party, key or epoch,
// nor its KDF parameters weakened, without the unsealing failing.
#include <cstdint>
#include <string>
#include <variant>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"
#include "tsign/core/secret.hpp"
#include "tsign/store/share_header.hpp"

namespace tsign {

inline constexpr std::uint16_t kShareFileVersion = 1;
// Largest share accepted (ECDSA shares carry pairwise OT state, which grows with n).
inline constexpr std::size_t kMaxSharePayload = 64u << 20;

// Argon2id cost. Defaults follow libsodium's MODERATE preset; tests use minimal() to stay fast.
struct Argon2Params {
  std::uint64_t opslimit = 3;
  std::uint64_t memlimit = 256u << 20;  // bytes

  static Argon2Params moderate() { return {}; }
  static Argon2Params minimal() { return {1, 8192}; }  // libsodium's lower bounds: tests only
  // libsodium's SENSITIVE preset (opslimit 4, 1 GiB): the most any file may ask for.
  static Argon2Params sensitive() { return {4, std::uint64_t{1} << 30}; }
  // What a file sealed by a party created with `created` may ask for when it is opened: twice
  // that cost, never above sensitive(). Checked before Argon2 runs, so an edited header costs
  // an attacker's victim no more than that.
  static Argon2Params ceiling_for(const Argon2Params& created);
  // opslimit 1..4, memlimit 8 KiB..1 GiB in whole KiB (at most sensitive()).
  Status validate() const;
  // Neither component above the ceiling's (InvalidInput naming both).
  Status within(const Argon2Params& ceiling) const;
  bool operator==(const Argon2Params&) const = default;
};

// The data key is Argon2id(passphrase, salt) with the parameters stored in the header.
struct PassphraseKdf {
  Argon2Params params;
  ByteArray<16> salt{};
  bool operator==(const PassphraseKdf&) const = default;
};

// The data key is random and stored in the key slot, AES-256-GCM encrypted by a non-extractable
// key on a PKCS#11 token (labels are printable ASCII; the token label at most 32 bytes).
struct HsmWrap {
  std::string token_label;
  std::string key_label;
  ByteArray<12> iv{};
  bool operator==(const HsmWrap&) const = default;
};
inline constexpr std::size_t kHsmKeySlotSize = 32 + 16;  // wrapped data key and GCM tag

using KeyProtection = std::variant<PassphraseKdf, HsmWrap>;

struct SealedShareHeader {
  std::uint16_t version = kShareFileVersion;
  ShareHeader share;
  KeyProtection protection;
  ByteArray<24> nonce{};       // XChaCha20-Poly1305 nonce of the body
  std::uint32_t body_size = 0;  // ciphertext bytes including the 16-byte tag
};

Bytes encode(const SealedShareHeader& header);

// A share file split into its parts; nothing decrypted yet.
struct SealedShareFile {
  SealedShareHeader header;
  Bytes header_bytes;  // the exact bytes authenticated as associated data
  Bytes key_slot;
  Bytes body;
};
// Strict: magic, version, every field and the exact total size (no truncation, no trailing data).
Result<SealedShareFile> parse_sealed_share(ByteSpan file);

// Obtains a file's data-encryption key: from a passphrase, an HSM, or whatever a user plugs in.
class KeyProtector {
 public:
  virtual ~KeyProtector() = default;

  struct FileKey {
    KeyProtection protection;
    SecretBytes data_key;  // 32 bytes
  };
  // Fresh protection parameters (salt, IV) and the data key for a new file.
  virtual Result<FileKey> new_file_key() = 0;
  // The key slot to store after the header; empty when the key is derived rather than stored.
  virtual Result<Bytes> wrap_file_key(const KeyProtection& protection, ByteSpan header_bytes,
                                      const SecretBytes& data_key) = 0;
  // The data key of an existing file. Storage error when it cannot be recovered.
  virtual Result<SecretBytes> file_key(const KeyProtection& protection, ByteSpan header_bytes,
                                       ByteSpan key_slot) = 0;
};

// The share and its header, as recovered from a file or backup.
struct UnsealedShare {
  ShareHeader header;
  SecretBytes share;
};

// Seals share bytes under a header. The result is the whole file.
Result<Bytes> seal_share(const ShareHeader& header, ByteSpan share, KeyProtector& protector);

// Checks the expectation on the clear header first (a file of another party, key or epoch is
// refused before any key derivation), then decrypts. A wrong passphrase and a modified byte are
// both a Storage error: authentication cannot tell them apart.
Result<UnsealedShare> unseal_share(ByteSpan file, KeyProtector& protector, const ShareExpectation& expect = {});

}  // namespace tsign

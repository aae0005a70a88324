#pragma once
// Noise_KK_25519_ChaChaPoly_SHA256 (Noise revision 34) on libsodium: the handshake the TCP
// transport runs on every connection. KK because both sides know each other's static key in
// advance (pinned in the configuration): two messages give mutual authentication and forward
// secrecy, and a party holding the wrong key fails the first message.
//
//   -> s          (pre-message: the initiator's static key, known to the responder)
//   <- s          (pre-message: the responder's static key, known to the initiator)
//   -> e, es, ss
//   <- e, ee, se
#include <cstdint>
#include <memory>
#include <optional>

#include "tsign/core/bytes.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/result.hpp"
#include "tsign/core/secret.hpp"
#include "tsign/net/x25519.hpp"

namespace tsign {

// A Noise CipherState with ChaChaPoly: the nonce is 4 zero bytes and the 64-bit little-endian
// counter, which is libsodium's crypto_aead_chacha20poly1305_ietf.
class NoiseCipher {
 public:
  static constexpr std::size_t kTagSize = 16;
  NoiseCipher() = default;  // no key: encryption passes plaintext through, as Noise specifies
  explicit NoiseCipher(ByteSpan key);

  bool has_key() const { return key_.has_value(); }
  std::uint64_t nonce() const { return nonce_; }
  Result<Bytes> encrypt(ByteSpan ad, ByteSpan plaintext);
  // Fails on a wrong tag; the nonce only moves on success.
  Result<Bytes> decrypt(ByteSpan ad, ByteSpan ciphertext);
  // For transports that lose or reorder messages (Noise §11.4): decrypts with the nonce the
  // message names and leaves this cipher's own counter alone. The caller rejects replays (a
  // window of nonces already accepted).
  Result<Bytes> decrypt_with_nonce(std::uint64_t nonce, ByteSpan ad, ByteSpan ciphertext) const;

#ifdef TSIGN_TEST_HOOKS
  // Test builds only: jump to a nonce 2^64 messages away, to reach the exhaustion check.
  void set_nonce_for_testing(std::uint64_t nonce) { nonce_ = nonce; }
#endif

 private:
  std::optional<Secret<ByteArray<32>>> key_;
  std::uint64_t nonce_ = 0;
};

struct NoiseTransportCiphers {
  NoiseCipher send;
  NoiseCipher receive;
  Digest32 handshake_hash{};
};

class NoiseHandshakeKK {
 public:
  enum class Role { Initiator, Responder };
  static constexpr std::size_t kMaxMessage = 65535;

  NoiseHandshakeKK(Role role, const X25519KeyPair& local_static, const X25519PublicKey& remote_static, ByteSpan prologue);
  ~NoiseHandshakeKK();
  NoiseHandshakeKK(NoiseHandshakeKK&&) noexcept;
  NoiseHandshakeKK& operator=(NoiseHandshakeKK&&) noexcept;

#ifdef TSIGN_TEST_HOOKS
  // Test builds only (never installed), for the known-answer tests: use this ephemeral key
  // instead of a fresh one.
  void set_ephemeral_for_testing(X25519KeyPair ephemeral);
#endif

  bool my_turn() const;
  bool finished() const { return message_index_ == 2; }
  // The next handshake message carrying `payload`.
  Result<Bytes> write_message(ByteSpan payload);
  // Reads the peer's next handshake message and returns its payload. Any failure (wrong key,
  // wrong prologue, tampering, a low-order point) is final for this handshake.
  Result<Bytes> read_message(ByteSpan message);
  // After both messages: the two transport ciphers (this side's sending and receiving).
  Result<NoiseTransportCiphers> split();

 private:
  struct State;
  Role role_;
  std::size_t message_index_ = 0;
  bool failed_ = false;
  std::unique_ptr<State> state_;
};

}  // namespace tsign

#include "net/noise.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>

#include "tsign/core/random.hpp"
#include "core/sodium_init.hpp"

namespace tsign {

namespace {

constexpr std::string_view kProtocolName = "Noise_KK_25519_ChaChaPoly_SHA256";
static_assert(kProtocolName.size() == 32, "the name is exactly HASHLEN, so h starts as the name itself");

Error handshake_error(std::string what) { return make_error(ErrorKind::Transport, "noise handshake: " + what); }

// Wipes a stack buffer on scope exit.
template <std::size_t N>
struct Scratch {
  ByteArray<N> bytes{};
  ~Scratch() { sodium_memzero(bytes.data(), N); }
};

}  // namespace


// ---- cipher --------------------------------------------------------------------------------

NoiseCipher::NoiseCipher(ByteSpan key) {
  ensure_sodium();
  key_.emplace();
  std::copy(key.begin(), key.begin() + 32, key_->expose_mut().begin());
}

namespace {
ByteArray<crypto_aead_chacha20poly1305_IETF_NPUBBYTES> noise_nonce(std::uint64_t n) {
  ByteArray<crypto_aead_chacha20poly1305_IETF_NPUBBYTES> out{};
  for (int i = 0; i < 8; ++i) out[4 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(n >> (8 * i));
  return out;
}
constexpr std::uint64_t kNonceLimit = ~std::uint64_t{0};  // reserved by Noise
}  // namespace

Result<Bytes> NoiseCipher::encrypt(ByteSpan ad, ByteSpan plaintext) {
  if (!key_) return Bytes(plaintext.begin(), plaintext.end());
  if (nonce_ == kNonceLimit) return make_error(ErrorKind::Transport, "noise: nonce exhausted");
  Bytes out(plaintext.size() + kTagSize);
  unsigned long long out_len = 0;
  auto n = noise_nonce(nonce_);
  crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &out_len, plaintext.data(), plaintext.size(), ad.data(),
                                            ad.size(), nullptr, n.data(), key_->expose().data());
  ++nonce_;
  return out;
}

Result<Bytes> NoiseCipher::decrypt(ByteSpan ad, ByteSpan ciphertext) {
  if (!key_) return Bytes(ciphertext.begin(), ciphertext.end());
  TSIGN_TRY(Bytes out, decrypt_with_nonce(nonce_, ad, ciphertext));
  ++nonce_;
  return out;
}

Result<Bytes> NoiseCipher::decrypt_with_nonce(std::uint64_t nonce, ByteSpan ad, ByteSpan ciphertext) const {
  if (!key_) return Bytes(ciphertext.begin(), ciphertext.end());
  if (nonce == kNonceLimit) return make_error(ErrorKind::Transport, "noise: nonce exhausted");
  if (ciphertext.size() < kTagSize) return make_error(ErrorKind::Transport, "noise: ciphertext shorter than its tag");
  Bytes out(ciphertext.size() - kTagSize);
  unsigned long long out_len = 0;
  auto n = noise_nonce(nonce);
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data(), &out_len, nullptr, ciphertext.data(), ciphertext.size(),
                                                ad.data(), ad.size(), n.data(), key_->expose().data()) != 0) {
    return make_error(ErrorKind::Transport, "noise: message failed authentication");
  }
  return out;
}

// ---- handshake -----------------------------------------------------------------------------

struct NoiseHandshakeKK::State {
  ByteArray<32> ck{};
  Digest32 h{};
  NoiseCipher cipher;
  std::optional<X25519KeyPair> s;
  std::optional<X25519KeyPair> e;
  X25519PublicKey rs{};
  X25519PublicKey re{};

  ~State() { sodium_memzero(ck.data(), ck.size()); }

  void mix_hash(ByteSpan data) { h = sha256({h, data}); }

  // Noise HKDF with two outputs, on HMAC-SHA-256.
  void mix_key(ByteSpan ikm) {
    Scratch<32> temp, out1, out2;
    temp.bytes = hmac_sha256(ck, {ikm});
    const std::uint8_t one = 1, two = 2;
    out1.bytes = hmac_sha256(temp.bytes, {ByteSpan(&one, 1)});
    out2.bytes = hmac_sha256(temp.bytes, {out1.bytes, ByteSpan(&two, 1)});
    ck = out1.bytes;
    cipher = NoiseCipher(out2.bytes);
  }

  Result<Bytes> encrypt_and_hash(ByteSpan plaintext) {
    TSIGN_TRY(Bytes c, cipher.encrypt(h, plaintext));
    mix_hash(c);
    return c;
  }

  Result<Bytes> decrypt_and_hash(ByteSpan ciphertext) {
    TSIGN_TRY(Bytes p, cipher.decrypt(h, ciphertext));
    mix_hash(ciphertext);
    return p;
  }

  Status mix_dh(const X25519KeyPair& local, const X25519PublicKey& remote) {
    Scratch<32> shared;
    if (crypto_scalarmult(shared.bytes.data(), local.private_key().data(), remote.data()) != 0) {
      return handshake_error("peer key is a low-order point");
    }
    mix_key(shared.bytes);
    return {};
  }
};

NoiseHandshakeKK::NoiseHandshakeKK(Role role, const X25519KeyPair& local_static, const X25519PublicKey& remote_static,
                                   ByteSpan prologue)
    : role_(role), state_(std::make_unique<State>()) {
  ensure_sodium();
  State& st = *state_;
  std::copy(kProtocolName.begin(), kProtocolName.end(), st.h.begin());
  st.ck = st.h;
  st.mix_hash(prologue);
  st.s = local_static.clone();
  st.rs = remote_static;
  const X25519PublicKey& initiator = role == Role::Initiator ? local_static.public_key() : remote_static;
  const X25519PublicKey& responder = role == Role::Initiator ? remote_static : local_static.public_key();
  st.mix_hash(initiator);
  st.mix_hash(responder);
}

NoiseHandshakeKK::~NoiseHandshakeKK() = default;
NoiseHandshakeKK::NoiseHandshakeKK(NoiseHandshakeKK&&) noexcept = default;
NoiseHandshakeKK& NoiseHandshakeKK::operator=(NoiseHandshakeKK&&) noexcept = default;

#ifdef TSIGN_TEST_HOOKS
void NoiseHandshakeKK::set_ephemeral_for_testing(X25519KeyPair ephemeral) { state_->e = std::move(ephemeral); }
#endif

bool NoiseHandshakeKK::my_turn() const {
  if (failed_ || finished()) return false;
  return (message_index_ == 0) == (role_ == Role::Initiator);
}

Result<Bytes> NoiseHandshakeKK::write_message(ByteSpan payload) {
  if (!my_turn()) return handshake_error("not this side's turn to write");
  State& st = *state_;
  failed_ = true;  // cleared on success
  if (!st.e) st.e = X25519KeyPair::generate();
  Bytes out(st.e->public_key().begin(), st.e->public_key().end());
  st.mix_hash(st.e->public_key());
  if (message_index_ == 0) {
    TSIGN_CHECK(st.mix_dh(*st.e, st.rs));  // es
    TSIGN_CHECK(st.mix_dh(*st.s, st.rs));  // ss
  } else {
    TSIGN_CHECK(st.mix_dh(*st.e, st.re));  // ee
    TSIGN_CHECK(st.mix_dh(*st.e, st.rs));  // se (responder side: e with the initiator's s)
  }
  TSIGN_TRY(Bytes c, st.encrypt_and_hash(payload));
  append(out, c);
  if (out.size() > kMaxMessage) return handshake_error("message exceeds 65535 bytes");
  failed_ = false;
  ++message_index_;
  return out;
}

Result<Bytes> NoiseHandshakeKK::read_message(ByteSpan message) {
  if (failed_ || finished() || my_turn()) return handshake_error("not this side's turn to read");
  State& st = *state_;
  failed_ = true;  // any failure is final
  if (message.size() < 32 + NoiseCipher::kTagSize || message.size() > kMaxMessage) {
    return handshake_error("message of " + std::to_string(message.size()) + " bytes");
  }
  std::copy(message.begin(), message.begin() + 32, st.re.begin());
  st.mix_hash(st.re);
  if (message_index_ == 0) {
    TSIGN_CHECK(st.mix_dh(*st.s, st.re));  // es (responder side)
    TSIGN_CHECK(st.mix_dh(*st.s, st.rs));  // ss
  } else {
    TSIGN_CHECK(st.mix_dh(*st.e, st.re));  // ee
    TSIGN_CHECK(st.mix_dh(*st.s, st.re));  // se (initiator side: s with the responder's e)
  }
  auto payload = st.decrypt_and_hash(message.subspan(32));
  if (!payload) return handshake_error("authentication failed (keys or prologue differ)");
  failed_ = false;
  ++message_index_;
  return payload;
}

Result<NoiseTransportCiphers> NoiseHandshakeKK::split() {
  if (!finished() || failed_) return handshake_error("split before the handshake finished");
  State& st = *state_;
  Scratch<32> temp, k1, k2;
  temp.bytes = hmac_sha256(st.ck, {});
  const std::uint8_t one = 1, two = 2;
  k1.bytes = hmac_sha256(temp.bytes, {ByteSpan(&one, 1)});
  k2.bytes = hmac_sha256(temp.bytes, {k1.bytes, ByteSpan(&two, 1)});
  NoiseTransportCiphers out;
  out.send = NoiseCipher(role_ == Role::Initiator ? ByteSpan(k1.bytes) : ByteSpan(k2.bytes));
  out.receive = NoiseCipher(role_ == Role::Initiator ? ByteSpan(k2.bytes) : ByteSpan(k1.bytes));
  out.handshake_hash = st.h;
  state_.reset();
  failed_ = true;  // the handshake object is spent
  return out;
}

}  // namespace tsign

#include "identity_file.hpp"

#include <sodium.h>

#include "tsign/core/codec.hpp"
#include "tsign/core/random.hpp"
#include "tsign/store/passphrase_protector.hpp"

namespace tsign::cli {

namespace {

constexpr std::string_view kMagic = "TSID";
constexpr std::uint16_t kVersion = 1;
constexpr std::size_t kSecretSize = 64;
constexpr std::size_t kHeaderSize = kIdentityFileSize - kSecretSize - crypto_aead_xchacha20poly1305_ietf_ABYTES;

struct ParsedIdentity {
  IdentityHeader header;
  ByteArray<16> salt{};
  ByteArray<24> nonce{};
  ByteSpan header_bytes;
  ByteSpan ciphertext;
};

Result<ParsedIdentity> parse(ByteSpan file) {
  if (file.size() != kIdentityFileSize) {
    return make_error(ErrorKind::Storage, "identity file has " + std::to_string(file.size()) + " bytes, expected " +
                                              std::to_string(kIdentityFileSize) + " (truncated or not an identity file)");
  }
  Reader r(file, "identity file");
  ParsedIdentity out;
  TSIGN_TRY(ByteSpan magic, r.raw(4));
  if (!ct_equal(magic, as_bytes(kMagic))) return make_error(ErrorKind::Storage, "not a tsign identity file");
  TSIGN_TRY(std::uint16_t version, r.u16());
  if (version != kVersion) {
    return make_error(ErrorKind::Storage, "identity file version " + std::to_string(version) + " is not supported");
  }
  TSIGN_TRY(out.header.id, r.u32());
  if (out.header.id == 0) return make_error(ErrorKind::Storage, "identity file names party 0");
  TSIGN_TRY(out.header.kdf.opslimit, r.u64());
  TSIGN_TRY(out.header.kdf.memlimit, r.u64());
  if (auto valid = out.header.kdf.validate(); !valid) {
    return make_error(ErrorKind::Storage, "identity file: " + valid.error().message);
  }
  TSIGN_TRY(out.salt, r.array<16>());
  TSIGN_TRY(out.nonce, r.array<24>());
  out.header_bytes = file.first(kHeaderSize);
  TSIGN_TRY(out.ciphertext, r.raw(r.remaining()));
  return out;
}

}  // namespace

Result<Bytes> seal_identity(const PartyIdentity& identity, const SecretBytes& passphrase) {
  TSIGN_CHECK(identity.kdf.validate());
  PassphraseKdf kdf{identity.kdf, random_array<16>()};
  TSIGN_TRY(SecretBytes key, derive_passphrase_key(passphrase, kdf));
  const auto nonce = random_array<24>();
  Writer w;
  w.raw(as_bytes(kMagic)).u16(kVersion).u32(identity.id).u64(kdf.params.opslimit).u64(kdf.params.memlimit);
  w.raw(kdf.salt).raw(nonce);
  Bytes file = std::move(w).take();
  const std::size_t header_size = file.size();

  SecretBytes plain(kSecretSize);
  const ByteSpan transport = identity.transport.private_key();
  const SecretBytes seed = identity.audit.seed();
  std::copy(transport.begin(), transport.end(), plain.expose_mut().begin());
  std::copy(seed.expose().begin(), seed.expose().end(), plain.expose_mut().begin() + 32);

  file.resize(header_size + kSecretSize + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(file.data() + header_size, &written, plain.expose().data(), plain.size(),
                                             file.data(), header_size, nullptr, nonce.data(), key.expose().data());
  return file;
}

Result<IdentityHeader> read_identity_header(ByteSpan file) {
  TSIGN_TRY(ParsedIdentity parsed, parse(file));
  return parsed.header;
}

Result<PartyIdentity> unseal_identity(ByteSpan file, const SecretBytes& passphrase) {
  TSIGN_TRY(ParsedIdentity parsed, parse(file));
  TSIGN_TRY(SecretBytes key, derive_passphrase_key(passphrase, {parsed.header.kdf, parsed.salt}));
  SecretBytes plain(kSecretSize);
  unsigned long long opened = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.expose_mut().data(), &opened, nullptr, parsed.ciphertext.data(),
                                                 parsed.ciphertext.size(), parsed.header_bytes.data(),
                                                 parsed.header_bytes.size(), parsed.nonce.data(),
                                                 key.expose().data()) != 0) {
    return make_error(ErrorKind::Storage, "cannot open the identity file: wrong passphrase or modified file");
  }
  TSIGN_TRY(X25519KeyPair transport, X25519KeyPair::from_private(plain.expose().first(32)));
  TSIGN_TRY(IdentityKey audit, IdentityKey::from_seed(plain.expose().subspan(32, 32)));
  return PartyIdentity{parsed.header.id, parsed.header.kdf, std::move(transport), std::move(audit)};
}

}  // namespace tsign::cli

#include "tsign/custody/identity_file.hpp"

#include <sodium.h>

#include <algorithm>

#include "tsign/core/codec.hpp"
#include "tsign/core/text_fields.hpp"
#include "tsign/core/random.hpp"
#include "tsign/store/passphrase_protector.hpp"

namespace tsign {

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

std::string format_public_identity(const PublicIdentity& identity) {
  return "# tsign party identity (public keys)\nid = " + std::to_string(identity.id) +
         "\ntransport_key = " + to_hex(identity.transport_key) + "\naudit_key = " + to_hex(identity.audit_key) + "\n";
}

Result<PublicIdentity> parse_public_identity(std::string_view text) {
  PublicIdentity out;
  bool id = false, transport = false, audit = false;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = trim_blanks(text.substr(start, end - start));
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return make_error(ErrorKind::InvalidInput, "identity.pub: expected 'key = value'");
    const std::string_view key = trim_blanks(line.substr(0, eq));
    const std::string_view value = trim_blanks(line.substr(eq + 1));
    if (key == "id" && !id) {
      TSIGN_TRY(out.id, parse_party_id(value, "identity.pub id"));
      id = true;
    } else if (key == "transport_key" && !transport) {
      TSIGN_TRY(out.transport_key, parse_hex_array<32>(value, "identity.pub transport_key"));
      transport = true;
    } else if (key == "audit_key" && !audit) {
      TSIGN_TRY(out.audit_key, parse_hex_array<32>(value, "identity.pub audit_key"));
      audit = true;
    } else {
      return make_error(ErrorKind::InvalidInput, "identity.pub: unexpected or repeated '" + std::string(key) + "'");
    }
  }
  if (!id || !transport || !audit) return make_error(ErrorKind::InvalidInput, "identity.pub: incomplete");
  return out;
}

}  // namespace tsign

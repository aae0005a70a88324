#include "tsign/store/sealed_share.hpp"

#include <algorithm>

#include <sodium.h>

#include <string>

#include "tsign/core/codec.hpp"
#include "tsign/core/random.hpp"
#include "core/sodium_init.hpp"

namespace tsign {

namespace {

constexpr std::string_view kMagic = "TSIGNSHR";
constexpr std::uint8_t kProtectionPassphrase = 1;
constexpr std::uint8_t kProtectionHsm = 2;
constexpr std::size_t kTagSize = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kMaxTokenLabel = 32;  // CK_TOKEN_INFO.label is 32 bytes
constexpr std::size_t kMaxKeyLabel = 64;

static_assert(kTagSize == 16);
static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == 24);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);

Result<std::string> read_label(Reader& r, std::size_t max_len, std::string_view what) {
  TSIGN_TRY(std::string label, r.str(max_len));
  if (label.empty()) return r.fail(std::string(what) + " is empty");
  for (char c : label) {
    if (c < 0x20 || c > 0x7e) return r.fail(std::string(what) + " is not printable ASCII");
  }
  return label;
}

}  // namespace

static_assert(crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE == 4);
static_assert(crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE == std::uint64_t{1} << 30);

Status Argon2Params::validate() const {
  const Argon2Params most = sensitive();
  if (opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN || opslimit > most.opslimit) {
    return make_error(ErrorKind::InvalidInput, "Argon2id opslimit " + std::to_string(opslimit) + " is outside 1..4");
  }
  if (memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN || memlimit > most.memlimit || memlimit % 1024 != 0) {
    return make_error(ErrorKind::InvalidInput,
                      "Argon2id memlimit " + std::to_string(memlimit) + " is not a whole number of KiB in 8 KiB..1 GiB");
  }
  return {};
}

Argon2Params Argon2Params::ceiling_for(const Argon2Params& created) {
  const Argon2Params most = sensitive();
  return {std::min(created.opslimit * 2, most.opslimit), std::min(created.memlimit * 2, most.memlimit)};
}

Status Argon2Params::within(const Argon2Params& ceiling) const {
  if (opslimit > ceiling.opslimit || memlimit > ceiling.memlimit) {
    return make_error(ErrorKind::InvalidInput, "Argon2id cost (opslimit " + std::to_string(opslimit) + ", memlimit " +
                                                   std::to_string(memlimit) + ") exceeds the ceiling (opslimit " +
                                                   std::to_string(ceiling.opslimit) + ", memlimit " +
                                                   std::to_string(ceiling.memlimit) + ")");
  }
  return {};
}

Bytes encode(const SealedShareHeader& header) {
  Writer w;
  w.raw(as_bytes(kMagic)).u16(header.version);
  encode(w, header.share);
  if (const auto* kdf = std::get_if<PassphraseKdf>(&header.protection)) {
    w.u8(kProtectionPassphrase).u64(kdf->params.opslimit).u64(kdf->params.memlimit).raw(kdf->salt);
  } else {
    const auto& hsm = std::get<HsmWrap>(header.protection);
    w.u8(kProtectionHsm).str(hsm.token_label).str(hsm.key_label).raw(hsm.iv);
  }
  w.raw(header.nonce).u32(header.body_size);
  return std::move(w).take();
}

Result<SealedShareFile> parse_sealed_share(ByteSpan file) {
  Reader r(file, "share file");
  SealedShareFile out;
  SealedShareHeader& h = out.header;

  TSIGN_TRY(ByteSpan magic, r.raw(kMagic.size()));
  if (!std::equal(magic.begin(), magic.end(), kMagic.begin())) return r.fail("not a tsign share file (bad magic)");
  TSIGN_TRY(h.version, r.u16());
  if (h.version != kShareFileVersion) {
    return r.fail("unsupported format version " + std::to_string(h.version) + " (this build reads version " +
                  std::to_string(kShareFileVersion) + ")");
  }
  TSIGN_TRY(h.share, decode_share_header(r));

  TSIGN_TRY(std::uint8_t protection, r.u8());
  if (protection == kProtectionPassphrase) {
    PassphraseKdf kdf;
    TSIGN_TRY(kdf.params.opslimit, r.u64());
    TSIGN_TRY(kdf.params.memlimit, r.u64());
    if (auto st = kdf.params.validate(); !st) return r.fail(st.error().message);
    TSIGN_TRY(kdf.salt, r.array<16>());
    h.protection = kdf;
  } else if (protection == kProtectionHsm) {
    HsmWrap hsm;
    TSIGN_TRY(hsm.token_label, read_label(r, kMaxTokenLabel, "token label"));
    TSIGN_TRY(hsm.key_label, read_label(r, kMaxKeyLabel, "key label"));
    TSIGN_TRY(hsm.iv, r.array<12>());
    h.protection = std::move(hsm);
  } else {
    return r.fail("unknown key protection " + std::to_string(protection));
  }

  TSIGN_TRY(h.nonce, r.array<24>());
  TSIGN_TRY(h.body_size, r.u32());
  if (h.body_size <= kTagSize || h.body_size > kMaxSharePayload + kTagSize) {
    return r.fail("body size " + std::to_string(h.body_size) + " is out of range");
  }
  const std::size_t header_size = file.size() - r.remaining();
  out.header_bytes.assign(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(header_size));

  if (std::holds_alternative<HsmWrap>(h.protection)) {
    TSIGN_TRY(ByteSpan slot, r.raw(kHsmKeySlotSize));
    out.key_slot.assign(slot.begin(), slot.end());
  }
  TSIGN_TRY(ByteSpan body, r.raw(h.body_size));
  out.body.assign(body.begin(), body.end());
  TSIGN_CHECK(r.finish());
  return out;
}

Result<Bytes> seal_share(const ShareHeader& header, ByteSpan share, KeyProtector& protector) {
  ensure_sodium();
  TSIGN_CHECK(validate(header));
  if (share.empty() || share.size() > kMaxSharePayload) {
    return make_error(ErrorKind::InvalidInput, "share of " + std::to_string(share.size()) + " bytes cannot be sealed");
  }
  TSIGN_TRY(KeyProtector::FileKey file_key, protector.new_file_key());
  if (file_key.data_key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) {
    return make_error(ErrorKind::Internal, "key protector returned a data key of the wrong size");
  }

  SealedShareHeader sealed;
  sealed.share = header;
  sealed.protection = file_key.protection;
  random_fill(sealed.nonce);
  sealed.body_size = static_cast<std::uint32_t>(share.size() + kTagSize);
  Bytes file = encode(sealed);
  const std::size_t header_size = file.size();

  TSIGN_TRY(Bytes key_slot, protector.wrap_file_key(sealed.protection, file, file_key.data_key));
  const std::size_t expected_slot = std::holds_alternative<HsmWrap>(sealed.protection) ? kHsmKeySlotSize : 0;
  if (key_slot.size() != expected_slot) {
    return make_error(ErrorKind::Internal, "key protector returned a key slot of the wrong size");
  }
  append(file, key_slot);

  const std::size_t body_at = file.size();
  file.resize(body_at + sealed.body_size);
  unsigned long long body_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(file.data() + body_at, &body_len, share.data(), share.size(),
                                             file.data(), header_size, nullptr, sealed.nonce.data(),
                                             file_key.data_key.expose().data());
  if (body_len != sealed.body_size) return make_error(ErrorKind::Internal, "sealed body has an unexpected size");
  return file;
}

Result<UnsealedShare> unseal_share(ByteSpan file, KeyProtector& protector, const ShareExpectation& expect) {
  ensure_sodium();
  TSIGN_TRY(SealedShareFile parsed, parse_sealed_share(file));
  TSIGN_CHECK(check_expectation(parsed.header.share, expect));
  TSIGN_TRY(SecretBytes data_key, protector.file_key(parsed.header.protection, parsed.header_bytes, parsed.key_slot));
  if (data_key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) {
    return make_error(ErrorKind::Internal, "key protector returned a data key of the wrong size");
  }

  SecretBytes share(parsed.body.size() - kTagSize);
  unsigned long long share_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(share.expose_mut().data(), &share_len, nullptr, parsed.body.data(),
                                                 parsed.body.size(), parsed.header_bytes.data(),
                                                 parsed.header_bytes.size(), parsed.header.nonce.data(),
                                                 data_key.expose().data()) != 0) {
    return make_error(ErrorKind::Storage,
                      "share file authentication failed: wrong passphrase or key, or the file was modified");
  }
  return UnsealedShare{parsed.header.share, std::move(share)};
}

}  // namespace tsign

#include "tsign/store/pkcs11_token.hpp"

#include <algorithm>
#include <mutex>
#include <optional>
#include <vector>

#include "pkcs11_module.hpp"

namespace tsign {

using detail::pkcs11_error;

struct Pkcs11Token::Impl {
  std::shared_ptr<detail::Pkcs11Module> module;
  CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
  CK_SLOT_ID slot = 0;
  SecretBytes pin;  // kept (in locked memory) to log in again when the session is lost
  bool logged_in = false;
  std::string label;
  bool accept_imported_key = false;
  std::mutex mutex;

  CK_FUNCTION_LIST* fn() const { return module->functions(); }
};

namespace {

constexpr std::size_t kTokenLabelSize = 32;
constexpr std::size_t kMaxKeyLabel = 64;
constexpr CK_ULONG kAesKeyBytes = 32;
constexpr CK_ULONG kGcmTagBits = 128;
constexpr std::size_t kGcmTagBytes = kGcmTagBits / 8;

bool printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

Status check_key_label(std::string_view label) {
  if (label.empty() || label.size() > kMaxKeyLabel || !printable(label)) {
    return make_error(ErrorKind::InvalidInput, "PKCS#11 key label must be 1..64 printable ASCII bytes");
  }
  return {};
}

// CK_TOKEN_INFO.label is blank-padded to 32 bytes.
std::string token_label_of(const CK_TOKEN_INFO& info) {
  std::string label(reinterpret_cast<const char*>(info.label), kTokenLabelSize);
  while (!label.empty() && (label.back() == ' ' || label.back() == '\0')) label.pop_back();
  return label;
}

Result<CK_SLOT_ID> find_slot(CK_FUNCTION_LIST* fn, const std::string& label, const std::string& module_path) {
  CK_ULONG count = 0;
  CK_RV rv = fn->C_GetSlotList(CK_TRUE, nullptr, &count);
  if (rv != CKR_OK) return pkcs11_error("C_GetSlotList failed in " + module_path, rv);
  std::vector<CK_SLOT_ID> slots(count);
  if (count > 0) {
    rv = fn->C_GetSlotList(CK_TRUE, slots.data(), &count);
    if (rv != CKR_OK) return pkcs11_error("C_GetSlotList failed in " + module_path, rv);
    slots.resize(count);
  }
  std::vector<CK_SLOT_ID> matches;
  for (CK_SLOT_ID slot : slots) {
    CK_TOKEN_INFO info{};
    if (fn->C_GetTokenInfo(slot, &info) != CKR_OK) continue;  // a token removed meanwhile
    if (token_label_of(info) == label) matches.push_back(slot);
  }
  if (matches.empty()) {
    return make_error(ErrorKind::Storage, "no token labelled \"" + label + "\" in PKCS#11 module " + module_path);
  }
  if (matches.size() > 1) {
    return make_error(ErrorKind::Storage, "several tokens are labelled \"" + label + "\" in " + module_path);
  }
  return matches.front();
}

CK_ATTRIBUTE attribute(CK_ATTRIBUTE_TYPE type, void* value, CK_ULONG size) { return CK_ATTRIBUTE{type, value, size}; }

// Opens a new session (closing the old one) and logs in with the kept PIN.
Status open_session_and_login(Pkcs11Token::Impl& impl) {
  CK_FUNCTION_LIST* fn = impl.fn();
  impl.logged_in = false;
  if (impl.session != CK_INVALID_HANDLE) {
    fn->C_CloseSession(impl.session);  // a session the token already ended: any error is moot
    impl.session = CK_INVALID_HANDLE;
  }
  CK_RV rv = fn->C_OpenSession(impl.slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &impl.session);
  if (rv != CKR_OK) {
    impl.session = CK_INVALID_HANDLE;
    return pkcs11_error("cannot open a session on token \"" + impl.label + "\"", rv);
  }
  auto pin = impl.pin.expose();
  rv = fn->C_Login(impl.session, CKU_USER, const_cast<CK_UTF8CHAR*>(pin.data()), pin.size());
  if (rv == CKR_PIN_INCORRECT) return pkcs11_error("login to token \"" + impl.label + "\" failed: wrong PIN", rv);
  if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
    return pkcs11_error("login to token \"" + impl.label + "\" failed", rv);
  }
  impl.logged_in = true;
  return {};
}

}  // namespace

Pkcs11Token::Pkcs11Token(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Pkcs11Token::~Pkcs11Token() {
  // Closing the last session of the application on a token also logs it out; an explicit
  // C_Logout would log out other open Pkcs11Token objects on the same token as well.
  if (impl_ && impl_->session != CK_INVALID_HANDLE) impl_->fn()->C_CloseSession(impl_->session);
}

const std::string& Pkcs11Token::label() const { return impl_->label; }
const std::string& Pkcs11Token::module_path() const { return impl_->module->path(); }

Result<std::shared_ptr<Pkcs11Token>> Pkcs11Token::open(Pkcs11Config config) {
  if (config.token_label.empty() || config.token_label.size() > kTokenLabelSize || !printable(config.token_label)) {
    return make_error(ErrorKind::InvalidInput, "PKCS#11 token label must be 1..32 printable ASCII bytes");
  }
  auto impl = std::make_unique<Impl>();
  impl->label = config.token_label;
  impl->accept_imported_key = config.accept_imported_key;
  TSIGN_TRY(impl->module, detail::Pkcs11Module::load(config.module_path));
  CK_FUNCTION_LIST* fn = impl->fn();
  TSIGN_TRY(CK_SLOT_ID slot, find_slot(fn, config.token_label, config.module_path));

  impl->slot = slot;
  impl->pin = std::move(config.pin);
  // From here the token object owns the session and closes it on every path.
  std::shared_ptr<Pkcs11Token> token(new Pkcs11Token(std::move(impl)));
  TSIGN_CHECK(open_session_and_login(*token->impl_));
  return token;
}

namespace {

// The one AES key with this label, if any, checked to be a protected token key. Caller holds the
// session mutex.
Result<std::optional<CK_OBJECT_HANDLE>> lookup_key(Pkcs11Token::Impl& impl, const std::string& label) {
  CK_FUNCTION_LIST* fn = impl.fn();
  CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  CK_KEY_TYPE type = CKK_AES;
  std::string label_copy = label;
  CK_ATTRIBUTE query[] = {
      attribute(CKA_CLASS, &cls, sizeof cls),
      attribute(CKA_KEY_TYPE, &type, sizeof type),
      attribute(CKA_LABEL, label_copy.data(), label_copy.size()),
  };
  CK_RV rv = fn->C_FindObjectsInit(impl.session, query, std::size(query));
  if (rv != CKR_OK) return pkcs11_error("C_FindObjectsInit failed", rv);
  CK_OBJECT_HANDLE found[2];
  CK_ULONG count = 0;
  rv = fn->C_FindObjects(impl.session, found, 2, &count);
  fn->C_FindObjectsFinal(impl.session);
  if (rv != CKR_OK) return pkcs11_error("C_FindObjects failed", rv);
  if (count == 0) return std::optional<CK_OBJECT_HANDLE>{};
  if (count > 1) {
    return make_error(ErrorKind::Storage, "several AES keys are labelled \"" + label + "\" on token \"" + impl.label + "\"");
  }

  CK_ULONG value_len = 0;
  CK_BBOOL on_token = CK_FALSE, is_private = CK_FALSE, sensitive = CK_FALSE, extractable = CK_TRUE;
  CK_BBOOL never_extractable = CK_FALSE, generated_here = CK_FALSE;
  CK_ATTRIBUTE props[] = {
      attribute(CKA_VALUE_LEN, &value_len, sizeof value_len),
      attribute(CKA_TOKEN, &on_token, sizeof on_token),
      attribute(CKA_PRIVATE, &is_private, sizeof is_private),
      attribute(CKA_SENSITIVE, &sensitive, sizeof sensitive),
      attribute(CKA_EXTRACTABLE, &extractable, sizeof extractable),
      attribute(CKA_NEVER_EXTRACTABLE, &never_extractable, sizeof never_extractable),
      attribute(CKA_LOCAL, &generated_here, sizeof generated_here),
  };
  rv = fn->C_GetAttributeValue(impl.session, found[0], props, std::size(props));
  if (rv != CKR_OK) return pkcs11_error("cannot read the attributes of key \"" + label + "\"", rv);
  const std::string refused = "key \"" + label + "\" is refused: ";
  if (value_len != kAesKeyBytes || on_token != CK_TRUE) {
    return make_error(ErrorKind::Storage, refused + "not an AES-256 token object");
  }
  if (is_private != CK_TRUE) return make_error(ErrorKind::Storage, refused + "public (readable without login)");
  if (sensitive != CK_TRUE || extractable != CK_FALSE) {
    return make_error(ErrorKind::Storage, refused + "not sensitive and non-extractable");
  }
  if (!impl.accept_imported_key && (generated_here != CK_TRUE || never_extractable != CK_TRUE)) {
    return make_error(ErrorKind::Storage, refused + "imported, or once extractable: its value may exist outside the "
                                                    "token (accept_imported_key allows it)");
  }
  return std::optional<CK_OBJECT_HANDLE>{found[0]};
}

}  // namespace

Result<Pkcs11Token::KeyHandle> Pkcs11Token::find_key(std::string_view label) {
  TSIGN_CHECK(check_key_label(label));
  std::lock_guard<std::mutex> lock(impl_->mutex);
  TSIGN_TRY(auto found, lookup_key(*impl_, std::string(label)));
  if (!found) {
    return make_error(ErrorKind::Storage,
                      "no AES key labelled \"" + std::string(label) + "\" on token \"" + impl_->label + "\"");
  }
  return KeyHandle{*found, std::string(label)};
}

Result<Pkcs11Token::KeyHandle> Pkcs11Token::find_or_generate_key(std::string_view label) {
  TSIGN_CHECK(check_key_label(label));
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::string label_copy(label);
  TSIGN_TRY(auto found, lookup_key(*impl_, label_copy));
  if (found) return KeyHandle{*found, label_copy};

  CK_MECHANISM mechanism{CKM_AES_KEY_GEN, nullptr, 0};
  CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  CK_KEY_TYPE type = CKK_AES;
  CK_ULONG value_len = kAesKeyBytes;
  CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
  CK_ATTRIBUTE tmpl[] = {
      attribute(CKA_CLASS, &cls, sizeof cls),
      attribute(CKA_KEY_TYPE, &type, sizeof type),
      attribute(CKA_VALUE_LEN, &value_len, sizeof value_len),
      attribute(CKA_TOKEN, &yes, sizeof yes),
      attribute(CKA_PRIVATE, &yes, sizeof yes),
      attribute(CKA_SENSITIVE, &yes, sizeof yes),
      attribute(CKA_EXTRACTABLE, &no, sizeof no),
      attribute(CKA_ENCRYPT, &yes, sizeof yes),
      attribute(CKA_DECRYPT, &yes, sizeof yes),
      attribute(CKA_WRAP, &no, sizeof no),
      attribute(CKA_UNWRAP, &no, sizeof no),
      attribute(CKA_LABEL, label_copy.data(), label_copy.size()),
  };
  CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
  CK_RV rv = impl_->fn()->C_GenerateKey(impl_->session, &mechanism, tmpl, std::size(tmpl), &key);
  if (rv != CKR_OK) return pkcs11_error("cannot generate AES key \"" + label_copy + "\"", rv);
  return KeyHandle{key, label_copy};
}

namespace {

// The session ended under us (the token was reset, another part of the process closed every
// session or logged out), or the token no longer knows the key's handle.
bool key_unreachable(CK_RV rv) {
  return rv == CKR_SESSION_HANDLE_INVALID || rv == CKR_SESSION_CLOSED || rv == CKR_USER_NOT_LOGGED_IN ||
         rv == CKR_KEY_HANDLE_INVALID || rv == CKR_OBJECT_HANDLE_INVALID;
}

// A new session and login when the old one is gone, and the key found again under its label
// (object handles need not outlive the session that found them): the caller then retries once.
Result<CK_OBJECT_HANDLE> reacquire(Pkcs11Token::Impl& impl, const std::string& label, CK_RV rv) {
  if (!impl.logged_in || rv == CKR_SESSION_HANDLE_INVALID || rv == CKR_SESSION_CLOSED || rv == CKR_USER_NOT_LOGGED_IN) {
    TSIGN_CHECK(open_session_and_login(impl));
  }
  TSIGN_TRY(auto found, lookup_key(impl, label));
  if (!found) return make_error(ErrorKind::Storage, "the AES key \"" + label + "\" is gone from token \"" + impl.label + "\"");
  return *found;
}

CK_GCM_PARAMS gcm_params(const ByteArray<12>& iv, ByteSpan aad) {
  CK_GCM_PARAMS p{};
  p.pIv = const_cast<CK_BYTE*>(iv.data());
  p.ulIvLen = iv.size();
  p.ulIvBits = iv.size() * 8;
  p.pAAD = const_cast<CK_BYTE*>(aad.data());
  p.ulAADLen = aad.size();
  p.ulTagBits = kGcmTagBits;
  return p;
}

}  // namespace

Result<Bytes> Pkcs11Token::encrypt(KeyHandle key, const ByteArray<12>& iv, ByteSpan aad, ByteSpan plaintext) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  CK_FUNCTION_LIST* fn = impl_->fn();
  CK_GCM_PARAMS params = gcm_params(iv, aad);
  CK_MECHANISM mechanism{CKM_AES_GCM, &params, sizeof params};
  CK_RV rv = fn->C_EncryptInit(impl_->session, &mechanism, key.object);
  if (key_unreachable(rv)) {
    TSIGN_TRY(CK_OBJECT_HANDLE object, reacquire(*impl_, key.label, rv));
    rv = fn->C_EncryptInit(impl_->session, &mechanism, object);
  }
  if (rv != CKR_OK) return pkcs11_error("C_EncryptInit (AES-GCM) failed on token \"" + impl_->label + "\"", rv);
  Bytes out(plaintext.size() + kGcmTagBytes);
  CK_ULONG out_len = out.size();
  rv = fn->C_Encrypt(impl_->session, const_cast<CK_BYTE*>(plaintext.data()), plaintext.size(), out.data(), &out_len);
  if (rv != CKR_OK) return pkcs11_error("C_Encrypt (AES-GCM) failed on token \"" + impl_->label + "\"", rv);
  if (out_len != out.size()) return make_error(ErrorKind::Storage, "AES-GCM ciphertext of unexpected length from the token");
  return out;
}

Result<SecretBytes> Pkcs11Token::decrypt(KeyHandle key, const ByteArray<12>& iv, ByteSpan aad, ByteSpan ciphertext) {
  if (ciphertext.size() < kGcmTagBytes) return make_error(ErrorKind::InvalidInput, "AES-GCM ciphertext too short");
  std::lock_guard<std::mutex> lock(impl_->mutex);
  CK_FUNCTION_LIST* fn = impl_->fn();
  CK_GCM_PARAMS params = gcm_params(iv, aad);
  CK_MECHANISM mechanism{CKM_AES_GCM, &params, sizeof params};
  CK_RV rv = fn->C_DecryptInit(impl_->session, &mechanism, key.object);
  if (key_unreachable(rv)) {
    TSIGN_TRY(CK_OBJECT_HANDLE object, reacquire(*impl_, key.label, rv));
    rv = fn->C_DecryptInit(impl_->session, &mechanism, object);
  }
  if (rv != CKR_OK) return pkcs11_error("C_DecryptInit (AES-GCM) failed on token \"" + impl_->label + "\"", rv);
  // Some modules need room for the tag too while they verify it.
  SecretBytes buffer(ciphertext.size());
  CK_ULONG out_len = buffer.size();
  rv = fn->C_Decrypt(impl_->session, const_cast<CK_BYTE*>(ciphertext.data()), ciphertext.size(),
                     buffer.expose_mut().data(), &out_len);
  if (rv != CKR_OK) {
    return pkcs11_error("the token refused to decrypt: wrong key, or the data or its header was modified", rv);
  }
  if (out_len != ciphertext.size() - kGcmTagBytes) {
    return make_error(ErrorKind::Storage, "AES-GCM plaintext of unexpected length from the token");
  }
  return SecretBytes::copy_of(buffer.expose().first(out_len));
}

}  // namespace tsign

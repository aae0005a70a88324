// SoftHSM2-backed tests. CI installs softhsm2; a missing softhsm2-util is a failure, not a skip.
#include <catch2/catch.hpp>

#include <dlfcn.h>
#include <p11-kit-1/p11-kit/pkcs11.h>

#include <cstdlib>
#include <cstring>
#include <fstream>

#include "store_fixtures.hpp"
#include "tsign/store/hsm_protector.hpp"
#include "tsign/store/share_store.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

constexpr const char* kModule = "/usr/lib/softhsm/libsofthsm2.so";
constexpr const char* kToken = "tsign-test";
constexpr const char* kPin = "4321";

// A SoftHSM2 configuration and one initialized token in a temporary directory.
class SoftHsm {
 public:
  SoftHsm() {
    std::filesystem::create_directory(dir_.path() / "tokens");
    const auto conf = dir_.path() / "softhsm2.conf";
    std::ofstream(conf) << "directories.tokendir = " << (dir_.path() / "tokens").string() << "\n"
                        << "objectstore.backend = file\n"
                        << "log.level = ERROR\n";
    ::setenv("SOFTHSM2_CONF", conf.c_str(), 1);
    const std::string cmd = std::string("softhsm2-util --init-token --free --label ") + kToken + " --pin " + kPin +
                            " --so-pin 8765 >" + (dir_.path() / "init.log").string() + " 2>&1";
    const int status = std::system(cmd.c_str());
    if (status != 0) {
      FAIL("softhsm2-util --init-token failed (status " << status
                                                         << "); install softhsm2 (tools/install-deps.sh)");
    }
  }

  static Pkcs11Config config(std::string_view pin = kPin) {
    Pkcs11Config c;
    c.module_path = kModule;
    c.token_label = kToken;
    c.pin = secret_text(pin);
    return c;
  }

 private:
  TempDir dir_;
};

std::shared_ptr<Pkcs11Token> open_token() {
  auto token = Pkcs11Token::open(SoftHsm::config());
  if (!token.ok()) FAIL(token.error().describe());
  return *token;
}

HsmProtector open_protector(std::shared_ptr<Pkcs11Token> token, std::string label = "share-wrap") {
  auto p = HsmProtector::open(std::move(token), std::move(label), HsmProtector::KeySource::GenerateIfMissing);
  if (!p.ok()) FAIL(p.error().describe());
  return std::move(p).value();
}

}  // namespace

TEST_CASE("hsm: seal and unseal through a SoftHSM2 token") {
  SoftHsm hsm;
  auto token = open_token();
  auto protector = open_protector(token);
  const ShareHeader header = sample_header(3, 4);
  auto file = seal_share(header, sample_share(), protector);
  REQUIRE(file.ok());

  auto parsed = parse_sealed_share(*file);
  REQUIRE(parsed.ok());
  REQUIRE(std::holds_alternative<HsmWrap>(parsed->header.protection));
  const auto& wrap = std::get<HsmWrap>(parsed->header.protection);
  CHECK(wrap.token_label == kToken);
  CHECK(wrap.key_label == "share-wrap");
  CHECK(parsed->key_slot.size() == kHsmKeySlotSize);

  auto opened = unseal_share(*file, protector, {header.key_id, 3, 4, std::nullopt});
  REQUIRE(opened.ok());
  CHECK(opened->header == header);
  CHECK(same(opened->share.expose(), sample_share()));

  // The key is found again, not duplicated, and a passphrase cannot open the file.
  auto again = HsmProtector::open(token, "share-wrap");
  REQUIRE(again.ok());
  CHECK(unseal_share(*file, *again).ok());
  auto pass = fast_protector();
  auto r = unseal_share(*file, pass);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("HSM") != std::string::npos);
}

TEST_CASE("hsm: a modified header, key slot or body is refused by the token or the AEAD") {
  SoftHsm hsm;
  auto token = open_token();
  auto protector = open_protector(token);
  auto file = seal_share(sample_header(), sample_share(), protector);
  REQUIRE(file.ok());
  auto parsed = parse_sealed_share(*file);
  REQUIRE(parsed.ok());
  const std::size_t header_size = parsed->header_bytes.size();

  SECTION("epoch in the header") {
    Bytes bad = *file;
    bad[53] ^= 0x01;  // last byte of the epoch
    auto r = unseal_share(bad, protector);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Storage);
    CHECK(r.error().message.find("the token refused to decrypt") != std::string::npos);
    CHECK(r.error().message.find("CKR_OK") == std::string::npos);
  }
  SECTION("IV in the header") {
    Bytes bad = *file;
    bad[header_size - 4 - 24 - 1] ^= 0x80;
    auto r = unseal_share(bad, protector);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("the token refused to decrypt") != std::string::npos);
  }
  SECTION("key slot") {
    Bytes bad = *file;
    bad[header_size + 5] ^= 0x01;
    auto r = unseal_share(bad, protector);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("the token refused to decrypt") != std::string::npos);
  }
  SECTION("body") {
    Bytes bad = *file;
    bad.back() ^= 0x01;
    auto r = unseal_share(bad, protector);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("authentication failed") != std::string::npos);
  }
  SECTION("key label pointing at another token key") {
    REQUIRE(token->find_or_generate_key("other-key").ok());
    SealedShareHeader relabelled = parsed->header;
    std::get<HsmWrap>(relabelled.protection).key_label = "other-key";
    Bytes bad = encode(relabelled);
    append(bad, parsed->key_slot);
    append(bad, parsed->body);
    auto r = unseal_share(bad, protector);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Storage);
  }
}

TEST_CASE("hsm: unavailable module, unknown token, wrong PIN, missing key") {
  SoftHsm hsm;
  Pkcs11Config missing_module = SoftHsm::config();
  missing_module.module_path = "/nonexistent/libpkcs11.so";
  auto r1 = Pkcs11Token::open(std::move(missing_module));
  REQUIRE_FALSE(r1.ok());
  CHECK(r1.error().kind == ErrorKind::Storage);
  CHECK(r1.error().message.find("cannot load PKCS#11 module /nonexistent/libpkcs11.so") != std::string::npos);

  Pkcs11Config not_a_module = SoftHsm::config();
  not_a_module.module_path = "libc.so.6";
  auto r2 = Pkcs11Token::open(std::move(not_a_module));
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().message.find("not a PKCS#11 module") != std::string::npos);

  Pkcs11Config other_token = SoftHsm::config();
  other_token.token_label = "no-such-token";
  auto r3 = Pkcs11Token::open(std::move(other_token));
  REQUIRE_FALSE(r3.ok());
  CHECK(r3.error().message.find("no token labelled \"no-such-token\"") != std::string::npos);

  auto r4 = Pkcs11Token::open(SoftHsm::config("9999"));
  REQUIRE_FALSE(r4.ok());
  CHECK(r4.error().kind == ErrorKind::Storage);
  CHECK(r4.error().message.find("wrong PIN") != std::string::npos);
  CHECK(r4.error().message.find("CKR_PIN_INCORRECT") != std::string::npos);

  auto token = open_token();
  auto r5 = HsmProtector::open(token, "never-generated");
  REQUIRE_FALSE(r5.ok());
  CHECK(r5.error().message.find("no AES key labelled \"never-generated\"") != std::string::npos);
  CHECK_FALSE(HsmProtector::open(token, "").ok());
}

TEST_CASE("hsm: a file sealed on one token names it when opened with another") {
  SoftHsm hsm;
  auto token = open_token();
  auto protector = open_protector(token);
  auto file = seal_share(sample_header(), sample_share(), protector);
  REQUIRE(file.ok());
  auto parsed = parse_sealed_share(*file);
  REQUIRE(parsed.ok());
  SealedShareHeader moved = parsed->header;
  std::get<HsmWrap>(moved.protection).token_label = "vault-2";
  Bytes bad = encode(moved);
  append(bad, parsed->key_slot);
  append(bad, parsed->body);
  auto r = unseal_share(bad, protector);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("on token \"vault-2\"") != std::string::npos);
}

TEST_CASE("hsm: a share store sealed by the token survives reopening the token") {
  SoftHsm hsm;
  TempDir dir;
  const KeyId key = sample_header().key_id;
  {
    auto store = ShareStore::open(dir.path(), 1);
    REQUIRE(store.ok());
    auto protector = open_protector(open_token());
    REQUIRE(store->stage(sample_header(1, 0), sample_share(), protector).ok());
    REQUIRE(store->commit(key, 0).ok());
  }
  auto store = ShareStore::open(dir.path(), 1);
  REQUIRE(store.ok());
  auto reopened = HsmProtector::open(open_token(), "share-wrap");
  REQUIRE(reopened.ok());
  auto loaded = store->load(key, *reopened);
  REQUIRE(loaded.ok());
  CHECK(same(loaded->share.expose(), sample_share()));
}

namespace {

// Raw PKCS#11, to look at the key from outside tsign's API.
class RawSession {
 public:
  RawSession() {
    void* handle = ::dlopen(kModule, RTLD_NOW | RTLD_LOCAL);
    REQUIRE(handle != nullptr);
    auto get_list = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(handle, "C_GetFunctionList"));
    REQUIRE(get_list != nullptr);
    REQUIRE(get_list(&fn_) == CKR_OK);
    REQUIRE(fn_->C_Initialize(nullptr) == CKR_OK);
    CK_ULONG count = 8;
    CK_SLOT_ID slots[8];
    REQUIRE(fn_->C_GetSlotList(CK_TRUE, slots, &count) == CKR_OK);
    for (CK_ULONG i = 0; i < count; ++i) {
      CK_TOKEN_INFO info{};
      REQUIRE(fn_->C_GetTokenInfo(slots[i], &info) == CKR_OK);
      if (std::string(reinterpret_cast<char*>(info.label), std::strlen(kToken)) == kToken) {
        REQUIRE(fn_->C_OpenSession(slots[i], CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &session_) == CKR_OK);
      }
    }
    REQUIRE(session_ != CK_INVALID_HANDLE);
    std::string pin = kPin;
    REQUIRE(fn_->C_Login(session_, CKU_USER, reinterpret_cast<CK_UTF8CHAR*>(pin.data()), pin.size()) == CKR_OK);
  }
  ~RawSession() {
    fn_->C_CloseSession(session_);
    fn_->C_Finalize(nullptr);
  }

  CK_OBJECT_HANDLE find(std::string label) {
    CK_ATTRIBUTE query[] = {{CKA_LABEL, label.data(), label.size()}};
    CK_OBJECT_HANDLE found = CK_INVALID_HANDLE;
    CK_ULONG count = 0;
    REQUIRE(fn_->C_FindObjectsInit(session_, query, 1) == CKR_OK);
    REQUIRE(fn_->C_FindObjects(session_, &found, 1, &count) == CKR_OK);
    fn_->C_FindObjectsFinal(session_);
    REQUIRE(count == 1);
    return found;
  }

  CK_RV read_value(CK_OBJECT_HANDLE key) {
    unsigned char value[32];
    CK_ATTRIBUTE attr{CKA_VALUE, value, sizeof value};
    return fn_->C_GetAttributeValue(session_, key, &attr, 1);
  }

  CK_BBOOL flag(CK_OBJECT_HANDLE key, CK_ATTRIBUTE_TYPE type) {
    CK_BBOOL v = CK_FALSE;
    CK_ATTRIBUTE attr{type, &v, sizeof v};
    REQUIRE(fn_->C_GetAttributeValue(session_, key, &attr, 1) == CKR_OK);
    return v;
  }

  // A key generated on the token with these attributes (a token object with this label).
  void generate(std::string label, CK_BBOOL is_private, CK_BBOOL sensitive, CK_BBOOL extractable, CK_ULONG len = 32) {
    CK_MECHANISM mech{CKM_AES_KEY_GEN, nullptr, 0};
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE tmpl[] = {{CKA_VALUE_LEN, &len, sizeof len},        {CKA_TOKEN, &yes, sizeof yes},
                           {CKA_PRIVATE, &is_private, sizeof is_private}, {CKA_SENSITIVE, &sensitive, sizeof sensitive},
                           {CKA_EXTRACTABLE, &extractable, sizeof extractable}, {CKA_LABEL, label.data(), label.size()}};
    CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
    REQUIRE(fn_->C_GenerateKey(session_, &mech, tmpl, std::size(tmpl), &key) == CKR_OK);
  }

  // A key whose value came from outside (C_CreateObject): private, sensitive, not extractable.
  void import(std::string label) {
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_KEY_TYPE type = CKK_AES;
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    unsigned char value[32];
    for (unsigned i = 0; i < 32; ++i) value[i] = static_cast<unsigned char>(i * 7 + 1);
    CK_ATTRIBUTE tmpl[] = {{CKA_CLASS, &cls, sizeof cls},         {CKA_KEY_TYPE, &type, sizeof type},
                           {CKA_TOKEN, &yes, sizeof yes},          {CKA_PRIVATE, &yes, sizeof yes},
                           {CKA_SENSITIVE, &yes, sizeof yes},      {CKA_EXTRACTABLE, &no, sizeof no},
                           {CKA_ENCRYPT, &yes, sizeof yes},        {CKA_DECRYPT, &yes, sizeof yes},
                           {CKA_VALUE, value, sizeof value},       {CKA_LABEL, label.data(), label.size()}};
    CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
    REQUIRE(fn_->C_CreateObject(session_, tmpl, std::size(tmpl), &key) == CKR_OK);
  }

  void generate_extractable(std::string label) {
    CK_MECHANISM mech{CKM_AES_KEY_GEN, nullptr, 0};
    CK_ULONG len = 32;
    CK_BBOOL yes = CK_TRUE;
    CK_ATTRIBUTE tmpl[] = {{CKA_VALUE_LEN, &len, sizeof len},
                           {CKA_TOKEN, &yes, sizeof yes},
                           {CKA_EXTRACTABLE, &yes, sizeof yes},
                           {CKA_LABEL, label.data(), label.size()}};
    CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
    REQUIRE(fn_->C_GenerateKey(session_, &mech, tmpl, std::size(tmpl), &key) == CKR_OK);
  }

 private:
  CK_FUNCTION_LIST* fn_ = nullptr;
  CK_SESSION_HANDLE session_ = CK_INVALID_HANDLE;
};

}  // namespace

TEST_CASE("hsm: the wrapping key is generated sensitive and non-extractable; weaker keys are refused") {
  SoftHsm hsm;
  { open_protector(open_token()); }  // generates "share-wrap", then releases the module
  {
    RawSession raw;
    const CK_OBJECT_HANDLE key = raw.find("share-wrap");
    CHECK(raw.read_value(key) == CKR_ATTRIBUTE_SENSITIVE);
    CHECK(raw.flag(key, CKA_SENSITIVE) == CK_TRUE);
    CHECK(raw.flag(key, CKA_EXTRACTABLE) == CK_FALSE);
    CHECK(raw.flag(key, CKA_TOKEN) == CK_TRUE);
    raw.generate_extractable("weak");
  }
  auto r = HsmProtector::open(open_token(), "weak");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("non-extractable") != std::string::npos);
}

TEST_CASE("hsm: a wrapping key that is public, imported or once extractable is refused") {
  SoftHsm hsm;
  {
    RawSession raw;
    raw.generate("public", CK_FALSE, CK_TRUE, CK_FALSE);
    raw.generate("insensitive", CK_TRUE, CK_FALSE, CK_FALSE);
    raw.import("imported");
    CHECK(raw.flag(raw.find("imported"), CKA_LOCAL) == CK_FALSE);
    raw.generate("good", CK_TRUE, CK_TRUE, CK_FALSE);
    raw.generate("aes-128", CK_TRUE, CK_TRUE, CK_FALSE, 16);
  }
  auto token = open_token();
  auto expect_refused_key = [&](const std::string& label, const std::string& why) {
    auto r = HsmProtector::open(token, label);
    INFO(label);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message == "key \"" + label + "\" is refused: " + why);
  };
  expect_refused_key("aes-128", "not an AES-256 token object");
  expect_refused_key("public", "public (readable without login)");
  expect_refused_key("insensitive", "not sensitive and non-extractable");
  expect_refused_key("imported",
                     "imported, or once extractable: its value may exist outside the token (accept_imported_key allows it)");
  CHECK(HsmProtector::open(token, "good").ok());

  // Told otherwise, an imported key passes; a public one still does not.
  Pkcs11Config config = SoftHsm::config();
  config.accept_imported_key = true;
  auto relaxed = Pkcs11Token::open(std::move(config));
  REQUIRE(relaxed.ok());
  CHECK(HsmProtector::open(*relaxed, "imported").ok());
  CHECK_FALSE(HsmProtector::open(*relaxed, "public").ok());
}

TEST_CASE("hsm: a protector without a token and a passphrase-sealed file are refused for those reasons") {
  auto none = HsmProtector::open(nullptr, "share-wrap");
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message.find("needs an open token") != std::string::npos);

  SoftHsm hsm;
  auto protector = open_protector(open_token());
  auto pass = fast_protector();
  auto file = seal_share(sample_header(), sample_share(), pass);
  REQUIRE(file.ok());
  auto parsed = parse_sealed_share(*file);
  REQUIRE(parsed.ok());
  auto key = protector.file_key(parsed->header.protection, parsed->header_bytes, parsed->key_slot);
  REQUIRE_FALSE(key.ok());
  CHECK(key.error().message.find("derived from a passphrase") != std::string::npos);
}

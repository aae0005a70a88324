// Token errors, one at a time: a PKCS#11 module that forwards to SoftHSM2 fails or lies where the
// test says (support/faulty_pkcs11.cpp), and each failure is reported by the check made for it.
#include <catch2/catch.hpp>

#include <dlfcn.h>
#include <p11-kit-1/p11-kit/pkcs11.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "store_fixtures.hpp"
#include "tsign/store/pkcs11_token.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

constexpr const char* kToken = "tsign-faults";
constexpr const char* kPin = "4321";

// A SoftHSM2 configuration with one initialized token, reached through the faulty module.
class FaultyHsm {
 public:
  FaultyHsm() {
    std::filesystem::create_directory(dir_.path() / "tokens");
    const auto conf = dir_.path() / "softhsm2.conf";
    std::ofstream(conf) << "directories.tokendir = " << (dir_.path() / "tokens").string() << "\n"
                        << "objectstore.backend = file\nlog.level = ERROR\n";
    ::setenv("SOFTHSM2_CONF", conf.c_str(), 1);
    std::ostringstream cmd_text;  // (a chain of std::string + trips GCC 12's -Warray-bounds)
    cmd_text << "softhsm2-util --init-token --free --label " << kToken << " --pin " << kPin << " --so-pin 8765 >"
             << (dir_.path() / "init.log").string() << " 2>&1";
    const std::string cmd = cmd_text.str();
    if (std::system(cmd.c_str()) != 0) FAIL("softhsm2-util --init-token failed; install softhsm2");
    handle_ = ::dlopen(TSIGN_FAULTY_PKCS11, RTLD_NOW | RTLD_LOCAL);
    REQUIRE(handle_ != nullptr);
    fault_ = reinterpret_cast<void (*)(const char*, int, CK_RV, long)>(::dlsym(handle_, "tsign_pkcs11_fault"));
    clear_ = reinterpret_cast<void (*)()>(::dlsym(handle_, "tsign_pkcs11_clear_faults"));
    REQUIRE(fault_ != nullptr);
    REQUIRE(clear_ != nullptr);
  }
  ~FaultyHsm() {
    clear_();
    ::dlclose(handle_);
  }

  // Call `nth` (0: the next) to `function` fails with `rv`, or with `fake` >= 0 succeeds but
  // reports `fake` (a count or a length).
  void fail(const char* function, int nth = 0, CK_RV rv = CKR_DEVICE_ERROR, long fake = -1) {
    fault_(function, nth, rv, fake);
  }

  // `module_path`: another name for the faulty module makes the library load it afresh.
  static Pkcs11Config config(std::string module_path = TSIGN_FAULTY_PKCS11) {
    Pkcs11Config c;
    c.module_path = std::move(module_path);
    c.token_label = kToken;
    c.pin = secret_text(kPin);
    return c;
  }

  std::shared_ptr<Pkcs11Token> open() {
    auto token = Pkcs11Token::open(config());
    if (!token.ok()) FAIL(token.error().describe());
    return *token;
  }

  std::filesystem::path path() const { return dir_.path(); }

 private:
  TempDir dir_;
  void* handle_ = nullptr;
  void (*fault_)(const char*, int, CK_RV, long) = nullptr;
  void (*clear_)() = nullptr;
};


}  // namespace

TEST_CASE("hsm faults: a module that fails to load or initialize") {
  FaultyHsm hsm;
  // Fresh names for the module, so the library loads (and initializes) it again.
  const auto first = hsm.path() / "first.so", second = hsm.path() / "second.so";
  std::filesystem::create_symlink(TSIGN_FAULTY_PKCS11, first);
  std::filesystem::create_symlink(TSIGN_FAULTY_PKCS11, second);
  hsm.fail("C_GetFunctionList");
  expect_refused(Pkcs11Token::open(FaultyHsm::config(first)), "C_GetFunctionList failed");
  hsm.fail("C_Initialize", 0, CKR_HOST_MEMORY);
  expect_refused(Pkcs11Token::open(FaultyHsm::config(second)), "C_Initialize failed");
}

TEST_CASE("hsm faults: a token that cannot be found opened or logged into") {
  FaultyHsm hsm;
  hsm.open();  // the module is loaded and initialized
  struct Case {
    const char* function;
    int nth;
    long fake;
    const char* reason;
  };
  const Case cases[] = {
      {"C_GetSlotList", 0, -1, "C_GetSlotList failed"},
      {"C_GetSlotList", 1, -1, "C_GetSlotList failed"},
      {"C_GetSlotList", 1, 2, "several tokens are labelled"},
      {"C_OpenSession", 0, -1, "cannot open a session"},
      {"C_Login", 0, -1, "failed (CKR_DEVICE_ERROR"},
  };
  for (const auto& c : cases) {
    INFO(c.function << " " << c.nth << " " << c.fake);
    hsm.fail(c.function, c.nth, CKR_DEVICE_ERROR, c.fake);
    expect_refused(Pkcs11Token::open(FaultyHsm::config()), c.reason);
  }
  for (std::string label : {std::string(), std::string(33, 'a'), std::string("tok\x01")}) {
    Pkcs11Config bad = FaultyHsm::config();
    bad.token_label = label;
    expect_refused(Pkcs11Token::open(std::move(bad)), "token label must be 1..32 printable ASCII bytes");
  }
}

TEST_CASE("hsm faults: key lookup and generation errors") {
  FaultyHsm hsm;
  auto token = hsm.open();
  REQUIRE(token->find_or_generate_key("wrap").ok());
  struct Case {
    const char* function;
    long fake;
    const char* reason;
  };
  const Case cases[] = {
      {"C_FindObjectsInit", -1, "C_FindObjectsInit failed"},
      {"C_FindObjects", -1, "C_FindObjects failed"},
      {"C_FindObjects", 2, "several AES keys are labelled"},
      {"C_GetAttributeValue", -1, "cannot read the attributes"},
  };
  for (const auto& c : cases) {
    INFO(c.function);
    hsm.fail(c.function, 0, CKR_DEVICE_ERROR, c.fake);
    expect_refused(token->find_key("wrap"), c.reason);
  }
  hsm.fail("C_GenerateKey");
  expect_refused(token->find_or_generate_key("another"), "cannot generate AES key");
  for (std::string label : {std::string(), std::string(65, 'k'), std::string("k\x7f")}) {
    expect_refused(token->find_key(label), "key label must be 1..64 printable ASCII bytes");
  }
}

namespace {

// A token of the faulty module, its wrapping key, and one plaintext sealed under it.
struct SealedSample {
  std::shared_ptr<Pkcs11Token> token;
  Pkcs11Token::KeyHandle key;
  ByteArray<12> iv{};
  Bytes aad, plain, sealed;
};

SealedSample seal_sample(FaultyHsm& hsm) {
  SealedSample s{hsm.open(), {}, {}, {1, 2, 3}, Bytes(32, 7), {}};
  s.key = s.token->find_or_generate_key("wrap").value();
  s.sealed = s.token->encrypt(s.key, s.iv, s.aad, s.plain).value();
  return s;
}

}  // namespace

TEST_CASE("hsm faults: encryption and decryption errors and lengths the token misreports") {
  FaultyHsm hsm;
  const auto [token, key, iv, aad, plain, sealed] = seal_sample(hsm);
  hsm.fail("C_EncryptInit");
  expect_refused(token->encrypt(key, iv, aad, plain), "C_EncryptInit");
  hsm.fail("C_Encrypt");
  expect_refused(token->encrypt(key, iv, aad, plain), "C_Encrypt (AES-GCM) failed");
  hsm.fail("C_Encrypt", 0, CKR_OK, 40);
  expect_refused(token->encrypt(key, iv, aad, plain), "ciphertext of unexpected length");
  expect_refused(token->decrypt(key, iv, aad, ByteSpan(sealed).first(15)), "ciphertext too short");
  hsm.fail("C_DecryptInit");
  expect_refused(token->decrypt(key, iv, aad, sealed), "C_DecryptInit");
  hsm.fail("C_Decrypt", 0, CKR_OK, 31);
  expect_refused(token->decrypt(key, iv, aad, sealed), "plaintext of unexpected length");
  CHECK(token->decrypt(key, iv, aad, sealed).ok());
}

TEST_CASE("hsm faults: a session the token ended or logged out is opened again and the call goes through") {
  FaultyHsm hsm;
  const auto [token, key, iv, aad, plain, sealed] = seal_sample(hsm);
  // The faulty module really closes the session, or logs out, before it reports so: a retry on the
  // old session, or without a new login, would fail.
  for (CK_RV lost : {CKR_SESSION_HANDLE_INVALID, CKR_SESSION_CLOSED, CKR_USER_NOT_LOGGED_IN}) {
    INFO("rv " << lost);
    hsm.fail("C_EncryptInit", 0, lost);
    auto resealed = token->encrypt(key, iv, aad, plain);
    INFO((resealed ? std::string() : resealed.error().message));
    CHECK(resealed.ok());
    hsm.fail("C_DecryptInit", 0, lost);
    auto opened = token->decrypt(key, iv, aad, sealed);
    REQUIRE(opened.ok());
    CHECK(ct_equal(opened->expose(), plain));
  }
  // A new login that fails is reported as such, and the next call tries again.
  hsm.fail("C_EncryptInit", 0, CKR_SESSION_HANDLE_INVALID);
  hsm.fail("C_Login", 0, CKR_PIN_LOCKED);
  expect_refused(token->encrypt(key, iv, aad, plain), "login to token");
  CHECK(token->encrypt(key, iv, aad, plain).ok());
}

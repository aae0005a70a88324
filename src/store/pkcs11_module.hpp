#pragma once
// PKCS#11 modules loaded with dlopen and shared by every token opened on them (private to
// src/store). The Cryptoki definitions come from p11-kit's pkcs11.h (Debian libp11-kit-dev), which
// follows PKCS#11 v2.40 including CK_GCM_PARAMS with ulIvBits.
#include <p11-kit-1/p11-kit/pkcs11.h>

#include <memory>
#include <string>

#include "tsign/core/result.hpp"

namespace tsign::detail {

// A module initialized (C_Initialize) for as long as a reference to it lives; C_Finalize runs when
// the last reference goes, unless something else in the process had initialized the module.
class Pkcs11Module {
 public:
  static Result<std::shared_ptr<Pkcs11Module>> load(const std::string& path);
  ~Pkcs11Module();
  Pkcs11Module(const Pkcs11Module&) = delete;
  Pkcs11Module& operator=(const Pkcs11Module&) = delete;

  CK_FUNCTION_LIST* functions() const { return functions_; }
  const std::string& path() const { return path_; }

 private:
  Pkcs11Module(std::string path, CK_FUNCTION_LIST* functions) : path_(std::move(path)), functions_(functions) {}
  std::string path_;
  CK_FUNCTION_LIST* functions_;
};

// "CKR_PIN_INCORRECT", or the value in hex for codes without a name here.
std::string pkcs11_rv_name(CK_RV rv);
Error pkcs11_error(const std::string& what, CK_RV rv);

}  // namespace tsign::detail

#include "pkcs11_module.hpp"

#include <dlfcn.h>

#include <cstdio>
#include <map>
#include <mutex>

namespace tsign::detail {

namespace {

struct ModuleEntry {
  CK_FUNCTION_LIST* functions = nullptr;
  int users = 0;
  bool we_initialized = false;  // false when another component of the process had initialized it
};

// Keyed by module path. dlopen handles are never closed (see pkcs11_token.hpp).
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, ModuleEntry>& registry() {
  static auto* r = new std::map<std::string, ModuleEntry>();  // outlives static destructors
  return *r;
}

}  // namespace

std::string pkcs11_rv_name(CK_RV rv) {
  switch (rv) {
    case CKR_OK: return "CKR_OK";
    case CKR_GENERAL_ERROR: return "CKR_GENERAL_ERROR";
    case CKR_FUNCTION_FAILED: return "CKR_FUNCTION_FAILED";
    case CKR_ARGUMENTS_BAD: return "CKR_ARGUMENTS_BAD";
    case CKR_ATTRIBUTE_SENSITIVE: return "CKR_ATTRIBUTE_SENSITIVE";
    case CKR_DEVICE_ERROR: return "CKR_DEVICE_ERROR";
    case CKR_DEVICE_REMOVED: return "CKR_DEVICE_REMOVED";
    case CKR_ENCRYPTED_DATA_INVALID: return "CKR_ENCRYPTED_DATA_INVALID";
    case CKR_ENCRYPTED_DATA_LEN_RANGE: return "CKR_ENCRYPTED_DATA_LEN_RANGE";
    case CKR_KEY_HANDLE_INVALID: return "CKR_KEY_HANDLE_INVALID";
    case CKR_MECHANISM_INVALID: return "CKR_MECHANISM_INVALID";
    case CKR_MECHANISM_PARAM_INVALID: return "CKR_MECHANISM_PARAM_INVALID";
    case CKR_PIN_INCORRECT: return "CKR_PIN_INCORRECT";
    case CKR_PIN_LOCKED: return "CKR_PIN_LOCKED";
    case CKR_SESSION_HANDLE_INVALID: return "CKR_SESSION_HANDLE_INVALID";
    case CKR_TOKEN_NOT_PRESENT: return "CKR_TOKEN_NOT_PRESENT";
    case CKR_TOKEN_NOT_RECOGNIZED: return "CKR_TOKEN_NOT_RECOGNIZED";
    case CKR_USER_NOT_LOGGED_IN: return "CKR_USER_NOT_LOGGED_IN";
    case CKR_USER_PIN_NOT_INITIALIZED: return "CKR_USER_PIN_NOT_INITIALIZED";
    case CKR_BUFFER_TOO_SMALL: return "CKR_BUFFER_TOO_SMALL";
    case CKR_CRYPTOKI_NOT_INITIALIZED: return "CKR_CRYPTOKI_NOT_INITIALIZED";
    default: break;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "CKR 0x%lx", static_cast<unsigned long>(rv));
  return buf;
}

Error pkcs11_error(const std::string& what, CK_RV rv) {
  return make_error(ErrorKind::Storage, what + " (" + pkcs11_rv_name(rv) + ")");
}

Result<std::shared_ptr<Pkcs11Module>> Pkcs11Module::load(const std::string& path) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  auto& reg = registry();
  auto it = reg.find(path);
  if (it == reg.end() || it->second.users == 0) {
    ModuleEntry entry;
    if (it != reg.end()) entry.functions = it->second.functions;  // loaded before, finalized since
    if (entry.functions == nullptr) {
      void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle == nullptr) {
        const char* why = ::dlerror();
        return make_error(ErrorKind::Storage, "cannot load PKCS#11 module " + path + ": " + (why ? why : "unknown error"));
      }
      auto get_list = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(handle, "C_GetFunctionList"));
      if (get_list == nullptr) {
        return make_error(ErrorKind::Storage, path + " is not a PKCS#11 module (no C_GetFunctionList)");
      }
      CK_RV rv = get_list(&entry.functions);
      if (rv != CKR_OK || entry.functions == nullptr) {
        return pkcs11_error("C_GetFunctionList failed in " + path, rv);
      }
    }
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    CK_RV rv = entry.functions->C_Initialize(&args);
    if (rv == CKR_OK) {
      entry.we_initialized = true;
    } else if (rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      reg[path] = entry;  // keep the function list: the library stays mapped
      return pkcs11_error("C_Initialize failed in " + path, rv);
    }
    it = reg.insert_or_assign(path, entry).first;
  }
  ++it->second.users;
  return std::shared_ptr<Pkcs11Module>(new Pkcs11Module(path, it->second.functions));
}

Pkcs11Module::~Pkcs11Module() {
  std::lock_guard<std::mutex> lock(registry_mutex());
  auto it = registry().find(path_);
  if (it == registry().end()) return;
  if (--it->second.users == 0 && it->second.we_initialized) {
    functions_->C_Finalize(nullptr);
    it->second.we_initialized = false;
  }
}

}  // namespace tsign::detail

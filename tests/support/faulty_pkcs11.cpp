// A PKCS#11 module for the HSM tests that forwards to a real one (SoftHSM2) and fails, or lies,
// where a test tells it to: the token errors a custody host must survive without a broken token.
// Control: tsign_pkcs11_fault(function, nth, rv, fake), found with dlsym on this module.
#include <dlfcn.h>
#include <p11-kit-1/p11-kit/pkcs11.h>

#include <cstring>
#include <map>
#include <string>

namespace {

struct Fault {
  int countdown = 0;
  CK_RV rv = CKR_OK;
  long fake = -1;  // >= 0: the call succeeds but reports this (a count or a length) instead
};
std::map<std::string, Fault>& faults() {
  static std::map<std::string, Fault> f;
  return f;
}

// The armed fault of `name` if this call is the one it hits.
const Fault* hit(const char* name) {
  auto it = faults().find(name);
  if (it == faults().end()) return nullptr;
  if (it->second.countdown-- > 0) return nullptr;
  static Fault fired;
  fired = it->second;
  faults().erase(it);
  return &fired;
}

CK_FUNCTION_LIST* g_real = nullptr;
CK_FUNCTION_LIST g_list;

CK_RV initialize(CK_VOID_PTR args) {
  if (const Fault* f = hit("C_Initialize")) return f->rv;
  return g_real->C_Initialize(args);
}
CK_RV get_slot_list(CK_BBOOL present, CK_SLOT_ID_PTR slots, CK_ULONG_PTR count) {
  const Fault* f = hit("C_GetSlotList");
  if (f && f->fake < 0) return f->rv;
  CK_RV rv = g_real->C_GetSlotList(present, slots, count);
  if (f && rv == CKR_OK) {
    // Report the first slot `fake` times: several tokens under one label.
    if (slots != nullptr) {
      for (long i = 1; i < f->fake && static_cast<CK_ULONG>(i) < *count; ++i) slots[i] = slots[0];
    }
  }
  return rv;
}
CK_RV open_session(CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify, CK_SESSION_HANDLE_PTR session) {
  if (const Fault* f = hit("C_OpenSession")) return f->rv;
  return g_real->C_OpenSession(slot, flags, app, notify, session);
}
CK_RV login(CK_SESSION_HANDLE session, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG len) {
  if (const Fault* f = hit("C_Login")) return f->rv;
  return g_real->C_Login(session, user, pin, len);
}
CK_RV find_objects_init(CK_SESSION_HANDLE session, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count) {
  if (const Fault* f = hit("C_FindObjectsInit")) return f->rv;
  return g_real->C_FindObjectsInit(session, tmpl, count);
}
CK_RV find_objects(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE_PTR found, CK_ULONG max, CK_ULONG_PTR count) {
  const Fault* f = hit("C_FindObjects");
  if (f && f->fake < 0) return f->rv;
  CK_RV rv = g_real->C_FindObjects(session, found, max, count);
  if (f && rv == CKR_OK && *count > 0) {
    for (CK_ULONG i = *count; i < max && static_cast<long>(i) < f->fake; ++i) found[i] = found[0];
    *count = static_cast<CK_ULONG>(f->fake) < max ? static_cast<CK_ULONG>(f->fake) : max;
  }
  return rv;
}
CK_RV get_attribute_value(CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count) {
  if (const Fault* f = hit("C_GetAttributeValue")) return f->rv;
  return g_real->C_GetAttributeValue(session, object, tmpl, count);
}
CK_RV generate_key(CK_SESSION_HANDLE session, CK_MECHANISM_PTR mech, CK_ATTRIBUTE_PTR tmpl, CK_ULONG count,
                   CK_OBJECT_HANDLE_PTR key) {
  if (const Fault* f = hit("C_GenerateKey")) return f->rv;
  return g_real->C_GenerateKey(session, mech, tmpl, count, key);
}
// A fault that says the session is gone, or logged out, makes it so first: the caller must really
// open a new session, or log in again, before its retry can work.
CK_RV end_session_as(CK_SESSION_HANDLE session, CK_RV rv) {
  if (rv == CKR_SESSION_HANDLE_INVALID || rv == CKR_SESSION_CLOSED) g_real->C_CloseSession(session);
  if (rv == CKR_USER_NOT_LOGGED_IN) g_real->C_Logout(session);
  return rv;
}

CK_RV encrypt_init(CK_SESSION_HANDLE session, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key) {
  if (const Fault* f = hit("C_EncryptInit")) return end_session_as(session, f->rv);
  return g_real->C_EncryptInit(session, mech, key);
}
// C_Encrypt and C_Decrypt: the real call always runs (a failing call still ends the operation),
// then the armed fault replaces its result or the length it reports.
CK_RV transfer(const char* name, CK_C_Encrypt real, CK_SESSION_HANDLE session, CK_BYTE_PTR in, CK_ULONG in_len,
               CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
  const Fault* f = hit(name);
  CK_RV rv = real(session, in, in_len, out, out_len);
  if (f && f->fake < 0) return f->rv;
  if (f && rv == CKR_OK) *out_len = static_cast<CK_ULONG>(f->fake);
  return rv;
}
CK_RV encrypt(CK_SESSION_HANDLE session, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
  return transfer("C_Encrypt", g_real->C_Encrypt, session, in, in_len, out, out_len);
}
CK_RV decrypt_init(CK_SESSION_HANDLE session, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key) {
  if (const Fault* f = hit("C_DecryptInit")) return end_session_as(session, f->rv);
  return g_real->C_DecryptInit(session, mech, key);
}
CK_RV decrypt(CK_SESSION_HANDLE session, CK_BYTE_PTR in, CK_ULONG in_len, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
  return transfer("C_Decrypt", g_real->C_Decrypt, session, in, in_len, out, out_len);
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) void tsign_pkcs11_fault(const char* function, int nth, CK_RV rv, long fake) {
  faults()[function] = Fault{nth, rv, fake};
}

__attribute__((visibility("default"))) void tsign_pkcs11_clear_faults() { faults().clear(); }

__attribute__((visibility("default"))) CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
  if (const Fault* f = hit("C_GetFunctionList")) return f->rv;
  if (g_real == nullptr) {
    const char* path = std::getenv("TSIGN_REAL_PKCS11");
    void* handle = ::dlopen(path != nullptr ? path : "/usr/lib/softhsm/libsofthsm2.so", RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) return CKR_GENERAL_ERROR;
    auto get = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(handle, "C_GetFunctionList"));
    if (get == nullptr || get(&g_real) != CKR_OK) return CKR_GENERAL_ERROR;
    g_list = *g_real;
    g_list.C_Initialize = initialize;
    g_list.C_GetSlotList = get_slot_list;
    g_list.C_OpenSession = open_session;
    g_list.C_Login = login;
    g_list.C_FindObjectsInit = find_objects_init;
    g_list.C_FindObjects = find_objects;
    g_list.C_GetAttributeValue = get_attribute_value;
    g_list.C_GenerateKey = generate_key;
    g_list.C_EncryptInit = encrypt_init;
    g_list.C_Encrypt = encrypt;
    g_list.C_DecryptInit = decrypt_init;
    g_list.C_Decrypt = decrypt;
  }
  *list = &g_list;
  return CKR_OK;
}

}  // extern "C"

// Secrets really leave memory: scalars wipe themselves, and Secret<T> storage is locked.
#include <catch2/catch.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <new>
#include <string>
#include <vector>

#include "tsign/core/secret.hpp"
#include "tsign/math/group.hpp"

using namespace tsign;

namespace {

// Kilobytes of locked memory of this process (VmLck in /proc/self/status).
long locked_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmLck:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// Whether locking a page really shows in VmLck here. A host may forbid mlock (RLIMIT_MEMLOCK, a
// container policy), and AddressSanitizer replaces mlock with a no-op that reports success;
// libsodium then still allocates guarded memory, only unlocked.
bool mlock_observable() {
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  void* probe = std::aligned_alloc(page, page);
  if (probe == nullptr) return false;
  const long before = locked_kib();
  bool observed = false;
  if (mlock(probe, page) == 0) {
    observed = locked_kib() > before;
    munlock(probe, page);
  }
  std::free(probe);
  return observed;
}

template <class T>
bool all_zero_after_destruction(const T& value) {
  alignas(T) unsigned char storage[sizeof(T)];
  T* p = new (storage) T(value);
  p->~T();
  for (unsigned char b : storage) {
    if (b != 0) return false;
  }
  return true;
}

}  // namespace

TEMPLATE_TEST_CASE("scalars wipe their bytes when destroyed", "", Secp256k1Scalar, Ed25519Scalar) {
  CHECK(all_zero_after_destruction(TestType::random()));
}

TEST_CASE("Secret<T> lives in locked memory, reused after release within a bound") {
  if (!mlock_observable()) {
    WARN("mlock has no visible effect here (forbidden by the host, or replaced by a sanitizer): locking is not checkable");
    return;
  }
  const long before = locked_kib();
  REQUIRE(before >= 0);
  {
    Secret<Secp256k1Scalar> key(Secp256k1Scalar::random());
    SecretBytes bytes(64);
    CHECK(locked_kib() > before);
  }
  // Released blocks are wiped and stay locked for the next allocation of their size.
  const long released = locked_kib();
  {
    Secret<Secp256k1Scalar> key(Secp256k1Scalar::random());
    SecretBytes bytes(64);
    CHECK(locked_kib() == released);
  }
  // The blocks kept are bounded (4 MiB of content, each locked up to a page beyond it): releasing
  // far more than that unlocks the rest.
  {
    std::vector<SecretBytes> many;
    for (std::size_t i = 0; i < 96; ++i) many.emplace_back(64 * 1024 + 64 * i);
  }
  CHECK(locked_kib() <= before + 4 * 1024 + 4 * 96);
}

TEST_CASE("moving a secret leaves nothing behind in the source") {
  Secret<Secp256k1Scalar> a(Secp256k1Scalar::random());
  const auto value = a.expose();
  Secret<Secp256k1Scalar> b = std::move(a);
  CHECK_FALSE(a.has_value());  // NOLINT: checking the moved-from state is the point
  CHECK_THROWS_AS(a.expose(), std::logic_error);  // NOLINT
  CHECK(b.expose() == value);
  b.reset();  // wiped, as on decommissioning
  CHECK_THROWS_AS(b.expose(), std::logic_error);
  SecretBytes s = SecretBytes::copy_of(value.to_bytes());
  SecretBytes t;
  t = std::move(s);
  CHECK(s.empty());  // NOLINT
  CHECK(t.size() == 32);
}

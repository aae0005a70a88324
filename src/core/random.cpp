#include "tsign/core/random.hpp"

#include <sodium.h>

#include "core/declassify.hpp"
#include "core/sodium_init.hpp"

#ifdef TSIGN_HAVE_VALGRIND
#include <valgrind/memcheck.h>
#endif

namespace tsign {

void ensure_sodium() {
  static const int status = sodium_init();
  (void)status;  // 0 first time, 1 when already initialized; -1 would mean no entropy source
}

#ifdef TSIGN_TEST_HOOKS
namespace detail {
bool g_classify_randomness = false;
void classify_randomness_for_ctime_check(bool on) { g_classify_randomness = on; }
}  // namespace detail
#endif

void random_fill(std::span<std::uint8_t> out) {
  if (out.empty()) return;
  ensure_sodium();
  randombytes_buf(out.data(), out.size());
#if defined(TSIGN_HAVE_VALGRIND) && defined(TSIGN_TEST_HOOKS)
  // Under the constant-time check every random byte is a secret until declassified.
  if (detail::g_classify_randomness) (void)VALGRIND_MAKE_MEM_UNDEFINED(out.data(), out.size());
#endif
}

Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  random_fill(out);
  return out;
}

std::uint64_t random_below(std::uint64_t bound) {
  // Rejection sampling keeps the result uniform.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  for (;;) {
    std::uint64_t v = 0;
    random_fill({reinterpret_cast<std::uint8_t*>(&v), sizeof v});
    if (v < limit) return v % bound;
  }
}

}  // namespace tsign

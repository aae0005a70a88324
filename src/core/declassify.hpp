#pragma once
// Marks a value derived from secrets as public for the constant-time check (tests/ctime), which
// runs the protocols under valgrind with every secret marked undefined. Call it only where the
// protocol publishes the value anyway (a public key, a commitment, a validity flag).
#include <cstddef>

#ifdef TSIGN_HAVE_VALGRIND
#include <valgrind/memcheck.h>
#endif

namespace tsign::detail {

#ifdef TSIGN_TEST_HOOKS
// Test builds only (never installed), for the constant-time check (tests/ctime): from now on
// every random byte is marked undefined for valgrind memcheck, so any branch or memory index
// that depends on it is reported.
void classify_randomness_for_ctime_check(bool on);
#endif

inline void declassify(const void* p, std::size_t size) {
#ifdef TSIGN_HAVE_VALGRIND
  (void)VALGRIND_MAKE_MEM_DEFINED(p, size);
#else
  (void)p;
  (void)size;
#endif
}

template <class T>
inline T declassified(T value) {
  declassify(&value, sizeof value);
  return value;
}

}  // namespace tsign::detail

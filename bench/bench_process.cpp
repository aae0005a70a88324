// The benchmark process is set up as tsign's own programs are: freed heap is kept for reuse
// (custody/process.hpp), so the figures read as a signer's, not as a cold process's.
#include "tsign/custody/process.hpp"

namespace {

const bool kHeapKept = [] {
  tsign::keep_freed_heap_for_reuse();
  return true;
}();

}  // namespace

#include "tsign/core/secret.hpp"

#include <sodium.h>

#include <mutex>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "core/sodium_init.hpp"

namespace tsign {
namespace detail {

namespace {

// Released blocks by size, for the next allocation of the same size, up to a bound in bytes.
// A block that does not fit evicts blocks of other sizes first: the sizes a program uses now win
// over those of an earlier phase. Blocks arrive wiped. Not thread-safe by itself.
template <void (*Release)(void*)>
class BlockCache {
 public:
  explicit BlockCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}
  ~BlockCache() {
    for (auto& [size, list] : blocks_) {
      for (void* p : list) Release(p);
    }
  }
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;

  void* take(std::size_t size) {
    auto it = blocks_.find(size);
    if (it == blocks_.end() || it->second.empty()) return nullptr;
    void* p = it->second.back();
    it->second.pop_back();
    bytes_ -= size;
    return p;
  }

  // Keeps p, or releases it when it cannot fit. Never throws (callers are destructors).
  void keep(void* p, std::size_t size) noexcept {
    if (size > max_bytes_ / 4) return Release(p);  // one block may not crowd out the rest
    for (auto it = blocks_.begin(); bytes_ + size > max_bytes_ && it != blocks_.end(); ++it) {
      while (it->first != size && !it->second.empty() && bytes_ + size > max_bytes_) {
        Release(it->second.back());
        it->second.pop_back();
        bytes_ -= it->first;
      }
    }
    if (bytes_ + size > max_bytes_) return Release(p);
    try {
      blocks_[size].push_back(p);
      bytes_ += size;
    } catch (const std::bad_alloc&) {
      Release(p);
    }
  }

 private:
  std::size_t max_bytes_, bytes_ = 0;
  std::unordered_map<std::size_t, std::vector<void*>> blocks_;
};

void release_locked(void* p) { sodium_free(p); }  // sodium_free wipes before unmapping
void release_heap(void* p) { ::operator delete(p); }

// A locked, guarded block costs about 140 µs of system calls to map, lock and unmap here, more
// than most computations that hold one: released blocks stay locked and fenced by their guard
// pages while they wait. Never destroyed: secrets with static storage may be released after any
// other static object.
struct LockedCache {
  std::mutex mutex;
  BlockCache<release_locked> blocks{4 * 1024 * 1024};
};
LockedCache& locked_cache() {
  static LockedCache* cache = new LockedCache;
  return *cache;
}

// Scratch blocks stay with their thread: repeated computations then neither lock nor make the
// C library grow and trim its heap every time.
BlockCache<release_heap>& scratch_cache() {
  thread_local BlockCache<release_heap> cache(2 * 1024 * 1024);
  return cache;
}

}  // namespace

void* secure_alloc(std::size_t size) {
  ensure_sodium();
  if (size == 0) size = 1;
  {
    LockedCache& cache = locked_cache();
    std::lock_guard lock(cache.mutex);
    if (void* p = cache.blocks.take(size)) return p;
  }
  void* p = sodium_malloc(size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void secure_free(void* p, std::size_t size) {
  if (p == nullptr) return;
  if (size == 0) size = 1;
  sodium_memzero(p, size);
  LockedCache& cache = locked_cache();
  std::lock_guard lock(cache.mutex);
  cache.blocks.keep(p, size);
}

void secure_wipe(void* p, std::size_t size) { sodium_memzero(p, size); }

void* scratch_alloc(std::size_t size) {
  if (void* p = scratch_cache().take(size)) return p;
  return ::operator new(size);
}

void scratch_free(void* p, std::size_t size) { scratch_cache().keep(p, size); }

}  // namespace detail

SecretBytes::SecretBytes(std::size_t size)
    : data_(size == 0 ? nullptr : static_cast<std::uint8_t*>(detail::secure_alloc(size))), size_(size) {
  if (data_ != nullptr) sodium_memzero(data_, size_);
}

SecretBytes SecretBytes::copy_of(std::span<const std::uint8_t> data) {
  SecretBytes out(data.size());
  if (!data.empty()) std::copy(data.begin(), data.end(), out.data_);
  return out;
}

SecretBytes::~SecretBytes() {
  detail::secure_free(data_, size_);
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    detail::secure_free(data_, size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

}  // namespace tsign

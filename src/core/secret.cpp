#include "tsign/core/secret.hpp"

#include <sodium.h>

#include <mutex>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "tsign/core/sodium_init.hpp"

namespace tsign {
namespace detail {

namespace {

// A locked, guarded block costs a few hundred microseconds of system calls to map and unmap
// (mmap, mprotect, mlock and their reverse), more than most computations that hold one. Freed
// blocks are wiped and kept, up to a bound, for the next allocation of the same size: they stay
// locked and fenced by their guard pages while they wait.
class BlockCache {
 public:
  void* take(std::size_t size) {
    std::lock_guard lock(mutex_);
    auto it = blocks_.find(size);
    if (it == blocks_.end() || it->second.empty()) return nullptr;
    void* p = it->second.back();
    it->second.pop_back();
    bytes_ -= size;
    return p;
  }

  // False when the block does not fit the bound; the caller releases it.
  bool keep(void* p, std::size_t size) {
    if (size > kMaxBlock) return false;
    sodium_memzero(p, size);
    std::lock_guard lock(mutex_);
    if (bytes_ + size > kMaxBytes) return false;
    blocks_[size].push_back(p);
    bytes_ += size;
    return true;
  }

 private:
  static constexpr std::size_t kMaxBlock = 256 * 1024, kMaxBytes = 4 * 1024 * 1024;
  std::mutex mutex_;
  std::unordered_map<std::size_t, std::vector<void*>> blocks_;
  std::size_t bytes_ = 0;
};

// Never destroyed: secrets with static storage may be freed after any other static object.
BlockCache& block_cache() {
  static BlockCache* cache = new BlockCache;
  return *cache;
}

}  // namespace

void* secure_alloc(std::size_t size) {
  ensure_sodium();
  if (size == 0) size = 1;
  if (void* p = block_cache().take(size)) return p;
  void* p = sodium_malloc(size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void secure_free(void* p, std::size_t size) {
  if (p == nullptr) return;
  if (size == 0) size = 1;
  if (!block_cache().keep(p, size)) sodium_free(p);  // sodium_free wipes before unmapping
}

void secure_wipe(void* p, std::size_t size) { sodium_memzero(p, size); }

namespace {

// Released scratch blocks of this thread by size, up to a bound.
struct ScratchCache {
  static constexpr std::size_t kMaxBytes = 2 * 1024 * 1024;
  std::unordered_map<std::size_t, std::vector<void*>> blocks;
  std::size_t bytes = 0;
  ~ScratchCache() {
    for (auto& [size, list] : blocks) {
      for (void* p : list) ::operator delete(p);
    }
  }
};

ScratchCache& scratch_cache() {
  thread_local ScratchCache cache;
  return cache;
}

}  // namespace

void* scratch_alloc(std::size_t size) {
  ScratchCache& cache = scratch_cache();
  if (auto it = cache.blocks.find(size); it != cache.blocks.end() && !it->second.empty()) {
    void* p = it->second.back();
    it->second.pop_back();
    cache.bytes -= size;
    return p;
  }
  return ::operator new(size);
}

void scratch_free(void* p, std::size_t size) {
  ScratchCache& cache = scratch_cache();
  if (cache.bytes + size > ScratchCache::kMaxBytes) {
    ::operator delete(p);
    return;
  }
  try {
    cache.blocks[size].push_back(p);
    cache.bytes += size;
  } catch (const std::bad_alloc&) {
    ::operator delete(p);  // called from destructors: never throw
  }
}

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

#pragma once
// Secret containers: move-only, wiped on destruction, never printed, read through expose().
// Storage comes from libsodium's guarded allocator: locked in memory (no swap) and fenced by
// guard pages, which suits long-lived secrets such as key shares and identity keys.
#include <cstddef>
#include <cstdint>
#include <new>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace tsign {

namespace detail {
void* secure_alloc(std::size_t size);         // throws std::bad_alloc
void secure_free(void* p, std::size_t size);  // wipes before releasing; size as allocated
void secure_wipe(void* p, std::size_t size);
}  // namespace detail

// A variable-length secret byte string in locked memory.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size);
  static SecretBytes copy_of(std::span<const std::uint8_t> data);
  ~SecretBytes();
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  std::span<const std::uint8_t> expose() const { return {data_, size_}; }
  std::span<std::uint8_t> expose_mut() { return {data_, size_}; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  SecretBytes clone() const { return copy_of(expose()); }

 private:
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// One secret value of type T (a scalar, a key) in locked memory.
template <class T>
class Secret {
 public:
  explicit Secret(T value = T{}) : ptr_(new (detail::secure_alloc(sizeof(T))) T(std::move(value))) {}
  ~Secret() { reset(); }
  Secret(Secret&& other) noexcept : ptr_(std::exchange(other.ptr_, nullptr)) {}
  Secret& operator=(Secret&& other) noexcept {
    if (this != &other) {
      reset();
      ptr_ = std::exchange(other.ptr_, nullptr);
    }
    return *this;
  }
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;

  // Reading an empty (moved-from or wiped) secret is a programming error: it throws
  // std::logic_error instead of dereferencing nothing, so a decommissioned share cannot be encoded.
  const T& expose() const { return *checked(); }
  T& expose_mut() { return *checked(); }
  Secret clone() const { return Secret(*checked()); }
  bool has_value() const { return ptr_ != nullptr; }
  // Wipes the value now; the object is empty afterwards (a moved-from state).
  void reset() {
    if (ptr_ != nullptr) {
      ptr_->~T();
      detail::secure_free(ptr_, sizeof(T));
      ptr_ = nullptr;
    }
  }

 private:
  T* checked() const {
    if (ptr_ == nullptr) throw std::logic_error("tsign: an empty (moved-from or wiped) secret was read");
    return ptr_;
  }

  T* ptr_;
};

// Scratch space for one computation over a batch of secret values: `count` values of a trivially
// copyable T, zeroed at first and wiped on destruction. It lives in ordinary heap memory, not
// in the locked, guarded pages of Secret and SecretBytes: those cost a few hundred microseconds
// of system calls per allocation, more than many computations that need scratch, and protect
// long-lived values (key shares) against swap, not buffers that live for milliseconds.
template <class T>
class SecretScratch {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  explicit SecretScratch(std::size_t count) : data_(new T[count]()), count_(count) {}
  ~SecretScratch() {
    detail::secure_wipe(data_, count_ * sizeof(T));
    delete[] data_;
  }
  SecretScratch(const SecretScratch&) = delete;
  SecretScratch& operator=(const SecretScratch&) = delete;

  std::span<const T> expose() const { return {data_, count_}; }
  std::span<T> expose_mut() { return {data_, count_}; }

 private:
  T* data_;
  std::size_t count_;
};

}  // namespace tsign

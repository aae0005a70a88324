#pragma once
// Secret containers: move-only, wiped on destruction, never printed, read through expose().
// Storage comes from libsodium's guarded allocator: locked in memory (no swap) and fenced by
// guard pages, which suits long-lived secrets such as key shares and identity keys.
#include <cstddef>
#include <cstdint>
#include <cstring>
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
// Heap blocks for SecretScratch, kept per thread after release (the caller wipes them first) so
// that repeated computations do not make the C library grow and trim its heap every time.
void* scratch_alloc(std::size_t size);  // throws std::bad_alloc
void scratch_free(void* p, std::size_t size);
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

// Scratch space for one computation over secret values: `count` values of a trivially copyable
// T, wiped on destruction (and on truncation). It lives in ordinary heap memory, not in the
// locked, guarded pages of Secret and SecretBytes: those protect long-lived values (key shares)
// against swap and cost system calls to map, where these buffers live for milliseconds.
template <class T>
class SecretScratch {
  static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= alignof(std::max_align_t));

 public:
  SecretScratch() = default;
  // count zeroed values.
  explicit SecretScratch(std::size_t count) : SecretScratch(uninitialized(count)) {
    if (n_ != 0) std::memset(static_cast<void*>(p_), 0, n_ * sizeof(T));
  }
  // count values left uninitialized, for a buffer written in full before it is read: a large
  // buffer would otherwise be cleared once for nothing.
  static SecretScratch uninitialized(std::size_t count) {
    SecretScratch v;
    if (count != 0) v.p_ = static_cast<T*>(detail::scratch_alloc(count * sizeof(T)));
    v.n_ = v.capacity_ = count;
    return v;
  }
  ~SecretScratch() { release(); }
  SecretScratch(SecretScratch&& o) noexcept
      : p_(std::exchange(o.p_, nullptr)), n_(std::exchange(o.n_, 0)), capacity_(std::exchange(o.capacity_, 0)) {}
  SecretScratch& operator=(SecretScratch&& o) noexcept {
    if (this != &o) {
      release();
      p_ = std::exchange(o.p_, nullptr);
      n_ = std::exchange(o.n_, 0);
      capacity_ = std::exchange(o.capacity_, 0);
    }
    return *this;
  }
  SecretScratch(const SecretScratch&) = delete;
  SecretScratch& operator=(const SecretScratch&) = delete;

  // Keeps the first n values (n <= size()) and wipes the rest, without a copy.
  void truncate(std::size_t n) {
    if (n > n_) throw std::logic_error("tsign: scratch truncated beyond its size");
    detail::secure_wipe(p_ + n, (n_ - n) * sizeof(T));
    n_ = n;
  }

  T* data() { return p_; }
  const T* data() const { return p_; }
  std::size_t size() const { return n_; }
  T& operator[](std::size_t i) { return p_[i]; }
  const T& operator[](std::size_t i) const { return p_[i]; }
  std::span<T> span() { return {p_, n_}; }
  std::span<const T> span() const { return {p_, n_}; }

 private:
  void release() {
    if (p_ == nullptr) return;
    detail::secure_wipe(p_, n_ * sizeof(T));  // truncate wiped the rest
    detail::scratch_free(p_, capacity_ * sizeof(T));
    p_ = nullptr;
    n_ = capacity_ = 0;
  }
  T* p_ = nullptr;
  std::size_t n_ = 0, capacity_ = 0;
};

}  // namespace tsign

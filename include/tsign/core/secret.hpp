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
void* secure_alloc(std::size_t size);  // throws std::bad_alloc
void secure_free(void* p);             // wipes before releasing
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
      detail::secure_free(ptr_);
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

// `count` values of a trivially copyable T in locked memory, zeroed at first and wiped on
// destruction: scratch space for a batch of secret values whose count is known only at run time.
template <class T>
class SecretArray {
  static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= 16);

 public:
  // The size is padded to a multiple of 16: the allocator places a block against its guard page,
  // so a padded size keeps the start aligned.
  explicit SecretArray(std::size_t count) : bytes_((count * sizeof(T) + 15) / 16 * 16), count_(count) {}
  std::span<const T> expose() const { return {reinterpret_cast<const T*>(bytes_.expose().data()), count_}; }
  std::span<T> expose_mut() { return {reinterpret_cast<T*>(bytes_.expose_mut().data()), count_}; }

 private:
  SecretBytes bytes_;
  std::size_t count_;
};

}  // namespace tsign

#include "tsign/core/secret.hpp"

#include <sodium.h>

#include <stdexcept>

#include "tsign/core/sodium_init.hpp"

namespace tsign {
namespace detail {

void* secure_alloc(std::size_t size) {
  ensure_sodium();
  void* p = sodium_malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void secure_free(void* p) { sodium_free(p); }  // sodium_free wipes before unmapping

void secure_wipe(void* p, std::size_t size) { sodium_memzero(p, size); }

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
  if (data_ != nullptr) detail::secure_free(data_);
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) detail::secure_free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

}  // namespace tsign

#pragma once
// Result<T>: a value or an Error naming what went wrong and which parties are to blame.
#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "tsign/core/bytes.hpp"

namespace tsign {

enum class ErrorKind {
  InvalidInput,     // malformed or inconsistent input from the caller, a file or a peer
  InvalidKeyShare,  // a key share that fails its own consistency checks
  ProtocolAborted,  // a peer broke a protocol check; culprits names every such peer
  Transport,        // connection, framing or authentication failure
  Timeout,          // a deadline passed; culprits names every party still missing
  Storage,          // a file or HSM could not be read, written or opened
  PolicyDenied,     // a signing request was refused by the local policy
  Internal,         // a bug in tsign itself
};

const char* to_string(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
  std::vector<PartyId> culprits;

  std::string describe() const;  // "protocol aborted: <message> (culprits: 2, 5)"
};

inline Error make_error(ErrorKind kind, std::string message, std::vector<PartyId> culprits = {}) {
  return Error{kind, std::move(message), std::move(culprits)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(state_); }
  const T& value() const& { assert(ok()); return std::get<0>(state_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(state_)); }
  const Error& error() const { assert(!ok()); return std::get<1>(state_); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace tsign

// Propagates an error: `TSIGN_TRY(auto x, parse(...));` binds the value or returns the error.
#define TSIGN_CONCAT_INNER(a, b) a##b
#define TSIGN_CONCAT(a, b) TSIGN_CONCAT_INNER(a, b)
#define TSIGN_TRY(decl, expr)                                       \
  auto TSIGN_CONCAT(tsign_try_, __LINE__) = (expr);                 \
  if (!TSIGN_CONCAT(tsign_try_, __LINE__).ok())                     \
    return TSIGN_CONCAT(tsign_try_, __LINE__).error();              \
  decl = std::move(TSIGN_CONCAT(tsign_try_, __LINE__)).value()
#define TSIGN_CHECK(expr)                                           \
  do {                                                              \
    auto tsign_check_status = (expr);                               \
    if (!tsign_check_status.ok()) return tsign_check_status.error(); \
  } while (0)

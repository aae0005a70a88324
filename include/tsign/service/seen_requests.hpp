#pragma once
// The request ids a signer service has taken, kept until each request expires: a request is
// recorded here (appended and fsynced) before the service acts on it, so a replayed request is
// refused even after a crash or restart. One line per id: "<id hex> <expires_at>\n". Opening
// drops a torn last line and the expired ids, and rewrites the file atomically.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"

namespace tsign {

class SeenRequests {
 public:
  // `max_entries` bounds the set (and the file): past it, insert refuses until ids expire.
  static Result<SeenRequests> open(const std::filesystem::path& file, std::uint64_t now, std::size_t max_entries);
  SeenRequests(SeenRequests&&) noexcept;
  SeenRequests& operator=(SeenRequests&&) noexcept;
  ~SeenRequests();

  // False when the id was seen already; otherwise records it durably first. Storage error when
  // the record cannot be made durable, InvalidInput when the set is full. Thread-safe.
  Result<bool> insert(ByteSpan id, std::uint64_t expires_at);
  bool contains(ByteSpan id) const;
  // Forgets the ids expired at `now` and compacts the file.
  Status prune(std::uint64_t now);
  std::size_t size() const;

 private:
  struct State;
  explicit SeenRequests(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace tsign

#pragma once
// Helpers shared by the test binaries: vectors on disk and hex shorthand.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "tsign/core/bytes.hpp"

namespace tsign::test {

// tests/vectors/<name>, parsed.
nlohmann::json load_vector(const std::string& name);
// Every *.json in tests/vectors/ and in $TSIGN_EXTRA_VECTORS whose name starts with prefix.
std::vector<std::filesystem::path> vector_files(const std::string& prefix);
nlohmann::json load_json(const std::filesystem::path& path);

inline Bytes hex(const std::string& s) { return from_hex(s); }
template <std::size_t N>
ByteArray<N> hex_array(const std::string& s) {
  Bytes b = from_hex(s);
  ByteArray<N> out{};
  if (b.size() != N) throw std::invalid_argument("hex_array: wrong length");
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}

}  // namespace tsign::test

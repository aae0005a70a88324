#pragma once
// Shared helpers for the storage tests: temporary directories, sample headers, fast protectors.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "tsign/core/bytes.hpp"
#include "tsign/store/passphrase_protector.hpp"
#include "tsign/store/share_header.hpp"

namespace tsign::test {

// A fresh directory under the system temporary directory, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tsign-store-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline ShareHeader sample_header(PartyId party = 1, std::uint64_t epoch = 0, std::uint8_t key_byte = 0xab) {
  ShareHeader h;
  h.key_id.fill(key_byte);
  h.party_id = party;
  h.epoch = epoch;
  h.suite = ShareSuite::FrostSecp256k1;
  h.threshold = 2;
  h.parties = 3;
  return h;
}

inline SecretBytes secret_text(std::string_view s) { return SecretBytes::copy_of(as_bytes(s)); }

// Minimal Argon2id cost so tests stay fast; the ceiling keeps a tampered header from asking more.
inline PassphraseProtector fast_protector(std::string_view passphrase = "correct horse") {
  return PassphraseProtector(secret_text(passphrase), Argon2Params::minimal(), Argon2Params{2, 65536});
}

inline Bytes sample_share(std::string_view tag = "share") {
  Bytes b(as_bytes(tag).begin(), as_bytes(tag).end());
  for (std::uint8_t i = 0; i < 40; ++i) b.push_back(i);
  return b;
}

inline bool same(ByteSpan a, ByteSpan b) { return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin()); }

}  // namespace tsign::test

#pragma once
// Shared helpers for the storage tests: temporary directories, sample headers, fast protectors.
#include <catch2/catch.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <system_error>
#include <vector>
#include <algorithm>
#include <stdexcept>

#include <fstream>
#include <string_view>

#include "tsign/core/bytes.hpp"
#include "tsign/store/atomic_file.hpp"
#include "tsign/store/passphrase_protector.hpp"
#include "tsign/store/share_header.hpp"
#include "support/temp_dir.hpp"

namespace tsign::test {

// The call failed, and its error message says `reason` (the check meant to refuse did).
template <class R>
void expect_refused(const R& r, std::string_view reason) {
  REQUIRE_FALSE(r.ok());
  INFO(r.error().describe());
  CHECK(r.error().message.find(reason) != std::string::npos);
}

inline Bytes read_all(const std::filesystem::path& path) { return *read_file(path, 1 << 20); }
// Plain rewrite (no fsync): tests that corrupt files rewrite them hundreds of times.
inline void write_all_bytes(const std::filesystem::path& path, ByteSpan data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  REQUIRE(out.good());
}


// Runs body in a forked child, which exits with body's return value unless killed first; returns the
// wait status. The child never returns into the test framework.
inline int run_in_child(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int code = 1;
    try {
      code = body();
    } catch (...) {
      code = 2;
    }
    ::_exit(code);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  }
  return status;
}

inline bool killed_by_sigkill(int status) { return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL; }
inline bool exited_with(int status, int code) { return WIFEXITED(status) && WEXITSTATUS(status) == code; }

// File names in a directory, sorted.
inline std::vector<std::string> list_names(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

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

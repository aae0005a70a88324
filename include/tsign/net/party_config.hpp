#pragma once
// A party's network configuration: who it is, where it listens, its static Noise key and every
// peer with its pinned static public key. The multi-process tools read it from a small text file
// with a strict parser: an unknown key, a repeated key, a duplicate peer, a malformed address or
// key is an error, never a guess.
//
//   # tsign party configuration
//   version = 1
//   id = 1
//   listen = 127.0.0.1:7001
//   static_key_file = party1.key            # or: static_key = <64 hex digits>
//   peer = 2 127.0.0.1:7002 <64 hex digits: X25519 public key>
//   peer = 3 [::1]:7003 <64 hex digits>
//
// A relative static_key_file is resolved against the configuration file's directory; the key
// file holds the 64 hex digits of the X25519 private key and must not be readable by group or
// others. Ports are 1-65535; listen may use port 0 (any free port, for tests).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tsign/core/hash.hpp"
#include "tsign/core/result.hpp"
#include "tsign/net/x25519.hpp"

namespace tsign {

struct PeerConfig {
  PartyId id = 0;
  std::string host;
  std::uint16_t port = 0;
  X25519PublicKey static_key{};
};

struct PartyConfig {
  PartyId id = 0;
  std::string listen_host;
  std::uint16_t listen_port = 0;
  X25519KeyPair static_key = X25519KeyPair::generate();
  std::vector<PeerConfig> peers;  // ascending id

  PartyConfig clone() const;
  const PeerConfig* peer(PartyId peer_id) const;
  // Every party id of the cluster, this one included, ascending.
  std::vector<PartyId> party_ids() const;
  // A digest of the cluster's membership and pinned keys (id and static public key of every
  // party), bound into every handshake: parties that disagree on it cannot connect.
  Digest32 cluster_hash() const;
};

inline constexpr std::size_t kMaxConfigBytes = 1u << 20;
inline constexpr std::size_t kMaxPeers = 4096;

// Parses configuration text; `base_dir` resolves a relative static_key_file.
Result<PartyConfig> parse_party_config(std::string_view text, const std::filesystem::path& base_dir);
Result<PartyConfig> load_party_config(const std::filesystem::path& file);
// The text of a configuration, with the key either inline or as a key file reference.
std::string format_party_config(const PartyConfig& config, const std::optional<std::string>& static_key_file);

// Key files: 64 hex digits and a newline, created with mode 0600 (never overwritten).
Status write_static_key_file(const std::filesystem::path& file, const X25519KeyPair& key);
Result<X25519KeyPair> read_static_key_file(const std::filesystem::path& file);

// "host:port" or "[v6-address]:port" with a host of letters, digits, '.', '-' and ':' (IPv6 only
// inside brackets); `allow_port_zero` for listen addresses.
Result<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text, bool allow_port_zero);

}  // namespace tsign

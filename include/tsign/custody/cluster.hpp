#pragma once
// The cluster configuration every party of a key uses (format in docs/cli.md):
//
//   # tsign cluster configuration
//   version = 1
//   party = 1 10.0.0.1:7001 <transport key: 64 hex> <audit key: 64 hex>
//   party = 2 10.0.0.2:7001 <64 hex> <64 hex>
//
// Each line names a party: its id, where it listens, the X25519 public key its TCP connections are
// authenticated with (Noise_KK) and the Ed25519 key that signs its audit log, both in its vault's
// identity.pub (Vault::create, `tsign init`). The parser is strict: an unknown key, a repeated
// party, id, address or key, a malformed field is an error naming the line, never a guess.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tsign/core/bytes.hpp"
#include "tsign/core/result.hpp"
#include "tsign/net/party_config.hpp"

namespace tsign {

struct ClusterMember {
  PartyId id = 0;
  std::string host;
  std::uint16_t port = 0;
  X25519PublicKey transport_key{};
  ByteArray<32> audit_key{};
};

struct Cluster {
  std::vector<ClusterMember> members;  // ascending id

  const ClusterMember* find(PartyId id) const;
  std::vector<PartyId> ids() const;
};

inline constexpr std::size_t kMaxClusterBytes = 1u << 20;
inline constexpr std::size_t kMaxClusterParties = 4096;

Result<Cluster> parse_cluster(std::string_view text);
Result<Cluster> load_cluster(const std::filesystem::path& file);

// The network configuration of `self` for an operation among `participants` (which must all be in
// the cluster, self included): it listens where its cluster line says and pins the transport key
// of every other participant. InvalidInput when the cluster lists another key for self.
Result<PartyConfig> network_config(const Cluster& cluster, PartyId self, const X25519KeyPair& transport_key,
                                   const std::vector<PartyId>& participants);

}  // namespace tsign

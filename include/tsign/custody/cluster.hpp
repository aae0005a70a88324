#pragma once
// The cluster configuration every party of a key uses (format in docs/cli.md):
//
//   # tsign cluster configuration
//   version = 1
//   party = 1 10.0.0.1:7001 <transport key: 64 hex> <audit key: 64 hex>
//   party = 2 10.0.0.2:7001 <64 hex> <64 hex>
//   requester = treasury-app <Ed25519 public key: 64 hex> sign,presign,health
//
// Each line names a party: its id, where it listens, the X25519 public key its TCP connections are
// authenticated with (Noise_KK) and the Ed25519 key that signs its audit log, both in its vault's
// identity.pub (Vault::create, `tsign init`). The parser is strict: an unknown key, a repeated
// party, id, address or key, a malformed field is an error naming the line, never a guess.
// A requester line authorizes a key to send requests to the signer service (tsignd,
// service/request.hpp) for the operations it lists; without one, the service takes no request.
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

// The operations a requester line may list.
inline constexpr std::string_view kRequestOperations[] = {"keygen", "sign",   "refresh", "reshare",
                                                          "repair", "presign", "health"};
inline constexpr std::size_t kMaxRequesterId = 64;
inline constexpr std::size_t kMaxRequesters = 1024;

struct Requester {
  std::string id;  // 1-64 of letters, digits, '-', '_', '.'
  ByteArray<32> public_key{};
  std::vector<std::string> operations;  // from kRequestOperations, distinct

  bool allows(std::string_view operation) const;
};

struct Cluster {
  std::vector<ClusterMember> members;  // ascending id
  std::vector<Requester> requesters;   // in file order

  const ClusterMember* find(PartyId id) const;
  const Requester* requester(std::string_view id) const;
  std::vector<PartyId> ids() const;
  // 32 hex digits naming the cluster: a digest of every member's id and keys. A request names it,
  // so one made for another cluster is refused.
  std::string cluster_id() const;
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

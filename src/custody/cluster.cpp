#include "tsign/custody/cluster.hpp"

#include <algorithm>
#include <set>

#include "tsign/core/file_io.hpp"
#include "tsign/core/hash.hpp"
#include "tsign/core/text_fields.hpp"
#include "tsign/store/atomic_file.hpp"

namespace tsign {

namespace {

Error line_error(std::size_t line, const std::string& what) {
  return make_error(ErrorKind::InvalidInput, "cluster configuration line " + std::to_string(line) + ": " + what);
}

bool is_requester_id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

Result<Requester> parse_requester(std::string_view value) {
  const auto fields = split_blank_separated(value);
  if (fields.size() != 3) return make_error(ErrorKind::InvalidInput, "expected 'requester = <id> <Ed25519 key> <operations>'");
  Requester r;
  if (fields[0].empty() || fields[0].size() > kMaxRequesterId ||
      !std::all_of(fields[0].begin(), fields[0].end(), is_requester_id_char)) {
    return make_error(ErrorKind::InvalidInput, "requester id: 1 to 64 letters, digits, '-', '_' or '.'");
  }
  r.id = std::string(fields[0]);
  TSIGN_TRY(r.public_key, parse_hex_array<32>(fields[1], "requester key"));
  std::string_view ops = fields[2];
  while (true) {
    const auto comma = ops.find(',');
    const std::string_view op = ops.substr(0, comma);
    if (std::find(std::begin(kRequestOperations), std::end(kRequestOperations), op) == std::end(kRequestOperations)) {
      return make_error(ErrorKind::InvalidInput, "unknown operation '" + std::string(op.substr(0, 20)) + "'");
    }
    if (r.allows(op)) return make_error(ErrorKind::InvalidInput, "operation '" + std::string(op) + "' listed twice");
    r.operations.emplace_back(op);
    if (comma == std::string_view::npos) break;
    ops = ops.substr(comma + 1);
  }
  return r;
}

}  // namespace

bool Requester::allows(std::string_view operation) const {
  return std::find(operations.begin(), operations.end(), operation) != operations.end();
}

const Requester* Cluster::requester(std::string_view id) const {
  auto it = std::find_if(requesters.begin(), requesters.end(), [&](const Requester& r) { return r.id == id; });
  return it == requesters.end() ? nullptr : &*it;
}

std::string Cluster::cluster_id() const {
  Sha256 h = tagged_hasher("tsign/cluster-id/v1");
  for (const ClusterMember& m : members) {
    h.update_u32(m.id);
    h.update(m.transport_key);
    h.update(m.audit_key);
  }
  const Digest32 digest = h.finish();
  return to_hex(ByteSpan(digest.data(), 16));
}

const ClusterMember* Cluster::find(PartyId id) const {
  auto it = std::find_if(members.begin(), members.end(), [&](const ClusterMember& m) { return m.id == id; });
  return it == members.end() ? nullptr : &*it;
}

std::vector<PartyId> Cluster::ids() const {
  std::vector<PartyId> out;
  for (const auto& m : members) out.push_back(m.id);
  return out;
}

Result<Cluster> parse_cluster(std::string_view text) {
  if (text.size() > kMaxClusterBytes) return make_error(ErrorKind::InvalidInput, "cluster configuration is too large");
  Cluster cluster;
  bool have_version = false;
  std::set<std::pair<std::string, std::uint16_t>> addresses;
  std::set<ByteArray<32>> keys;
  std::size_t line_no = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim_blanks(line);
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return line_error(line_no, "expected 'key = value'");
    const std::string_view key = trim_blanks(line.substr(0, eq));
    const std::string_view value = trim_blanks(line.substr(eq + 1));
    if (!have_version) {
      if (key != "version") return line_error(line_no, "the first setting must be 'version = 1'");
      if (value != "1") return line_error(line_no, "unsupported version '" + std::string(value.substr(0, 20)) + "'");
      have_version = true;
      continue;
    }
    if (key == "version") return line_error(line_no, "version given twice");
    if (key == "requester") {
      auto requester = parse_requester(value);
      if (!requester) return line_error(line_no, requester.error().message);
      if (cluster.requester(requester->id) != nullptr) return line_error(line_no, "requester " + requester->id + " listed twice");
      if (cluster.requesters.size() >= kMaxRequesters) return line_error(line_no, "too many requesters");
      cluster.requesters.push_back(std::move(requester).value());
      continue;
    }
    if (key != "party") return line_error(line_no, "unknown setting '" + std::string(key.substr(0, 40)) + "'");
    const auto fields = split_blank_separated(value);
    if (fields.size() != 4) {
      return line_error(line_no, "expected 'party = <id> <host:port> <transport key> <audit key>'");
    }
    ClusterMember m;
    auto id = parse_party_id(fields[0], "party id");
    if (!id) return line_error(line_no, id.error().message);
    m.id = *id;
    auto address = parse_host_port(fields[1], false);
    if (!address) return line_error(line_no, address.error().message);
    m.host = address->first;
    m.port = address->second;
    auto transport = parse_hex_array<32>(fields[2], "transport key");
    if (!transport) return line_error(line_no, transport.error().message);
    m.transport_key = *transport;
    auto audit = parse_hex_array<32>(fields[3], "audit key");
    if (!audit) return line_error(line_no, audit.error().message);
    m.audit_key = *audit;
    if (cluster.find(m.id) != nullptr) return line_error(line_no, "party " + std::to_string(m.id) + " listed twice");
    if (!addresses.emplace(m.host, m.port).second) {
      return line_error(line_no, "address " + std::string(fields[1]) + " is used by another party");
    }
    if (!keys.insert(m.transport_key).second || !keys.insert(m.audit_key).second) {
      return line_error(line_no, "a key is listed twice");
    }
    if (cluster.members.size() >= kMaxClusterParties) return line_error(line_no, "too many parties");
    cluster.members.push_back(std::move(m));
  }
  if (!have_version) return make_error(ErrorKind::InvalidInput, "cluster configuration: no 'version = 1' line");
  if (cluster.members.size() < 2) return make_error(ErrorKind::InvalidInput, "cluster configuration: fewer than two parties");
  std::sort(cluster.members.begin(), cluster.members.end(),
            [](const ClusterMember& a, const ClusterMember& b) { return a.id < b.id; });
  return cluster;
}

Result<Cluster> load_cluster(const std::filesystem::path& file) {
  auto bytes = read_file(file, kMaxClusterBytes);
  if (!bytes) return make_error(ErrorKind::InvalidInput, "cluster configuration: " + bytes.error().message);
  auto cluster = parse_cluster(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
  if (!cluster) return make_error(ErrorKind::InvalidInput, file.string() + ": " + cluster.error().message);
  return cluster;
}

Result<PartyConfig> network_config(const Cluster& cluster, PartyId self, const X25519KeyPair& transport_key,
                                   const std::vector<PartyId>& participants) {
  const ClusterMember* me = cluster.find(self);
  if (me == nullptr) {
    return make_error(ErrorKind::InvalidInput, "the cluster configuration does not list this party (" + std::to_string(self) + ")");
  }
  if (!ct_equal(me->transport_key, transport_key.public_key())) {
    return make_error(ErrorKind::InvalidInput, "the cluster configuration lists another transport key for party " +
                                                   std::to_string(self) + " than this directory's identity");
  }
  if (!std::binary_search(participants.begin(), participants.end(), self)) {
    return make_error(ErrorKind::InvalidInput, "party " + std::to_string(self) + " is not among the participants " +
                                                   format_party_list(participants));
  }
  PartyConfig config;
  config.id = self;
  config.listen_host = me->host;
  config.listen_port = me->port;
  config.static_key = transport_key.clone();
  for (PartyId p : participants) {
    if (p == self) continue;
    const ClusterMember* peer = cluster.find(p);
    if (peer == nullptr) {
      return make_error(ErrorKind::InvalidInput, "party " + std::to_string(p) + " is not in the cluster configuration");
    }
    config.peers.push_back({peer->id, peer->host, peer->port, peer->transport_key});
  }
  return config;
}

}  // namespace tsign

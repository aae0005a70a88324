// The tsign demo: three parties, one process each, each with its own vault (custody/vault.hpp:
// sealed identity, share store, audit log), talk over authenticated and encrypted TCP on
// loopback. They generate a 2-of-3 key with no dealer, sign with FROST (BIP-340/Taproot) and with
// threshold ECDSA (DKLs23), and every signature is checked by libsecp256k1.
//
//   demo                                  the whole run: three processes on 127.0.0.1
//   demo --setup DIR HOST:PORT x3         only write the parties' files into DIR, with party i
//                                         listening at the i-th address
//   demo --party ID DIR                   run one party from DIR (e.g. on its own machine or in
//                                         its own network namespace: tests/netns)
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tsign/core/random.hpp"
#include "tsign/custody/vault.hpp"
#include "tsign/net/party_config.hpp"

using namespace tsign;
namespace fs = std::filesystem;

namespace {

const std::vector<PartyId> kParties = {1, 2, 3};
constexpr std::uint32_t kThreshold = 2;

// A port the kernel considers free right now (loopback only).
std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::perror("free_port");
    std::exit(1);
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

using Address = std::pair<std::string, std::uint16_t>;

const fs::path kRunNonceFile = "run.nonce";
const fs::path kAddressesFile = "addresses";

// A demo's vaults are throwaway: a fixed passphrase, and an Argon2id cost that keeps three
// processes quick. A real party chooses its passphrase and keeps the default cost.
SecretBytes demo_passphrase() { return SecretBytes::copy_of(as_bytes(std::string_view("tsign demo passphrase"))); }
constexpr Argon2Params kDemoKdf{1, 32u << 20};

fs::path vault_dir(const fs::path& dir, PartyId id) { return dir / ("party" + std::to_string(id)); }

// Creates each party's vault (DIR/party<i>: sealed identity, share store, audit log) and writes
// the addresses every party listens at, and run.nonce, a fresh value all parties share that makes
// this run's session labels unique.
bool write_cluster(const fs::path& dir, const std::vector<Address>& addresses) {
  std::ofstream out(dir / kAddressesFile);
  for (std::size_t i = 0; i < kParties.size(); ++i) {
    auto created = Vault::create(vault_dir(dir, kParties[i]), kParties[i], demo_passphrase(), kDemoKdf);
    if (!created.ok()) {
      std::printf("demo: %s\n", created.error().describe().c_str());
      return false;
    }
    out << kParties[i] << " " << addresses[i].first << " " << addresses[i].second << "\n";
  }
  std::ofstream(dir / kRunNonceFile) << to_hex(random_array<16>()) << "\n";
  return out.good();
}

std::string read_run_nonce(const fs::path& dir) {
  std::string hex;
  std::ifstream(dir / kRunNonceFile) >> hex;
  return hex;
}

int fail(PartyId self, const char* step, const Error& error) {
  std::printf("[party %u] %s failed: %s\n", self, step, error.describe().c_str());
  return 1;
}

bool schnorr_verifies(ByteSpan signature, ByteSpan msg, ByteSpan xonly_key) {
  secp256k1_xonly_pubkey xonly;
  if (signature.size() != 64 || secp256k1_xonly_pubkey_parse(secp256k1_ctx(), &xonly, xonly_key.data()) != 1) return false;
  return secp256k1_schnorrsig_verify(secp256k1_ctx(), signature.data(), msg.data(), msg.size(), &xonly) == 1;
}

bool ecdsa_verifies(ByteSpan compact, const Digest32& digest, ByteSpan public_key) {
  secp256k1_ecdsa_signature parsed;
  secp256k1_pubkey key;
  if (secp256k1_ec_pubkey_parse(secp256k1_ctx(), &key, public_key.data(), public_key.size()) != 1) return false;
  if (secp256k1_ecdsa_signature_parse_compact(secp256k1_ctx(), &parsed, compact.data()) != 1) return false;
  return secp256k1_ecdsa_verify(secp256k1_ctx(), &parsed, digest.data(), &key) == 1;
}

// This party's TCP node: it listens where the addresses file says, with the vault's transport
// key, and pins every other party's key from its vault's identity.pub.
Result<std::unique_ptr<TcpNode>> start_node(const fs::path& dir, const Vault& vault) {
  PartyConfig config;
  config.id = vault.id();
  config.static_key = vault.transport_key().clone();
  std::ifstream in(dir / kAddressesFile);
  PartyId id = 0;
  std::string host;
  std::uint16_t port = 0;
  while (in >> id >> host >> port) {
    if (id == vault.id()) {
      config.listen_host = host;
      config.listen_port = port;
      continue;
    }
    TSIGN_TRY(PublicIdentity peer, Vault::public_identity(vault_dir(dir, id)));
    config.peers.push_back({id, host, port, peer.transport_key});
  }
  return TcpNode::start(std::move(config));
}

// One party's whole run, in its own process, through its vault, from the files write_cluster()
// put in `dir`.
int run_party(PartyId self, const fs::path& dir) {
  auto vault = Vault::open(vault_dir(dir, self), VaultUnlock(demo_passphrase()));
  if (!vault.ok()) return fail(self, "opening the vault", vault.error());
  auto node = start_node(dir, *vault);
  if (!node.ok()) return fail(self, "starting the TCP node", node.error());
  TcpPeerLink peers(**node);
  // Broadcasts are signed with each party's identity key and checked against the others'.
  for (PartyId id : kParties) {
    auto identity = Vault::public_identity(vault_dir(dir, id));
    if (!identity.ok()) return fail(self, "reading the identities", identity.error());
    peers.identity_keys[id] = identity->audit_key;
  }
  const std::string run = read_run_nonce(dir);

  // 1. Distributed key generation for FROST(secp256k1, BIP-340/Taproot): no dealer. The vault
  //    stages the share, confirms with every party that each stored its own, then commits.
  auto frost_key = vault->keygen({ShareSuite::FrostSecp256k1Taproot, kThreshold, kParties, run + "/frost"}, peers);
  if (!frost_key.ok()) return fail(self, "FROST key generation", frost_key.error());
  // The key-path-only output key (BIP-86): it commits to having no script path, so no party can
  // have hidden one in the key it helped generate.
  std::printf("[party %u] DKG done: Taproot output key %s\n", self, to_hex(frost_key->view.public_key).c_str());

  // 2. FROST signing by parties 1 and 2; party 3 stays out. Each signer's vault records the
  //    approval in its audit log before its share leaves.
  const std::string text = "tsign demo: pay 1 BTC to cold storage";
  const Bytes message(text.begin(), text.end());
  if (self != 3) {
    SignRequest request;
    request.key_id = frost_key->key_id;
    request.content = message;
    request.signers = {1, 2};
    request.session = run;
    auto sig = vault->sign(request, peers);
    if (!sig.ok()) return fail(self, "FROST signing", sig.error());
    const bool ok = schnorr_verifies(sig->signature, message, sig->public_key);
    std::printf("[party %u] FROST signature %s: libsecp256k1 schnorrsig_verify %s\n", self, to_hex(sig->signature).c_str(),
                ok ? "accepts" : "REJECTS");
    if (!ok) return 1;
  }

  // 3. Threshold ECDSA (DKLs23): key generation with pairwise OT setup, then signing by 2 and 3.
  auto ecdsa_key = vault->keygen({ShareSuite::EcdsaSecp256k1, kThreshold, kParties, run + "/ecdsa"}, peers);
  if (!ecdsa_key.ok()) return fail(self, "ECDSA key generation", ecdsa_key.error());
  std::printf("[party %u] ECDSA key generated: %s\n", self, to_hex(ecdsa_key->view.public_key).c_str());
  if (self != 1) {
    SignRequest request;
    request.key_id = ecdsa_key->key_id;
    request.content = message;  // ECDSA signs SHA-256 of the message
    request.signers = {2, 3};
    request.session = run;
    auto sig = vault->sign(request, peers);
    if (!sig.ok()) return fail(self, "ECDSA signing", sig.error());
    const bool ok = ecdsa_verifies(sig->signature, sig->digest, sig->public_key);
    std::printf("[party %u] ECDSA signature %s (recovery id %u): libsecp256k1 ecdsa_verify %s\n", self,
                to_hex(sig->signature).c_str(), sig->ecdsa->recovery_id, ok ? "accepts" : "REJECTS");
    if (!ok) return 1;
  }
  // The last messages of the last session must reach the peers before this process exits.
  if (auto s = (*node)->flush(std::chrono::seconds(5)); !s.ok()) return fail(self, "flushing", s.error());
  return 0;
}

int usage() {
  std::printf(
      "usage: demo                                  run all three parties on 127.0.0.1\n"
      "       demo --setup DIR HOST:PORT HOST:PORT HOST:PORT\n"
      "                                             write the parties' files into DIR\n"
      "       demo --party ID DIR                   run party ID (1-3) from DIR\n");
  return 2;
}

// Every party in its own process on loopback, from a fresh directory.
int run_all() {
  const fs::path dir = fs::temp_directory_path() / ("tsign-demo-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::vector<Address> addresses;
  for (std::size_t i = 0; i < kParties.size(); ++i) addresses.emplace_back("127.0.0.1", free_port());
  if (!write_cluster(dir, addresses)) {
    fs::remove_all(dir);
    return 1;
  }
  std::printf("tsign demo: 3 parties, 2-of-3, each its own process; configurations in %s\n", dir.c_str());
  std::fflush(stdout);

  std::vector<pid_t> children;
  for (PartyId id : kParties) {
    pid_t pid = ::fork();
    if (pid < 0) {
      std::perror("fork");
      return 1;
    }
    if (pid == 0) {
      const int rc = run_party(id, dir);
      std::fflush(stdout);
      ::_exit(rc);
    }
    children.push_back(pid);
  }
  int failures = 0;
  for (pid_t pid : children) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failures;
  }
  fs::remove_all(dir);
  std::printf(failures == 0 ? "demo: every signature verified\n" : "demo: %d parties failed\n", failures);
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows line by line, also through a pipe
  if (argc == 1) return run_all();
  if (argc == 3 + static_cast<int>(kParties.size()) && std::strcmp(argv[1], "--setup") == 0) {
    std::vector<Address> addresses;
    for (std::size_t i = 0; i < kParties.size(); ++i) {
      auto address = parse_host_port(argv[3 + i], /*allow_port_zero=*/false);
      if (!address.ok()) {
        std::printf("demo: %s: %s\n", argv[3 + i], address.error().describe().c_str());
        return 2;
      }
      addresses.push_back(std::move(address).value());
    }
    std::error_code ec;
    fs::create_directories(argv[2], ec);
    return write_cluster(argv[2], addresses) ? 0 : 1;
  }
  if (argc == 4 && std::strcmp(argv[1], "--party") == 0) {
    for (PartyId id : kParties) {
      if (std::to_string(id) == argv[2]) {
        const int rc = run_party(id, argv[3]);
        std::fflush(stdout);
        return rc;
      }
    }
  }
  return usage();
}

// The tsign demo: three parties, one process each, with their own configuration file and
// identity key, talk over authenticated and encrypted TCP on loopback. They generate a 2-of-3
// key with no dealer, sign with FROST (BIP-340/Taproot) and with threshold ECDSA (DKLs23), and
// every signature is checked by libsecp256k1.
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tsign/dkg/dkg.hpp"
#include "tsign/ecdsa/keygen.hpp"
#include "tsign/ecdsa/sign.hpp"
#include "tsign/frost/signing_protocol.hpp"
#include "tsign/net/party_config.hpp"
#include "tsign/net/session_id.hpp"
#include "tsign/net/tcp_transport.hpp"

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

// Writes party<i>.conf and party<i>.key for every party: each knows its own private key and
// every peer's pinned public key.
void write_cluster(const fs::path& dir) {
  std::vector<X25519KeyPair> keys;
  std::vector<std::uint16_t> ports;
  for (std::size_t i = 0; i < kParties.size(); ++i) {
    keys.push_back(X25519KeyPair::generate());
    ports.push_back(free_port());
  }
  for (std::size_t i = 0; i < kParties.size(); ++i) {
    PartyConfig config;
    config.id = kParties[i];
    config.listen_host = "127.0.0.1";
    config.listen_port = ports[i];
    config.static_key = keys[i].clone();
    for (std::size_t j = 0; j < kParties.size(); ++j) {
      if (j != i) config.peers.push_back({kParties[j], "127.0.0.1", ports[j], keys[j].public_key()});
    }
    const std::string key_file = "party" + std::to_string(kParties[i]) + ".key";
    if (!write_static_key_file(dir / key_file, keys[i]).ok()) std::exit(1);
    std::ofstream(dir / ("party" + std::to_string(kParties[i]) + ".conf")) << format_party_config(config, key_file);
  }
}

int fail(PartyId self, const char* step, const Error& error) {
  std::printf("[party %u] %s failed: %s\n", self, step, error.describe().c_str());
  return 1;
}

bool schnorr_verifies(const frost::Signature<FrostSecp256k1Tr>& sig, ByteSpan msg, const Secp256k1Point& key) {
  secp256k1_xonly_pubkey xonly;
  auto x = key.x_only();
  if (secp256k1_xonly_pubkey_parse(secp256k1_ctx(), &xonly, x.data()) != 1) return false;
  auto bytes = sig.to_bytes();
  return secp256k1_schnorrsig_verify(secp256k1_ctx(), bytes.data(), msg.data(), msg.size(), &xonly) == 1;
}

bool ecdsa_verifies(const EcdsaSignature& sig, const Digest32& digest, const Secp256k1Point& key) {
  secp256k1_ecdsa_signature parsed;
  auto compact = sig.compact();
  if (secp256k1_ecdsa_signature_parse_compact(secp256k1_ctx(), &parsed, compact.data()) != 1) return false;
  return secp256k1_ecdsa_verify(secp256k1_ctx(), &parsed, digest.data(), &key.pubkey()) == 1;
}

// One party's whole run, in its own process.
int run_party(PartyId self, const fs::path& dir, const ByteArray<16>& run_nonce) {
  auto config = load_party_config(dir / ("party" + std::to_string(self) + ".conf"));
  if (!config.ok()) return fail(self, "loading the configuration", config.error());
  auto node = TcpNode::start(std::move(config).value());
  if (!node.ok()) return fail(self, "starting the TCP node", node.error());
  auto session = [&](std::string_view step, const std::vector<PartyId>& who) {
    return derive_session_id(step, who, run_nonce);
  };

  // 1. Distributed key generation for FROST(secp256k1, TR): no dealer, Feldman VSS with proofs.
  auto dkg = DkgParty<FrostSecp256k1Tr>::create(self, {session("demo/dkg", kParties), kParties, kThreshold});
  if (!dkg.ok()) return fail(self, "DKG setup", dkg.error());
  if (auto s = run_protocol(*dkg, **node, session("demo/dkg", kParties)); !s.ok()) return fail(self, "DKG", s.error());
  auto frost_key = dkg->take_key_share();
  if (!frost_key.ok()) return fail(self, "DKG output", frost_key.error());
  const Secp256k1Point frost_public = frost_key->group_public_key;
  std::printf("[party %u] DKG done: Taproot key %s\n", self, to_hex(frost_public.x_only()).c_str());

  // 2. FROST signing by parties 1 and 2; party 3 stays out.
  const std::string text = "tsign demo: pay 1 BTC to cold storage";
  const Bytes message(text.begin(), text.end());
  const std::vector<PartyId> frost_signers = {1, 2};
  if (self != 3) {
    frost::SigningProtocol<FrostSecp256k1Tr> signing(std::move(frost_key).value(), frost_signers, message);
    if (auto s = run_protocol(signing, **node, session("demo/frost", frost_signers)); !s.ok()) {
      return fail(self, "FROST signing", s.error());
    }
    const auto& sig = *signing.signature();
    const bool ok = schnorr_verifies(sig, message, frost_public);
    std::printf("[party %u] FROST signature %s: libsecp256k1 schnorrsig_verify %s\n", self,
                to_hex(sig.to_bytes()).c_str(), ok ? "accepts" : "REJECTS");
    if (!ok) return 1;
  }

  // 3. Threshold ECDSA key generation (DKG plus pairwise OT setup), then signing by 2 and 3.
  auto keygen = EcdsaKeyProtocol::keygen(self, {session("demo/ecdsa-keygen", kParties), kParties, kThreshold});
  if (!keygen.ok()) return fail(self, "ECDSA keygen setup", keygen.error());
  if (auto s = run_protocol(*keygen, **node, session("demo/ecdsa-keygen", kParties)); !s.ok()) {
    return fail(self, "ECDSA keygen", s.error());
  }
  auto ecdsa_key = keygen->take_key_share();
  if (!ecdsa_key.ok()) return fail(self, "ECDSA keygen output", ecdsa_key.error());
  std::printf("[party %u] ECDSA key %s\n", self, to_hex(ecdsa_key->key.group_public_key.to_bytes()).c_str());

  const std::vector<PartyId> ecdsa_signers = {2, 3};
  if (self != 1) {
    const Digest32 digest = sha256(message);
    EcdsaSignConfig sign_config{session("demo/ecdsa-sign", ecdsa_signers), ecdsa_signers, {}, digest};
    auto signing = EcdsaSignParty::create(*ecdsa_key, sign_config);
    if (!signing.ok()) return fail(self, "ECDSA signing setup", signing.error());
    if (auto s = run_protocol(*signing, **node, sign_config.session); !s.ok()) return fail(self, "ECDSA signing", s.error());
    const auto& sig = *signing->signature();
    const bool ok = ecdsa_verifies(sig, digest, ecdsa_key->key.group_public_key);
    std::printf("[party %u] ECDSA signature %s (recovery id %u): libsecp256k1 ecdsa_verify %s\n", self,
                to_hex(sig.compact()).c_str(), sig.recovery_id, ok ? "accepts" : "REJECTS");
    if (!ok) return 1;
  }
  return 0;
}

}  // namespace

int main() {
  const fs::path dir = fs::temp_directory_path() / ("tsign-demo-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  write_cluster(dir);
  // A fresh value all parties share makes every session id of this run unique.
  const ByteArray<16> run_nonce = random_array<16>();
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
      const int rc = run_party(id, dir, run_nonce);
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

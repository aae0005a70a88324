// The tsign demo: three parties, one process each, with their own configuration file and
// identity key, talk over authenticated and encrypted TCP on loopback. They generate a 2-of-3
// key with no dealer, sign with FROST (BIP-340/Taproot) and with threshold ECDSA (DKLs23), and
// every signature is checked by libsecp256k1.
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
#include "tsign/dkg/dkg.hpp"
#include "tsign/ecdsa/keygen.hpp"
#include "tsign/ecdsa/sign.hpp"
#include "tsign/frost/signing_protocol.hpp"
#include "tsign/net/party_config.hpp"
#include "tsign/protocol/session_id.hpp"
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

using Address = std::pair<std::string, std::uint16_t>;

const fs::path kRunNonceFile = "run.nonce";

// Writes party<i>.conf and party<i>.key for every party (party i listens at addresses[i]): each
// knows its own private key and every peer's pinned public key. Also writes run.nonce, a fresh
// value all parties share that makes every session id of this run unique.
bool write_cluster(const fs::path& dir, const std::vector<Address>& addresses) {
  std::vector<X25519KeyPair> keys;
  for (std::size_t i = 0; i < kParties.size(); ++i) keys.push_back(X25519KeyPair::generate());
  for (std::size_t i = 0; i < kParties.size(); ++i) {
    PartyConfig config;
    config.id = kParties[i];
    config.listen_host = addresses[i].first;
    config.listen_port = addresses[i].second;
    config.static_key = keys[i].clone();
    for (std::size_t j = 0; j < kParties.size(); ++j) {
      if (j != i) config.peers.push_back({kParties[j], addresses[j].first, addresses[j].second, keys[j].public_key()});
    }
    const std::string key_file = "party" + std::to_string(kParties[i]) + ".key";
    if (auto s = write_static_key_file(dir / key_file, keys[i]); !s.ok()) {
      std::printf("demo: %s\n", s.error().describe().c_str());
      return false;
    }
    std::ofstream(dir / ("party" + std::to_string(kParties[i]) + ".conf")) << format_party_config(config, key_file);
  }
  std::ofstream(dir / kRunNonceFile) << to_hex(random_array<16>()) << "\n";
  return true;
}

std::optional<ByteArray<16>> read_run_nonce(const fs::path& dir) {
  std::string hex;
  std::ifstream(dir / kRunNonceFile) >> hex;
  ByteArray<16> nonce{};
  try {
    const Bytes bytes = from_hex(hex);
    if (bytes.size() != nonce.size()) return std::nullopt;
    std::copy(bytes.begin(), bytes.end(), nonce.begin());
  } catch (const std::invalid_argument&) {
    return std::nullopt;
  }
  return nonce;
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

// One party's whole run, in its own process, from the files write_cluster() put in `dir`.
int run_party(PartyId self, const fs::path& dir) {
  auto config = load_party_config(dir / ("party" + std::to_string(self) + ".conf"));
  if (!config.ok()) return fail(self, "loading the configuration", config.error());
  const auto run_nonce = read_run_nonce(dir);
  if (!run_nonce) {
    std::printf("[party %u] %s: expected 32 hex digits\n", self, (dir / kRunNonceFile).c_str());
    return 1;
  }
  auto node = TcpNode::start(std::move(config).value());
  if (!node.ok()) return fail(self, "starting the TCP node", node.error());
  auto session = [&](std::string_view step, const std::vector<PartyId>& who) {
    return derive_session_id(step, who, *run_nonce);
  };

  // 1. Distributed key generation for FROST(secp256k1, TR): no dealer, Feldman VSS with proofs.
  auto dkg = DkgProtocol<FrostSecp256k1Tr>::create(self, {session("demo/dkg", kParties), kParties, kThreshold});
  if (!dkg.ok()) return fail(self, "DKG setup", dkg.error());
  auto frost_key = run_protocol(*dkg, **node, session("demo/dkg", kParties));
  if (!frost_key.ok()) return fail(self, "DKG", frost_key.error());
  // The key-path-only output key (BIP-86): it commits to having no script path, so no party can
  // have hidden one in the key it helped generate.
  const auto taproot = frost::TaprootTweak::no_scripts();
  auto output_key = frost::taproot_output_key(frost_key->group_public_key, taproot);
  if (!output_key.ok()) return fail(self, "Taproot output key", output_key.error());
  std::printf("[party %u] DKG done: Taproot output key %s\n", self, to_hex(output_key->x_only()).c_str());

  // 2. FROST signing by parties 1 and 2; party 3 stays out.
  const std::string text = "tsign demo: pay 1 BTC to cold storage";
  const Bytes message(text.begin(), text.end());
  const std::vector<PartyId> frost_signers = {1, 2};
  if (self != 3) {
    auto signing = frost::SigningProtocol<FrostSecp256k1Tr>::create(std::move(frost_key).value(), frost_signers,
                                                                     message, taproot);
    if (!signing.ok()) return fail(self, "FROST signing setup", signing.error());
    auto signature = run_protocol(*signing, **node, session("demo/frost", frost_signers));
    if (!signature.ok()) return fail(self, "FROST signing", signature.error());
    const auto& sig = *signature;
    const bool ok = schnorr_verifies(sig, message, *output_key);
    std::printf("[party %u] FROST signature %s: libsecp256k1 schnorrsig_verify %s\n", self,
                to_hex(sig.to_bytes()).c_str(), ok ? "accepts" : "REJECTS");
    if (!ok) return 1;
  }

  // 3. Threshold ECDSA key generation (DKG plus pairwise OT setup), then signing by 2 and 3.
  auto keygen = EcdsaKeyProtocol::keygen(self, {session("demo/ecdsa-keygen", kParties), kParties, kThreshold});
  if (!keygen.ok()) return fail(self, "ECDSA keygen setup", keygen.error());
  if (auto s = run_session(*keygen, **node, session("demo/ecdsa-keygen", kParties)); !s.ok()) {
    return fail(self, "ECDSA keygen", s.error());
  }
  auto ecdsa_output = keygen->take_output();
  if (!ecdsa_output.ok()) return fail(self, "ECDSA keygen output", ecdsa_output.error());
  std::optional<EcdsaKeyShare>& ecdsa_key = *ecdsa_output;  // empty only for a resharing dealer
  if (!ecdsa_key) return fail(self, "ECDSA keygen output", make_error(ErrorKind::Internal, "no key share"));
  std::printf("[party %u] ECDSA key %s\n", self, to_hex(ecdsa_key->key.group_public_key.to_bytes()).c_str());

  const std::vector<PartyId> ecdsa_signers = {2, 3};
  if (self != 1) {
    const Digest32 digest = sha256(message);
    EcdsaSignConfig sign_config{session("demo/ecdsa-sign", ecdsa_signers), ecdsa_signers, {}, digest};
    auto signing = EcdsaSignProtocol::create(*ecdsa_key, sign_config);
    if (!signing.ok()) return fail(self, "ECDSA signing setup", signing.error());
    if (auto s = run_session(*signing, **node, sign_config.session); !s.ok()) return fail(self, "ECDSA signing", s.error());
    auto signature = signing->take_output();
    if (!signature.ok()) return fail(self, "ECDSA signature", signature.error());
    const EcdsaSignature& sig = *signature;
    const bool ok = ecdsa_verifies(sig, digest, ecdsa_key->key.group_public_key);
    std::printf("[party %u] ECDSA signature %s (recovery id %u): libsecp256k1 ecdsa_verify %s\n", self,
                to_hex(sig.compact()).c_str(), sig.recovery_id, ok ? "accepts" : "REJECTS");
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

#pragma once
// A nats-server for tests and benchmarks: started on a free loopback port in a temporary
// directory, TLS from a CA made there with the openssl command, one NKey user per party (allowed
// to publish under the cluster's subjects and to subscribe to its own) and a "stranger" allowed
// everywhere who holds no cluster keys. NatsOptions for each party point at it. Test code: never
// installed. Failures throw std::runtime_error.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tsign/broker/nats_transport.hpp"
#include "tsign/core/random.hpp"
#include "tsign/net/party_config.hpp"

extern char** environ;

namespace tsign::testing {

// A fresh directory (mode 0700), removed with its contents.
class TempDirectory {
 public:
  TempDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tsign-nats-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDirectory() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// The nats-server binary, or empty when it is not installed (the tests then say so and pass).
inline std::string nats_server_program() {
  for (const char* p : {"/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"}) {
    if (::access(p, X_OK) == 0) return p;
  }
  return {};
}

// NKeys as the NATS tools write them: base32 (no padding) of prefix | key | CRC-16/XMODEM (LE).
namespace nkey {
inline std::uint16_t crc16(const Bytes& data) {
  std::uint16_t crc = 0;
  for (std::uint8_t b : data) {
    crc ^= static_cast<std::uint16_t>(b << 8);
    for (int i = 0; i < 8; ++i) crc = static_cast<std::uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
  }
  return crc;
}
inline std::string base32(const Bytes& data) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (std::uint8_t b : data) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
  return out;
}
inline std::string encode(Bytes prefix, ByteSpan key) {
  append(prefix, key);
  const std::uint16_t crc = crc16(prefix);
  prefix.push_back(static_cast<std::uint8_t>(crc & 0xff));
  prefix.push_back(static_cast<std::uint8_t>(crc >> 8));
  return base32(prefix);
}
struct User {
  std::string public_key;  // "U..."
  std::string seed;        // "SU..."
};
inline User generate_user() {
  constexpr std::uint8_t kUser = 20 << 3, kSeed = 18 << 3;
  auto seed = random_array<32>();
  ByteArray<32> pk{};
  ByteArray<64> sk{};
  crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
  User u;
  u.public_key = encode({kUser}, pk);
  u.seed = encode({static_cast<std::uint8_t>(kSeed | (kUser >> 5)), static_cast<std::uint8_t>((kUser & 31) << 3)}, seed);
  return u;
}
}  // namespace nkey

inline int run_command(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

// A free port below the kernel's ephemeral range (32768 and up), picked at random: a port that
// bind(0) handed out could be handed to another test's broker while ours is down for a restart.
inline std::uint16_t free_loopback_port() {
  for (;;) {
    const auto port = static_cast<std::uint16_t>(20000 + random_below(10000));
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    if (free) return port;
  }
}

inline bool port_open(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// A nats-server for one test: TLS with a fresh CA, NKey users, permissions per party.
class NatsBroker {
 public:
  // `subject_root`: the cluster's subjects ("tsign.<hash>"); party p may publish under it and
  // subscribe only to <root>.p<p>.
  NatsBroker(const std::vector<PartyId>& parties, const std::string& subject_root) : port_(free_loopback_port()) {
    make_certificates();
    std::string users;
    for (PartyId p : parties) {
      users_[p] = nkey::generate_user();
      write_seed(p, users_[p]);
      users += "    { nkey: " + users_[p].public_key;
      users += ", permissions: { publish: [\"" + subject_root;
      users += ".>\"], subscribe: [\"" + subject_root;
      users += ".p" + std::to_string(p);
      users += "\"] } }\n";
    }
    stranger_ = nkey::generate_user();
    write_seed(0, stranger_);
    users += "    { nkey: " + stranger_.public_key + ", permissions: { publish: [\">\"], subscribe: [\">\"] } }\n";
    users_text_ = users;
    // A port picked here may be taken by another test before the server binds it: then the
    // server exits, and another port is tried.
    for (int attempt = 0;; ++attempt) {
      write_config();
      if (try_start()) break;
      if (attempt == 4) throw std::runtime_error("nats-server did not start (see its log)");
      port_ = free_loopback_port();
    }
  }
  ~NatsBroker() { stop(SIGTERM); }
  NatsBroker(const NatsBroker&) = delete;
  NatsBroker& operator=(const NatsBroker&) = delete;

  // Restarts the server on the same port (after stop()).
  void start() {
    if (!try_start()) throw std::runtime_error("nats-server did not start again on its port");
  }

 private:
  void write_config() {
    std::ofstream conf(dir_ / "server.conf");
    conf << "listen: 127.0.0.1:" << port_ << "\n"
         << "tls {\n  cert_file: \"" << (dir_ / "server.pem").string() << "\"\n  key_file: \""
         << (dir_ / "server.key").string() << "\"\n  timeout: 2\n}\n"
         << "authorization {\n  users = [\n" << users_text_ << "  ]\n}\n";
  }
  std::size_t times_ready() const {
    std::ifstream log(dir_ / "server.log");
    std::string line;
    std::size_t n = 0;
    while (std::getline(log, line)) n += line.find("Server is ready") != std::string::npos ? 1 : 0;
    return n;
  }
  // True once this server says it is ready; false if it exited (its port was taken).
  bool try_start() {
    const std::size_t ready_before = times_ready();
    const std::string program = nats_server_program();
    const std::string conf = (dir_ / "server.conf").string();
    const std::string log = (dir_ / "server.log").string();
    std::vector<std::string> args = {program, "-c", conf, "-l", log};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (program.empty() || ::posix_spawn(&pid_, program.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
      throw std::runtime_error("cannot start nats-server");
    }
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (times_ready() <= ready_before) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      if (std::chrono::steady_clock::now() >= until) throw std::runtime_error("nats-server not ready within 10 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

 public:
  // SIGKILL: the broker dies holding whatever it had not delivered.
  void stop(int signal = SIGKILL) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  std::string url() const { return "tls://127.0.0.1:" + std::to_string(port_); }
  std::filesystem::path ca_file() const { return dir_ / "ca.pem"; }
  NatsOptions options_for(PartyId p) const {
    NatsOptions o;
    o.url = url();
    o.ca_file = ca_file();
    o.tls_server_name = "localhost";  // the certificate's DNS name (the URL has the address)
    o.nkey_public = users_.at(p).public_key;
    o.nkey_seed_file = dir_ / ("party" + std::to_string(p) + ".nk");
    o.connect_timeout = std::chrono::milliseconds(3000);
    o.reconnect_wait = std::chrono::milliseconds(50);
    o.resend_interval = std::chrono::milliseconds(150);
    o.handshake_timeout = std::chrono::milliseconds(300);
    o.keepalive_interval = std::chrono::milliseconds(200);
    o.silence_timeout = std::chrono::milliseconds(1500);
    o.unreachable_after = std::chrono::milliseconds(3000);
    return o;
  }
  const nkey::User& stranger() const { return stranger_; }
  std::filesystem::path stranger_seed_file() const { return dir_ / "party0.nk"; }

 private:
  void make_certificates() {
    const std::string d = dir_.path().string();
    std::ofstream(dir_ / "san.cnf") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const bool made = run_command("openssl req -x509" + ec + " -keyout " + d + "/ca.key -out " + d +
                                  "/ca.pem -days 2 -subj /CN=tsign-test-ca") == 0 &&
                      run_command("openssl req" + ec + " -keyout " + d + "/server.key -out " + d +
                                  "/server.csr -subj /CN=localhost") == 0 &&
                      run_command("openssl x509 -req -in " + d + "/server.csr -CA " + d + "/ca.pem -CAkey " + d +
                                  "/ca.key -CAcreateserial -out " + d + "/server.pem -days 2 -extfile " + d +
                                  "/san.cnf") == 0;
    if (!made) throw std::runtime_error("openssl could not make the broker's test certificates");
  }
  void write_seed(PartyId p, const nkey::User& u) {
    std::ofstream(dir_ / ("party" + std::to_string(p) + ".nk")) << u.seed << "\n";
  }

  TempDirectory dir_;
  std::uint16_t port_;
  std::string users_text_;
  pid_t pid_ = -1;
  std::map<PartyId, nkey::User> users_;
  nkey::User stranger_;
};

// Party configurations for a cluster (no addresses: the broker carries everything).
inline std::map<PartyId, PartyConfig> cluster_configs(const std::vector<PartyId>& ids) {
  std::map<PartyId, PartyConfig> configs;
  for (PartyId id : ids) {
    PartyConfig c;
    c.id = id;
    configs.emplace(id, std::move(c));
  }
  for (auto& [id, c] : configs) {
    for (auto& [other, oc] : configs) {
      if (other != id) c.peers.push_back({other, "", 0, oc.static_key.public_key()});
    }
  }
  return configs;
}

inline std::string subject_root(const PartyConfig& any) {
  return "tsign." + to_hex(ByteSpan(any.cluster_hash()).first(8));
}

}  // namespace tsign::testing

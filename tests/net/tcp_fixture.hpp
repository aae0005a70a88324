#pragma once
// TCP test helpers: a cluster of nodes on 127.0.0.1 with ephemeral ports, and a raw socket for
// playing a hostile or broken peer. Every wait is bounded.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "net/noise.hpp"
#include "net/tcp_wire.hpp"
#include "net_fixture.hpp"
#include "tsign/net/tcp_transport.hpp"
#include "tsign/protocol/forwarding.hpp"

namespace tsign::test {

inline TcpOptions fast_tcp_options() {
  TcpOptions o;
  o.handshake_timeout = std::chrono::milliseconds(1000);
  o.reconnect_initial = std::chrono::milliseconds(20);
  o.reconnect_max = std::chrono::milliseconds(200);
  o.keepalive_interval = std::chrono::milliseconds(200);
  o.silence_timeout = std::chrono::milliseconds(1000);
  o.redial_window = std::chrono::milliseconds(1000);
  return o;
}

struct Cluster {
  std::vector<PartyId> ids;
  std::map<PartyId, PartyConfig> configs;
  std::map<PartyId, std::unique_ptr<TcpNode>> nodes;

  explicit Cluster(std::vector<PartyId> party_ids) : ids(std::move(party_ids)) {
    for (PartyId id : ids) {
      PartyConfig c;
      c.id = id;
      c.listen_host = "127.0.0.1";
      c.listen_port = 0;
      configs.emplace(id, std::move(c));
    }
    for (auto& [id, c] : configs) {
      for (auto& [other, oc] : configs) {
        if (other != id) c.peers.push_back({other, "127.0.0.1", 0, oc.static_key.public_key()});
      }
    }
  }
  // Starts every node (or the given ones) and tells each where the others listen.
  void start(const TcpOptions& options = fast_tcp_options(), std::vector<PartyId> which = {}) {
    if (which.empty()) which = ids;
    for (PartyId id : which) nodes[id] = TcpNode::start(configs.at(id).clone(), options).value();
    wire_addresses();
  }
  void wire_addresses() {
    for (auto& [id, node] : nodes) {
      if (!node) continue;
      for (auto& [other, other_node] : nodes) {
        if (other != id && other_node) REQUIRE(node->set_peer_address(other, "127.0.0.1", other_node->listen_port()));
      }
    }
  }
  void point_at(PartyId peer, std::uint16_t port) {
    for (auto& [id, node] : nodes) {
      if (node && id != peer) REQUIRE(node->set_peer_address(peer, "127.0.0.1", port));
    }
  }
};

// Runs the given parties of a group, each over its own node's session view, in threads.
inline std::map<PartyId, Status> run_over_tcp(Cluster& cluster, CoinTossGroup& group, int timeout_ms,
                                              std::vector<PartyId> which = {}) {
  if (which.empty()) which = group.ids;
  std::map<PartyId, Status> out;
  for (PartyId p : which) out.emplace(p, Status{});
  std::vector<std::thread> threads;
  for (PartyId p : which) {
    threads.emplace_back([&, p] {
      out.at(p) = run_session(group.party(p), *cluster.nodes.at(p), group.session, quick_options(timeout_ms));
    });
  }
  for (auto& t : threads) t.join();
  return out;
}

// Runs the coin toss, but calls `hook` when round `at` is complete (before its messages leave).
class HookedParty final : public ForwardingProtocol {
 public:
  HookedParty(CoinTossProtocol& inner, std::size_t at, std::function<void()> hook)
      : ForwardingProtocol(inner), at_(at), hook_(std::move(hook)) {}
  Result<std::vector<OutgoingMessage>> advance(std::size_t round, const RoundMessages& in) override {
    if (round == at_) hook_();
    return inner_.advance(round, in);
  }

 private:
  std::size_t at_;
  std::function<void()> hook_;
};

// A blocking loopback socket with a receive timeout.
class RawSocket {
 public:
  // `source`: a loopback address to connect from (127.0.0.0/8 is all loopback on Linux), so a
  // test can play a host other than the configured peers.
  explicit RawSocket(std::uint16_t port, const char* source = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (source != nullptr) {
      sockaddr_in from{};
      from.sin_family = AF_INET;
      ::inet_pton(AF_INET, source, &from.sin_addr);
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) throw std::runtime_error("bind");
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("connect");
  }
  ~RawSocket() { ::close(fd_); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  // False if not everything was sent: the peer closed, or stopped reading past the send timeout.
  bool send(ByteSpan data) {
    std::size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;  // the peer may already have closed: that is what tests look for
      off += static_cast<std::size_t>(n);
    }
    return true;
  }
  int fd() const { return fd_; }
  void set_send_timeout(std::chrono::milliseconds t) {
    timeval tv{static_cast<time_t>(t.count() / 1000), static_cast<suseconds_t>((t.count() % 1000) * 1000)};
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  // Reads exactly n bytes; false on close or timeout.
  bool read_exact(Bytes& out, std::size_t n) {
    out.assign(n, 0);
    std::size_t off = 0;
    while (off < n) {
      ssize_t r = ::recv(fd_, out.data() + off, n - off, 0);
      if (r <= 0) return false;
      off += static_cast<std::size_t>(r);
    }
    return true;
  }
  // True once the peer closes the connection; false if it is still open after ~5 s.
  bool closed_by_peer() {
    std::uint8_t buf[4096];
    for (int i = 0; i < 100; ++i) {
      ssize_t r = ::recv(fd_, buf, sizeof buf, 0);
      if (r == 0) return true;
      if (r < 0) return errno == ECONNRESET || errno == EPIPE;
    }
    return false;
  }

 private:
  int fd_ = -1;
};

// A listening socket that never accepts: connections complete in the kernel and then stall.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// A TCP proxy on loopback in front of `target`: records what its first client sends, counts the
// connections it accepts, and can drop every byte in both directions while keeping the
// connections open (a link with total packet loss, or a peer gone silent).
class TcpProxy {
 public:
  explicit TcpProxy(std::uint16_t target) : target_(target) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listen_fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TcpProxy() {
    stop_ = true;
    thread_.join();
    for (auto& [a, b] : links_) {
      ::close(a);
      ::close(b);
    }
    ::close(listen_fd_);
  }
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  std::uint16_t port() const { return port_; }
  int accepted() const { return accepted_.load(); }
  void drop_everything(bool on) { dropping_ = on; }
  Bytes first_client_bytes() {
    std::lock_guard lock(mutex_);
    return recorded_;
  }

 private:
  void serve() {
    while (!stop_) {
      std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
      for (auto& [a, b] : links_) {
        fds.push_back({a, POLLIN, 0});
        fds.push_back({b, POLLIN, 0});
      }
      if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
      if (fds[0].revents & POLLIN) accept_one();
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        const std::size_t link = (i - 1) / 2;
        const bool from_client = (i - 1) % 2 == 0;
        if (!forward(link, from_client)) {
          ::close(links_[link].first);
          ::close(links_[link].second);
          links_[link] = {-1, -1};
        }
      }
      std::erase_if(links_, [](const auto& l) { return l.first < 0; });
    }
  }
  void accept_one() {
    int client = ::accept(listen_fd_, nullptr, nullptr);
    if (client < 0) return;
    int server = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(target_);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(client);
      ::close(server);
      return;
    }
    links_.emplace_back(client, server);
    ++accepted_;
  }
  bool forward(std::size_t link, bool from_client) {
    auto [client, server] = links_[link];
    std::uint8_t buf[65536];
    ssize_t n = ::recv(from_client ? client : server, buf, sizeof buf, 0);
    if (n <= 0) return false;
    if (from_client && accepted_ == 1) {
      std::lock_guard lock(mutex_);
      recorded_.insert(recorded_.end(), buf, buf + n);
    }
    if (dropping_) return true;
    const int to = from_client ? server : client;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = ::send(to, buf + off, static_cast<std::size_t>(n - off), MSG_NOSIGNAL);
      if (w <= 0) return false;
      off += w;
    }
    return true;
  }

  std::uint16_t target_;
  std::uint16_t port_ = 0;
  int listen_fd_ = -1;
  std::vector<std::pair<int, int>> links_;  // client, server
  std::atomic<int> accepted_{0};
  std::atomic<bool> dropping_{false};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  Bytes recorded_;
  std::thread thread_;
};

// A free port on 127.0.0.1 for a node that starts later (another process could take it first;
// the tests accept that small chance).
inline bool wait_for(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// Routes the link between nodes `from` and `to` through `proxy` (node `to` cannot dial around it):
// start() may already have linked them directly, so that link is dropped once up, and this waits
// until the link runs through the proxy. The returned session keeps the nodes wanting the link.
inline std::unique_ptr<Transport> route_through(Cluster& cluster, PartyId from, PartyId to, TcpProxy& proxy) {
  REQUIRE(cluster.nodes.at(from)->set_peer_address(to, "127.0.0.1", proxy.port()));
  REQUIRE(cluster.nodes.at(to)->set_peer_address(from, "127.0.0.1", 1));
  auto keep_open = cluster.nodes.at(from)->open_session(random_session_id()).value();
  auto linked = [&] { return cluster.nodes.at(from)->connected(to) && cluster.nodes.at(to)->connected(from); };
  REQUIRE(wait_for(linked, std::chrono::seconds(10)));
  if (proxy.accepted() == 0) cluster.nodes.at(from)->reset_connection(to);
  const bool through = wait_for([&] { return proxy.accepted() >= 1 && linked(); }, std::chrono::seconds(10));
  INFO("node " << from << ": " << cluster.nodes.at(from)->peer_status(to) << "; through the proxy: " << proxy.accepted());
  REQUIRE(through);
  return keep_open;
}

inline std::uint16_t reserve_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Completes a genuine handshake with `node` as party `as` (whose config the test holds) over a
// raw socket, returning the transport ciphers.
inline NoiseTransportCiphers handshake_as(RawSocket& sock, const PartyConfig& as, const PartyConfig& node_config) {
  Bytes preamble = wire::encode_preamble({as.id, node_config.id});
  NoiseHandshakeKK hs(NoiseHandshakeKK::Role::Initiator, as.static_key, node_config.static_key.public_key(),
                      wire::noise_prologue(as.cluster_hash(), preamble));
  Bytes m1 = hs.write_message({}).value();
  Bytes out = preamble;
  auto h = wire::encode_frame_length(m1.size());
  append(out, h);
  append(out, m1);
  sock.send(out);
  Bytes header, body;
  REQUIRE(sock.read_exact(header, 4));
  REQUIRE(sock.read_exact(body, wire::decode_frame_length(header, true).value()));
  REQUIRE(hs.read_message(body));
  return hs.split().value();
}

inline Bytes sealed_frame(NoiseCipher& cipher, std::uint8_t flags, ByteSpan payload) {
  Bytes plain{flags};
  append(plain, payload);
  Bytes ct = cipher.encrypt({}, plain).value();
  auto h = wire::encode_frame_length(ct.size());
  Bytes out(h.begin(), h.end());
  append(out, ct);
  return out;
}

// A corrupt but authenticated party: it holds its own key, connects to a node, resumes, and then
// writes whatever data units the test asks for, numbered in order as an honest sender would.
class AuthenticatedSender {
 public:
  AuthenticatedSender(const PartyConfig& as, const PartyConfig& node_config, std::uint16_t port)
      : socket_(port), ciphers_(handshake_as(socket_, as, node_config)) {
    socket_.send(sealed_frame(ciphers_.send, wire::kFlagLast, wire::encode_resume({random_array<16>(), {}, 0, 0})));
  }
  // Appends one framed data unit (`bytes` for `session`) to `out`.
  void append_data(Bytes& out, const SessionId& session, ByteSpan bytes) {
    Bytes message(session.begin(), session.end());
    append(message, bytes);
    append(out, sealed_frame(ciphers_.send, wire::kFlagLast, wire::encode_data({next_seq_++, 0}, message)));
  }
  RawSocket& socket() { return socket_; }

 private:
  RawSocket socket_;
  NoiseTransportCiphers ciphers_;
  std::uint64_t next_seq_ = 0;
};

// This process's resident memory in bytes (VmRSS; "VmHWM:" for its peak so far), 0 where /proc
// is missing.
inline std::size_t resident_bytes(const std::string& which = "VmRSS:") {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == which) {
      std::size_t kib = 0;
      status >> kib;
      return kib * 1024;
    }
    status.ignore(1 << 16, '\n');
  }
  return 0;
}

}  // namespace tsign::test

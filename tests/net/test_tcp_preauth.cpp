// Connections that have not authenticated yet: a flood of idle sockets from a host that is not
// one of the configured peers must not keep the real parties out.
#include <catch2/catch.hpp>

#include <atomic>

#include "tcp_fixture.hpp"
#include "tsign/frost/frost.hpp"
#include "tsign/frost/keygen.hpp"
#include "tsign/frost/signing_protocol.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

// Holds `count` idle connections from `source` to `port` open, reopening any the node closes.
class IdleSocketFlood {
 public:
  IdleSocketFlood(std::uint16_t port, const char* source, std::size_t count) {
    thread_ = std::thread([this, port, source, count] {
      std::vector<std::unique_ptr<RawSocket>> held(count);
      while (!stop_) {
        for (auto& s : held) {
          if (s && still_open(*s)) continue;
          try {
            s = std::make_unique<RawSocket>(port, source);
          } catch (const std::exception&) {
            s.reset();
          }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  ~IdleSocketFlood() {
    stop_ = true;
    thread_.join();
  }

 private:
  static bool still_open(RawSocket& s) {
    std::uint8_t byte;
    ssize_t n = ::recv(s.fd(), &byte, 1, MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

TEST_CASE("two hundred idle sockets from another host do not keep the real parties out of a FROST signing") {
  using C = FrostSecp256k1;
  const std::vector<PartyId> ids{1, 2, 3};
  auto dealt = frost::trusted_dealer_keygen<C::Group>(2, ids).value();
  Cluster cluster(ids);
  cluster.start(TcpOptions{});  // the defaults: a stalled handshake holds its slot for 5 s
  // Party 3 is the one both others dial. The flood comes from 127.0.0.2, not a configured peer.
  IdleSocketFlood flood(cluster.nodes.at(3)->listen_port(), "127.0.0.2", 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  const SessionId session = random_session_id();
  const Bytes message(32, 0x5a);
  std::vector<std::unique_ptr<frost::SigningProtocol<C>>> signers;
  for (PartyId p : ids) {
    signers.push_back(std::make_unique<frost::SigningProtocol<C>>(
        frost::SigningProtocol<C>::create(dealt.shares[p - 1].clone(), ids, message, {}).value()));
  }
  std::map<PartyId, Status> out;
  for (PartyId p : ids) out.emplace(p, Status{});
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    threads.emplace_back([&, i] {
      out.at(ids[i]) = run_session(*signers[i], *cluster.nodes.at(ids[i]), session, quick_options(4000));
    });
  }
  for (auto& t : threads) t.join();
  for (auto& [id, s] : out) CHECK(describe(s) == "ok");
  for (auto& s : signers) {
    auto signature = s->take_output();
    CHECK(signature.ok());
  }
}

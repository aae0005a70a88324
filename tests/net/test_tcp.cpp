// The TCP transport on 127.0.0.1: whole sessions, concurrent sessions, large messages, and
// hostile or broken peers. Every test ends by a deadline.
#include <catch2/catch.hpp>

#include <cerrno>

#include "tcp_fixture.hpp"
#include "tsign/core/codec.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

// Two rounds of large messages (a broadcast of 150 kB, direct messages of 70 kB), each derived
// from session, sender and recipient so every receiver can check it byte for byte.
class BulkProtocol final : public RoundProtocol {
 public:
  BulkProtocol(const SessionId& s, PartyId self, std::vector<PartyId> ids) : session_(s), self_(self), ids_(std::move(ids)) {}
  std::string_view name() const override { return "test/bulk"; }
  PartyId self() const override { return self_; }
  const std::vector<PartyId>& parties() const override { return ids_; }
  std::size_t round_count() const override { return 2; }
  RoundSpec expects_from(std::size_t round, PartyId) const override { return {round == 0, round == 1}; }
  static Bytes content(const SessionId& s, PartyId from, PartyId to, std::size_t size) {
    return expand(s, from, to, size);
  }
  Result<std::vector<OutgoingMessage>> start() override {
    return std::vector<OutgoingMessage>{{std::nullopt, content(session_, self_, 0, 150'000)}};
  }
  Result<std::vector<OutgoingMessage>> advance(std::size_t round, const RoundMessages& in) override {
    std::vector<PartyId> bad;
    if (round == 0) {
      for (const auto& [p, m] : in.broadcast) {
        if (m != content(session_, p, 0, 150'000)) bad.push_back(p);
      }
      if (!bad.empty()) return make_error(ErrorKind::ProtocolAborted, "bulk broadcast mismatch", bad);
      std::vector<OutgoingMessage> out;
      for (PartyId p : ids_) {
        if (p != self_) out.push_back({p, content(session_, self_, p, 70'000)});
      }
      return out;
    }
    for (const auto& [p, m] : in.direct) {
      if (m != content(session_, p, self_, 70'000)) bad.push_back(p);
    }
    if (!bad.empty()) return make_error(ErrorKind::ProtocolAborted, "bulk direct mismatch", bad);
    done_ = true;
    return std::vector<OutgoingMessage>{};
  }
  bool done() const { return done_; }

 private:
  static Bytes expand(const SessionId& s, PartyId from, PartyId to, std::size_t size) {
    Bytes out;
    for (std::uint32_t block = 0; out.size() < size; ++block) {
      Sha256 h;
      h.update(s).update_u32(from).update_u32(to).update_u32(block);
      auto d = h.finish();
      append(out, d);
    }
    out.resize(size);
    return out;
  }
  SessionId session_;
  PartyId self_;
  std::vector<PartyId> ids_;
  bool done_ = false;
};

bool mentions(const Status& s, const std::string& text) {
  return !s && s.error().message.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("coin toss over TCP among three parties") {
  Cluster cluster({1, 2, 3});
  cluster.start();
  CoinTossGroup group({1, 2, 3});
  auto out = run_over_tcp(cluster, group, 10'000);
  for (auto& [id, s] : out) CHECK(describe(s) == "ok");
  CHECK(group.all_agree());
  CHECK(cluster.nodes.at(1)->connected(2));
  CHECK(cluster.nodes.at(3)->connected(1));
}

TEST_CASE("many concurrent sessions share the nodes") {
  Cluster cluster({1, 2, 3, 4});
  cluster.start();
  std::vector<std::unique_ptr<CoinTossGroup>> groups;
  for (int i = 0; i < 6; ++i) groups.push_back(std::make_unique<CoinTossGroup>(std::vector<PartyId>{1, 2, 3, 4}));
  std::vector<std::map<PartyId, Status>> results(groups.size());
  std::vector<std::thread> runners;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    runners.emplace_back([&, i] { results[i] = run_over_tcp(cluster, *groups[i], 10'000); });
  }
  for (auto& t : runners) t.join();
  for (std::size_t i = 0; i < groups.size(); ++i) {
    for (auto& [id, s] : results[i]) CHECK(describe(s) == "ok");
    CHECK(groups[i]->all_agree());
  }
}

TEST_CASE("messages above the Noise frame limit are fragmented and reassembled") {
  Cluster cluster({1, 2, 3});
  cluster.start();
  SessionId sid = random_session_id();
  std::vector<std::unique_ptr<BulkProtocol>> parties;
  for (PartyId p : cluster.ids) parties.push_back(std::make_unique<BulkProtocol>(sid, p, cluster.ids));
  std::vector<Status> out(3);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < 3; ++i) {
    threads.emplace_back([&, i] {
      auto view = cluster.nodes.at(cluster.ids[i])->open_session(sid).value();
      out[i] = run_session(*parties[i], *view, sid, quick_options(10'000));
    });
  }
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(describe(out[i]) == "ok");
    CHECK(parties[i]->done());
  }
}

TEST_CASE("a party that opens its session late still gets the messages sent before") {
  Cluster cluster({1, 2, 3});
  cluster.start();
  CoinTossGroup group({1, 2, 3});
  std::map<PartyId, Status> early;
  std::thread others([&] { early = run_over_tcp(cluster, group, 10'000, {2, 3}); });
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  auto late = run_over_tcp(cluster, group, 10'000, {1});
  others.join();
  CHECK(describe(late.at(1)) == "ok");
  for (auto& [id, s] : early) CHECK(describe(s) == "ok");
  CHECK(group.all_agree());
}

TEST_CASE("a restarted peer is redialled and the next session succeeds") {
  Cluster cluster({1, 2, 3});
  cluster.start();
  {
    CoinTossGroup group({1, 2, 3});
    for (auto& [id, s] : run_over_tcp(cluster, group, 10'000)) REQUIRE(s);
  }
  std::uint16_t port = cluster.nodes.at(2)->listen_port();
  cluster.nodes.at(2).reset();
  PartyConfig again = cluster.configs.at(2).clone();
  again.listen_port = port;
  cluster.nodes[2] = TcpNode::start(std::move(again), fast_tcp_options()).value();
  cluster.wire_addresses();
  CoinTossGroup group({1, 2, 3});
  auto out = run_over_tcp(cluster, group, 10'000);
  for (auto& [id, s] : out) CHECK(describe(s) == "ok");
  CHECK(group.all_agree());
}

TEST_CASE("garbage bytes to a listener: the connection is closed, the node carries on") {
  Cluster cluster({1, 2, 3});
  cluster.start();
  {
    RawSocket junk(cluster.nodes.at(2)->listen_port());
    junk.send(random_bytes(1000));
    CHECK(junk.closed_by_peer());
  }
  {
    // A valid preamble claiming party 1, then garbage where the handshake should be.
    RawSocket junk(cluster.nodes.at(2)->listen_port());
    junk.send(wire::encode_preamble({1, 2}));
    auto header = wire::encode_frame_length(wire::kHandshakeFrame);
    junk.send(header);
    junk.send(random_bytes(wire::kHandshakeFrame));
    CHECK(junk.closed_by_peer());
  }
  {
    // No party dials itself.
    RawSocket junk(cluster.nodes.at(2)->listen_port());
    junk.send(wire::encode_preamble({2, 2}));
    CHECK(junk.closed_by_peer());
  }
  CoinTossGroup group({1, 2, 3});
  auto out = run_over_tcp(cluster, group, 10'000);
  for (auto& [id, s] : out) CHECK(describe(s) == "ok");
}

TEST_CASE("a preamble anyone can send leaves no note on the party it claims to be") {
  // Node 2 is up; node 1 is not, so node 2's note on party 1 is its own dialling state. A stranger
  // then claims to be party 1 and fails the handshake: what shows in node 2's errors about party 1
  // must still be node 2's own observation, not the stranger's.
  Cluster cluster({1, 2});
  cluster.start(fast_tcp_options(), {2});
  const std::string before = cluster.nodes.at(2)->peer_status(1);
  {
    RawSocket junk(cluster.nodes.at(2)->listen_port());
    junk.send(wire::encode_preamble({1, 2}));
    junk.send(wire::encode_frame_length(wire::kHandshakeFrame));
    junk.send(random_bytes(wire::kHandshakeFrame));
    CHECK(junk.closed_by_peer());
  }
  const std::string after = cluster.nodes.at(2)->peer_status(1);
  INFO("before: " << before << "; after: " << after);
  CHECK(after.find("rejected") == std::string::npos);
  CHECK(after.find("handshake") == std::string::npos);
}

TEST_CASE("oversized frames close the connection") {
  Cluster cluster({1, 2});
  cluster.start();
  SECTION("in the handshake") {
    RawSocket s(cluster.nodes.at(2)->listen_port());
    s.send(wire::encode_preamble({1, 2}));
    s.send(Bytes{0xff, 0xff, 0xff, 0xff});
    CHECK(s.closed_by_peer());
  }
  SECTION("after an authenticated handshake") {
    RawSocket s(cluster.nodes.at(2)->listen_port());
    auto ciphers = handshake_as(s, cluster.configs.at(1), cluster.configs.at(2));
    s.send(Bytes{0x00, 0x01, 0x00, 0x00});  // 65536 bytes: one more than a Noise message
    CHECK(s.closed_by_peer());
  }
  SECTION("a message that outgrows the limit fragment by fragment") {
    cluster.nodes.clear();
    TcpOptions small = fast_tcp_options();
    small.max_message_size = 100'000;
    cluster.start(small);
    RawSocket s(cluster.nodes.at(2)->listen_port());
    auto ciphers = handshake_as(s, cluster.configs.at(1), cluster.configs.at(2));
    Bytes chunk(wire::kMaxFragment, 7);
    for (int i = 0; i < 3; ++i) s.send(sealed_frame(ciphers.send, 0, chunk));
    CHECK(s.closed_by_peer());
  }
}

TEST_CASE("a frame that fails authentication closes the connection") {
  Cluster cluster({1, 2});
  cluster.start();
  RawSocket s(cluster.nodes.at(2)->listen_port());
  auto ciphers = handshake_as(s, cluster.configs.at(1), cluster.configs.at(2));
  // A first frame that decrypts confirms the keys (before it, a replayed handshake looks the same).
  s.send(sealed_frame(ciphers.send, wire::kFlagLast, wire::encode_resume({random_array<16>(), {}, 0, 0})));
  Bytes frame = sealed_frame(ciphers.send, wire::kFlagLast, random_bytes(40));
  frame.back() ^= 1;
  s.send(frame);
  CHECK(s.closed_by_peer());
  for (int i = 0; i < 200 && cluster.nodes.at(2)->peer_status(1).find("authentication") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(cluster.nodes.at(2)->peer_status(1).find("failed authentication") != std::string::npos);
}

TEST_CASE("a peer with a wrong static key is rejected and named") {
  Cluster cluster({1, 2, 3});
  // Party 3 runs with a key nobody pinned.
  cluster.configs.at(3).static_key = X25519KeyPair::generate();
  cluster.start();
  CoinTossGroup group({1, 2, 3});
  auto out = run_over_tcp(cluster, group, 2000);
  for (PartyId p : {1u, 2u}) {
    INFO(describe(out.at(p)));
    REQUIRE_FALSE(out.at(p));
    CHECK(out.at(p).error().kind == ErrorKind::Timeout);
    CHECK(out.at(p).error().culprits == std::vector<PartyId>{3});
    CHECK(mentions(out.at(p), "handshake"));
  }
  CHECK_FALSE(cluster.nodes.at(1)->connected(3));
}

TEST_CASE("a peer that connects and stalls is named at the deadline") {
  SECTION("the stalled party never answers the handshake") {
    Cluster cluster({1, 2, 3});
    TcpOptions o = fast_tcp_options();
    o.handshake_timeout = std::chrono::milliseconds(300);
    cluster.start(o, {1, 2});
    SilentListener stalled;
    cluster.point_at(3, stalled.port());
    CoinTossGroup group({1, 2, 3});
    auto out = run_over_tcp(cluster, group, 2000, {1, 2});
    for (PartyId p : {1u, 2u}) {
      INFO(describe(out.at(p)));
      REQUIRE_FALSE(out.at(p));
      CHECK(out.at(p).error().kind == ErrorKind::Timeout);
      CHECK(out.at(p).error().culprits == std::vector<PartyId>{3});
    }
    CHECK(mentions(out.at(1), "stalled"));
  }
  SECTION("a client that connects and sends nothing is dropped") {
    Cluster cluster({1, 2});
    TcpOptions o = fast_tcp_options();
    o.handshake_timeout = std::chrono::milliseconds(200);
    cluster.start(o);
    RawSocket idle(cluster.nodes.at(2)->listen_port());
    CHECK(idle.closed_by_peer());
  }
}


TEST_CASE("a peer that vanishes mid-round is named at the deadline") {
  Cluster cluster({1, 2, 3});
  cluster.start();
  CoinTossGroup group({1, 2, 3});
  std::unique_ptr<TcpNode> node3 = std::move(cluster.nodes.at(3));
  auto view3 = node3->open_session(group.session).value();
  HookedParty p3(group.party(3), 0, [&] { node3.reset(); });
  Status s3;
  std::thread t3([&] { s3 = run_session(p3, *view3, group.session, quick_options(2000)); });
  auto out = run_over_tcp(cluster, group, 2000, {1, 2});
  t3.join();
  for (PartyId p : {1u, 2u}) {
    INFO(describe(out.at(p)));
    REQUIRE_FALSE(out.at(p));
    CHECK(out.at(p).error().kind == ErrorKind::Timeout);
    CHECK(out.at(p).error().culprits == std::vector<PartyId>{3});
  }
  CHECK(s3.error().kind == ErrorKind::Transport);
}

TEST_CASE("TCP node API misuse") {
  Cluster cluster({1, 2});
  cluster.start();
  SessionId sid = random_session_id();
  auto first = cluster.nodes.at(1)->open_session(sid);
  REQUIRE(first);
  CHECK_FALSE(cluster.nodes.at(1)->open_session(sid));
  CHECK_FALSE((*first)->send(9, Bytes{1}));
  CHECK_FALSE(cluster.nodes.at(1)->set_peer_address(9, "127.0.0.1", 1));
  PartyConfig lonely;
  lonely.id = 5;
  lonely.listen_host = "127.0.0.1";
  CHECK_FALSE(TcpNode::start(std::move(lonely)));
}

TEST_CASE("connections reset mid-session are redialled and nothing is lost") {
  Cluster cluster({1, 2, 3});
  cluster.start();
  for (int run = 0; run < 3; ++run) {
    CoinTossGroup group({1, 2, 3});
    std::map<PartyId, std::unique_ptr<Transport>> views;
    for (PartyId p : group.ids) views[p] = cluster.nodes.at(p)->open_session(group.session).value();
    HookedParty p1(group.party(1), 0, [&] {
      cluster.nodes.at(1)->reset_connection(2);
      cluster.nodes.at(1)->reset_connection(3);
    });
    HookedParty p3(group.party(3), 1, [&] { cluster.nodes.at(3)->reset_connection(2); });
    std::map<PartyId, RoundProtocol*> parties{{1, &p1}, {2, &group.party(2)}, {3, &p3}};
    std::map<PartyId, Status> out;
    for (PartyId p : group.ids) out.emplace(p, Status{});
    std::vector<std::thread> threads;
    for (PartyId p : group.ids) {
      threads.emplace_back([&, p] { out.at(p) = run_session(*parties.at(p), *views.at(p), group.session, quick_options(10'000)); });
    }
    for (auto& t : threads) t.join();
    for (auto& [id, st] : out) CHECK(describe(st) == "ok");
    CHECK(group.all_agree());
  }
}

TEST_CASE("transport units decode strictly") {
  wire::Resume r{random_array<16>(), random_array<16>(), 7, 3};
  auto u = wire::decode_unit(wire::encode_resume(r));
  REQUIRE(u);
  CHECK(u->type == wire::UnitType::Resume);
  CHECK(u->resume.mine == r.mine);
  CHECK(u->resume.yours == r.yours);
  CHECK(u->resume.next_expected == 7);
  CHECK(u->resume.first_unacked == 3);
  Bytes msg(40, 9);
  Bytes data_unit = wire::encode_data({5, 6}, msg);  // the decoded unit is a view into it
  auto d = wire::decode_unit(data_unit);
  REQUIRE(d);
  CHECK(d->data.seq == 5);
  CHECK(d->data.ack == 6);
  CHECK(Bytes(d->message.begin(), d->message.end()) == msg);
  CHECK(wire::decode_unit(wire::encode_ack(11))->ack == 11);

  CHECK_FALSE(wire::decode_unit(Bytes{}));
  CHECK_FALSE(wire::decode_unit(Bytes{4}));
  Bytes resume = wire::encode_resume(r);
  resume.push_back(0);
  CHECK_FALSE(wire::decode_unit(resume));
  CHECK_FALSE(wire::decode_unit(ByteSpan(wire::encode_ack(1)).first(8)));
  CHECK_FALSE(wire::decode_unit(wire::encode_data({1, 1}, Bytes(32, 0))));  // no engine bytes
  CHECK_FALSE(wire::decode_preamble(Bytes(13, 0)));
  auto pre = wire::encode_preamble({1, 2});
  CHECK(wire::decode_preamble(pre)->responder == 2);
  pre[4] = 9;
  CHECK_FALSE(wire::decode_preamble(pre));
  CHECK_FALSE(wire::decode_frame_length(Bytes{0, 0, 0, 16}, false));
  CHECK(wire::decode_frame_length(Bytes{0, 0, 0, 17}, false));
  CHECK_FALSE(wire::decode_frame_length(Bytes{0, 0, 0, 47}, true));
}

TEST_CASE("a peer that sends data before resuming is disconnected") {
  Cluster cluster({1, 2});
  cluster.start();
  RawSocket s(cluster.nodes.at(2)->listen_port());
  auto ciphers = handshake_as(s, cluster.configs.at(1), cluster.configs.at(2));
  s.send(sealed_frame(ciphers.send, wire::kFlagLast, wire::encode_data({0, 0}, Bytes(40, 1))));
  CHECK(s.closed_by_peer());
}

TEST_CASE("a node refuses a listen address it cannot resolve or bind") {
  SECTION("a host name that cannot resolve") {
    Cluster cluster({1, 2});
    // A label longer than 63 characters: refused by the resolver without asking any server.
    cluster.configs.at(1).listen_host = std::string(64, 'a') + ".example";
    auto node = TcpNode::start(cluster.configs.at(1).clone(), fast_tcp_options());
    REQUIRE_FALSE(node);
    CHECK(node.error().kind == ErrorKind::Transport);
    CHECK(node.error().message.rfind("cannot resolve listen address " + std::string(64, 'a'), 0) == 0);
  }
  SECTION("a port another node listens on") {
    Cluster cluster({1, 2});
    cluster.start(fast_tcp_options(), {1});
    const std::uint16_t taken = cluster.nodes.at(1)->listen_port();
    cluster.configs.at(2).listen_port = taken;
    auto node = TcpNode::start(cluster.configs.at(2).clone(), fast_tcp_options());
    REQUIRE_FALSE(node);
    CHECK(node.error().kind == ErrorKind::Transport);
    CHECK(node.error().message.rfind("cannot listen on 127.0.0.1:" + std::to_string(taken) + ": ", 0) == 0);
  }
}

TEST_CASE("a connection from a party outside the configuration is closed at its preamble") {
  // Party 1 exists, but not in the configuration of nodes 2 and 3; a slow handshake deadline
  // leaves only the preamble check to close the connection in time.
  Cluster cluster({2, 3});
  TcpOptions o = fast_tcp_options();
  o.handshake_timeout = std::chrono::milliseconds(60'000);
  cluster.start(o);
  RawSocket s(cluster.nodes.at(3)->listen_port());
  s.send(wire::encode_preamble({1, 3}));
  const auto before = std::chrono::steady_clock::now();
  CHECK(s.closed_by_peer());
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(4));
}

TEST_CASE("a connection claiming to come from the node itself is closed at its preamble") {
  Cluster cluster({1, 2, 3});
  TcpOptions o = fast_tcp_options();
  o.handshake_timeout = std::chrono::milliseconds(60'000);
  cluster.start(o);
  RawSocket s(cluster.nodes.at(2)->listen_port());
  s.send(wire::encode_preamble({2, 2}));
  // Closed at once: the preamble alone is refused (the handshake deadline is a minute away).
  const auto before = std::chrono::steady_clock::now();
  CHECK(s.closed_by_peer());
  CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(4));
  // The node still takes the connections of the real parties.
  CoinTossGroup group({1, 2, 3});
  auto out = run_over_tcp(cluster, group, 10'000);
  for (auto& [id, st] : out) CHECK(describe(st) == "ok");
}

TEST_CASE("a TCP session refuses messages above the size limit") {
  Cluster cluster({1, 2});
  TcpOptions o = fast_tcp_options();
  o.max_message_size = 1000;
  cluster.start(o);
  auto view = cluster.nodes.at(1)->open_session(random_session_id()).value();
  CHECK(view->send(2, Bytes(1000, 1)));
  auto s = view->send(2, Bytes(1001, 1));
  REQUIRE_FALSE(s);
  CHECK(s.error().kind == ErrorKind::InvalidInput);
  CHECK(s.error().message == "TCP transport: message of 1001 bytes exceeds the size limit");
}

TEST_CASE("a TCP session that outlives its node refuses to send") {
  Cluster cluster({1, 2});
  cluster.start();
  auto view = cluster.nodes.at(1)->open_session(random_session_id()).value();
  cluster.nodes.at(1).reset();
  auto s = view->send(2, Bytes{1, 2, 3});
  REQUIRE_FALSE(s);
  CHECK(s.error().kind == ErrorKind::Transport);
  CHECK(s.error().message == "TCP node stopped");
}

TEST_CASE("a peer address with port 0 is refused") {
  Cluster cluster({1, 2});
  cluster.start();
  auto s = cluster.nodes.at(1)->set_peer_address(2, "127.0.0.1", 0);
  REQUIRE_FALSE(s);
  CHECK(s.error().kind == ErrorKind::InvalidInput);
  CHECK(s.error().message == "port 0");
}

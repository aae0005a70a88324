// The NATS transport over a nats-server of the test's own (TLS, NKey users): whole FROST and
// ECDSA signings, a broker client without the cluster's keys injecting frames, the broker killed
// and restarted mid-batch, frames duplicated and reordered. Every signature is checked with
// libsecp256k1; every wait has a deadline.
#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>

#include "nats_fixture.hpp"
#include "net/net_fixture.hpp"
#include "support/independent_verify.hpp"
#include "tsign/dkg/dkg.hpp"
#include "tsign/ecdsa/keygen.hpp"
#include "tsign/ecdsa/sign.hpp"
#include "tsign/frost/frost.hpp"
#include "tsign/frost/signing_protocol.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

using FrostSuite = FrostSecp256k1;
using FrostShare = KeyShare<FrostSuite::Group>;
const std::vector<PartyId> kParties = {1, 2, 3};

// Runs one protocol object per party, each over its own node, in threads.
std::vector<Status> run_parties(NatsCluster& cluster, const SessionId& session, const std::vector<RoundProtocol*>& parties,
                                int timeout_ms = 10'000) {
  std::vector<Status> status(parties.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < parties.size(); ++i) {
    threads.emplace_back([&, i] {
      status[i] = run_session(*parties[i], cluster.node(parties[i]->self()), session, quick_options(timeout_ms));
    });
  }
  for (auto& t : threads) t.join();
  return status;
}

void require_all_ok(const std::vector<Status>& status) {
  for (const auto& s : status) REQUIRE(describe(s) == "ok");
}

std::vector<FrostShare> frost_keygen(NatsCluster& cluster) {
  const SessionId session = random_session_id();
  std::vector<DkgProtocol<FrostSuite>> parties;
  for (PartyId p : kParties) parties.push_back(DkgProtocol<FrostSuite>::create(p, {session, kParties, 2}).value());
  std::vector<RoundProtocol*> pointers;
  for (auto& p : parties) pointers.push_back(&p);
  require_all_ok(run_parties(cluster, session, pointers));
  std::vector<FrostShare> shares;
  for (auto& p : parties) shares.push_back(p.take_output().value());
  return shares;
}

struct FrostRun {
  std::vector<Status> status;
  std::vector<std::string> signatures;  // hex, per signer ("" where it failed)
  std::string public_key_hex;
  Bytes message;
};

FrostRun frost_sign(NatsCluster& cluster, const std::vector<FrostShare>& shares, std::vector<PartyId> signers,
                    int timeout_ms = 10'000) {
  FrostRun run;
  run.message = random_bytes(32);
  const SessionId session = random_session_id();
  std::vector<std::unique_ptr<frost::SigningProtocol<FrostSuite>>> parties;
  std::vector<RoundProtocol*> pointers;
  for (PartyId p : signers) {
    parties.push_back(std::make_unique<frost::SigningProtocol<FrostSuite>>(
        frost::SigningProtocol<FrostSuite>::create(shares[p - 1].clone(), signers, run.message).value()));
    pointers.push_back(parties.back().get());
  }
  run.public_key_hex = to_hex(shares[0].group_public_key.to_bytes());
  run.status = run_parties(cluster, session, pointers, timeout_ms);
  for (std::size_t i = 0; i < parties.size(); ++i) {
    auto sig = run.status[i] ? parties[i]->take_output() : Result<frost::Signature<FrostSuite>>(run.status[i].error());
    run.signatures.push_back(sig ? to_hex(sig->to_bytes()) : "");
  }
  return run;
}

void check_frost_signed(const FrostRun& run) {
  require_all_ok(run.status);
  for (const auto& sig : run.signatures) {
    CHECK(sig == run.signatures.front());
    CHECK(frost_secp256k1_verifies(run.public_key_hex, run.message, sig));
  }
}

std::string frame_kinds(const std::vector<Bytes>& frames) {
  std::string out;
  for (const auto& f : frames) out += f.size() > 5 ? std::to_string(f[5]) : "?";
  return out;
}

}  // namespace

TEST_CASE("FROST 2-of-3 signing over NATS after a DKG") {
  TSIGN_REQUIRE_NATS_SERVER();
  NatsCluster cluster(kParties);
  cluster.start();
  REQUIRE(wait_until([&] { return cluster.all_linked(); }, std::chrono::seconds(10)));
  const auto shares = frost_keygen(cluster);
  for (const auto& signers : std::vector<std::vector<PartyId>>{{1, 2}, {1, 3}, {2, 3}}) {
    check_frost_signed(frost_sign(cluster, shares, signers));
  }
  for (auto& [id, node] : cluster.nodes) {
    CHECK(node->rejected_frames() == 0);
    CHECK(node->flush(std::chrono::seconds(5)));
  }
}

TEST_CASE("ECDSA 2-of-3 signing over NATS after its key generation") {
  TSIGN_REQUIRE_NATS_SERVER();
  NatsCluster cluster(kParties);
  cluster.start();
  const SessionId keygen_session = random_session_id();
  std::vector<EcdsaKeyProtocol> keygen;
  for (PartyId p : kParties) keygen.push_back(EcdsaKeyProtocol::keygen(p, {keygen_session, kParties, 2}).value());
  std::vector<RoundProtocol*> pointers;
  for (auto& p : keygen) pointers.push_back(&p);
  require_all_ok(run_parties(cluster, keygen_session, pointers, 30'000));
  std::vector<EcdsaKeyShare> shares;
  for (auto& p : keygen) shares.push_back(std::move(*p.take_output().value()));

  const std::vector<PartyId> signers = {1, 3};
  const SessionId session = random_session_id();
  Digest32 digest = random_array<32>();
  std::deque<EcdsaKeyShare> copies;
  std::vector<std::unique_ptr<EcdsaSignProtocol>> parties;
  pointers.clear();
  for (PartyId p : signers) {
    copies.push_back(shares[p - 1].clone());
    parties.push_back(std::make_unique<EcdsaSignProtocol>(EcdsaSignProtocol::create(copies.back(), {session, signers, {}, digest}).value()));
    pointers.push_back(parties.back().get());
  }
  require_all_ok(run_parties(cluster, session, pointers, 30'000));
  const std::string public_key_hex = to_hex(shares[0].key.group_public_key.to_bytes());
  for (auto& p : parties) {
    auto sig = p->take_output();
    REQUIRE(sig);
    CHECK(ecdsa_verifies(public_key_hex, to_hex(digest), to_hex(sig->compact())));
  }
}

TEST_CASE("frames injected by a broker client without the cluster's keys are dropped and counted") {
  TSIGN_REQUIRE_NATS_SERVER();
  NatsCluster cluster(kParties);
  RawNatsClient stranger(*cluster.broker);
  const std::string root = subject_root(cluster.configs.at(1));
  stranger.record(root + ".>");  // before the nodes start: it sees every handshake
  cluster.start();
  REQUIRE(wait_until([&] { return cluster.all_linked(); }, std::chrono::seconds(10)));
  const auto shares = frost_keygen(cluster);

  // A hello from party 1 that party 2 answered, and a sealed frame to party 2.
  const auto recorded = stranger.recorded();
  INFO("frame kinds seen: " << frame_kinds(recorded));
  auto kind = [](const Bytes& f) { return f.size() > 5 ? f[5] : 0; };
  auto party = [](const Bytes& f, std::size_t at) { return PartyId(f[at] << 24 | f[at + 1] << 16 | f[at + 2] << 8 | f[at + 3]); };
  auto link = [](const Bytes& f) { return Bytes(f.begin() + 14, f.begin() + 30); };
  Bytes hello, sealed;
  for (const auto& reply : recorded) {
    if (kind(reply) != 2 || party(reply, 6) != 2) continue;
    for (const auto& f : recorded) {
      if (kind(f) == 1 && party(f, 10) == 2 && link(f) == link(reply)) hello = f;
    }
  }
  for (const auto& f : recorded) {
    if (kind(f) == 3 && party(f, 10) == 2) sealed = f;
  }
  REQUIRE(!hello.empty());
  REQUIRE(!sealed.empty());
  const auto before = cluster.node(2).rejected_frames();

  std::atomic<bool> done{false};
  std::size_t injected = 0;
  std::thread injector([&] {
    while (!done) {
      stranger.publish(root + ".p2", random_bytes(64));
      stranger.publish(root + ".p2", sealed);
      stranger.publish(root + ".p2", hello);
      Bytes flipped = sealed;
      flipped.back() ^= 1;
      stranger.publish(root + ".p2", flipped);
      stranger.publish(root + ".p1", random_bytes(200));
      injected += 4;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    stranger.flush();
  });
  for (int i = 0; i < 3; ++i) check_frost_signed(frost_sign(cluster, shares, {1, 2}));
  done = true;
  injector.join();
  INFO("injected " << injected << ", rejected " << cluster.node(2).rejected_frames() - before);
  REQUIRE(wait_until([&] { return cluster.node(2).rejected_frames() - before >= injected; }, std::chrono::seconds(5)));
  CHECK(cluster.node(2).duplicates_dropped() == 0);
  const std::string note = cluster.node(2).peer_status(1);
  INFO(note);
  CHECK(note.find("rejected") != std::string::npos);
  for (PartyId p : kParties) CHECK(note.find("party " + std::to_string(p)) == std::string::npos);  // nobody named
  CHECK(cluster.node(1).rejected_frames() > 0);
}

TEST_CASE("the broker killed and restarted in the middle of a batch of signings") {
  TSIGN_REQUIRE_NATS_SERVER();
  NatsCluster cluster(kParties);
  cluster.start();
  REQUIRE(wait_until([&] { return cluster.all_linked(); }, std::chrono::seconds(10)));
  const auto shares = frost_keygen(cluster);

  constexpr int kSessions = 20;
  int signed_ok = 0, failed = 0;
  std::set<std::string> signatures;
  std::thread restarter;
  for (int i = 0; i < kSessions; ++i) {
    if (i == 5) {
      restarter = std::thread([&] {
        cluster.broker->stop();  // SIGKILL
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        cluster.broker->start();
      });
    }
    auto run = frost_sign(cluster, shares, {1, 3}, 5'000);
    const bool all_ok = run.status[0] && run.status[1];
    if (all_ok) {
      check_frost_signed(run);
      CHECK(signatures.insert(run.signatures[0]).second);  // each session signs once, for itself
      ++signed_ok;
    } else {
      for (const auto& s : run.status) {
        if (s) continue;
        INFO(s.error().describe());
        CHECK((s.error().kind == ErrorKind::Timeout || s.error().kind == ErrorKind::ProtocolAborted));
      }
      ++failed;
    }
  }
  restarter.join();
  WARN("broker restart: " << signed_ok << " of " << kSessions << " sessions signed, " << failed << " failed");
  CHECK(signed_ok >= kSessions - 3);
  REQUIRE(wait_until([&] { return cluster.all_linked(); }, std::chrono::seconds(10)));
  check_frost_signed(frost_sign(cluster, shares, {1, 2}));
  check_frost_signed(frost_sign(cluster, shares, {2, 3}));
}

TEST_CASE("frames the broker duplicates and reorders reach the session once and in order") {
  TSIGN_REQUIRE_NATS_SERVER();
  NatsCluster cluster({1, 2});
  cluster.start();
  REQUIRE(wait_until([&] { return cluster.all_linked(); }, std::chrono::seconds(10)));
  RawNatsClient stranger(*cluster.broker);
  const SessionId session = random_session_id();
  auto sender = cluster.node(1).open_session(session).value();
  auto receiver = cluster.node(2).open_session(session).value();

  // Held back at party 1, then published by the test in reverse order and twice each.
  std::vector<Bytes> sent;
  cluster.node(1).hold_outgoing_for_testing(true);
  for (std::size_t i = 0; i < 6; ++i) {
    sent.push_back(random_bytes(i == 3 ? 150'000 : 100 + i));  // one of three fragments
    REQUIRE(sender->send(2, sent.back()));
  }
  auto held = cluster.node(1).take_held_for_testing();
  cluster.node(1).hold_outgoing_for_testing(false);
  REQUIRE(held.size() >= 8);
  for (auto it = held.rbegin(); it != held.rend(); ++it) {
    stranger.publish(it->first, it->second);
    stranger.publish(it->first, it->second);
  }
  stranger.flush();

  for (std::size_t i = 0; i < sent.size(); ++i) {
    auto m = receiver->receive(std::chrono::steady_clock::now() + std::chrono::seconds(5));
    REQUIRE(m);
    REQUIRE(m->has_value());
    CHECK((*m)->from == 1);
    CHECK((*m)->data == sent[i]);
  }
  auto extra = receiver->receive(std::chrono::steady_clock::now() + std::chrono::milliseconds(600));
  REQUIRE(extra);
  CHECK(!extra->has_value());
  CHECK(cluster.node(2).rejected_frames() >= held.size());  // the second copies: replays
  CHECK(cluster.node(1).flush(std::chrono::seconds(5)));
}

TEST_CASE("a NATS node refuses incomplete options, bad credentials and a broker of another name") {
  TSIGN_REQUIRE_NATS_SERVER();
  NatsCluster cluster({1, 2});
  NatsOptions o = cluster.broker->options_for(1);
  o.ca_file.clear();
  CHECK(NatsNode::start(cluster.configs.at(1).clone(), o).error().kind == ErrorKind::InvalidInput);
  o = cluster.broker->options_for(1);
  o.nkey_public = cluster.broker->options_for(2).nkey_public;  // party 2's name with party 1's seed
  auto wrong = NatsNode::start(cluster.configs.at(1).clone(), o);
  REQUIRE(!wrong);
  CHECK(wrong.error().kind == ErrorKind::Transport);
  o = cluster.broker->options_for(1);
  o.tls_server_name = "broker.example";  // the certificate names localhost
  auto misnamed = NatsNode::start(cluster.configs.at(1).clone(), o);
  REQUIRE(!misnamed);
  CHECK(misnamed.error().kind == ErrorKind::Transport);
  o = cluster.broker->options_for(1);
  o.subject_prefix = "a..b";
  CHECK(NatsNode::start(cluster.configs.at(1).clone(), o).error().kind == ErrorKind::InvalidInput);
}

TEST_CASE("a NATS peer that goes away is unreachable after the window and back when it returns") {
  TSIGN_REQUIRE_NATS_SERVER();
  NatsCluster cluster({1, 2});
  cluster.tune = [](NatsOptions& o) {
    o.silence_timeout = std::chrono::milliseconds(600);
    o.unreachable_after = std::chrono::milliseconds(1200);
  };
  cluster.start();
  REQUIRE(wait_until([&] { return cluster.all_linked(); }, std::chrono::seconds(10)));
  auto view = cluster.node(1).open_session(random_session_id()).value();
  CHECK(!view->peer_unreachable(2));
  cluster.nodes.at(2).reset();
  const auto gone = std::chrono::steady_clock::now();
  REQUIRE(wait_until([&] { return view->peer_unreachable(2); }, std::chrono::seconds(6)));
  CHECK(std::chrono::steady_clock::now() - gone >= std::chrono::milliseconds(800));  // the window, less a keepalive
  CHECK(view->peer_status(2).find("nothing heard for") != std::string::npos);
  cluster.start_one(2);
  REQUIRE(wait_until([&] { return cluster.all_linked(); }, std::chrono::seconds(10)));
  CHECK(!view->peer_unreachable(2));
}

// The abort state of an ECDSA pair is one for every copy of the share: clones, decodes of an
// older encoding, and (with a check journal) processes that died mid-check or start later.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "support/temp_dir.hpp"
#include "helpers.hpp"
#include "tsign/custody/check_journal.hpp"

using namespace tsign;
using namespace tsign::ecdsa_test;

namespace {

constexpr std::size_t kRequestRound = 1, kReplyRound = 2;

void expect_refused_with(EcdsaKeyShare& share, const std::vector<PartyId>& signers, PartyId peer) {
  auto refused = EcdsaSignProtocol::create(share, EcdsaSignConfig{random_session(), signers, {}, random_array<32>()});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::ProtocolAborted);
  CHECK(refused.error().culprits == std::vector<PartyId>{peer});
}

// The journal's directory, which it creates, inside a fresh temporary directory.
struct JournalDir {
  tsign::test::TempDir root;
  std::filesystem::path path = root / "journal";
};

// Runs `body` in a child process and returns how it ended: its exit code, or -signal.
template <class F>
int in_child(F body) {
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) ::_exit(body());
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  return WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
}

// A journal that can record nothing (a full or read-only disk).
class UnwritableJournal final : public ot::CheckJournal {
 public:
  Result<bool> disabled(const ot::PairFingerprint&) override { return false; }
  Status begin(const ot::PairFingerprint&) override { return make_error(ErrorKind::Storage, "journal: disk full"); }
  void passed(const ot::PairFingerprint&) override {}
  Status failed(const ot::PairFingerprint&) override { return make_error(ErrorKind::Storage, "journal: disk full"); }
};

}  // namespace

TEST_CASE("ecdsa abort state: a multiplication whose check cannot be recorded is not checked and releases nothing") {
  auto shares = fresh_key(2, 3);
  // Only party 2's receiver state for party 3: the first guarded step is checking 3's reply.
  REQUIRE(shares[1].pairs.at(3).receiver.guard().attach(std::make_shared<UnwritableJournal>()).ok());
  auto run = sign(shares, {2, 3}, random_array<32>());
  REQUIRE_FALSE(run.run.status.at(2).ok());
  INFO(run.run.error(2).describe());
  CHECK(run.run.error(2).message.find("journal: disk full") != std::string::npos);
  CHECK(run.run.error(2).culprits.empty());  // not party 3's doing
  CHECK(run.signatures.empty());
  CHECK_FALSE(shares[1].pairs.at(3).receiver.poisoned());  // nothing secret met 3's data
}

TEST_CASE("ecdsa abort state: a clone refuses the pair whose multiplication check failed on another clone") {
  auto shares = fresh_key(2, 3);
  EcdsaKeyShare twin = shares[1].clone();
  const SecretBytes before = shares[1].encode();
  auto run = sign(shares, {2, 3}, random_array<32>(), {}, [](InFlight& m) {
    if (m.round == kReplyRound && m.from == 3) m.payload.back() ^= 0x40;  // μ
  });
  expect_blamed(run, 3);
  // The twin never saw the failure, nor did the share as it was encoded before: both refuse.
  expect_refused_with(twin, {2, 3}, 3);
  auto restored = EcdsaKeyShare::decode(before.expose());
  REQUIRE(restored.ok());
  CHECK(restored->disabled_peers() == std::vector<PartyId>{3});
  // The pair with party 1 is another pair: still usable.
  CHECK(twin.disabled_peers() == std::vector<PartyId>{3});
}

TEST_CASE("ecdsa abort state: a clone refuses the pair whose OT-extension check failed on another clone") {
  auto shares = fresh_key(2, 3);
  EcdsaKeyShare twin = shares[0].clone();
  auto run = sign(shares, {1, 2}, random_array<32>(), {}, [](InFlight& m) {
    if (m.round == kRequestRound && m.from == 2) m.payload[m.payload.size() - 20] ^= 1;  // the extension's check
  });
  REQUIRE_FALSE(run.run.status.at(1).ok());
  CHECK(run.run.error(1).culprits == std::vector<PartyId>{2});
  CHECK(twin.pairs.at(2).sender.poisoned());
  expect_refused_with(twin, {1, 2}, 2);
}

TEST_CASE("ecdsa abort state: a process killed after recording a check attempt leaves the pair disabled") {
  JournalDir dir;
  auto shares = fresh_key(2, 3);
  const SecretBytes stored = shares[1].encode();  // party 2's share file, as it was before
  const int ended = in_child([&] {
    FileCheckJournal::Options options;
    options.on_step = [](std::string_view step) {
      if (step == "check:recorded") ::raise(SIGKILL);
    };
    auto journal = FileCheckJournal::open(dir.path, options);
    if (!journal.ok() || !shares[1].attach_journal(*journal).ok()) return 2;
    sign(shares, {2, 3}, random_array<32>());  // honest: killed at party 2's first check
    return 3;
  });
  REQUIRE(ended == -SIGKILL);

  // After the restart the same share file opens with the pair with party 3 disabled.
  auto journal = FileCheckJournal::open(dir.path);
  REQUIRE(journal.ok());
  auto reopened = EcdsaKeyShare::decode(stored.expose());
  REQUIRE(reopened.ok());
  REQUIRE(reopened->attach_journal(*journal).ok());
  CHECK(reopened->disabled_peers() == std::vector<PartyId>{3});
  expect_refused_with(*reopened, {2, 3}, 3);
}

TEST_CASE("ecdsa abort state: an older share file or a same-epoch backup does not re-enable a disabled pair") {
  JournalDir dir;
  auto shares = fresh_key(2, 3);
  const SecretBytes older = shares[1].encode();  // e.g. a backup taken at this epoch
  auto journal = FileCheckJournal::open(dir.path);
  REQUIRE(journal.ok());
  REQUIRE(shares[1].attach_journal(*journal).ok());
  auto run = sign(shares, {2, 3}, random_array<32>(), {}, [](InFlight& m) {
    if (m.round == kReplyRound && m.from == 3) m.payload.back() ^= 0x40;
  });
  expect_blamed(run, 3);

  // A later process puts the older bytes back: its pair with 3 is disabled by the journal alone.
  const int code = in_child([&] {
    auto later = FileCheckJournal::open(dir.path);
    auto restored = EcdsaKeyShare::decode(older.expose());
    if (!later.ok() || !restored.ok() || !restored->attach_journal(*later).ok()) return 2;
    return restored->disabled_peers() == std::vector<PartyId>{3} ? 0 : 1;
  });
  CHECK(code == 0);
}

TEST_CASE("ecdsa abort state: honest signing with a journal leaves no record behind") {
  JournalDir dir;
  auto shares = fresh_key(2, 3);
  auto journal = FileCheckJournal::open(dir.path);
  REQUIRE(journal.ok());
  for (auto& share : shares) REQUIRE(share.attach_journal(*journal).ok());
  const Digest32 digest = random_array<32>();
  check_signatures(sign(shares, {1, 3}, digest), digest, shares[0].key.group_public_key);
  CHECK(std::filesystem::is_empty(dir.path));
  for (const auto& share : shares) CHECK(share.disabled_peers().empty());
}

// The durable record of OT check attempts: what each call leaves on disk, and a record that
// cannot be written stops the check before any secret meets the peer's data.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "support/temp_dir.hpp"
#include "ot/extension.hpp"
#include "ot/ot_test_support.hpp"
#include "support/syscall_faults.hpp"
#include "tsign/custody/check_journal.hpp"

using namespace tsign;
using namespace tsign::test;
namespace fs = std::filesystem;

namespace {

constexpr PartyId kS = 2, kR = 5;

// The journal's directory, which it creates, inside a fresh temporary directory.
struct JournalDir {
  tsign::test::TempDir root;
  std::filesystem::path path = root / "journal";
};

Result<ot::ExtensionSenderOutput> honest_extension(ot::test::SetupPair& pair) {
  const Bytes sid = random_bytes(16);
  const ot::PairSession session{sid, kS, kR};
  auto sent = ot::extend_receiver(pair.receiver, session, 416);
  REQUIRE(sent.ok());
  return ot::extend_sender(pair.sender, session, sent->second);
}

}  // namespace

TEST_CASE("check journal: an attempt is on disk until it passes; a failure stays") {
  JournalDir dir;
  auto journal = FileCheckJournal::open(dir.path).value();
  CHECK((fs::status(dir.path).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
  const ot::PairFingerprint a = random_array<32>(), b = random_array<32>();
  CHECK_FALSE(journal->disabled(a).value());
  REQUIRE(journal->begin(a).ok());
  CHECK(fs::exists(dir.path / (to_hex(a) + ".attempt")));
  CHECK(journal->disabled(a).value());  // a crash now leaves it disabled
  journal->passed(a);
  CHECK_FALSE(journal->disabled(a).value());
  REQUIRE(journal->failed(b).ok());
  CHECK(journal->disabled(b).value());
  CHECK_FALSE(journal->disabled(a).value());
}

TEST_CASE("check journal: a check whose attempt cannot be recorded does not run") {
  JournalDir dir;
  auto pair = ot::test::run_setup(kS, kR);
  auto journal = FileCheckJournal::open(dir.path).value();
  REQUIRE(pair.sender.guard().attach(journal).ok());
  for (auto call : {Syscall::Open, Syscall::Write, Syscall::Fsync, Syscall::Rename}) {
    INFO(static_cast<int>(call));
    SyscallFault fault(call);
    auto refused = honest_extension(pair);
    REQUIRE(fault.fired());
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().kind == ErrorKind::Storage);
    CHECK(refused.error().culprits.empty());  // not the peer's doing
    CHECK_FALSE(pair.sender.poisoned());      // nothing secret was used
  }
  CHECK(fs::is_empty(dir.path));
  REQUIRE(honest_extension(pair).ok());
  CHECK(fs::is_empty(dir.path));
}

TEST_CASE("check journal: attaching a journal that holds the pair's record disables it in every copy") {
  JournalDir dir;
  auto pair = ot::test::run_setup(kS, kR);
  const ot::OtSenderSetup twin = pair.sender.clone();
  auto journal = FileCheckJournal::open(dir.path).value();
  REQUIRE(journal->begin(pair.sender.guard().fingerprint()).ok());  // left by a process that died
  REQUIRE(pair.sender.guard().attach(journal).ok());
  CHECK(twin.poisoned());
  auto refused = honest_extension(pair);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().culprits == std::vector<PartyId>{kR});
}

TEST_CASE("check journal: a pair disabled before the journal was attached is recorded on attaching") {
  JournalDir dir;
  auto pair = ot::test::run_setup(kS, kR);
  pair.receiver.mark_poisoned();
  auto journal = FileCheckJournal::open(dir.path).value();
  REQUIRE(pair.receiver.guard().attach(journal).ok());
  CHECK(fs::exists(dir.path / (to_hex(pair.receiver.guard().fingerprint()) + ".disabled")));
}

TEST_CASE("check journal: a directory open to others or not a directory is refused") {
  JournalDir dir;
  fs::create_directories(dir.path);
  fs::permissions(dir.path, fs::perms::owner_all | fs::perms::others_write);
  auto open = FileCheckJournal::open(dir.path);
  REQUIRE_FALSE(open.ok());
  CHECK(open.error().message.find("writable by group or others") != std::string::npos);
  const fs::path file = dir.path / "file";
  fs::permissions(dir.path, fs::perms::owner_all);
  { std::ofstream(file) << "x"; }
  auto not_dir = FileCheckJournal::open(file);
  REQUIRE_FALSE(not_dir.ok());
  CHECK(not_dir.error().message.find("is not a directory") != std::string::npos);
}

TEST_CASE("check journal: a directory that cannot be made, or that vanished, is an error, never a clean record") {
  JournalDir dir;
  auto missing_parent = FileCheckJournal::open(dir.path / "no" / "such");
  REQUIRE_FALSE(missing_parent.ok());
  CHECK(missing_parent.error().message.find("cannot create directory") != std::string::npos);

  auto journal = FileCheckJournal::open(dir.path).value();
  fs::remove_all(dir.path);
  { std::ofstream(dir.path) << "not a directory any more"; }
  auto read = journal->disabled(random_array<32>());
  REQUIRE_FALSE(read.ok());
  CHECK(read.error().message.find("cannot stat") != std::string::npos);
  // A state attached to it is disabled: an unreadable record is not taken for a clean one.
  auto pair = ot::test::run_setup(kS, kR);
  CHECK_FALSE(pair.sender.guard().attach(journal).ok());
  CHECK(pair.sender.poisoned());
  fs::remove(dir.path);
}

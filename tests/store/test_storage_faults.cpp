// Storage under failing system calls: each call the store makes fails once, on purpose
// (support/syscall_faults.hpp), and the operation reports it and leaves what was there intact.
#include <catch2/catch.hpp>

#include <fstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_fixtures.hpp"
#include "support/syscall_faults.hpp"
#include "tsign/store/atomic_file.hpp"
#include "tsign/store/audit_log.hpp"
#include "tsign/store/file_lock.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

IdentityKey test_identity() { return IdentityKey::from_seed(Bytes(32, 0x42)).value(); }

Bytes text(std::string_view s) { return Bytes(as_bytes(s).begin(), as_bytes(s).end()); }

// The operation fails with a storage error whose message says `what`, and the fault was reached.
template <class Result>
void expect_storage_error(const Result& r, const SyscallFault& fault, const std::string& what) {
  CHECK(fault.fired());
  REQUIRE_FALSE(r.ok());
  INFO(r.error().describe());
  CHECK(r.error().kind == ErrorKind::Storage);
  CHECK(r.error().message.find(what) != std::string::npos);
}

}  // namespace

TEST_CASE("storage faults: an atomic write that fails at any step leaves the old file and no temporary") {
  TempDir dir;
  const auto path = dir.path() / "f";
  REQUIRE(write_file_atomic(path, text("old")).ok());
  struct Step {
    Syscall call;
    int nth;
    const char* message;
  };
  // open: 0 the temporary, 1 the directory; fsync: 0 the file, 1 the directory.
  const Step steps[] = {
      {Syscall::Open, 0, "cannot create"},      {Syscall::Write, 0, "cannot write"},
      {Syscall::Fsync, 0, "cannot fsync"},      {Syscall::Close, 0, "cannot close"},
      {Syscall::Rename, 0, "cannot rename onto"},
  };
  for (const auto& step : steps) {
    INFO(step.message);
    SyscallFault fault(step.call, step.nth);
    expect_storage_error(write_file_atomic(path, text("new")), fault, step.message);
    CHECK(*read_file(path, 100) == text("old"));
    CHECK(list_names(dir.path()) == std::vector<std::string>{"f"});
  }
}

TEST_CASE("storage faults: a directory that cannot be opened or synced fails the durable write") {
  TempDir dir;
  const auto path = dir.path() / "f";
  {
    SyscallFault fault(Syscall::Open, 1);
    expect_storage_error(write_file_atomic(path, text("x")), fault, "cannot open directory");
  }
  {
    SyscallFault fault(Syscall::Fsync, 1);
    expect_storage_error(write_file_atomic(path, text("x")), fault, "cannot fsync directory");
  }
}

TEST_CASE("storage faults: reads report a failing open or read and a file that shrank or grew") {
  TempDir dir;
  const auto path = dir.path() / "f";
  REQUIRE(write_file_atomic(path, text("0123456789")).ok());
  {
    SyscallFault fault(Syscall::Open);
    expect_storage_error(read_file(path, 100), fault, "cannot open");
  }
  {
    SyscallFault fault(Syscall::Read);
    expect_storage_error(read_file(path, 100), fault, "cannot read");
  }
  {
    // The trailing one-byte read that proves the file did not grow.
    SyscallFault fault(Syscall::Read, 1);
    expect_storage_error(read_file(path, 100), fault, "cannot read");
  }
  {
    // The file shrank after fstat: read hits its end early.
    SyscallFault fault(Syscall::Read, 0, 0, 0);
    expect_storage_error(read_file(path, 100), fault, "changed while being read");
  }
  {
    // The file grew after fstat: the read past its size still finds a byte.
    SyscallFault fault(Syscall::Read, 1, 0, 1);
    expect_storage_error(read_file(path, 100), fault, "changed while being read");
  }
  auto not_regular = read_file(dir.path(), 100);
  REQUIRE_FALSE(not_regular.ok());
  CHECK(not_regular.error().message.find("not a regular file") != std::string::npos);
}

TEST_CASE("storage faults: wiping reports every failing step and keeps the file it could not wipe") {
  TempDir dir;
  const auto path = dir.path() / "f";
  struct Step {
    Syscall call;
    const char* message;
  };
  const Step steps[] = {{Syscall::Open, "cannot open for wiping"}, {Syscall::Write, "cannot write"},
                        {Syscall::Fsync, "cannot fsync"},          {Syscall::Close, "cannot close"},
                        {Syscall::Unlink, "cannot remove"}};
  for (const auto& step : steps) {
    INFO(step.message);
    REQUIRE(write_file_atomic(path, text("secret")).ok());
    SyscallFault fault(step.call);
    expect_storage_error(wipe_file(path), fault, step.message);
    CHECK(std::filesystem::exists(path));
  }
  auto not_regular = wipe_file(dir.path());
  REQUIRE_FALSE(not_regular.ok());
  // A directory cannot be opened for writing, or (if it could) is refused as not a regular file.
  CHECK(not_regular.error().kind == ErrorKind::Storage);
  const auto fifo = dir.path() / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);  // so that opening it to write does not block
  REQUIRE(reader >= 0);
  auto fifo_wipe = wipe_file(fifo);
  ::close(reader);
  REQUIRE_FALSE(fifo_wipe.ok());
  CHECK(fifo_wipe.error().message.find("not a regular file") != std::string::npos);
}

TEST_CASE("storage faults: a lock file that cannot be opened or locked is an error, not a lock") {
  TempDir dir;
  const auto path = dir.path() / "lock";
  {
    SyscallFault fault(Syscall::Open);
    expect_storage_error(FileLock::acquire(path), fault, "cannot open lock file");
  }
  {
    SyscallFault fault(Syscall::Flock, 0, ENOLCK);
    expect_storage_error(FileLock::acquire(path), fault, "cannot lock");
  }
  CHECK(FileLock::acquire(path).ok());
}

TEST_CASE("storage faults: an audit append that cannot be written or synced leaves the log as it was") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  const AuditEvent event{AuditEventKind::Generated, sample_header().key_id, 0, std::nullopt, {}, {1, 2}, ""};
  {
    auto log = AuditLog::open(path, test_identity()).value();
    REQUIRE(log.append(event).ok());
    for (Syscall call : {Syscall::Write, Syscall::Fsync}) {
      SyscallFault fault(call);
      auto r = log.append(event);
      CHECK(fault.fired());
      REQUIRE_FALSE(r.ok());
      CHECK(log.head().count == 1);
    }
    {
      // The write fails and so does cutting the partial entry off: the log says so.
      SyscallFault write_fault(Syscall::Write);
      SyscallFault cut_fault(Syscall::Ftruncate);
      auto r = log.append(event);
      CHECK(cut_fault.fired());
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().message.find("partial entry could not be removed") != std::string::npos);
    }
  }
  // Reopened, the log verifies and holds the one entry that was written.
  auto reopened = AuditLog::open(path, test_identity());
  REQUIRE(reopened.ok());
  CHECK(reopened->head().count == 1);
}

TEST_CASE("storage faults: an audit log that cannot be opened for appending is not opened") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  REQUIRE(AuditLog::open(path, test_identity()).ok());
  // open: 0 the lock file, 1 the checkpoint (read_file), 2 the log for reading, 3 for appending.
  {
    SyscallFault fault(Syscall::Open, 2);
    expect_storage_error(AuditLog::open(path, test_identity()), fault, "cannot open " + path.string() + ":");
  }
  SyscallFault fault(Syscall::Open, 3);
  expect_storage_error(AuditLog::open(path, test_identity()), fault, "cannot open for appending " + path.string() + ":");
}

TEST_CASE("storage faults: an incomplete last entry that cannot be cut off stops the log from opening") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  {
    auto log = AuditLog::open(path, test_identity()).value();
    REQUIRE(log.append(AuditEvent{AuditEventKind::Generated, sample_header().key_id, 0, std::nullopt, {}, {1}, ""}).ok());
  }
  {
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out.write("\x00\x00", 2);  // an append that died after two bytes of its length
  }
  for (Syscall call : {Syscall::Ftruncate, Syscall::Fsync}) {
    SyscallFault fault(call);
    expect_storage_error(AuditLog::open(path, test_identity()), fault, "cannot cut the incomplete entry off");
  }
  CHECK(AuditLog::open(path, test_identity()).ok());
}

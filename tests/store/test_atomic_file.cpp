#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <fstream>

#include "store_fixtures.hpp"
#include "tsign/store/atomic_file.hpp"
#include "tsign/store/file_lock.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {
Bytes text(std::string_view s) { return Bytes(as_bytes(s).begin(), as_bytes(s).end()); }
}  // namespace

TEST_CASE("atomic file: write, overwrite, read back, nothing left behind") {
  TempDir dir;
  const auto path = dir.path() / "f";
  REQUIRE(write_file_atomic(path, text("first")).ok());
  REQUIRE(write_file_atomic(path, text("second version")).ok());
  auto back = read_file(path, 100);
  REQUIRE(back.ok());
  CHECK(*back == text("second version"));
  CHECK(list_names(dir.path()) == std::vector<std::string>{"f"});
  CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
}

TEST_CASE("atomic file: read limits and errors") {
  TempDir dir;
  const auto path = dir.path() / "f";
  REQUIRE(write_file_atomic(path, text("0123456789")).ok());
  CHECK(read_file(path, 10).ok());
  auto big = read_file(path, 9);
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().kind == ErrorKind::InvalidInput);
  auto missing = read_file(dir.path() / "nope", 10);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::Storage);
  CHECK(missing.error().message.find("nope") != std::string::npos);
  CHECK_FALSE(read_file(dir.path(), 10).ok());
}

TEST_CASE("atomic file: a failed rename leaves the target and no temporary file") {
  TempDir dir;
  const auto target = dir.path() / "target";
  std::filesystem::create_directory(target);
  std::ofstream(target / "inside") << "keep";
  auto st = write_file_atomic(target, text("data"));
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().kind == ErrorKind::Storage);
  CHECK(list_names(dir.path()) == std::vector<std::string>{"target"});
  CHECK(list_names(target) == std::vector<std::string>{"inside"});
}

TEST_CASE("atomic file: a failed write (file size limit) leaves the existing file untouched") {
  TempDir dir;
  const auto path = dir.path() / "f";
  REQUIRE(write_file_atomic(path, text("original")).ok());
  const int status = run_in_child([&] {
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit lim {16, 16};
    if (::setrlimit(RLIMIT_FSIZE, &lim) != 0) return 3;
    auto r = write_file_atomic(path, Bytes(100, 0x55));
    return r.ok() ? 1 : 0;
  });
  CHECK(exited_with(status, 0));
  auto back = read_file(path, 100);
  REQUIRE(back.ok());
  CHECK(*back == text("original"));
  CHECK(list_names(dir.path()) == std::vector<std::string>{"f"});
}

TEST_CASE("atomic file: a process killed mid-write leaves the old or the new file, whole") {
  TempDir dir;
  const auto path = dir.path() / "f";
  REQUIRE(write_file_atomic(path, text("old")).ok());

  const int before_rename = run_in_child([&] {
    auto r = write_file_atomic(path, text("new"), [](std::string_view s) {
      if (s == "write:synced") ::raise(SIGKILL);
    });
    return r.ok() ? 0 : 1;
  });
  CHECK(killed_by_sigkill(before_rename));
  CHECK(*read_file(path, 100) == text("old"));
  auto names = list_names(dir.path());
  REQUIRE(names.size() == 2);  // the orphaned temporary file is recognisable
  CHECK(names[0] != "f");
  CHECK(is_temporary_file_name(names[0]));
  CHECK_FALSE(is_temporary_file_name("f"));

  const int after_rename = run_in_child([&] {
    auto r = write_file_atomic(path, text("new"), [](std::string_view s) {
      if (s == "write:renamed") ::raise(SIGKILL);
    });
    return r.ok() ? 0 : 1;
  });
  CHECK(killed_by_sigkill(after_rename));
  CHECK(*read_file(path, 100) == text("new"));
}

TEST_CASE("atomic file: wipe overwrites and removes") {
  TempDir dir;
  const auto path = dir.path() / "f";
  REQUIRE(write_file_atomic(path, Bytes(10000, 0xaa)).ok());
  REQUIRE(wipe_file(path).ok());
  CHECK_FALSE(std::filesystem::exists(path));
  auto again = wipe_file(path);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().kind == ErrorKind::Storage);
}

TEST_CASE("file lock: exclusive while held, free once released") {
  TempDir dir;
  const auto path = dir.path() / "lock";
  {
    auto first = FileLock::acquire(path);
    REQUIRE(first.ok());
    auto second = FileLock::acquire(path);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().message.find("locked") != std::string::npos);
    FileLock moved = std::move(*first);
    CHECK_FALSE(FileLock::acquire(path).ok());
  }
  CHECK(FileLock::acquire(path).ok());
}

// The share store's refusals one at a time, each with the diagnosis of the check made for it.
#include <catch2/catch.hpp>

#include <fstream>

#include "store_fixtures.hpp"
#include "support/syscall_faults.hpp"
#include "tsign/store/share_store.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

ShareStore open_store(const std::filesystem::path& root) { return ShareStore::open(root, 1).value(); }


std::filesystem::path key_dir(const std::filesystem::path& root) { return root / to_hex(sample_header().key_id); }

std::string epoch_name(std::uint64_t epoch, std::string_view suffix) {
  char digits[21];
  std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(epoch));
  return std::string(digits) + std::string(suffix);
}

}  // namespace

TEST_CASE("share store checks: a directory that cannot be created or is a file") {
  TempDir dir;
  {
    SyscallFault fault(Syscall::Mkdir, 0, EACCES);
    expect_refused(ShareStore::open(dir.path() / "store", 1), "cannot create directory");
    CHECK(fault.fired());
  }
  std::ofstream(dir.path() / "file") << "x";
  expect_refused(ShareStore::open(dir.path() / "file", 1), "is not a directory");
}

TEST_CASE("share store checks: two staged epochs of one key are refused") {
  TempDir dir;
  auto store = open_store(dir.path());
  auto protector = fast_protector();
  REQUIRE(store.stage(sample_header(1, 0), sample_share(), protector).ok());
  std::filesystem::copy_file(key_dir(dir.path()) / epoch_name(0, ".staged"), key_dir(dir.path()) / epoch_name(1, ".staged"));
  expect_refused(store.state(sample_header().key_id), "two staged epochs");
}

TEST_CASE("share store checks: operations on an epoch that is not there") {
  TempDir dir;
  auto store = open_store(dir.path());
  auto protector = fast_protector();
  const KeyId key = sample_header().key_id;
  expect_refused(store.decommission(key), "no share of key");
  REQUIRE(store.stage(sample_header(1, 0), sample_share(), protector).ok());
  expect_refused(store.discard(key, 5), "is not staged");
  REQUIRE(store.commit(key, 0).ok());
  expect_refused(store.load_staged(key, protector), "no staged share");
  expect_refused(store.read_header(key, true), "no staged share");
  expect_refused(store.rewrite(sample_header(1, 3), sample_share(), protector), "is not the committed epoch");
  // Something other than share files in the key's directory is reported and left in place; the
  // share files are wiped all the same.
  std::filesystem::create_directory(key_dir(dir.path()) / "stray");
  expect_refused(store.decommission(key), "unexpected entry");
  CHECK_FALSE(std::filesystem::exists(key_dir(dir.path()) / epoch_name(0, ".share")));
  CHECK(std::filesystem::exists(key_dir(dir.path()) / "stray"));
}

TEST_CASE("share store checks: a key directory or store root that cannot be listed") {
  TempDir dir;
  const auto root = dir.path() / "store";
  auto store = open_store(root);
  const KeyId key = sample_header().key_id;
  std::ofstream(key_dir(root)) << "not a directory";  // where the key's directory belongs
  expect_refused(store.state(key), "cannot list");
  expect_refused(store.decommission(key), "cannot list");
  std::filesystem::remove_all(root);
  std::ofstream(root) << "not a directory";
  expect_refused(store.keys(), "cannot list");
}

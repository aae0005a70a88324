#include <catch2/catch.hpp>

#include <fstream>

#include "store_fixtures.hpp"
#include "tsign/store/share_store.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

const Bytes kOldShare = sample_share("epoch-1");
const Bytes kNewShare = sample_share("epoch-2");

ShareStore open_store(const std::filesystem::path& root, PartyId party = 1, ShareStore::Options options = {}) {
  auto store = ShareStore::open(root, party, std::move(options));
  if (!store.ok()) throw std::runtime_error(store.error().describe());
  return std::move(store).value();
}

// A committed share at epoch 1, as left by key generation and one refresh.
void seed_epoch_1(const std::filesystem::path& root) {
  auto store = open_store(root);
  auto protector = fast_protector();
  REQUIRE(store.stage(sample_header(1, 1), kOldShare, protector).ok());
  REQUIRE(store.commit(sample_header().key_id, 1).ok());
}

}  // namespace

TEST_CASE("share store: stage, commit, load") {
  TempDir dir;
  auto store = open_store(dir.path());
  auto protector = fast_protector();
  const KeyId key = sample_header().key_id;

  CHECK_FALSE(store.load(key, protector).ok());
  REQUIRE(store.stage(sample_header(1, 0), kOldShare, protector).ok());
  auto none = store.load(key, protector);  // staged is not committed
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().kind == ErrorKind::Storage);
  REQUIRE(store.commit(key, 0).ok());

  auto loaded = store.load(key, protector);
  REQUIRE(loaded.ok());
  CHECK(loaded->header == sample_header(1, 0));
  CHECK(same(loaded->share.expose(), kOldShare));

  auto keys = store.keys();
  REQUIRE(keys.ok());
  CHECK(*keys == std::vector<KeyId>{key});
  CHECK(list_names(dir.path() / to_hex(key)) == std::vector<std::string>{"00000000000000000000.share"});
}

TEST_CASE("share store: refresh keeps the old epoch until commit") {
  TempDir dir;
  seed_epoch_1(dir.path());
  auto store = open_store(dir.path());
  auto protector = fast_protector();
  const KeyId key = sample_header().key_id;

  REQUIRE(store.stage(sample_header(1, 2), kNewShare, protector).ok());
  auto st = store.state(key);
  REQUIRE(st.ok());
  CHECK(st->committed == std::vector<std::uint64_t>{1});
  CHECK(st->staged == std::optional<std::uint64_t>{2});
  CHECK(same(store.load(key, protector)->share.expose(), kOldShare));
  CHECK(same(store.load_staged(key, protector)->share.expose(), kNewShare));

  // Staging the same epoch again replaces it; another epoch must wait.
  REQUIRE(store.stage(sample_header(1, 2), kNewShare, protector).ok());
  auto other = store.stage(sample_header(1, 3), kNewShare, protector);
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().message.find("already staged") != std::string::npos);

  REQUIRE(store.commit(key, 2).ok());
  CHECK(same(store.load(key, protector)->share.expose(), kNewShare));
  CHECK(store.state(key)->committed == std::vector<std::uint64_t>{2});
  CHECK_FALSE(store.state(key)->staged);
  CHECK(store.commit(key, 2).ok());  // idempotent

  auto stale = store.stage(sample_header(1, 2), kNewShare, protector);
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().message.find("not above the committed epoch 2") != std::string::npos);
}

TEST_CASE("share store: discard drops the staged epoch only") {
  TempDir dir;
  seed_epoch_1(dir.path());
  auto store = open_store(dir.path());
  auto protector = fast_protector();
  const KeyId key = sample_header().key_id;
  REQUIRE(store.stage(sample_header(1, 2), kNewShare, protector).ok());
  REQUIRE(store.discard(key, 2).ok());
  CHECK_FALSE(store.discard(key, 2).ok());
  CHECK_FALSE(store.commit(key, 2).ok());
  CHECK(same(store.load(key, protector)->share.expose(), kOldShare));

  // A key generation that is discarded leaves no directory.
  ShareHeader fresh = sample_header(1, 0, 0x11);
  REQUIRE(store.stage(fresh, kOldShare, protector).ok());
  REQUIRE(store.discard(fresh.key_id, 0).ok());
  CHECK_FALSE(std::filesystem::exists(dir.path() / to_hex(fresh.key_id)));
}

TEST_CASE("share store: one opener at a time, party checks, strict directory") {
  TempDir dir;
  {
    auto store = open_store(dir.path(), 1);
    auto second = ShareStore::open(dir.path(), 1);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().kind == ErrorKind::Storage);

    auto protector = fast_protector();
    auto wrong_party = store.stage(sample_header(2, 0), kOldShare, protector);
    REQUIRE_FALSE(wrong_party.ok());
    CHECK(wrong_party.error().kind == ErrorKind::InvalidInput);
    ShareHeader ed = sample_header(1, 0);
    ed.suite = ShareSuite::FrostEd25519;
    REQUIRE(store.stage(sample_header(1, 0), kOldShare, protector).ok());
    REQUIRE(store.commit(sample_header().key_id, 0).ok());
    ed.epoch = 1;
    auto suite_change = store.stage(ed, kOldShare, protector);
    REQUIRE_FALSE(suite_change.ok());
    CHECK(suite_change.error().message.find("frost-ed25519") != std::string::npos);
  }
  CHECK_FALSE(ShareStore::open(dir.path(), 0).ok());

  // Party 2 opening party 1's directory finds files that are not its own.
  auto other = open_store(dir.path(), 2);
  auto protector = fast_protector();
  auto r = other.load(sample_header().key_id, protector);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("party 1, expected party 2") != std::string::npos);
}

TEST_CASE("share store: a file renamed to another epoch, or a foreign file, is refused") {
  TempDir dir;
  seed_epoch_1(dir.path());
  const auto key_dir = dir.path() / to_hex(sample_header().key_id);
  std::filesystem::rename(key_dir / "00000000000000000001.share", key_dir / "00000000000000000009.share");
  {
    auto store = open_store(dir.path());
    auto protector = fast_protector();
    auto r = store.load(sample_header().key_id, protector);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("epoch 1, expected epoch 9") != std::string::npos);
  }
  std::filesystem::rename(key_dir / "00000000000000000009.share", key_dir / "00000000000000000001.share");
  { std::ofstream(key_dir / "notes.txt") << "x"; }
  auto store = open_store(dir.path());
  auto protector = fast_protector();
  auto r = store.load(sample_header().key_id, protector);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("unexpected entry") != std::string::npos);
}

TEST_CASE("share store: decommission wipes every file of the key and the held share") {
  TempDir dir;
  seed_epoch_1(dir.path());
  auto store = open_store(dir.path());
  auto protector = fast_protector();
  const KeyId key = sample_header().key_id;
  ShareHeader other = sample_header(1, 0, 0x22);
  REQUIRE(store.stage(other, kOldShare, protector).ok());
  REQUIRE(store.commit(other.key_id, 0).ok());
  REQUIRE(store.stage(sample_header(1, 2), kNewShare, protector).ok());

  auto held = store.load(key, protector);
  REQUIRE(held.ok());
  REQUIRE(store.decommission(key, std::move(held).value()).ok());
  CHECK_FALSE(std::filesystem::exists(dir.path() / to_hex(key)));
  CHECK(*store.keys() == std::vector<KeyId>{other.key_id});
  CHECK_FALSE(store.load(key, protector).ok());
  CHECK(store.load(other.key_id, protector).ok());
  CHECK_FALSE(store.decommission(key).ok());
}

TEST_CASE("share store: a process killed at any step of a refresh leaves a usable share") {
  struct Case {
    const char* step;
    std::uint64_t loaded_epoch;  // what load() must return right after the crash
  };
  const Case cases[] = {
      {"write:synced", 1},    // staging: temporary file durable, not yet renamed
      {"write:renamed", 1},   // staging: staged file in place
      {"stage:done", 1},      // after the stage write
      {"commit:begin", 1},    // before commit
      {"commit:renamed", 2},  // during commit: new epoch committed, old not yet wiped
      {"commit:done", 2},     // after commit
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION("killed at " << c.step) {
      TempDir dir;
      seed_epoch_1(dir.path());
      const std::string target = c.step;
      const int status = run_in_child([&] {
        ShareStore::Options options;
        options.on_step = [&](std::string_view s) {
          if (s == target) ::raise(SIGKILL);
        };
        auto store = ShareStore::open(dir.path(), 1, options);
        if (!store.ok()) return 10;
        auto protector = fast_protector();
        if (!store->stage(sample_header(1, 2), kNewShare, protector).ok()) return 11;
        if (!store->commit(sample_header().key_id, 2).ok()) return 12;
        return 0;
      });
      REQUIRE(killed_by_sigkill(status));

      auto store = open_store(dir.path());
      auto protector = fast_protector();
      const KeyId key = sample_header().key_id;
      auto loaded = store.load(key, protector);
      REQUIRE(loaded.ok());
      CHECK(loaded->header.epoch == c.loaded_epoch);
      CHECK(same(loaded->share.expose(), c.loaded_epoch == 1 ? kOldShare : kNewShare));

      // Recovery once the peers confirm the new epoch: commit (again) and find only epoch 2.
      auto st = store.state(key);
      REQUIRE(st.ok());
      if (st->staged || st->committed.back() == 2) {
        REQUIRE(store.commit(key, 2).ok());
      } else {
        REQUIRE(store.stage(sample_header(1, 2), kNewShare, protector).ok());  // cleans the orphan
        REQUIRE(store.commit(key, 2).ok());
      }
      auto after = store.load(key, protector);
      REQUIRE(after.ok());
      CHECK(after->header.epoch == 2);
      CHECK(same(after->share.expose(), kNewShare));
      CHECK(list_names(dir.path() / to_hex(key)) == std::vector<std::string>{"00000000000000000002.share"});
    }
  }
}

TEST_CASE("share store: a failed first stage leaves no key behind") {
  TempDir dir;
  auto store = open_store(dir.path());
  PassphraseProtector no_passphrase(SecretBytes{}, Argon2Params::minimal());
  REQUIRE_FALSE(store.stage(sample_header(1, 0), kOldShare, no_passphrase).ok());
  CHECK(store.keys()->empty());
  CHECK(list_names(dir.path()) == std::vector<std::string>{".lock"});
}

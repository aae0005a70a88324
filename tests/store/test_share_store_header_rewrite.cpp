#include <catch2/catch.hpp>

#include "store_fixtures.hpp"
#include "tsign/store/share_store.hpp"

using namespace tsign;
using namespace tsign::test;

TEST_CASE("share store: rewrite replaces the committed epoch in place, nothing else") {
  TempDir dir;
  auto store = ShareStore::open(dir.path(), 1).value();
  auto protector = fast_protector();
  const KeyId key = sample_header().key_id;
  const Bytes first = sample_share("state-a");
  const Bytes second = sample_share("state-b");

  // Nothing committed yet: nothing to rewrite.
  CHECK_FALSE(store.rewrite(sample_header(1, 0), first, protector).ok());
  REQUIRE(store.stage(sample_header(1, 0), first, protector).ok());
  CHECK_FALSE(store.rewrite(sample_header(1, 0), second, protector).ok());  // staged, not committed
  REQUIRE(store.commit(key, 0).ok());

  REQUIRE(store.rewrite(sample_header(1, 0), second, protector).ok());
  CHECK(same(store.load(key, protector)->share.expose(), second));
  CHECK(list_names(dir.path() / to_hex(key)) == std::vector<std::string>{"00000000000000000000.share"});

  // Another epoch, or another header for the same epoch, is refused and changes nothing.
  CHECK_FALSE(store.rewrite(sample_header(1, 1), first, protector).ok());
  ShareHeader other = sample_header(1, 0);
  other.threshold = static_cast<std::uint16_t>(other.threshold == 1 ? 2 : 1);
  CHECK_FALSE(store.rewrite(other, first, protector).ok());
  CHECK(same(store.load(key, protector)->share.expose(), second));
}

TEST_CASE("share store: read_header gives the clear header without unsealing") {
  TempDir dir;
  auto store = ShareStore::open(dir.path(), 1).value();
  auto protector = fast_protector();
  const KeyId key = sample_header().key_id;
  CHECK_FALSE(store.read_header(key).ok());

  REQUIRE(store.stage(sample_header(1, 0), sample_share(), protector).ok());
  CHECK_FALSE(store.read_header(key).ok());  // nothing committed yet
  CHECK(store.read_header(key, true).value() == sample_header(1, 0));
  REQUIRE(store.commit(key, 0).ok());
  REQUIRE(store.stage(sample_header(1, 1), sample_share(), protector).ok());
  CHECK(store.read_header(key).value() == sample_header(1, 0));
  CHECK(store.read_header(key, true).value() == sample_header(1, 1));
}

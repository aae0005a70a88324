#include <catch2/catch.hpp>

#include <fstream>

#include "store_fixtures.hpp"
#include "tsign/store/atomic_file.hpp"
#include "tsign/store/audit_log.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

constexpr std::size_t kLogHeaderSize = 42;

IdentityKey test_identity() { return IdentityKey::from_seed(Bytes(32, 0x42)).value(); }

std::vector<AuditEvent> sample_events() {
  const KeyId key = sample_header().key_id;
  AuditEvent generated{AuditEventKind::Generated, key, 0, std::nullopt, {}, {1, 2, 3}, "dkg 2-of-3"};
  AuditEvent signed_event{AuditEventKind::Signed, key, 0, Digest32{}, {0, 7}, {1, 3}, ""};
  signed_event.digest->fill(0x5a);
  AuditEvent denied{AuditEventKind::Denied, key, 0, Digest32{}, {9}, {1, 2}, "scheme not allowed"};
  AuditEvent refreshed{AuditEventKind::Refreshed, key, 1, std::nullopt, {}, {}, ""};
  return {generated, signed_event, denied, refreshed};
}

AuditLog open_log(const std::filesystem::path& path) {
  auto log = AuditLog::open(path, test_identity());
  if (!log.ok()) FAIL(log.error().describe());
  return std::move(log).value();
}

void write_sample_log(const std::filesystem::path& path) {
  auto log = open_log(path);
  for (const auto& e : sample_events()) REQUIRE(log.append(e).ok());
}


// [start, end) of each entry's frame (length prefix included).
std::vector<std::pair<std::size_t, std::size_t>> entry_spans(const Bytes& log) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t at = kLogHeaderSize;
  while (at < log.size()) {
    const std::size_t len = (std::size_t{log[at]} << 24) | (std::size_t{log[at + 1]} << 16) |
                            (std::size_t{log[at + 2]} << 8) | log[at + 3];
    out.emplace_back(at, at + 4 + len);
    at += 4 + len;
  }
  return out;
}

Result<AuditVerification> verify(const std::filesystem::path& path, AuditVerifyOptions options = {}) {
  return verify_audit_log(path, test_identity().public_key(), options);
}

// Verifies a modified copy of a log under a fresh name. Fresh files keep the hundreds of variants
// cheap: rewriting one file in place makes some file systems flush on every close.
class Variants {
 public:
  explicit Variants(const std::filesystem::path& dir) : dir_(dir) {}
  Result<AuditVerification> verify_copy(ByteSpan log, ByteSpan checkpoint) {
    const auto path = dir_ / ("variant-" + std::to_string(next_++) + ".log");
    write_all_bytes(path, log);
    write_all_bytes(audit_checkpoint_path(path), checkpoint);
    auto result = verify(path);
    std::filesystem::remove(path);
    std::filesystem::remove(audit_checkpoint_path(path));
    return result;
  }

 private:
  std::filesystem::path dir_;
  std::size_t next_ = 0;
};

void expect_failure(const std::filesystem::path& path, std::string_view fragment) {
  auto r = verify(path);
  REQUIRE_FALSE(r.ok());
  INFO(r.error().message);
  CHECK((r.error().kind == ErrorKind::Storage || r.error().kind == ErrorKind::InvalidInput));
  CHECK(r.error().message.find(fragment) != std::string::npos);
}

}  // namespace

TEST_CASE("audit log: appended entries verify, chain and read back") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  std::vector<AuditEntry> appended;
  {
    auto log = open_log(path);
    CHECK(log.head().count == 0);
    for (const auto& e : sample_events()) {
      auto entry = log.append(e);
      REQUIRE(entry.ok());
      appended.push_back(*entry);
    }
    CHECK(log.head() == AuditHead{4, appended.back().hash});
  }
  std::vector<AuditEntry> seen;
  AuditVerifyOptions options;
  options.on_entry = [&](const AuditEntry& e) { seen.push_back(e); };
  auto v = verify(path, options);
  REQUIRE(v.ok());
  CHECK(v->head == AuditHead{4, appended.back().hash});
  CHECK(v->checkpoint == v->head);
  REQUIRE(seen.size() == 4);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(seen[i].sequence == i);
    CHECK(seen[i].event == sample_events()[i]);
    CHECK(seen[i].hash == appended[i].hash);
    CHECK(seen[i].signature == appended[i].signature);
    if (i > 0) CHECK(seen[i].previous_hash == seen[i - 1].hash);
  }

  // Reopening continues the chain.
  {
    auto log = open_log(path);
    CHECK(log.head().count == 4);
    auto e = log.append(sample_events()[0]);
    REQUIRE(e.ok());
    CHECK(e->sequence == 4);
    CHECK(e->previous_hash == appended.back().hash);
  }
  CHECK(verify(path)->head.count == 5);
  CHECK(to_string(AuditEventKind::Decommissioned) == std::string("decommissioned"));
}

TEST_CASE("audit log: any edited byte is detected") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  write_sample_log(path);
  const Bytes good = read_all(path);
  const Bytes cp = read_all(audit_checkpoint_path(path));
  Variants variants(dir.path());
  REQUIRE(variants.verify_copy(good, cp).ok());
  for (std::size_t i = 0; i < good.size(); ++i) {
    Bytes bad = good;
    bad[i] ^= 0x01;
    INFO("byte " << i);
    CHECK_FALSE(variants.verify_copy(bad, cp).ok());
  }
  for (std::size_t i = 0; i < cp.size(); ++i) {
    Bytes bad = cp;
    bad[i] ^= 0x01;
    INFO("checkpoint byte " << i);
    CHECK_FALSE(variants.verify_copy(good, bad).ok());
  }
}

TEST_CASE("audit log: reordering, deleting and truncating are detected") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  write_sample_log(path);
  const Bytes good = read_all(path);
  const auto spans = entry_spans(good);
  REQUIRE(spans.size() == 4);
  auto slice = [&](std::size_t i) {
    return Bytes(good.begin() + static_cast<std::ptrdiff_t>(spans[i].first),
                 good.begin() + static_cast<std::ptrdiff_t>(spans[i].second));
  };
  const Bytes header(good.begin(), good.begin() + kLogHeaderSize);

  SECTION("two entries swapped") {
    Bytes bad = header;
    for (std::size_t i : {0, 2, 1, 3}) append(bad, slice(i));
    write_all_bytes(path, bad);
    expect_failure(path, "removed or reordered");
  }
  SECTION("an entry deleted in the middle") {
    Bytes bad = header;
    for (std::size_t i : {0, 1, 3}) append(bad, slice(i));
    write_all_bytes(path, bad);
    expect_failure(path, "removed or reordered");
  }
  SECTION("the last entry deleted") {
    Bytes bad = header;
    for (std::size_t i : {0, 1, 2}) append(bad, slice(i));
    write_all_bytes(path, bad);
    expect_failure(path, "truncated or rolled back");
  }
  SECTION("every entry deleted") {
    write_all_bytes(path, header);
    expect_failure(path, "truncated or rolled back");
  }
  SECTION("cut at every byte") {
    const Bytes cp = read_all(audit_checkpoint_path(path));
    Variants variants(dir.path());
    for (std::size_t len = 0; len < good.size(); ++len) {
      INFO("length " << len);
      CHECK_FALSE(variants.verify_copy(ByteSpan(good).first(len), cp).ok());
    }
  }
  SECTION("an entry appended from another log of the same identity") {
    TempDir other_dir;
    write_sample_log(other_dir.path() / "audit.log");
    const Bytes other = read_all(other_dir.path() / "audit.log");
    const auto other_spans = entry_spans(other);
    Bytes bad = good;
    append(bad, ByteSpan(other).subspan(other_spans[0].first, other_spans[0].second - other_spans[0].first));
    write_all_bytes(path, bad);
    expect_failure(path, "entry 4 carries sequence number 0");
  }
  SECTION("the checkpoint removed") {
    std::filesystem::remove(audit_checkpoint_path(path));
    expect_failure(path, "is missing");
    CHECK_FALSE(AuditLog::open(path, test_identity()).ok());
  }
}

TEST_CASE("audit log: a rollback of log and checkpoint is caught against a known head") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  write_sample_log(path);
  const Bytes old_log = read_all(path);
  const Bytes old_cp = read_all(audit_checkpoint_path(path));
  AuditHead known;
  {
    auto log = open_log(path);
    REQUIRE(log.append(sample_events()[1]).ok());
    known = log.head();  // recorded somewhere the attacker cannot reach
  }
  write_all_bytes(path, old_log);
  write_all_bytes(audit_checkpoint_path(path), old_cp);
  CHECK(verify(path).ok());  // self-consistent, as the older state was
  AuditVerifyOptions options;
  options.known_head = known;
  auto r = verify(path, options);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("known head records 5 entries") != std::string::npos);

  AuditVerifyOptions older;
  older.known_head = AuditHead{2, Digest32{}};
  auto r2 = verify(path, older);
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().message.find("differs from the known head") != std::string::npos);
}

TEST_CASE("audit log: another identity's key does not verify it") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  write_sample_log(path);
  auto r = verify_audit_log(path, IdentityKey::generate().public_key());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("signed by identity") != std::string::npos);
  auto opened = AuditLog::open(path, IdentityKey::generate());
  REQUIRE_FALSE(opened.ok());
}

TEST_CASE("audit log: crash recovery between entry and checkpoint, and a torn entry") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  write_sample_log(path);
  SECTION("checkpoint one entry behind") {
    // As if the process died after the entry was durable but before the checkpoint was rewritten.
    const Bytes cp_before = read_all(audit_checkpoint_path(path));
    {
      auto log = open_log(path);
      REQUIRE(log.append(sample_events()[2]).ok());
    }
    write_all_bytes(audit_checkpoint_path(path), cp_before);
    auto v = verify(path);
    REQUIRE(v.ok());
    CHECK(v->head.count == 5);
    CHECK(v->checkpoint.count == 4);
    { auto log = open_log(path); }  // reopening brings the checkpoint up to date
    CHECK(verify(path)->checkpoint.count == 5);
  }
  SECTION("a torn final entry past the checkpoint is cut off on open") {
    const Bytes good = read_all(path);
    const Bytes cp_before = read_all(audit_checkpoint_path(path));
    {
      auto log = open_log(path);
      REQUIRE(log.append(sample_events()[2]).ok());
    }
    Bytes torn = read_all(path);
    torn.resize(torn.size() - 10);
    write_all_bytes(path, torn);
    write_all_bytes(audit_checkpoint_path(path), cp_before);
    expect_failure(path, "incomplete entry");
    {
      auto log = open_log(path);
      CHECK(log.head().count == 4);
      REQUIRE(log.append(sample_events()[3]).ok());
    }
    auto v = verify(path);
    REQUIRE(v.ok());
    CHECK(v->head.count == 5);
    CHECK(v->checkpoint == v->head);
  }
  SECTION("a torn entry the checkpoint vouches for is tampering") {
    Bytes torn = read_all(path);
    torn.resize(torn.size() - 10);
    write_all_bytes(path, torn);
    auto r = AuditLog::open(path, test_identity());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("truncated") != std::string::npos);
  }
}

TEST_CASE("audit log: one writer at a time, limits on events") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  auto log = open_log(path);
  auto second = AuditLog::open(path, test_identity());
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().message.find("locked") != std::string::npos);

  AuditEvent long_details{AuditEventKind::Denied, KeyId{}, 0, std::nullopt, {}, {}, std::string(4097, 'x')};
  CHECK_FALSE(log.append(long_details).ok());
  AuditEvent deep{AuditEventKind::Signed, KeyId{}, 0, std::nullopt, std::vector<std::uint32_t>(256, 1), {}, ""};
  CHECK_FALSE(log.append(deep).ok());
  AuditEvent bad_kind{static_cast<AuditEventKind>(42), KeyId{}, 0, std::nullopt, {}, {}, ""};
  CHECK_FALSE(log.append(bad_kind).ok());
  CHECK(log.head().count == 0);
}

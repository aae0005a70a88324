// The audit log's checks one at a time: each corruption is refused by the check made for it,
// whose diagnosis the test asserts (another check refusing it later would not do).
#include <catch2/catch.hpp>

#include <fstream>

#include "store/audit_format.hpp"
#include "store_fixtures.hpp"
#include "support/syscall_faults.hpp"
#include "tsign/store/atomic_file.hpp"
#include "tsign/store/audit_log.hpp"

using namespace tsign;
using namespace tsign::test;

namespace {

constexpr std::size_t kLogHeaderSize = 42;

IdentityKey test_identity() { return IdentityKey::from_seed(Bytes(32, 0x42)).value(); }

AuditEvent event(std::string details) {
  return AuditEvent{AuditEventKind::Generated, sample_header().key_id, 0, std::nullopt, {}, {1, 2}, std::move(details)};
}

// A log of `count` entries whose details are `tag` and the index.
void write_log(const std::filesystem::path& path, int count, const std::string& tag) {
  auto log = AuditLog::open(path, test_identity()).value();
  for (int i = 0; i < count; ++i) REQUIRE(log.append(event(tag + std::to_string(i))).ok());
}

std::uint32_t read_be32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}
void write_be32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}


// The offset and size (length prefix included) of every entry of a log file.
std::vector<std::pair<std::size_t, std::size_t>> entries_of(const Bytes& file) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t at = kLogHeaderSize; at + 4 <= file.size();) {
    const std::size_t len = read_be32(file.data() + at);
    out.emplace_back(at, 4 + len);
    at += 4 + len;
  }
  return out;
}

void expect_log_refused(const std::filesystem::path& path, std::string_view reason) {
  auto verified = verify_audit_log(path, test_identity().public_key());
  REQUIRE_FALSE(verified.ok());
  INFO(verified.error().describe());
  CHECK(verified.error().message.find(reason) != std::string::npos);
  auto opened = AuditLog::open(path, test_identity());
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().message.find(reason) != std::string::npos);
}

}  // namespace

TEST_CASE("audit checks: an entry spliced in from another log of the same identity breaks the chain") {
  // Each spliced entry is validly signed and carries the right sequence number: only the hash
  // chain tells it does not belong.
  TempDir dir;
  const auto a = dir.path() / "a.log", b = dir.path() / "b.log";
  write_log(a, 3, "a");
  write_log(b, 3, "b");
  Bytes fa = read_all(a);
  const Bytes fb = read_all(b);
  const auto ea = entries_of(fa), eb = entries_of(fb);
  REQUIRE(ea[1].second == eb[1].second);
  std::copy_n(fb.begin() + static_cast<std::ptrdiff_t>(eb[1].first), eb[1].second,
              fa.begin() + static_cast<std::ptrdiff_t>(ea[1].first));
  write_all_bytes(a, fa);
  expect_log_refused(a, "entry 1 does not follow the previous entry");
}

TEST_CASE("audit checks: the last entry modified fails its signature") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  write_log(path, 3, "x");
  Bytes file = read_all(path);
  const auto e = entries_of(file);
  // The last byte of the details (just before the 64-byte signature) of the last entry.
  file[e[2].first + e[2].second - 65] ^= 1;
  write_all_bytes(path, file);
  expect_log_refused(path, "entry 2 has an invalid signature");
}

TEST_CASE("audit checks: an impossible entry length is refused before anything is read") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  write_log(path, 2, "x");
  for (std::uint32_t len : {std::uint32_t{10}, std::uint32_t{0x7fffffff}}) {
    Bytes file = read_all(path);
    write_be32(file.data() + entries_of(file)[1].first, len);
    write_all_bytes(path, file);
    expect_log_refused(path, "entry 1 has an impossible length");
  }
}

TEST_CASE("audit checks: a truncated header and another version are refused") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  write_log(path, 1, "x");
  const Bytes good = read_all(path);
  write_all_bytes(path, ByteSpan(good).first(kLogHeaderSize - 1));
  expect_log_refused(path, "truncated file header");
  Bytes other = good;
  other[9] ^= 0x02;  // the version (big-endian u16 after the 8-byte magic)
  write_all_bytes(path, other);
  expect_log_refused(path, "unsupported version");
}

TEST_CASE("audit checks: a damaged checkpoint is refused, not trusted") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  write_log(path, 2, "x");
  const auto cp = audit_checkpoint_path(path);
  Bytes file = read_all(cp);
  file.resize(file.size() - 1);
  write_all_bytes(cp, file);
  expect_log_refused(path, "audit log: audit checkpoint");
}

TEST_CASE("audit checks: a log deleted while its checkpoint remains is not started afresh") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  write_log(path, 2, "x");
  std::filesystem::remove(path);
  auto opened = AuditLog::open(path, test_identity());
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().message.find("is missing but its checkpoint exists") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("audit checks: the record decoder is strict on its own") {
  const AuditEvent e = event("d");
  Bytes body = detail::encode_audit_body(0, 1, Digest32{}, e);
  auto record = [](Bytes b) {
    b.resize(b.size() + 64);  // a signature's room (the decoder does not verify it)
    return b;
  };
  REQUIRE(detail::decode_audit_record(record(body)).ok());
  CHECK(detail::decode_audit_record(Bytes(63)).error().message.find("truncated") != std::string::npos);
  constexpr std::size_t kKindAt = 8 + 8 + 32, kDigestFlagAt = kKindAt + 1 + 32 + 8;
  Bytes bad_kind = body;
  bad_kind[kKindAt] = 0x7f;
  CHECK(detail::decode_audit_record(record(bad_kind)).error().message.find("unknown event kind") != std::string::npos);
  Bytes bad_flag = body;
  bad_flag[kDigestFlagAt] = 2;
  CHECK(detail::decode_audit_record(record(bad_flag)).error().message.find("digest flag") != std::string::npos);
}

TEST_CASE("audit checks: an event with too many signers is not appended") {
  AuditEvent e = event("");
  e.signers.assign(kMaxAuditSigners + 1, 1);
  auto st = detail::validate(e);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().message == "too many signers");
  e.signers.assign(kMaxAuditSigners, 1);
  CHECK(detail::validate(e).ok());
}

TEST_CASE("audit checks: verifying a log that is gone while its checkpoint remains") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  write_log(path, 1, "x");
  std::filesystem::remove(path);
  auto verified = verify_audit_log(path, test_identity().public_key());
  REQUIRE_FALSE(verified.ok());
  CHECK(verified.error().message.find("cannot open") != std::string::npos);
}

TEST_CASE("audit checks: a read error in the log is reported as one, not taken for its end") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  write_log(path, 2, "read");
  // Reads 0 and 1 take the checkpoint (its bytes, then its end); then the log's header, the first
  // entry's length, its record, the second entry's length.
  for (int nth : {2, 3, 4, 5}) {
    INFO(nth);
    SyscallFault fault(Syscall::Read, nth);
    auto verified = verify_audit_log(path, test_identity().public_key());
    REQUIRE(fault.fired());
    REQUIRE_FALSE(verified.ok());
    CHECK(verified.error().message.find("cannot read " + path.string()) != std::string::npos);
  }
  CHECK(verify_audit_log(path, test_identity().public_key()).ok());
}

TEST_CASE("audit checks: a log deleted with its checkpoint is not started afresh where keys exist") {
  TempDir dir;
  const auto path = dir.path() / "audit.log";
  write_log(path, 2, "gone");
  std::filesystem::remove(path);
  std::filesystem::remove(audit_checkpoint_path(path));
  auto refused = AuditLog::open(path, test_identity(), AuditLog::Missing::refuse);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::Storage);
  CHECK(refused.error().message.find("missing while keys exist: the log was deleted") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(path));  // nothing written
  // A new party, with no keys yet, starts its log.
  CHECK(AuditLog::open(path, test_identity(), AuditLog::Missing::create).ok());
}

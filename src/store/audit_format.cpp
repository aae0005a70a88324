#include "audit_format.hpp"

#include <algorithm>

namespace tsign {

const char* to_string(AuditEventKind kind) {
  switch (kind) {
    case AuditEventKind::Generated: return "generated";
    case AuditEventKind::Refreshed: return "refreshed";
    case AuditEventKind::Reshared: return "reshared";
    case AuditEventKind::Repaired: return "repaired";
    case AuditEventKind::Signed: return "signed";
    case AuditEventKind::Denied: return "denied";
    case AuditEventKind::Exported: return "exported";
    case AuditEventKind::Restored: return "restored";
    case AuditEventKind::Decommissioned: return "decommissioned";
    case AuditEventKind::Approved: return "approved";
    case AuditEventKind::Failed: return "failed";
  }
  return "unknown";
}

namespace detail {

namespace {
constexpr std::string_view kLogMagic = "TSIGNLOG";
constexpr std::string_view kHeadMagic = "TSIGNHED";
constexpr std::uint16_t kVersion = 1;
constexpr std::string_view kEntryDomain = "tsign/audit/entry/v1";
constexpr std::string_view kHeadDomain = "tsign/audit/head/v1";

bool known_kind(std::uint8_t k) { return k >= 1 && k <= static_cast<std::uint8_t>(AuditEventKind::Failed); }

Result<ByteSpan> read_magic(Reader& r, std::string_view magic, std::string_view what) {
  TSIGN_TRY(ByteSpan got, r.raw(magic.size()));
  if (!std::equal(got.begin(), got.end(), magic.begin())) return r.fail("not a tsign " + std::string(what));
  return got;
}
}  // namespace

Bytes encode_audit_log_header(const ByteArray<32>& public_key) {
  Writer w;
  w.raw(as_bytes(kLogMagic)).u16(kVersion).raw(public_key);
  return std::move(w).take();
}

Result<ByteArray<32>> decode_audit_log_header(ByteSpan header) {
  Reader r(header, "audit log header");
  TSIGN_CHECK(read_magic(r, kLogMagic, "audit log"));
  TSIGN_TRY(std::uint16_t version, r.u16());
  if (version != kVersion) return r.fail("unsupported version " + std::to_string(version));
  TSIGN_TRY(auto key, r.array<32>());
  TSIGN_CHECK(r.finish());
  return key;
}

Digest32 audit_genesis_hash(ByteSpan log_header) { return tagged_hash("tsign/audit/genesis", {log_header}); }

Status validate(const AuditEvent& e) {
  if (!known_kind(static_cast<std::uint8_t>(e.kind))) return make_error(ErrorKind::InvalidInput, "unknown audit event kind");
  if (e.details.size() > kMaxAuditDetails) return make_error(ErrorKind::InvalidInput, "audit details exceed 4096 bytes");
  if (e.derivation_path.size() > kMaxAuditPathDepth) {
    return make_error(ErrorKind::InvalidInput, "derivation path deeper than 255");
  }
  if (e.signers.size() > kMaxAuditSigners) return make_error(ErrorKind::InvalidInput, "too many signers");
  return {};
}

Bytes encode_audit_body(std::uint64_t sequence, std::uint64_t timestamp_ms, const Digest32& previous,
                        const AuditEvent& e) {
  Writer w;
  w.u64(sequence).u64(timestamp_ms).raw(previous).u8(static_cast<std::uint8_t>(e.kind)).raw(e.key_id).u64(e.epoch);
  if (e.digest) {
    w.u8(1).raw(*e.digest);
  } else {
    w.u8(0);
  }
  w.u32(static_cast<std::uint32_t>(e.derivation_path.size()));
  for (std::uint32_t i : e.derivation_path) w.u32(i);
  w.u32(static_cast<std::uint32_t>(e.signers.size()));
  for (PartyId p : e.signers) w.u32(p);
  w.str(e.details);
  return std::move(w).take();
}

Bytes audit_entry_message(ByteSpan body) {
  Bytes m(kEntryDomain.begin(), kEntryDomain.end());
  m.push_back(0);
  append(m, body);
  return m;
}

Digest32 audit_entry_hash(ByteSpan body, const ByteArray<64>& signature) {
  return tagged_hash("tsign/audit/entry", {body, signature});
}

Result<AuditEntry> decode_audit_record(ByteSpan record) {
  if (record.size() < 64) return make_error(ErrorKind::InvalidInput, "audit record: truncated");
  const ByteSpan body = record.first(record.size() - 64);
  Reader r(body, "audit record");
  AuditEntry out;
  AuditEvent& e = out.event;
  TSIGN_TRY(out.sequence, r.u64());
  TSIGN_TRY(out.timestamp_ms, r.u64());
  TSIGN_TRY(out.previous_hash, r.array<32>());
  TSIGN_TRY(std::uint8_t kind, r.u8());
  if (!known_kind(kind)) return r.fail("unknown event kind " + std::to_string(kind));
  e.kind = static_cast<AuditEventKind>(kind);
  TSIGN_TRY(e.key_id, r.array<32>());
  TSIGN_TRY(e.epoch, r.u64());
  TSIGN_TRY(std::uint8_t has_digest, r.u8());
  if (has_digest > 1) return r.fail("digest flag must be 0 or 1");
  if (has_digest == 1) {
    TSIGN_TRY(Digest32 d, r.array<32>());
    e.digest = d;
  }
  TSIGN_TRY(std::uint32_t depth, r.count(kMaxAuditPathDepth));
  e.derivation_path.resize(depth);
  for (auto& i : e.derivation_path) {
    TSIGN_TRY(i, r.u32());
  }
  TSIGN_TRY(std::uint32_t signers, r.count(kMaxAuditSigners));
  e.signers.resize(signers);
  for (auto& p : e.signers) {
    TSIGN_TRY(p, r.u32());
  }
  TSIGN_TRY(e.details, r.str(kMaxAuditDetails));
  TSIGN_CHECK(r.finish());
  std::copy(record.end() - 64, record.end(), out.signature.begin());
  out.hash = audit_entry_hash(body, out.signature);
  return out;
}

Bytes audit_checkpoint_message(const Digest32& genesis, const AuditHead& head) {
  Writer w;
  w.raw(as_bytes(kHeadDomain)).u8(0).raw(genesis).u64(head.count).raw(head.hash);
  return std::move(w).take();
}

Bytes encode_audit_checkpoint(const AuditCheckpoint& c) {
  Writer w;
  w.raw(as_bytes(kHeadMagic)).u16(kVersion).u64(c.head.count).raw(c.head.hash).raw(c.signature);
  return std::move(w).take();
}

Result<AuditCheckpoint> decode_audit_checkpoint(ByteSpan file) {
  Reader r(file, "audit checkpoint");
  TSIGN_CHECK(read_magic(r, kHeadMagic, "audit checkpoint"));
  TSIGN_TRY(std::uint16_t version, r.u16());
  if (version != kVersion) return r.fail("unsupported version " + std::to_string(version));
  AuditCheckpoint c;
  TSIGN_TRY(c.head.count, r.u64());
  TSIGN_TRY(c.head.hash, r.array<32>());
  TSIGN_TRY(c.signature, r.array<64>());
  TSIGN_CHECK(r.finish());
  return c;
}

}  // namespace detail
}  // namespace tsign

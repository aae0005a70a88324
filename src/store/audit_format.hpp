#pragma once
// Encoding of audit log files, entries and checkpoints (private to src/store; the layout is in
// docs/audit-log-format.md).
#include "tsign/core/codec.hpp"
#include "tsign/store/audit_log.hpp"

namespace tsign::detail {

inline constexpr std::size_t kAuditLogHeaderSize = 8 + 2 + 32;
// Body fields at their limits, plus the signature.
inline constexpr std::size_t kMaxAuditRecordSize = 8 + 8 + 32 + 1 + 32 + 8 + 1 + 32 + 4 + 4 * kMaxAuditPathDepth + 4 +
                                                   4 * kMaxAuditSigners + 4 + kMaxAuditDetails + 64;

Bytes encode_audit_log_header(const ByteArray<32>& public_key);
// The identity public key named in the log header.
Result<ByteArray<32>> decode_audit_log_header(ByteSpan header);
Digest32 audit_genesis_hash(ByteSpan log_header);

Status validate(const AuditEvent& event);
Bytes encode_audit_body(std::uint64_t sequence, std::uint64_t timestamp_ms, const Digest32& previous,
                        const AuditEvent& event);
// What the identity key signs for an entry body.
Bytes audit_entry_message(ByteSpan body);
Digest32 audit_entry_hash(ByteSpan body, const ByteArray<64>& signature);
// A record is body || signature; decoding is strict, checks nothing about the chain.
Result<AuditEntry> decode_audit_record(ByteSpan record);

struct AuditCheckpoint {
  AuditHead head;
  ByteArray<64> signature{};
};
Bytes audit_checkpoint_message(const Digest32& genesis, const AuditHead& head);
Bytes encode_audit_checkpoint(const AuditCheckpoint& checkpoint);
Result<AuditCheckpoint> decode_audit_checkpoint(ByteSpan file);

}  // namespace tsign::detail

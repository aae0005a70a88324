// Audit log files: the log header, one record (body and signature) and the signed checkpoint.
// Hostile bytes never crash; whatever decodes re-encodes to the same bytes.
#include <cstdlib>

#include "store/audit_format.hpp"

namespace {

using namespace tsign;

void same(const Bytes& again, ByteSpan data) {
  if (!std::equal(again.begin(), again.end(), data.begin(), data.end())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteSpan input(data, size);
  if (auto key = detail::decode_audit_log_header(input); key.ok()) same(detail::encode_audit_log_header(*key), input);
  if (auto entry = detail::decode_audit_record(input); entry.ok()) {
    if (!detail::validate(entry->event).ok()) std::abort();  // what decodes is a valid event
    Bytes again = detail::encode_audit_body(entry->sequence, entry->timestamp_ms, entry->previous_hash, entry->event);
    again.insert(again.end(), entry->signature.begin(), entry->signature.end());
    same(again, input);
  }
  if (auto checkpoint = detail::decode_audit_checkpoint(input); checkpoint.ok()) {
    same(detail::encode_audit_checkpoint(*checkpoint), input);
  }
  return 0;
}

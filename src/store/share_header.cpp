#include "tsign/store/share_header.hpp"

#include <array>
#include <string>

namespace tsign {

namespace {
struct SuiteName {
  ShareSuite suite;
  const char* name;
};
constexpr std::array<SuiteName, 4> kSuites{{
    {ShareSuite::FrostSecp256k1, "frost-secp256k1"},
    {ShareSuite::FrostSecp256k1Taproot, "frost-secp256k1-tr"},
    {ShareSuite::FrostEd25519, "frost-ed25519"},
    {ShareSuite::EcdsaSecp256k1, "ecdsa-secp256k1"},
}};
}  // namespace

const char* to_string(ShareSuite suite) {
  for (const auto& s : kSuites) {
    if (s.suite == suite) return s.name;
  }
  return "unknown-suite";
}

std::optional<ShareSuite> share_suite_from_string(std::string_view name) {
  for (const auto& s : kSuites) {
    if (name == s.name) return s.suite;
  }
  return std::nullopt;
}

std::optional<ShareSuite> share_suite_from_code(std::uint16_t code) {
  for (const auto& s : kSuites) {
    if (static_cast<std::uint16_t>(s.suite) == code) return s.suite;
  }
  return std::nullopt;
}

Status validate(const ShareHeader& header) {
  if (header.party_id == 0) return make_error(ErrorKind::InvalidInput, "share header: party id 0 is not allowed");
  if (header.threshold == 0 || header.threshold > header.parties) {
    return make_error(ErrorKind::InvalidInput, "share header: threshold " + std::to_string(header.threshold) +
                                                   " is not within 1.." + std::to_string(header.parties));
  }
  if (!share_suite_from_code(static_cast<std::uint16_t>(header.suite))) {
    return make_error(ErrorKind::InvalidInput, "share header: unknown suite");
  }
  return {};
}

void encode(Writer& w, const ShareHeader& header) {
  w.raw(header.key_id)
      .u32(header.party_id)
      .u64(header.epoch)
      .u16(static_cast<std::uint16_t>(header.suite))
      .u16(header.threshold)
      .u16(header.parties);
}

Result<ShareHeader> decode_share_header(Reader& r) {
  ShareHeader h;
  TSIGN_TRY(h.key_id, r.array<32>());
  TSIGN_TRY(h.party_id, r.u32());
  TSIGN_TRY(h.epoch, r.u64());
  TSIGN_TRY(std::uint16_t suite_code, r.u16());
  auto suite = share_suite_from_code(suite_code);
  if (!suite) return r.fail("unknown suite code " + std::to_string(suite_code));
  h.suite = *suite;
  TSIGN_TRY(h.threshold, r.u16());
  TSIGN_TRY(h.parties, r.u16());
  TSIGN_CHECK(validate(h));
  return h;
}

Status check_expectation(const ShareHeader& header, const ShareExpectation& expect) {
  auto mismatch = [](const std::string& what) { return make_error(ErrorKind::InvalidInput, what); };
  if (expect.key_id && *expect.key_id != header.key_id) {
    return mismatch("share belongs to key " + to_hex(header.key_id) + ", expected key " + to_hex(*expect.key_id));
  }
  if (expect.party_id && *expect.party_id != header.party_id) {
    return mismatch("share belongs to party " + std::to_string(header.party_id) + ", expected party " +
                    std::to_string(*expect.party_id));
  }
  if (expect.epoch && *expect.epoch != header.epoch) {
    return mismatch("share is of epoch " + std::to_string(header.epoch) + ", expected epoch " +
                    std::to_string(*expect.epoch));
  }
  if (expect.suite && *expect.suite != header.suite) {
    return mismatch(std::string("share is for ") + to_string(header.suite) + ", expected " + to_string(*expect.suite));
  }
  return {};
}

}  // namespace tsign

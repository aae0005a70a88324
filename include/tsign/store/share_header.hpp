#pragma once
// The public, typed description of a stored key share: which key, which party, which epoch,
// which protocol and which threshold. It is kept in clear in every share file and backup (so a
// file can be identified without a passphrase) and bound to the sealed share as associated data.
// The share itself is opaque bytes to the storage layer: each protocol serializes its own.
#include <cstdint>
#include <optional>

#include "tsign/core/bytes.hpp"
#include "tsign/core/codec.hpp"
#include "tsign/core/result.hpp"

namespace tsign {

// The protocol family a share belongs to. The numbers are part of the file format: never reuse one.
enum class ShareSuite : std::uint16_t {
  FrostSecp256k1 = 1,
  FrostSecp256k1Taproot = 2,  // BIP-340
  FrostEd25519 = 3,
  EcdsaSecp256k1 = 4,
};

// "frost-secp256k1", "frost-secp256k1-tr", "frost-ed25519", "ecdsa-secp256k1": the scheme names
// signing policies speak of.
const char* to_string(ShareSuite suite);
std::optional<ShareSuite> share_suite_from_string(std::string_view name);
std::optional<ShareSuite> share_suite_from_code(std::uint16_t code);

struct ShareHeader {
  KeyId key_id{};
  PartyId party_id = 0;
  std::uint64_t epoch = 0;  // 0 at key generation; each refresh or reshare moves to a higher one
  ShareSuite suite = ShareSuite::FrostSecp256k1;
  std::uint16_t threshold = 0;  // t: parties needed to sign
  std::uint16_t parties = 0;    // n: parties holding shares

  bool operator==(const ShareHeader&) const = default;
};

// Party id non-zero, 1 <= t <= n.
Status validate(const ShareHeader& header);

// Fixed 50-byte encoding shared by share files and backups (see docs/share-file-format.md).
void encode(Writer& w, const ShareHeader& header);
Result<ShareHeader> decode_share_header(Reader& r);

// What the caller knows a file must be; every field set is checked before any decryption.
struct ShareExpectation {
  std::optional<KeyId> key_id;
  std::optional<PartyId> party_id;
  std::optional<std::uint64_t> epoch;
  std::optional<ShareSuite> suite;
};
// InvalidInput naming the first field that differs.
Status check_expectation(const ShareHeader& header, const ShareExpectation& expect);

}  // namespace tsign

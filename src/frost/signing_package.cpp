#include "tsign/frost/signing_package.hpp"

#include <algorithm>

#include "internals.hpp"

namespace tsign::frost {

namespace {
constexpr std::string_view kMagic = "FRSP";
}

template <FrostCiphersuite C>
std::vector<PartyId> SigningPackage<C>::signers() const {
  std::vector<PartyId> ids;
  ids.reserve(commitments.size());
  for (const auto& c : commitments) ids.push_back(c.identifier);
  std::sort(ids.begin(), ids.end());
  return ids;
}

template <FrostCiphersuite C>
const SigningCommitments<C>* SigningPackage<C>::find(PartyId id) const {
  for (const auto& c : commitments) {
    if (c.identifier == id) return &c;
  }
  return nullptr;
}

template <FrostCiphersuite C>
Bytes SigningPackage<C>::encode() const {
  Writer w;
  detail::write_header(w, kMagic, C::kName);
  w.var(message);
  if constexpr (C::kTaproot) {
    w.u8(static_cast<std::uint8_t>(taproot.mode));
    if (taproot.mode == TaprootTweak::Mode::MerkleRoot) w.raw(taproot.merkle_root);
  }
  std::vector<const SigningCommitments<C>*> sorted;
  sorted.reserve(commitments.size());
  for (const auto& c : commitments) sorted.push_back(&c);
  std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->identifier < b->identifier; });
  w.u32(static_cast<std::uint32_t>(sorted.size()));
  for (const auto* c : sorted) c->encode_body(w);
  return std::move(w).take();
}

template <FrostCiphersuite C>
Result<SigningPackage<C>> SigningPackage<C>::decode(ByteSpan bytes) {
  Reader r(bytes, "FROST signing package");
  TSIGN_CHECK(detail::read_header(r, kMagic, C::kName));
  SigningPackage out;
  TSIGN_TRY(ByteSpan message, r.var(kMaxMessageSize));
  out.message.assign(message.begin(), message.end());
  if constexpr (C::kTaproot) {
    TSIGN_TRY(std::uint8_t mode, r.u8());
    switch (mode) {
      case 0: out.taproot = TaprootTweak::none(); break;
      case 1: out.taproot = TaprootTweak::no_scripts(); break;
      case 2: {
        TSIGN_TRY(auto root, r.array<32>());
        out.taproot = TaprootTweak::with_merkle_root(root);
        break;
      }
      default: return r.fail("unknown Taproot tweak mode " + std::to_string(mode));
    }
  }
  TSIGN_TRY(std::uint32_t n, r.count(kMaxSigners));
  if (n == 0) return r.fail("no signers");
  out.commitments.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    TSIGN_TRY(auto c, SigningCommitments<C>::decode_body(r));
    if (!out.commitments.empty() && c.identifier == out.commitments.back().identifier) {
      return make_error(ErrorKind::InvalidInput,
                        "FROST signing package: party " + std::to_string(c.identifier) + " listed twice",
                        {c.identifier});
    }
    if (!out.commitments.empty() && c.identifier < out.commitments.back().identifier) {
      return r.fail("signer identifiers not in ascending order at party " + std::to_string(c.identifier));
    }
    out.commitments.push_back(std::move(c));
  }
  TSIGN_CHECK(r.finish());
  return out;
}

#define TSIGN_INSTANTIATE(C) template struct SigningPackage<C>;
TSIGN_FROST_FOR_EACH_SUITE(TSIGN_INSTANTIATE)
#undef TSIGN_INSTANTIATE

}  // namespace tsign::frost

#include "tsign/ot/state.hpp"

#include "tsign/core/codec.hpp"
#include "tsign/core/hash.hpp"
#include "core/declassify.hpp"

namespace tsign::ot {

namespace {

constexpr std::uint8_t kRoleSender = 1;
constexpr std::uint8_t kRoleReceiver = 2;
constexpr std::uint8_t kStatusReady = 0;
constexpr std::uint8_t kStatusPoisoned = 1;

// Header: version, role, κ, k, status, self, peer, reserved (16 bytes in all).
void write_header(Writer& w, std::uint8_t role, PartyId self, PartyId peer, bool poisoned) {
  w.u8(kStateVersion).u8(role).u16(static_cast<std::uint16_t>(kBaseOts)).u8(static_cast<std::uint8_t>(kSoftSpokenK));
  w.u8(poisoned ? kStatusPoisoned : kStatusReady).u32(self).u32(peer).u16(0);
}

SecretBytes to_secret(const Writer& header, ByteSpan secret) {
  SecretBytes out(header.bytes().size() + secret.size());
  auto dst = out.expose_mut();
  std::copy(header.bytes().begin(), header.bytes().end(), dst.begin());
  std::copy(secret.begin(), secret.end(), dst.begin() + static_cast<std::ptrdiff_t>(header.bytes().size()));
  return out;
}

struct Header {
  PartyId self = 0;
  PartyId peer = 0;
  bool poisoned = false;
};

Result<Header> read_header(Reader& r, std::uint8_t role) {
  TSIGN_TRY(auto version, r.u8());
  if (version != kStateVersion) return r.fail("unsupported version " + std::to_string(version));
  TSIGN_TRY(auto got_role, r.u8());
  if (got_role != role) return r.fail("wrong role");
  TSIGN_TRY(auto kappa, r.u16());
  TSIGN_TRY(auto k, r.u8());
  if (kappa != kBaseOts || k != kSoftSpokenK) return r.fail("unsupported parameters");
  Header h;
  TSIGN_TRY(auto status, r.u8());
  if (status != kStatusReady && status != kStatusPoisoned) return r.fail("invalid status");
  h.poisoned = status == kStatusPoisoned;
  TSIGN_TRY(h.self, r.u32());
  TSIGN_TRY(h.peer, r.u32());
  if (h.self == 0 || h.peer == 0 || h.self == h.peer) return r.fail("invalid party ids");
  TSIGN_TRY(auto reserved, r.u16());
  if (reserved != 0) return r.fail("reserved bytes must be zero");
  return h;
}

std::shared_ptr<PairGuard> guard_for(std::uint8_t role, PartyId self, PartyId peer, const SecretBytes& secret,
                                     bool poisoned) {
  Sha256 h;
  h.update("tsign OT pair guard v1").update(ByteSpan(&role, 1)).update_u32(self).update_u32(peer);
  h.update(secret.expose());
  // A hash of the seeds names them and reveals nothing of them.
  auto guard = PairGuard::of(detail::declassified(h.finish()));
  if (poisoned) guard->disable();
  return guard;
}

}  // namespace

OtSenderSetup::OtSenderSetup(PartyId self, PartyId peer, bool poisoned, SecretBytes secret)
    : self_(self), peer_(peer), guard_(guard_for(kRoleSender, self, peer, secret, poisoned)), secret_(std::move(secret)) {}

OtReceiverSetup::OtReceiverSetup(PartyId self, PartyId peer, bool poisoned, SecretBytes secret)
    : self_(self), peer_(peer), guard_(guard_for(kRoleReceiver, self, peer, secret, poisoned)),
      secret_(std::move(secret)) {}

SecretBytes OtSenderSetup::encode() const {
  Writer w;
  write_header(w, kRoleSender, self_, peer_, poisoned());
  return to_secret(w, secret_.expose());
}

Result<OtSenderSetup> OtSenderSetup::decode(ByteSpan in) {
  Reader r(in, "OT sender state");
  TSIGN_TRY(Header h, read_header(r, kRoleSender));
  TSIGN_TRY(ByteSpan secret, r.raw(kSecretSize));
  TSIGN_CHECK(r.finish());
  return OtSenderSetup(h.self, h.peer, h.poisoned, SecretBytes::copy_of(secret));
}

SecretBytes OtReceiverSetup::encode() const {
  Writer w;
  write_header(w, kRoleReceiver, self_, peer_, poisoned());
  return to_secret(w, secret_.expose());
}

Result<OtReceiverSetup> OtReceiverSetup::decode(ByteSpan in) {
  Reader r(in, "OT receiver state");
  TSIGN_TRY(Header h, read_header(r, kRoleReceiver));
  TSIGN_TRY(ByteSpan secret, r.raw(kSecretSize));
  TSIGN_CHECK(r.finish());
  return OtReceiverSetup(h.self, h.peer, h.poisoned, SecretBytes::copy_of(secret));
}

}  // namespace tsign::ot

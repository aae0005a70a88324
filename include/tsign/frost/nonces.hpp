#pragma once
// FROST round 1 (RFC 9591 section 5.1): each signer draws a hiding and a binding nonce and
// publishes their commitments. A nonce pair may sign exactly one message: SigningNonces is
// move-only, cannot be serialized, and round 2 takes it by rvalue and wipes it, so signing twice
// with one pair does not compile, and signing with an emptied (moved-from or consumed) object is
// refused at run time.
#include "tsign/frost/commitments.hpp"
#include "tsign/keys/key_share.hpp"

namespace tsign::frost {

namespace detail {
template <FrostCiphersuite C>
struct Internals;
}

template <FrostCiphersuite C>
class SigningNonces {
 public:
  using Scalar = typename C::Scalar;

  // Moving transfers the nonces and wipes the source, which is then unusable.
  SigningNonces(SigningNonces&& other) noexcept
      : hiding_(other.hiding_), binding_(other.binding_), commitments_(other.commitments_), usable_(other.usable_) {
    other.wipe();
  }
  SigningNonces& operator=(SigningNonces&& other) noexcept {
    if (this != &other) {
      hiding_ = other.hiding_;
      binding_ = other.binding_;
      commitments_ = other.commitments_;
      usable_ = other.usable_;
      other.wipe();
    }
    return *this;
  }
  SigningNonces(const SigningNonces&) = delete;
  SigningNonces& operator=(const SigningNonces&) = delete;
  ~SigningNonces() = default;  // the scalars wipe themselves

  // The public half, to broadcast or hand to the coordinator.
  const SigningCommitments<C>& commitments() const { return commitments_; }
  PartyId identifier() const { return commitments_.identifier; }
  // False once the nonces were consumed by round 2 or moved elsewhere.
  bool usable() const { return usable_; }

 private:
  SigningNonces(const Scalar& hiding, const Scalar& binding, SigningCommitments<C> commitments)
      : hiding_(hiding), binding_(binding), commitments_(std::move(commitments)), usable_(true) {}
  void wipe() {
    hiding_ = Scalar::zero();
    binding_ = Scalar::zero();
    usable_ = false;
  }

  // Plain self-wiping scalars rather than Secret<>: a nonce pair lives for one signature, and a
  // guarded, locked allocation per signature would cost more than round 2's multiplications
  // for small signer sets.
  Scalar hiding_;
  Scalar binding_;
  SigningCommitments<C> commitments_;
  bool usable_ = false;
  friend struct detail::Internals<C>;
};

// Round 1: nonce = H3(32 fresh random bytes ‖ SerializeScalar(signing share)), twice. Mixing in
// the share keeps the nonces secret even if the random source is weak.
// Fails only for a key share that holds no signing share.
template <FrostCiphersuite C>
Result<SigningNonces<C>> commit(const KeyShare<typename C::Group>& key);

}  // namespace tsign::frost

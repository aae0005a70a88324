#pragma once
// The commit barrier after refresh, resharing, repair and key generation: one broadcast round in
// which every party states a digest of what it has durably staged, followed by the engine's echo
// step. When it completes, every party knows that every other party staged the same new epoch,
// so each can commit and delete the old one; until then the old epoch stays the committed one.
#include <vector>

#include "tsign/core/hash.hpp"
#include "tsign/protocol/round.hpp"

namespace tsign {

class ConfirmProtocol final : public RoundProtocol {
 public:
  ConfirmProtocol(PartyId self, std::vector<PartyId> parties, const Digest32& value)
      : self_(self), parties_(std::move(parties)), value_(value) {}

  std::string_view name() const override { return "tsign/confirm"; }
  PartyId self() const override { return self_; }
  const std::vector<PartyId>& parties() const override { return parties_; }
  std::size_t round_count() const override { return 1; }
  RoundSpec expects_from(std::size_t, PartyId sender) const override { return {sender != self_, false}; }
  std::size_t max_message_size() const override { return sizeof(Digest32); }

  Result<std::vector<OutgoingMessage>> start() override;
  // Every other party must have stated the same value; the others are named.
  Result<std::vector<OutgoingMessage>> advance(std::size_t round, const RoundMessages& in) override;

 private:
  PartyId self_;
  std::vector<PartyId> parties_;
  Digest32 value_;
};

}  // namespace tsign

#pragma once
// A protocol that forwards every call to another one: the base of wrappers that observe a
// protocol (progress reports, timing) without changing what it does. A wrapper overrides only
// what it observes, so whatever RoundProtocol gains is forwarded in one place.
#include "tsign/protocol/round.hpp"

namespace tsign {

class ForwardingProtocol : public RoundProtocol {
 public:
  explicit ForwardingProtocol(RoundProtocol& inner) : inner_(inner) {}

  std::string_view name() const override { return inner_.name(); }
  PartyId self() const override { return inner_.self(); }
  const std::vector<PartyId>& parties() const override { return inner_.parties(); }
  std::size_t round_count() const override { return inner_.round_count(); }
  RoundSpec expects_from(std::size_t round, PartyId sender) const override { return inner_.expects_from(round, sender); }
  std::size_t max_message_size() const override { return inner_.max_message_size(); }
  bool needs_agreement(std::size_t round) const override { return inner_.needs_agreement(round); }
  Result<std::vector<OutgoingMessage>> start() override { return inner_.start(); }
  Result<std::vector<OutgoingMessage>> advance(std::size_t round, const RoundMessages& in) override {
    return inner_.advance(round, in);
  }

 protected:
  RoundProtocol& inner_;
};

}  // namespace tsign

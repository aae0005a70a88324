#pragma once
// What every protocol of this layer shares as a RoundProtocol: its identity, the order of calls
// (start, then advance(0), advance(1), ...), the exact set of senders each round must have
// heard from, and a failure latch. Once a step fails, the protocol wipes its secrets and refuses
// every further call; once the last round succeeds, it is finished and its output can be taken.
#include <string>
#include <vector>

#include "tsign/protocol/round.hpp"

namespace tsign {

class StagedProtocol : public RoundProtocol {
 public:
  std::string_view name() const final { return name_; }
  PartyId self() const final { return self_; }
  const std::vector<PartyId>& parties() const final { return parties_; }

  Result<std::vector<OutgoingMessage>> start() final;
  // Before the protocol sees a byte, checks that `in` holds exactly what expects_from() promises
  // (a missing or unexpected message names its sender).
  Result<std::vector<OutgoingMessage>> advance(std::size_t round, const RoundMessages& in) final;

  bool finished() const { return finished_; }
  bool failed() const { return failed_; }

 protected:
  StagedProtocol(std::string name, PartyId self, std::vector<PartyId> parties)
      : name_(std::move(name)), self_(self), parties_(std::move(parties)) {}

  virtual Result<std::vector<OutgoingMessage>> on_start() = 0;
  virtual Result<std::vector<OutgoingMessage>> on_round(std::size_t round, const RoundMessages& in) = 0;
  // Drops every secret the protocol holds (called once, on failure).
  virtual void wipe() = 0;

 private:
  Result<std::vector<OutgoingMessage>> settle(Result<std::vector<OutgoingMessage>> step, bool last);
  Status check_senders(std::size_t round, const RoundMessages& in) const;

  std::string name_;
  PartyId self_ = 0;
  std::vector<PartyId> parties_;
  std::size_t next_round_ = 0;  // the round advance() expects next
  bool started_ = false;
  bool finished_ = false;
  bool failed_ = false;
};

}  // namespace tsign

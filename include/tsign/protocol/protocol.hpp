#pragma once
// The typed base of every tsign protocol, and the one that owns a protocol's private state.
//
//   auto party = DkgProtocol<FrostSecp256k1>::create(self, config);   // a Result<...>
//   Result<KeyShare<Secp256k1>> share = run_protocol(*party, transport, session);
//
// Protocol<Output> adds to RoundProtocol what every protocol shares: its identity and shape,
// the order of calls (start, then advance(0), advance(1), ...), the exact set of senders each
// round must have heard from (a missing or unexpected message names its sender before the
// protocol sees a byte), a failure latch, and an output that is taken once.
//
// StateProtocol<Output> runs a ProtocolState: the protocol's own rounds and secrets. On the first
// failure the state is destroyed, and with it every secret it holds (states keep secrets in
// types that wipe themselves); every further call is refused.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tsign/core/result.hpp"
#include "tsign/protocol/round.hpp"
#include "tsign/protocol/round_shape.hpp"

namespace tsign {

namespace protocol_detail {
// ProtocolAborted naming every sender whose messages in `in` differ from what `shape` expects.
Status check_senders(std::string_view name, std::size_t round, PartyId self, const std::vector<PartyId>& parties,
                     const RoundShape& shape, const RoundMessages& in);
Error call_out_of_order(std::string_view name, std::string_view call);
Error no_output(std::string_view name, bool failed, bool finished);
}  // namespace protocol_detail

template <class Output>
class Protocol : public RoundProtocol {
 public:
  using OutputType = Output;

  std::string_view name() const final { return name_; }
  PartyId self() const final { return self_; }
  const std::vector<PartyId>& parties() const final { return parties_; }
  std::size_t round_count() const final { return shape_.round_count(); }
  RoundSpec expects_from(std::size_t round, PartyId sender) const final {
    if (sender == self_) return {};
    return shape_.expects_from(round, sender);
  }
  std::size_t max_message_size() const override { return shape_.max_message_size(); }
  bool needs_agreement(std::size_t round) const override { return shape_.needs_agreement(round); }
  const RoundShape& shape() const { return shape_; }

  bool finished() const { return finished_; }
  bool failed() const { return failed_; }
  // The output, once the last round succeeded; it can be taken once.
  Result<Output> take_output() {
    if (!output_) return protocol_detail::no_output(name_, failed_, finished_);
    Output out = std::move(*output_);
    output_.reset();
    return out;
  }

 protected:
  Protocol(std::string name, PartyId self, std::vector<PartyId> parties, RoundShape shape)
      : name_(std::move(name)), self_(self), parties_(std::move(parties)), shape_(std::move(shape)) {}
  Protocol(Protocol&&) noexcept = default;
  Protocol& operator=(Protocol&&) noexcept = default;

  // For the implementations: the order of calls and the exact senders of `round`.
  Status admit_start() {
    if (started_ || failed_) return protocol_detail::call_out_of_order(name_, "start()");
    started_ = true;
    return {};
  }
  Status admit_round(std::size_t round) {
    if (!started_ || failed_ || finished_ || round != next_round_) {
      return protocol_detail::call_out_of_order(name_, "advance(" + std::to_string(round) + ")");
    }
    ++next_round_;
    return {};
  }
  Status check_senders(std::size_t round, const RoundMessages& in) const {
    return protocol_detail::check_senders(name_, round, self_, parties_, shape_, in);
  }
  bool last_round(std::size_t round) const { return round + 1 == shape_.round_count(); }
  void set_failed() { failed_ = true; }
  void set_output(Output output) {
    finished_ = true;
    output_.emplace(std::move(output));
  }

 private:
  std::string name_;
  PartyId self_ = 0;
  std::vector<PartyId> parties_;
  RoundShape shape_;
  std::optional<Output> output_;
  std::size_t next_round_ = 0;  // the round advance() expects next
  bool started_ = false;
  bool finished_ = false;
  bool failed_ = false;
};

// A protocol's own rounds and secrets, run by StateProtocol, which has already checked the
// order of calls and the senders of each round.
template <class Output>
class ProtocolState {
 public:
  virtual ~ProtocolState() = default;
  // This party's messages of round 0.
  virtual Result<Outgoing> start() = 0;
  // Consumes `round` (not the last) and returns this party's messages of round + 1.
  virtual Result<Outgoing> advance(std::size_t round, const RoundMessages& in) = 0;
  // Consumes the last round and returns the output.
  virtual Result<Output> finish(const RoundMessages& in) = 0;
};

template <class Output>
class StateProtocol : public Protocol<Output> {
 public:
  StateProtocol(std::string name, PartyId self, std::vector<PartyId> parties, RoundShape shape,
                std::unique_ptr<ProtocolState<Output>> state)
      : Protocol<Output>(std::move(name), self, std::move(parties), std::move(shape)), state_(std::move(state)) {}
  StateProtocol(StateProtocol&&) noexcept = default;
  StateProtocol& operator=(StateProtocol&&) noexcept = default;

  Result<Outgoing> start() final {
    TSIGN_CHECK(this->admit_start());
    return settle(state_->start());
  }

  Result<Outgoing> advance(std::size_t round, const RoundMessages& in) final {
    TSIGN_CHECK(this->admit_round(round));
    if (auto senders = this->check_senders(round, in); !senders.ok()) return settle(senders.error());
    if (!this->last_round(round)) return settle(state_->advance(round, in));
    auto output = state_->finish(in);
    if (!output.ok()) return settle(output.error());
    state_.reset();  // the secrets are no longer needed
    this->set_output(std::move(output).value());
    return Outgoing{};
  }

 private:
  Result<Outgoing> settle(Result<Outgoing> step) {
    if (!step.ok()) {
      this->set_failed();
      state_.reset();
    }
    return step;
  }

  std::unique_ptr<ProtocolState<Output>> state_;
};

}  // namespace tsign

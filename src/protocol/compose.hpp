#pragma once
// Composition of protocols, so a protocol made of others is written once:
// - sequence: run A, then the protocol made from A's output, in the rounds after A's; B's first
//   messages go out with A's last round (no round is lost between them);
// - parallel: run A and B in the same rounds, each message of a round carrying both parts;
// - confirmed: hold a protocol's output until every party has confirmed that all its checks
//   passed, so no party keeps an output while another aborts.
// Each part keeps its own exact sender checks and failure latch; errors of both parts of a
// parallel round are merged, so every culprit is named.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "protocol/blame.hpp"
#include "tsign/protocol/protocol.hpp"
#include "tsign/protocol/session_id.hpp"

namespace tsign {

namespace compose_detail {

// One payload carrying the parts of both protocols of a parallel round. Strict: the receiver
// says which parts it expects, and anything else is refused.
Bytes pack_parts(const Bytes* first, const Bytes* second);
struct Parts {
  std::optional<Bytes> first, second;
};
Result<Parts> unpack_parts(ByteSpan payload, bool want_first, bool want_second);

// Splits the messages of one round into each part's and merges each part's outgoing messages.
struct SplitRound {
  RoundMessages first, second;
};
Result<SplitRound> split_round(const RoundMessages& in, std::size_t round, const RoundShape& first,
                               const RoundShape& second, std::string_view step);
Outgoing merge_outgoing(Outgoing first, Outgoing second);

// The confirmation round: every party broadcasts a digest bound to the session and itself.
inline constexpr std::size_t kConfirmationSize = 1 + 32;  // tag, digest
Bytes confirmation(const SessionId& session, PartyId sender);
Status check_confirmations(const RoundMessages& in, const SessionId& session, std::string_view step);

}  // namespace compose_detail

template <class A, class B>
class SequenceState final : public ProtocolState<B> {
 public:
  using Next = std::function<Result<std::unique_ptr<Protocol<B>>>(A&&)>;
  // `second_shape` is the shape the protocol `next` makes must have (checked when it is made).
  SequenceState(std::unique_ptr<Protocol<A>> first, RoundShape second_shape, Next next)
      : first_(std::move(first)), first_rounds_(first_->round_count()), second_shape_(std::move(second_shape)),
        next_(std::move(next)) {}

  static RoundShape shape(const Protocol<A>& first, const RoundShape& second_shape) {
    return first.shape().then(second_shape);
  }

  Result<Outgoing> start() override { return first_->start(); }

  Result<Outgoing> advance(std::size_t round, const RoundMessages& in) override {
    if (round + 1 < first_rounds_) return first_->advance(round, in);
    if (round + 1 == first_rounds_) {
      TSIGN_CHECK(first_->advance(round, in));
      TSIGN_TRY(A output, first_->take_output());
      first_.reset();
      TSIGN_TRY(second_, next_(std::move(output)));
      if (!(second_->shape() == second_shape_)) {
        return make_error(ErrorKind::Internal, std::string(second_->name()) + " does not have the shape announced for it");
      }
      return second_->start();
    }
    return second_->advance(round - first_rounds_, in);
  }

  Result<B> finish(const RoundMessages& in) override {
    TSIGN_CHECK(second_->advance(second_shape_.round_count() - 1, in));
    return second_->take_output();
  }

  // The running parts (first: null once it finished; second: null until then).

 private:
  std::unique_ptr<Protocol<A>> first_;
  std::size_t first_rounds_;
  RoundShape second_shape_;
  Next next_;
  std::unique_ptr<Protocol<B>> second_;
};

template <class A, class B>
class ParallelState final : public ProtocolState<std::pair<A, B>> {
 public:
  ParallelState(std::unique_ptr<Protocol<A>> first, std::unique_ptr<Protocol<B>> second, std::string step)
      : first_(std::move(first)), second_(std::move(second)), step_(std::move(step)) {}

  static RoundShape shape(const Protocol<A>& first, const Protocol<B>& second) {
    return first.shape().alongside(second.shape());
  }

  Result<Outgoing> start() override {
    TSIGN_TRY(Outgoing a, first_->start());
    TSIGN_TRY(Outgoing b, second_->start());
    return pack(std::move(a), std::move(b));
  }

  Result<Outgoing> advance(std::size_t round, const RoundMessages& in) override {
    TSIGN_TRY(auto split, compose_detail::split_round(in, round, first_->shape(), second_->shape(),
                                                      step_ + " round " + std::to_string(round)));
    std::optional<Error> first_error, second_error;
    Outgoing a, b;
    step(*first_, first_output_, round, split.first, a, first_error);
    step(*second_, second_output_, round, split.second, b, second_error);
    if (first_error || second_error) return merge_errors(std::move(first_error), std::move(second_error));
    return pack(std::move(a), std::move(b));
  }

  Result<std::pair<A, B>> finish(const RoundMessages& in) override {
    const std::size_t round = std::max(first_->round_count(), second_->round_count()) - 1;
    TSIGN_TRY(Outgoing none, advance(round, in));
    (void)none;
    return std::pair<A, B>(std::move(*first_output_), std::move(*second_output_));
  }

 private:
  // Advances one part if `round` is one of its rounds, taking its output after its last.
  template <class T>
  static void step(Protocol<T>& part, std::optional<T>& output, std::size_t round, const RoundMessages& in,
                   Outgoing& out, std::optional<Error>& error) {
    if (round >= part.round_count()) return;
    auto next = part.advance(round, in);
    if (!next.ok()) {
      error = next.error();
      return;
    }
    out = std::move(next).value();
    if (round + 1 == part.round_count()) {
      auto taken = part.take_output();
      if (!taken.ok()) error = taken.error();
      else output.emplace(std::move(taken).value());
    }
  }

  Outgoing pack(Outgoing a, Outgoing b) const { return compose_detail::merge_outgoing(std::move(a), std::move(b)); }

  std::unique_ptr<Protocol<A>> first_;
  std::unique_ptr<Protocol<B>> second_;
  std::string step_;
  std::optional<A> first_output_;
  std::optional<B> second_output_;
};

// One round in which every party confirms; the output is the value it was given.
template <class T>
class ConfirmState final : public ProtocolState<T> {
 public:
  ConfirmState(T value, const SessionId& session, PartyId self, std::string step)
      : value_(std::move(value)), session_(session), self_(self), step_(std::move(step)) {}

  static RoundShape shape(const std::vector<PartyId>& others) {
    return RoundShape::uniform(1, others, {true, false}).bounded(compose_detail::kConfirmationSize);
  }

  Result<Outgoing> start() override {
    Outgoing out;
    out.push_back(broadcast(compose_detail::confirmation(session_, self_)));
    return out;
  }
  Result<Outgoing> advance(std::size_t, const RoundMessages&) override {
    return make_error(ErrorKind::Internal, step_ + " has one round");
  }
  Result<T> finish(const RoundMessages& in) override {
    TSIGN_CHECK(compose_detail::check_confirmations(in, session_, step_));
    return std::move(value_);
  }

 private:
  T value_;
  SessionId session_;
  PartyId self_;
  std::string step_;
};

}  // namespace tsign

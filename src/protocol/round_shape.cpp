#include "tsign/protocol/round_shape.hpp"

#include <algorithm>
#include <cassert>

namespace tsign {

RoundShape RoundShape::uniform(std::size_t rounds, const std::vector<PartyId>& senders, RoundSpec spec) {
  RoundShape shape(rounds);
  for (std::size_t r = 0; r < rounds; ++r) shape.expect(r, senders, spec);
  return shape;
}

void RoundShape::add(std::vector<PartyId>& set, const std::vector<PartyId>& more) {
  set.insert(set.end(), more.begin(), more.end());
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
}

RoundShape& RoundShape::expect(std::size_t round, const std::vector<PartyId>& senders, RoundSpec spec) {
  assert(round < rounds_.size());
  if (round >= rounds_.size()) return *this;
  if (spec.broadcast) add(rounds_[round].broadcast, senders);
  if (spec.direct) add(rounds_[round].direct, senders);
  return *this;
}

RoundSpec RoundShape::expects_from(std::size_t round, PartyId sender) const {
  if (round >= rounds_.size()) return {};
  const Round& r = rounds_[round];
  return {std::binary_search(r.broadcast.begin(), r.broadcast.end(), sender),
          std::binary_search(r.direct.begin(), r.direct.end(), sender)};
}

RoundShape RoundShape::then(const RoundShape& next) const {
  RoundShape out = *this;
  out.rounds_.insert(out.rounds_.end(), next.rounds_.begin(), next.rounds_.end());
  out.max_message_size_ = std::max(max_message_size_, next.max_message_size_);
  return out;
}

RoundShape RoundShape::alongside(const RoundShape& other) const {
  RoundShape out(std::max(rounds_.size(), other.rounds_.size()));
  for (std::size_t r = 0; r < out.rounds_.size(); ++r) {
    for (const RoundShape* part : {this, &other}) {
      if (r >= part->rounds_.size()) continue;
      add(out.rounds_[r].broadcast, part->rounds_[r].broadcast);
      add(out.rounds_[r].direct, part->rounds_[r].direct);
    }
  }
  // Two length-prefixed parts; an unbounded part leaves the whole unbounded.
  constexpr std::size_t kFraming = 16;
  const std::size_t a = max_message_size_, b = other.max_message_size_;
  out.max_message_size_ = (a > kUnboundedMessageSize - kFraming - b) ? kUnboundedMessageSize : a + b + kFraming;
  return out;
}

}  // namespace tsign

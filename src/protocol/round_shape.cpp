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

RoundShape& RoundShape::checked_individually(std::size_t round) {
  assert(round < rounds_.size());
  if (round < rounds_.size()) rounds_[round].checked_individually = true;
  return *this;
}

bool RoundShape::needs_agreement(std::size_t round) const {
  return round >= rounds_.size() || !rounds_[round].checked_individually;
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
    // A round carrying both parts' broadcasts skips agreement only if every part with a
    // broadcast in it may.
    bool individually = true;
    for (const RoundShape* part : {this, &other}) {
      if (r >= part->rounds_.size()) continue;
      const Round& in = part->rounds_[r];
      add(out.rounds_[r].broadcast, in.broadcast);
      add(out.rounds_[r].direct, in.direct);
      if (!in.broadcast.empty()) individually = individually && in.checked_individually;
    }
    out.rounds_[r].checked_individually = individually && !out.rounds_[r].broadcast.empty();
  }
  // Two length-prefixed parts; an unbounded part leaves the whole unbounded.
  constexpr std::size_t kFraming = 16;
  const std::size_t a = max_message_size_, b = other.max_message_size_;
  out.max_message_size_ = (a > kUnboundedMessageSize - kFraming - b) ? kUnboundedMessageSize : a + b + kFraming;
  return out;
}

}  // namespace tsign

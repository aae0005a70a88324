#include "driver.hpp"

#include <string>

namespace tsign::ecdsa_test {

bool RunResult::all_finished() const {
  for (const auto& entry : status) {
    if (!entry.second.ok()) return false;
  }
  return true;
}

bool RunResult::none_finished() const {
  for (const auto& entry : status) {
    if (entry.second.ok()) return false;
  }
  return true;
}

RunResult run_protocols(const std::vector<RoundProtocol*>& parties, const Tamper& tamper) {
  RunResult result;
  std::map<PartyId, RoundProtocol*> alive;
  std::map<PartyId, std::vector<OutgoingMessage>> outbox;
  for (RoundProtocol* p : parties) {
    result.bytes_sent[p->self()] = 0;
    auto started = p->start();
    if (!started.ok()) {
      result.status.emplace(p->self(), started.error());
      continue;
    }
    alive.emplace(p->self(), p);
    outbox.emplace(p->self(), std::move(started).value());
  }
  const std::size_t rounds = parties.empty() ? 0 : parties.front()->round_count();
  for (std::size_t round = 0; round < rounds; ++round) {
    std::map<PartyId, RoundMessages> inbox;
    for (auto& [sender, messages] : outbox) {
      for (auto& m : messages) {
        std::vector<PartyId> recipients;
        if (m.to) {
          recipients.push_back(*m.to);
        } else {
          for (RoundProtocol* p : parties) {
            if (p->self() != sender) recipients.push_back(p->self());
          }
        }
        for (PartyId to : recipients) {
          InFlight copy{round, sender, to, !m.to.has_value(), m.payload, true};
          result.bytes_sent[sender] += copy.payload.size();
          result.transcript.push_back(copy);
          if (tamper) tamper(copy);
          if (!copy.deliver) continue;
          auto& box = copy.broadcast ? inbox[to].broadcast : inbox[to].direct;
          box[sender] = std::move(copy.payload);
        }
      }
    }
    outbox.clear();
    for (auto it = alive.begin(); it != alive.end();) {
      RoundProtocol* p = it->second;
      const RoundMessages& in = inbox[p->self()];
      std::vector<PartyId> missing;
      for (PartyId q : p->parties()) {
        if (q == p->self()) continue;
        const RoundSpec spec = p->expects_from(round, q);
        if ((spec.broadcast && !in.broadcast.count(q)) || (spec.direct && !in.direct.count(q))) missing.push_back(q);
      }
      if (!missing.empty()) {
        result.status.emplace(p->self(), make_error(ErrorKind::Timeout, "round " + std::to_string(round), missing));
        it = alive.erase(it);
        continue;
      }
      auto next = p->advance(round, in);
      if (!next.ok()) {
        result.status.emplace(p->self(), next.error());
        it = alive.erase(it);
        continue;
      }
      outbox.emplace(p->self(), std::move(next).value());
      ++it;
    }
  }
  for (const auto& entry : alive) result.status.emplace(entry.first, Status{});
  return result;
}

}  // namespace tsign::ecdsa_test
